package dev.herald.query.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Keyed answers are written flat with one servedBy and read back; gathered answers are written as they are. */
class JsonTest {
    private static final RunProgress RUN = new RunProgress("a@2026-05-01T10:00:00Z", "a",
            Instant.parse("2026-05-01T10:00:00Z"), "RUNNING", 3, false, 1, null, 0, 1, 2, 0, false,
            ChannelTotals.ZERO, new ChannelTotals(1, 0, 0, 0, 1, 0, 0, 0, 0), Map.of(), null, null, null,
            Instant.parse("2026-05-01T10:00:01Z"), Instant.parse("2026-05-01T10:00:02Z"), null, null, null, 0, null);

    private final Json json = new Json();
    private final ObjectMapper plain = new ObjectMapper();

    @Test
    void onlyOneWellFormedObjectPassesAsARelayableBody() {
        assertThat(json.isObject(json.writeServed(new Served<>(RUN, "10.0.0.1:8080")).getBytes(StandardCharsets.UTF_8)))
                .isTrue();
        for (String bad : List.of("", "{\"a\": [tru", "[1, 2]", "\"text\"", "{} {}", "<html>error</html>", "{\"a\":1")) {
            assertThat(json.isObject(bad.getBytes(StandardCharsets.UTF_8))).as(bad).isFalse();
        }
    }

    @Test
    void aServedValueIsWrittenAsItsOwnFieldsPlusServedBy() throws Exception {
        JsonNode body = plain.readTree(json.writeServed(new Served<>(RUN, "10.0.0.1:8080")));

        assertThat(body.has("value")).isFalse();
        assertThat(body.get("runId").asText()).isEqualTo(RUN.runId());
        assertThat(body.get("scheduledFor").asText()).isEqualTo("2026-05-01T10:00:00Z");
        assertThat(body.get("servedBy").asText()).isEqualTo("10.0.0.1:8080");
    }

    @Test
    void writingAServedValueAsAPlainObjectWouldNestIt() throws Exception {
        // Why keyed answers must take the explicit writeServed path.
        JsonNode body = plain.readTree(json.write(new Served<>(RUN, "10.0.0.1:8080")));

        assertThat(body.get("value").get("runId").asText()).isEqualTo(RUN.runId());
        assertThat(body.has("runId")).isFalse();
    }

    @Test
    void aServedValueReadsBackAsWritten() {
        Served<RunProgress> served = new Served<>(RUN, "10.0.0.1:8080");

        assertThat(json.readServed(json.writeServed(served), RunProgress.class)).isEqualTo(served);
    }

    @Test
    void aRunFromAnInstanceThatDoesNotKnowRunControlYetReadsWithoutItsFields() {
        // A rolling upgrade: the owner still runs a version without status PAUSED and CANCELLED, estimates and rates.
        String older = "{\"runId\":\"a@2026-05-01T10:00:00Z\",\"campaignId\":\"a\",\"status\":\"RUNNING\","
                + "\"expected\":3,\"counted\":1,\"percent\":null,\"partitionsReported\":1,\"partitionCount\":2,"
                + "\"complete\":false,\"servedBy\":\"10.0.0.9:8080\"}";

        RunProgress run = json.readServed(older, RunProgress.class).value();

        assertThat(run.expected()).isEqualTo(3);
        assertThat(run.expectedFinal()).isFalse();
        assertThat(run.notSent()).isZero();
        assertThat(run.partitionsPaused()).isZero();
        assertThat(run.eta()).isNull();
        assertThat(run.pausedAt()).isNull();
    }

    @Test
    void servedByIsTheLastFieldAfterTheValuesOwnJson() {
        String value = json.write(RUN);

        String served = json.writeServed(new Served<>(RUN, "10.0.0.1:8080"));

        assertThat(served).isEqualTo(value.substring(0, value.length() - 1) + ",\"servedBy\":\"10.0.0.1:8080\"}");
    }

    @Test
    void aRelayedAnswerKeepsTheOwnersBytesAndReadsThemOnlyWhenAsked() {
        byte[] body = json.writeServed(new Served<>(RUN, "10.0.0.9:8080")).getBytes(StandardCharsets.UTF_8);

        Relayed<RunProgress> relayed = new Relayed<>(body, "10.0.0.9:8080", RunProgress.class, json);

        assertThat(relayed.body()).isSameAs(body);
        assertThat(relayed.servedBy()).isEqualTo("10.0.0.9:8080");
        assertThat(relayed.value()).isEqualTo(RUN);

        Relayed<RunProgress> garbled = new Relayed<>("[1,2]".getBytes(StandardCharsets.UTF_8), "10.0.0.9:8080",
                RunProgress.class, json);
        assertThat(garbled.body()).hasSize(5);
        assertThatThrownBy(garbled::value).isInstanceOf(UncheckedIOException.class);
    }

    @Test
    void aGatheredAnswerIsWrittenAsItIsWithItsListOfServers() throws Exception {
        RunList runs = new RunList("a", List.of(RUN), true, List.of("10.0.0.2:8080"), List.of("10.0.0.1:8080"));

        JsonNode body = plain.readTree(json.write(runs));

        assertThat(body.get("runs").get(0).get("runId").asText()).isEqualTo(RUN.runId());
        assertThat(body.get("partial").asBoolean()).isTrue();
        assertThat(body.get("missing").toString()).isEqualTo("[\"10.0.0.2:8080\"]");
        assertThat(body.get("servedBy").toString()).isEqualTo("[\"10.0.0.1:8080\"]");
        assertThat(json.read(json.write(runs), RunList.class)).isEqualTo(runs);
    }
}

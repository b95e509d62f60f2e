package dev.herald.app.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.herald.app.Herald;
import dev.herald.avro.Campaign;
import dev.herald.avro.PushMessage;
import dev.herald.avro.RunSummary;
import dev.herald.avro.ScheduleTick;
import dev.herald.topology.StoreNames;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KeyQueryMetadata;
import org.apache.kafka.streams.state.HostInfo;
import org.junit.jupiter.api.Test;

/**
 * Two instances, one application id, four recipients partitions: either answers for any key (forwarding to the
 * owner), list endpoints gather from both, and a run fanned out over every partition completes exactly once.
 */
class TwoInstancesTest {
    private static final int RECIPIENTS = 400;
    private static final int PARTITIONS = 4;

    @Test
    void anyInstanceAnswersForAnyKeyAndMultiPartitionRunsCompleteOnce() throws Exception {
        try (HeraldFixture fixture = new HeraldFixture();
             Herald a = fixture.start(fixture.settings("a", PARTITIONS));
             Herald b = fixture.start(fixture.settings("b", PARTITIONS))) {
            HeraldFixture.awaitRunning(a, b);
            HeraldFixture.await("both instances own tasks", () -> ownsRunTasks(a) && ownsRunTasks(b));
            fixture.produce(fixture.topics.recipients(), Population.recipients(RECIPIENTS));
            Map<String, Campaign> campaigns = new LinkedHashMap<>();
            for (int i = 0; i < 6; i++) {
                campaigns.put("c" + i, Population.campaign("c" + i, null));
            }
            fixture.produce(fixture.topics.campaigns(), campaigns);
            HeraldFixture.await("campaigns gathered from both", () -> fixture.get(a, "/api/campaigns")
                    .path("campaigns").size() == campaigns.size());

            // Slots chosen so that each instance owns one run when it starts; ownership may move later (a rebalance),
            // so what is asserted below is that both instances answer from whoever owns the key at that moment.
            String runOnA = runOwnedBy(a, a, "c0");
            String runOnB = runOwnedBy(a, b, "c1");
            Map<String, ScheduleTick> ticks = new LinkedHashMap<>();
            ticks.put("c0", Population.tick("c0", instantOf(runOnA)));
            ticks.put("c1", Population.tick("c1", instantOf(runOnB)));
            fixture.produce(fixture.topics.scheduleTicks(), ticks);

            for (String runId : List.of(runOnA, runOnB)) {
                String path = "/api/runs/" + URLEncoder.encode(runId, StandardCharsets.UTF_8);
                HeraldFixture.await("run " + runId + " completed", () -> fixture.getRaw(a, path).statusCode() == 200
                        && "COMPLETED".equals(fixture.get(a, path).path("status").asText()));
                HeraldFixture.await("run " + runId + " served by its owner through either instance", () -> {
                    String owner = ownerOf(a, runId);
                    JsonNode viaA = fixture.get(a, path);
                    JsonNode viaB = fixture.get(b, path);
                    // One of the two answers was forwarded: only the owner's stores hold the run.
                    assertThat(viaA.path("servedBy").asText()).isEqualTo(owner);
                    assertThat(viaB.path("servedBy").asText()).isEqualTo(owner);
                    assertThat(viaA.path("expected")).isEqualTo(viaB.path("expected"));
                    assertThat(viaA.path("partitionsReported").asInt()).isEqualTo(PARTITIONS);
                    return owner.equals(ownerOf(a, runId));
                });
            }
            String aAddress = "127.0.0.1:" + a.httpPort();
            String bAddress = "127.0.0.1:" + b.httpPort();

            JsonNode list = fixture.get(b, "/api/campaigns");
            assertThat(list.path("partial").asBoolean()).isFalse();
            Set<String> servedBy = new HashSet<>();
            list.path("servedBy").forEach(n -> servedBy.add(n.asText()));
            assertThat(servedBy).containsExactlyInAnyOrder(aAddress, bAddress);
            for (String id : campaigns.keySet()) {
                assertThat(fixture.get(a, "/api/campaigns/" + id).path("id").asText()).isEqualTo(id);
                assertThat(fixture.get(b, "/api/campaigns/" + id).path("id").asText()).isEqualTo(id);
            }
            assertThat(fixture.get(a, "/api/instances").path("instances").size()).isEqualTo(2);

            List<ConsumerRecord<String, RunSummary>> completions = fixture.readCommitted(fixture.topics.runSummaries(), 2);
            assertThat(completions).extracting(ConsumerRecord::key).containsExactlyInAnyOrder(runOnA, runOnB);
            List<ConsumerRecord<String, PushMessage>> push = fixture.readCommitted(fixture.topics.pushOutbox(),
                    2 * (int) Population.expectedPushMessages(RECIPIENTS));
            assertThat(push).hasSize(2 * (int) Population.expectedPushMessages(RECIPIENTS));
            for (ConsumerRecord<String, RunSummary> completion : completions) {
                RunSummary run = completion.value();
                assertThat(run.getPartitionCount()).isEqualTo(PARTITIONS);
                assertThat(run.getReportedPartitions()).containsExactlyInAnyOrder(0, 1, 2, 3);
                assertThat(run.getExpected()).isEqualTo(2L * RECIPIENTS);
                assertThat(run.getPush().getMessages()).isEqualTo(push.stream()
                        .filter(r -> r.value().getRunId().equals(run.getRunId())).count());
            }
            JsonNode summary = fixture.get(a, "/api/summary");
            assertThat(summary.path("partial").asBoolean()).isFalse();
        }
    }

    private static boolean ownsRunTasks(Herald herald) {
        return herald.streams().metadataForLocalThreads().stream()
                .anyMatch(t -> !t.activeTasks().isEmpty());
    }

    /** A run id of {@code campaignId} whose run-summary key the given instance owns (found by trying slots). */
    private static String runOwnedBy(Herald asker, Herald owner, String campaignId) {
        HostInfo wanted = new HostInfo("127.0.0.1", owner.httpPort());
        List<String> tried = new ArrayList<>();
        for (int minute = 0; minute < 200; minute++) {
            String runId = campaignId + "@" + Population.SLOT.plusSeconds(60L * minute);
            KeyQueryMetadata meta = asker.streams().queryMetadataForKey(StoreNames.RUN_SUMMARY, runId,
                    Serdes.String().serializer());
            if (wanted.equals(meta.activeHost())) {
                return runId;
            }
            tried.add(runId);
        }
        throw new AssertionError("no run id owned by " + wanted + " among " + tried.size());
    }

    /** The address of the instance that owns {@code runId}'s run summary now, by {@code asker}'s metadata. */
    private static String ownerOf(Herald asker, String runId) {
        HostInfo host = asker.streams().queryMetadataForKey(StoreNames.RUN_SUMMARY, runId,
                Serdes.String().serializer()).activeHost();
        return host.host() + ":" + host.port();
    }

    private static Instant instantOf(String runId) {
        return Instant.parse(runId.substring(runId.indexOf('@') + 1));
    }
}

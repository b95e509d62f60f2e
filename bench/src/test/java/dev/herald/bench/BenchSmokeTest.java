package dev.herald.bench;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Runs the whole harness with small numbers so it cannot rot: every case runs, every figure and latency row is
 * produced with its baseline, the correctness checks hold, and the JSON says the same. Nothing here is timed: a
 * slow or busy machine must not fail it.
 */
class BenchSmokeTest {

    @Test
    void smokeRunProducesEveryFigureAndTheJson() throws Exception {
        Path target = Bench.targetDir();
        Path json = target.resolve("bench-smoke-results.json");
        Files.deleteIfExists(json);
        BenchOptions options = BenchOptions.parse(target, "--smoke", "--out=" + json,
                "--work-dir=" + target.resolve("bench-smoke-work"));

        Report report = Bench.run(options);

        assertThat(report.errors()).isEmpty();
        assertThat(report.checks()).extracting(Report.Check::id).containsExactlyInAnyOrder(
                "b.2000.outbox_exactly_once", "c.in_table.outbox_exactly_once", "c.alone.outbox_exactly_once",
                "d.outbox_exactly_once", "e.killed_mid_run", "e.outbox_exactly_once", "e.run_summary_equals_outbox",
                "e.windowed_summary_equals_outbox", "two.keyed_forwarded_served_by_peer",
                "two.replicated_list_from_replica", "s.push.each_message_sent_once_and_receipted",
                "s.mail.each_message_sent_once_and_receipted");
        assertThat(report.checks()).allSatisfy(c -> assertThat(c.passed()).as(c.id() + ": " + c.detail()).isTrue());

        JsonNode root = new ObjectMapper().readTree(json.toFile());
        assertThat(root.path("mode").asText()).isEqualTo("smoke");
        assertThat(root.path("machine").path("cores").asInt()).isPositive();
        assertThat(root.path("machine").path("memoryBytes").asLong()).isPositive();
        assertThat(root.path("machine").path("jvm").asText()).isNotBlank();

        List<String> ids = new ArrayList<>();
        for (JsonNode f : root.path("figures")) {
            ids.add(f.path("id").asText());
            assertThat(f.path("value").isNumber()).as(f.toString()).isTrue();
            assertThat(f.path("value").asDouble()).as(f.toString()).isPositive();
            if (!f.path("baselineIs").isNull()) {
                assertThat(f.path("baseline").isNumber()).as(f.toString()).isTrue();
                assertThat(f.path("ratio").isNumber()).as(f.toString()).isTrue();
            }
        }
        List<String> expected = new ArrayList<>(List.of(
                "a.2000.records_per_s", "b.2000.tick_to_completed_s", "b.2000.messages_per_s", "b.2000.value_bytes",
                "c.segment_in_table_s", "d.small_heap.run_s", "e.restart_to_ready_s", "e.restart_to_completed_s",
                "e.tick_to_completed_s", "e.killed_at_offsets", "s.push.transport_per_s", "s.push.sender_per_s",
                "s.mail.transport_per_s", "s.mail.sender_per_s"));
        if (Files.exists(Path.of("/proc/self/status"))) {
            expected.addAll(List.of("d.small_heap.peak_rss_mb", "d.default_heap.peak_rss_mb"));
        }
        assertThat(ids).containsExactlyInAnyOrderElementsOf(expected);
        assertThat(report.figures()).extracting(Report.Figure::id).containsExactlyInAnyOrderElementsOf(ids);

        List<String> rows = new ArrayList<>();
        for (JsonNode l : root.path("latencies")) {
            rows.add(l.path("case").asText() + " " + l.path("endpoint").asText() + " " + l.path("phase").asText());
            assertThat(l.path("ok").asLong()).as(l.toString()).isPositive();
            for (String field : List.of("achievedRate", "p50Ms", "p99Ms", "maxMs")) {
                assertThat(l.path(field).isNumber()).as(field + " of " + l).isTrue();
            }
            if (l.has("baseline")) {
                assertThat(l.path("p50Ratio").isNumber()).as(l.toString()).isTrue();
                assertThat(l.path("p99Ratio").isNumber()).as(l.toString()).isTrue();
            }
        }
        assertThat(rows).containsExactlyInAnyOrder(
                "f health_live idle", "f keyed_run idle", "f summary_1m idle", "f gather_campaigns idle",
                "f health_live during_run", "f keyed_run during_run", "f summary_1m during_run",
                "f gather_campaigns during_run",
                "two keyed_local fixed_rate", "two keyed_forwarded fixed_rate", "two gather_campaigns fixed_rate",
                "two replicated_campaigns fixed_rate", "two keyed_local saturation", "two keyed_forwarded saturation",
                "two gather_campaigns saturation", "two replicated_campaigns saturation");
    }
}

package dev.herald.topology;

import static dev.herald.topology.TestRecords.campaign;
import static dev.herald.topology.TestRecords.manualTick;
import static dev.herald.topology.TestRecords.recipient;
import static org.assertj.core.api.Assertions.assertThat;

import dev.herald.avro.Channel;
import dev.herald.avro.DeadLetter;
import dev.herald.avro.FanoutReport;
import dev.herald.avro.Outcome;
import dev.herald.avro.Result;
import dev.herald.avro.RunEvent;
import dev.herald.avro.RunStatus;
import dev.herald.avro.RunSummary;
import dev.herald.avro.Summary;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.kafka.streams.state.ValueAndTimestamp;
import org.apache.kafka.streams.state.WindowStore;
import org.apache.kafka.streams.state.WindowStoreIterator;
import org.junit.jupiter.api.Test;

/** Windowed summaries count exactly, and a run completes exactly once when its partitions' totals reconcile. */
class SummariesTopologyTest {
    private static final Instant NOW = Instant.parse("2026-05-01T10:00:30Z");
    private static final String MULTI = "multi@2026-05-01T10:00:00Z";

    @Test
    void minuteAndHourSummariesCountEveryOutcomeInItsWindow() {
        try (HeraldTestDriver herald = HeraldTestDriver.start(NOW)) {
            for (String id : List.of("a", "b", "c")) {
                herald.recipients().pipeInput(id, recipient(id).build(), NOW);
            }
            herald.recipients().pipeInput("d", recipient("d").setPushTokens(List.of()).build(), NOW);
            herald.campaigns().pipeInput("c1", campaign("c1").setChannels(List.of(Channel.PUSH, Channel.MAIL)).build(),
                    NOW);

            herald.ticks().pipeInput("c1", manualTick("c1", Instant.parse("2026-05-01T10:00:00Z")), NOW);
            herald.advance(Duration.ofMinutes(1)); // 10:01:30
            herald.ticks().pipeInput("c1", manualTick("c1", Instant.parse("2026-05-01T10:01:00Z")), NOW);

            Map<Instant, Summary> minutes = windows(herald.minuteSummaries(), "c1");
            assertThat(minutes).containsOnlyKeys(Instant.parse("2026-05-01T10:00:00Z"),
                    Instant.parse("2026-05-01T10:01:00Z"));
            for (Summary minute : minutes.values()) {
                assertThat(minute.getPush().getSuccess()).isEqualTo(3);
                assertThat(minute.getPush().getMissing()).isEqualTo(1);
                assertThat(minute.getMail().getSuccess()).isEqualTo(4);
                assertThat(minute.getMail().getMessages()).isEqualTo(4);
                assertThat(minute.getReasons()).isEqualTo(Map.of("no_push_token", 1L));
            }
            Summary hour = windows(herald.hourSummaries(), "c1").get(Instant.parse("2026-05-01T10:00:00Z"));
            assertThat(hour.getCampaignId()).isEqualTo("c1");
            assertThat(hour.getPush().getSuccess()).isEqualTo(6);
            assertThat(hour.getPush().getMissing()).isEqualTo(2);
            assertThat(hour.getPush().getMessages()).isEqualTo(6);
            assertThat(hour.getMail().getSuccess()).isEqualTo(8);
            assertThat(hour.getReasons()).isEqualTo(Map.of("no_push_token", 2L));
        }
    }

    @Test
    void runCompletesOnceWithTotalsThatMatchTheOutbox() {
        try (HeraldTestDriver herald = HeraldTestDriver.start(NOW)) {
            for (String id : List.of("a", "b")) {
                herald.recipients().pipeInput(id, recipient(id).build(), NOW);
            }
            herald.recipients().pipeInput("x", recipient("x").setOptOuts(List.of(Channel.PUSH)).build(), NOW);
            herald.campaigns().pipeInput("c1", campaign("c1").build(), NOW);

            herald.ticks().pipeInput("c1", manualTick("c1", Instant.parse("2026-05-01T10:00:00Z")), NOW);
            herald.advance(Duration.ofSeconds(5));

            List<RunSummary> completed = herald.runSummaries().readValuesToList();
            assertThat(completed).singleElement().satisfies(run -> {
                assertThat(run.getStatus()).isEqualTo(RunStatus.COMPLETED);
                assertThat(run.getExpected()).isEqualTo(3);
                assertThat(run.getPush().getSuccess()).isEqualTo(2);
                assertThat(run.getPush().getFiltered()).isEqualTo(1);
                assertThat(run.getPush().getMessages()).isEqualTo(herald.pushOutbox().getQueueSize());
                assertThat(run.getReportedPartitions()).containsExactly(0);
                assertThat(run.getCompletedAt()).isNotNull();
            });
            assertThat(herald.runStore().get("c1@2026-05-01T10:00:00Z").getStatus()).isEqualTo(RunStatus.COMPLETED);
            assertThat(herald.metric("runs-completed-total")).isEqualTo(1.0);
        }
    }

    @Test
    void runWithSeveralPartitionsCompletesOnlyWhenEveryPartitionReportedAndCountsAddUp() {
        try (HeraldTestDriver herald = HeraldTestDriver.start(NOW)) {
            var events = herald.runEvents();
            events.pipeInput(MULTI, report(0, 2), NOW);
            events.pipeInput(MULTI, outcome("r1", Result.SUCCESS, null), NOW);
            events.pipeInput(MULTI, outcome("r2", Result.SUCCESS, null), NOW);
            events.pipeInput(MULTI, report(1, 1), NOW);
            events.pipeInput(MULTI, outcome("r3", Result.FILTERED, "opt_out"), NOW);
            events.pipeInput(MULTI, outcome("r4", Result.ERROR, "template_error"), NOW); // before its report
            assertThat(herald.runSummaries().isEmpty()).as("partition 2 has not reported").isTrue();
            assertThat(herald.runStore().get(MULTI).getStatus()).isEqualTo(RunStatus.RUNNING);
            assertThat(herald.runStore().get(MULTI).getExpected()).isEqualTo(3);

            events.pipeInput(MULTI, report(2, 1), NOW.plusSeconds(1));

            RunSummary run = herald.runSummaries().readValue();
            assertThat(run.getStatus()).isEqualTo(RunStatus.COMPLETED);
            assertThat(run.getExpected()).isEqualTo(4);
            assertThat(run.getReportedPartitions()).containsExactlyInAnyOrder(0, 1, 2);
            assertThat(run.getPush().getSuccess()).isEqualTo(2);
            assertThat(run.getPush().getFiltered()).isEqualTo(1);
            assertThat(run.getPush().getError()).isEqualTo(1);
            assertThat(run.getStartedAt()).isEqualTo(NOW);
            assertThat(run.getCompletedAt()).isEqualTo(NOW.plusSeconds(1));
            assertThat(herald.runSummaries().isEmpty()).as("completion is emitted once").isTrue();
        }
    }

    @Test
    void eventsThatWouldMiscountARunAreDeadLetteredNotCounted() {
        try (HeraldTestDriver herald = HeraldTestDriver.start(NOW)) {
            var events = herald.runEvents();
            events.pipeInput(MULTI, report(0, 1), NOW);
            events.pipeInput(MULTI, report(0, 1), NOW); // partition 0 again
            events.pipeInput(MULTI, report(1, 0), NOW);
            events.pipeInput(MULTI, outcome("r1", Result.SUCCESS, null), NOW);
            events.pipeInput(MULTI, report(2, 0), NOW);
            assertThat(herald.runSummaries().readValuesToList()).hasSize(1);

            events.pipeInput(MULTI, outcome("r9", Result.SUCCESS, null), NOW); // after completion

            assertThat(herald.runSummaries().isEmpty()).isTrue();
            assertThat(herald.runStore().get(MULTI).getExpected()).isEqualTo(1);
            assertThat(herald.runStore().get(MULTI).getPush().getSuccess()).isEqualTo(1);
            List<DeadLetter> dead = herald.deadLetters().readValuesToList();
            assertThat(dead).hasSize(2).allSatisfy(d -> assertThat(d.getProcessorNode()).isEqualTo("run-ledger"));
            assertThat(dead.get(0).getErrorMessage()).contains("partition 0 reported after its final report");
            assertThat(dead.get(1).getErrorMessage()).contains("already COMPLETED");
        }
    }

    private static RunEvent report(int partition, long deliveries) {
        return new RunEvent(FanoutReport.newBuilder().setRunId(MULTI).setCampaignId("multi").setPartition(partition)
                .setPartitionCount(3).setDeliveries(deliveries).build());
    }

    private static RunEvent outcome(String recipient, Result result, String reason) {
        return new RunEvent(Outcome.newBuilder().setCampaignId("multi").setRunId(MULTI).setRecipientId(recipient)
                .setChannel(Channel.PUSH).setResult(result).setReason(reason)
                .setMessages(result == Result.SUCCESS ? 1 : 0).build());
    }

    private static Map<Instant, Summary> windows(WindowStore<String, ValueAndTimestamp<Summary>> store, String id) {
        Map<Instant, Summary> byStart = new TreeMap<>();
        try (WindowStoreIterator<ValueAndTimestamp<Summary>> it =
                     store.fetch(id, Instant.parse("2026-05-01T00:00:00Z"), Instant.parse("2026-05-02T00:00:00Z"))) {
            it.forEachRemaining(kv -> byStart.put(Instant.ofEpochMilli(kv.key), kv.value.value()));
        }
        return byStart;
    }
}

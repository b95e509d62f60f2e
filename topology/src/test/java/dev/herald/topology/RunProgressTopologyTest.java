package dev.herald.topology;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.herald.avro.Channel;
import dev.herald.avro.DeadLetter;
import dev.herald.avro.FanoutReport;
import dev.herald.avro.FanoutState;
import dev.herald.avro.Outcome;
import dev.herald.avro.Result;
import dev.herald.avro.RunEvent;
import dev.herald.avro.RunState;
import dev.herald.avro.RunStatus;
import dev.herald.avro.RunSummary;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The run ledger follows partitions' progress reports: estimates from the start, PAUSED, CANCELLED, the rate. */
class RunProgressTopologyTest {
    private static final Instant NOW = Instant.parse("2026-05-01T10:00:30Z");
    private static final String RUN = "multi@2026-05-01T10:00:00Z";

    @Test
    void expectedIsEstimatedFromTheFirstReportOfEveryPartition() {
        try (HeraldTestDriver herald = HeraldTestDriver.start(NOW)) {
            for (int p = 0; p < 3; p++) {
                herald.runEvents().pipeInput(RUN, report(p, FanoutState.RUNNING, 0, 4, 0), NOW);
            }
            herald.runEvents().pipeInput(RUN, outcome("r1"), NOW);

            RunSummary run = herald.runStore().get(RUN);
            assertThat(run.getState()).isEqualTo(RunState.RUNNING);
            assertThat(run.getEstimate()).isEqualTo(12);
            assertThat(run.getExpected()).as("no partition has finished").isZero();
            assertThat(run.getPartitions()).containsOnlyKeys("0", "1", "2");

            herald.runEvents().pipeInput(RUN, report(0, FanoutState.DONE, 3, 0, 0), NOW);
            run = herald.runStore().get(RUN);
            assertThat(run.getExpected()).isEqualTo(3);
            assertThat(run.getEstimate()).as("3 produced by partition 0, 4 + 4 still expected").isEqualTo(11);
        }
    }

    @Test
    void runIsPausedOnlyWhileEveryPartitionStillFanningOutIsPaused() {
        try (HeraldTestDriver herald = HeraldTestDriver.start(NOW)) {
            for (int p = 0; p < 3; p++) {
                herald.runEvents().pipeInput(RUN, report(p, FanoutState.RUNNING, 0, 2, 0), NOW);
            }
            herald.runEvents().pipeInput(RUN, report(0, FanoutState.PAUSED, 0, 2, 0), NOW);
            herald.runEvents().pipeInput(RUN, report(1, FanoutState.PAUSED, 0, 2, 0), NOW);
            assertThat(herald.runStore().get(RUN).getState()).isEqualTo(RunState.RUNNING);

            herald.runEvents().pipeInput(RUN, report(2, FanoutState.DONE, 0, 0, 0), NOW.plusSeconds(1));
            RunSummary paused = herald.runStore().get(RUN);
            assertThat(paused.getState()).isEqualTo(RunState.PAUSED);
            assertThat(paused.getStatus()).isEqualTo(RunStatus.RUNNING);
            assertThat(paused.getPausedAt()).isEqualTo(NOW.plusSeconds(1));

            herald.runEvents().pipeInput(RUN, report(0, FanoutState.RUNNING, 0, 2, 0), NOW.plusSeconds(2));
            RunSummary resumed = herald.runStore().get(RUN);
            assertThat(resumed.getState()).isEqualTo(RunState.RUNNING);
            assertThat(resumed.getPausedAt()).isNull();
        }
    }

    @Test
    void cancelledRunCompletesOnceAsCancelledWithTheRestNotSent() {
        try (HeraldTestDriver herald = HeraldTestDriver.start(NOW)) {
            herald.runEvents().pipeInput(RUN, report(0, FanoutState.DONE, 2, 0, 0), NOW);
            herald.runEvents().pipeInput(RUN, report(1, FanoutState.CANCELLED, 1, 1, 3), NOW.plusSeconds(1));
            herald.runEvents().pipeInput(RUN, report(2, FanoutState.CANCELLED, 0, 0, 4), NOW.plusSeconds(2));
            for (String id : List.of("a", "b", "c")) {
                herald.runEvents().pipeInput(RUN, outcome(id), NOW.plusSeconds(3));
            }

            List<RunSummary> completed = herald.runSummaries().readValuesToList();
            assertThat(completed).singleElement().satisfies(run -> {
                assertThat(run.getStatus()).as("complete, for readers of the two-symbol status").isEqualTo(RunStatus.COMPLETED);
                assertThat(run.getState()).isEqualTo(RunState.CANCELLED);
                assertThat(run.getExpected()).isEqualTo(3);
                assertThat(run.getNotSent()).isEqualTo(7);
                assertThat(run.getReasons()).isEqualTo(Map.of(Reasons.CANCELLED, 7L));
                assertThat(run.getCancelledAt()).isEqualTo(NOW.plusSeconds(1));
                assertThat(run.getCompletedAt()).isEqualTo(NOW.plusSeconds(3));
            });

            herald.runEvents().pipeInput(RUN, outcome("late"), NOW.plusSeconds(4));
            assertThat(herald.runSummaries().isEmpty()).isTrue();
            List<DeadLetter> dead = herald.deadLetters().readValuesToList();
            assertThat(dead).singleElement()
                    .satisfies(d -> assertThat(d.getErrorMessage()).contains("already CANCELLED"));
        }
    }

    @Test
    void rateIsMeasuredOverWindowsOfAtLeastFiveSeconds() {
        try (HeraldTestDriver herald = HeraldTestDriver.start(NOW)) {
            herald.runEvents().pipeInput(RUN, report(0, FanoutState.RUNNING, 0, 100, 0), NOW);
            for (int i = 0; i < 10; i++) {
                herald.runEvents().pipeInput(RUN, outcome("r" + i), NOW.plusSeconds(2));
            }
            assertThat(herald.runStore().get(RUN).getRatePerSecond()).as("no window has passed").isZero();

            for (int i = 10; i < 40; i++) {
                herald.runEvents().pipeInput(RUN, outcome("r" + i), NOW.plusSeconds(6));
            }
            // The window closes at the first outcome at +6 s: 11 counted in 6 s.
            assertThat(herald.runStore().get(RUN).getRatePerSecond()).isCloseTo(11 / 6.0, within(1e-9));
        }
    }

    private static RunEvent report(int partition, FanoutState state, long deliveries, long estimate, long notSent) {
        return new RunEvent(FanoutReport.newBuilder().setRunId(RUN).setCampaignId("multi").setPartition(partition)
                .setPartitionCount(3).setDeliveries(deliveries).setState(state).setEstimate(estimate)
                .setNotSent(notSent).build());
    }

    private static RunEvent outcome(String recipient) {
        return new RunEvent(Outcome.newBuilder().setCampaignId("multi").setRunId(RUN).setRecipientId(recipient)
                .setChannel(Channel.PUSH).setResult(Result.SUCCESS).setMessages(1).build());
    }
}

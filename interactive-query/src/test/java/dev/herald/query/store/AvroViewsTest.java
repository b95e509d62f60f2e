package dev.herald.query.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.herald.avro.ChannelCounts;
import dev.herald.avro.FanoutState;
import dev.herald.avro.PartitionProgress;
import dev.herald.avro.RunState;
import dev.herald.avro.RunStatus;
import dev.herald.avro.RunSummary;
import dev.herald.serdes.AvroTrust;
import dev.herald.query.model.RunProgress;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A run summary as the API shows it: progress from the first reports, pauses, cancels, and runs of older versions. */
class AvroViewsTest {
    static {
        // Builders copy nested records by class name, which Avro allows only for trusted packages; no serde here does it.
        AvroTrust.trustPackageOf(RunSummary.class);
    }

    private static final String RUN_ID = "sale@2026-05-01T10:00:00Z";
    private static final Instant STARTED = Instant.parse("2026-05-01T10:00:01Z");
    private static final Instant UPDATED = Instant.parse("2026-05-01T10:00:11Z");

    @Test
    void percentIsKnownOnceEveryPartitionHasReportedItsShareBeforeAnyHasFinished() {
        RunSummary run = run(RunState.RUNNING, 250)
                .setPartitionCount(2)
                .setPartitions(Map.of(
                        "0", progress(FanoutState.RUNNING, 600, 300, 200, 400),
                        "1", progress(FanoutState.RUNNING, 500, 100, 50, 600)))
                .setEstimate(1000)
                .setRatePerSecond(50.0)
                .setMessagesPerSecond(100)
                .build();

        RunProgress view = AvroViews.run(run);

        assertThat(view.status()).isEqualTo("RUNNING");
        assertThat(view.complete()).isFalse();
        assertThat(view.partitionsReported()).as("none finished").isZero();
        assertThat(view.expected()).as("the estimate").isEqualTo(1000);
        assertThat(view.expectedFinal()).isFalse();
        assertThat(view.counted()).isEqualTo(250);
        assertThat(view.percent()).isEqualTo(25.0);
        assertThat(view.messagesPerSecond()).isEqualTo(100);
        assertThat(view.ratePerSecond()).isEqualTo(50.0);
        // 750 deliveries to go at 50 a second: 15 s after the summary was last updated.
        assertThat(view.eta()).isEqualTo(UPDATED.plusSeconds(15));
        assertThat(view.partitionsPaused()).isZero();
        assertThat(view.pausedAt()).isNull();
    }

    @Test
    void untilEveryPartitionHasReportedTheTotalIsNotKnown() {
        RunSummary run = run(RunState.RUNNING, 100)
                .setPartitionCount(2)
                .setPartitions(Map.of("0", progress(FanoutState.RUNNING, 600, 300, 200, 400)))
                .setEstimate(400)
                .setRatePerSecond(50.0)
                .build();

        RunProgress view = AvroViews.run(run);

        assertThat(view.expected()).as("the final counts reported so far").isZero();
        assertThat(view.percent()).isNull();
        assertThat(view.eta()).as("no total to reach").isNull();
    }

    @Test
    void theEstimateNeverShowsLessThanWhatIsCountedAndPercentStaysBelowAHundredUntilComplete() {
        RunSummary run = run(RunState.RUNNING, 1200)
                .setPartitionCount(1)
                .setPartitions(Map.of("0", progress(FanoutState.RUNNING, 2000, 1900, 1200, 1100)))
                .setEstimate(1100)
                .build();

        RunProgress view = AvroViews.run(run);

        assertThat(view.expected()).isEqualTo(1200);
        assertThat(view.percent()).isEqualTo(99.9);
        assertThat(view.ratePerSecond()).as("0 is not known yet").isNull();
        assertThat(view.eta()).isNull();
    }

    @Test
    void aPausedRunSaysSinceWhenAndHasNoEta() {
        Instant pausedAt = Instant.parse("2026-05-01T10:00:09Z");
        RunSummary run = run(RunState.PAUSED, 300)
                .setPartitionCount(3)
                .setReportedPartitions(List.of(2))
                .setExpected(100)
                .setPartitions(Map.of(
                        "0", progress(FanoutState.PAUSED, 600, 300, 120, 240),
                        "1", progress(FanoutState.PAUSED, 500, 200, 80, 200),
                        "2", progress(FanoutState.DONE, 300, 300, 100, 100)))
                .setEstimate(540)
                .setRatePerSecond(12.5)
                .setPausedAt(pausedAt)
                .build();

        RunProgress view = AvroViews.run(run);

        assertThat(view.status()).isEqualTo("PAUSED");
        assertThat(view.complete()).isFalse();
        assertThat(view.pausedAt()).isEqualTo(pausedAt);
        assertThat(view.partitionsPaused()).isEqualTo(2);
        assertThat(view.partitionsReported()).isEqualTo(1);
        assertThat(view.expected()).isEqualTo(540);
        assertThat(view.percent()).isEqualTo(55.5);
        assertThat(view.eta()).as("not moving").isNull();
    }

    @Test
    void aDeliveredRunShowsItsReceiptsNextToItsOutcomes() {
        Instant deliveredAt = Instant.parse("2026-05-01T10:00:20Z");
        RunSummary run = run(RunState.DELIVERED, 3)
                .setPartitionCount(1)
                .setReportedPartitions(List.of(0))
                .setExpected(3)
                .setPush(ChannelCounts.newBuilder().setSuccess(3).setMessages(4).setDelivered(2).setRejectedTarget(1)
                        .setFailed(1).setRetries(2).build())
                .setCompletedAt(UPDATED)
                .setDeliveredAt(deliveredAt)
                .build();

        RunProgress view = AvroViews.run(run);

        assertThat(view.status()).isEqualTo("DELIVERED");
        assertThat(view.complete()).isTrue();
        assertThat(view.receipted()).isEqualTo(4);
        assertThat(view.deliveredAt()).isEqualTo(deliveredAt);
        assertThat(view.push().delivered()).isEqualTo(2);
        assertThat(view.push().rejectedTarget()).isEqualTo(1);
        assertThat(view.push().failed()).isEqualTo(1);
        assertThat(view.push().retries()).isEqualTo(2);
    }

    @Test
    void aCancelledRunIsCompleteWithWhatWasNotSent() {
        Instant cancelledAt = Instant.parse("2026-05-01T10:00:10Z");
        RunSummary run = run(RunState.CANCELLED, 320)
                .setPartitionCount(2)
                .setReportedPartitions(List.of(0, 1))
                .setExpected(320)
                .setPartitions(Map.of(
                        "0", progress(FanoutState.CANCELLED, 600, 300, 200, 400),
                        "1", progress(FanoutState.CANCELLED, 500, 200, 120, 300)))
                .setEstimate(320)
                .setNotSent(380)
                .setReasons(new HashMap<>(Map.of("cancelled", 380L)))
                .setRatePerSecond(40.0)
                .setCancelledAt(cancelledAt)
                .setCompletedAt(UPDATED)
                .build();

        RunProgress view = AvroViews.run(run);

        assertThat(view.status()).isEqualTo("CANCELLED");
        assertThat(view.complete()).isTrue();
        assertThat(view.expectedFinal()).isTrue();
        assertThat(view.expected()).isEqualTo(320);
        assertThat(view.percent()).isEqualTo(100.0);
        assertThat(view.notSent()).isEqualTo(380);
        assertThat(view.reasons()).containsEntry("cancelled", 380L);
        assertThat(view.cancelledAt()).isEqualTo(cancelledAt);
        assertThat(view.completedAt()).isEqualTo(UPDATED);
        assertThat(view.eta()).isNull();
    }

    @Test
    void aRunOfAnOlderVersionWithoutProgressKeepsPercentUnknownUntilEveryPartitionHasReported() {
        RunSummary running = run(RunState.RUNNING, 2)
                .setPartitionCount(3)
                .setReportedPartitions(List.of(0, 1))
                .setExpected(3)
                .build();
        RunSummary allReported = RunSummary.newBuilder(running).setReportedPartitions(List.of(0, 1, 2)).build();
        RunSummary completed = RunSummary.newBuilder(allReported).setStatus(RunStatus.COMPLETED)
                .setPush(counts(3)).setCompletedAt(UPDATED).build();

        RunProgress before = AvroViews.run(running);
        RunProgress after = AvroViews.run(allReported);
        RunProgress done = AvroViews.run(completed);

        assertThat(before.expected()).isEqualTo(3);
        assertThat(before.expectedFinal()).isFalse();
        assertThat(before.percent()).isNull();
        assertThat(before.eta()).isNull();
        assertThat(after.expectedFinal()).isTrue();
        assertThat(after.percent()).isEqualTo(66.6);
        assertThat(done.complete()).isTrue();
        assertThat(done.percent()).isEqualTo(100.0);
        assertThat(done.messagesPerSecond()).isNull();
        assertThat(done.ratePerSecond()).isNull();
        assertThat(done.notSent()).isZero();
    }

    /** A run in {@code state}, its two-symbol status as the ledger writes it. */
    private static RunSummary.Builder run(RunState state, long counted) {
        boolean complete = state == RunState.CANCELLED || state == RunState.COMPLETED || state == RunState.DELIVERED;
        return RunSummary.newBuilder()
                .setRunId(RUN_ID)
                .setCampaignId("sale")
                .setStatus(complete ? RunStatus.COMPLETED : RunStatus.RUNNING)
                .setState(state)
                .setPush(counts(counted))
                .setMail(counts(0))
                .setStartedAt(STARTED)
                .setUpdatedAt(UPDATED);
    }

    private static ChannelCounts counts(long success) {
        return ChannelCounts.newBuilder().setSuccess(success).setMessages(success).build();
    }

    private static PartitionProgress progress(FanoutState state, long candidates, long scanned, long deliveries,
            long estimate) {
        return PartitionProgress.newBuilder().setState(state).setCandidates(candidates).setScanned(scanned)
                .setDeliveries(deliveries).setEstimate(estimate).build();
    }
}

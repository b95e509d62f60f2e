package dev.herald.topology.summary;

import static org.assertj.core.api.Assertions.assertThat;

import dev.herald.avro.ChannelCounts;
import dev.herald.avro.RunStatus;
import dev.herald.avro.RunSummary;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A run is complete once every partition reported and the outcomes counted add up to the deliveries reported. */
class RunCompletionTest {
    private static final Instant AT = Instant.parse("2026-05-01T09:00:00Z");

    @Test
    void completeWhenEveryPartitionReportedAndEveryDeliveryIsCounted() {
        RunSummary run = run(2, List.of(0, 1), 5, counts(2, 1, 0, 0), counts(1, 0, 1, 0));

        assertThat(RunCompletion.counted(run)).isEqualTo(5);
        assertThat(RunCompletion.allPartitionsReported(run)).isTrue();
        assertThat(RunCompletion.isComplete(run)).isTrue();
    }

    @Test
    void notCompleteWhileAPartitionHasNotReported() {
        RunSummary run = run(2, List.of(1), 3, counts(3, 0, 0, 0), counts(0, 0, 0, 0));

        assertThat(RunCompletion.allPartitionsReported(run)).isFalse();
        assertThat(RunCompletion.isComplete(run)).isFalse();
    }

    @Test
    void notCompleteWhileOutcomesAreOutstanding() {
        RunSummary run = run(2, List.of(0, 1), 5, counts(2, 0, 0, 1), counts(1, 0, 0, 0));

        assertThat(RunCompletion.allPartitionsReported(run)).isTrue();
        assertThat(RunCompletion.isComplete(run)).isFalse();
    }

    @Test
    void notCompleteBeforeAnyReportEvenWithNothingExpected() {
        RunSummary run = run(0, List.of(), 0, counts(0, 0, 0, 0), counts(0, 0, 0, 0));

        assertThat(RunCompletion.allPartitionsReported(run)).isFalse();
        assertThat(RunCompletion.isComplete(run)).isFalse();
    }

    @Test
    void anEmptyRunIsCompleteOnceEveryPartitionReportedNothing() {
        RunSummary run = run(3, List.of(2, 0, 1), 0, counts(0, 0, 0, 0), counts(0, 0, 0, 0));

        assertThat(RunCompletion.isComplete(run)).isTrue();
    }

    private static RunSummary run(int partitionCount, List<Integer> reported, long expected, ChannelCounts push,
            ChannelCounts mail) {
        return RunSummary.newBuilder()
                .setRunId("c@" + AT)
                .setCampaignId("c")
                .setStatus(RunStatus.RUNNING)
                .setPartitionCount(partitionCount)
                .setReportedPartitions(reported)
                .setExpected(expected)
                .setPush(push)
                .setMail(mail)
                .setStartedAt(AT)
                .setUpdatedAt(AT)
                .build();
    }

    private static ChannelCounts counts(long success, long error, long missing, long filtered) {
        return ChannelCounts.newBuilder()
                .setSuccess(success).setError(error).setMissing(missing).setFiltered(filtered).build();
    }
}

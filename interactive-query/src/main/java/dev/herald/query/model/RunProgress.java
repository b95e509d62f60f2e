package dev.herald.query.model;

import java.time.Instant;
import java.util.Comparator;
import java.util.Map;

/**
 * Progress of one run, known from the start: every partition counts its share of the audience when the run starts
 * there and reports as it goes, so once each has reported {@code expected} is an estimate of the run's deliveries
 * and {@code percent} is known; the estimate is exact ({@code expectedFinal}) once every partition has finished.
 * Runs written before partitions reported progress keep {@code percent} null until every partition has reported.
 *
 * @param status RUNNING, PAUSED, CANCELLED, COMPLETED or DELIVERED; the last three are final (a COMPLETED run becomes
 *     DELIVERED once every outbox message it produced has a final receipt from a sender)
 * @param expected the run's deliveries: exact when {@code expectedFinal}, an estimate before
 * @param expectedFinal every partition has finished (done or cancelled), so {@code expected} will not change
 * @param percent counted of expected, rounded down to a tenth and below 100 until the run is complete; null while
 *     not every partition has reported (the total is not known yet)
 * @param notSent deliveries not produced because the run was cancelled (also under reason {@code cancelled})
 * @param partitionsReported partitions that have finished (done or cancelled)
 * @param partitionsPaused partitions whose latest report says they are paused
 * @param complete COMPLETED or CANCELLED: nothing more will be counted
 * @param messagesPerSecond the campaign's rate limit in force for the run; null when it has none
 * @param ratePerSecond deliveries counted per second over the last few seconds; null until known
 * @param eta when the run should be complete at the current rate: only while RUNNING with a known rate and total
 * @param pausedAt since when the run is PAUSED; null otherwise
 * @param cancelledAt when the run was cancelled; null otherwise
 * @param receipted outbox messages with a final receipt (delivered, failed or rejected target), of push.messages +
 *     mail.messages: the delivery progress, next to {@code counted} for rendering
 * @param deliveredAt when the last message got its final receipt (status DELIVERED); null otherwise
 */
public record RunProgress(String runId, String campaignId, Instant scheduledFor, String status, long expected,
        boolean expectedFinal, long counted, Double percent, long notSent, int partitionsReported,
        int partitionCount, int partitionsPaused, boolean complete, ChannelTotals push, ChannelTotals mail,
        Map<String, Long> reasons, Integer messagesPerSecond, Double ratePerSecond, Instant eta, Instant startedAt,
        Instant updatedAt, Instant pausedAt, Instant cancelledAt, Instant completedAt, long receipted,
        Instant deliveredAt) {

    /** The order of runs in every answer: by scheduled time (runs without one last), then run id. */
    public static final Comparator<RunProgress> ORDER = Comparator
            .comparing(RunProgress::scheduledFor, Comparator.nullsLast(Comparator.naturalOrder()))
            .thenComparing(RunProgress::runId);
}

package dev.herald.query.model;

import java.time.Instant;
import java.util.Comparator;
import java.util.Map;

/** Progress of one run; percent is null until every partition has reported, as the total is not final before. */
public record RunProgress(String runId, String campaignId, Instant scheduledFor, String status, long expected,
        long counted, Double percent, int partitionsReported, int partitionCount, boolean complete,
        ChannelTotals push, ChannelTotals mail, Map<String, Long> reasons, Instant startedAt, Instant updatedAt,
        Instant completedAt) {

    /** The order of runs in every answer: by scheduled time (runs without one last), then run id. */
    public static final Comparator<RunProgress> ORDER = Comparator
            .comparing(RunProgress::scheduledFor, Comparator.nullsLast(Comparator.naturalOrder()))
            .thenComparing(RunProgress::runId);
}

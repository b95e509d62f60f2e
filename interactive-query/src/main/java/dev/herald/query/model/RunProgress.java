package dev.herald.query.model;

import java.time.Instant;
import java.util.Map;

/** Progress of one run; percent is null until every partition has reported, as the total is not final before. */
public record RunProgress(String runId, String campaignId, Instant scheduledFor, String status, long expected,
        long counted, Double percent, int partitionsReported, int partitionCount, boolean complete,
        ChannelTotals push, ChannelTotals mail, Map<String, Long> reasons, Instant startedAt, Instant updatedAt,
        Instant completedAt) {
}

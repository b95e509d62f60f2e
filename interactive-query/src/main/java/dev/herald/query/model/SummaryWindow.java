package dev.herald.query.model;

import java.time.Instant;
import java.util.Map;

/** The counts of one campaign in one tumbling window [start, end). */
public record SummaryWindow(Instant start, Instant end, ChannelTotals push, ChannelTotals mail,
        Map<String, Long> reasons) {
}

package dev.herald.query.model;

import java.time.Instant;
import java.util.List;

/** Counts of every campaign over a range (hourly windows overlapping it) and their grand totals, gathered. */
public record SummaryOverview(Instant from, Instant to, Granularity window, List<CampaignTotals> campaigns,
        Totals totals, boolean partial, List<String> missing, List<String> servedBy)
        implements GatheredAnswer {
}

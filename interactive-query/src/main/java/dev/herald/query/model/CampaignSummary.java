package dev.herald.query.model;

import java.time.Instant;
import java.util.List;

/** A campaign's counts in every window of one size overlapping [from, to], oldest first, with their totals. */
public record CampaignSummary(String campaignId, Granularity window, Instant from, Instant to,
        List<SummaryWindow> windows, Totals totals) {
}

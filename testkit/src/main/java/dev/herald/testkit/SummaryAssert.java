package dev.herald.testkit;

import dev.herald.query.model.CampaignSummary;
import dev.herald.query.model.ChannelTotals;
import dev.herald.topology.Reasons.OutcomeReason;
import org.assertj.core.api.AbstractAssert;

/** Checks on a campaign's summary as {@code GET /api/campaigns/{id}/summary} shows it: totals and windows. */
public final class SummaryAssert extends AbstractAssert<SummaryAssert, CampaignSummary> {

    SummaryAssert(CampaignSummary summary) {
        super(summary, SummaryAssert.class);
    }

    /** Push deliveries by result, over every window. */
    public SummaryAssert withPush(long success, long error, long missing, long filtered) {
        return channel("push", actual.totals().push(), success, error, missing, filtered);
    }

    /** Mail deliveries by result, over every window. */
    public SummaryAssert withMail(long success, long error, long missing, long filtered) {
        return channel("mail", actual.totals().mail(), success, error, missing, filtered);
    }

    public SummaryAssert withReason(String reason, long count) {
        long was = actual.totals().reasons().getOrDefault(reason, 0L);
        if (was != count) {
            failWithMessage("%s", "summary of " + actual.campaignId() + ": expected " + count + " × " + reason
                    + " but was " + was + " (all reasons: " + actual.totals().reasons() + ")");
        }
        return this;
    }

    public SummaryAssert withReason(OutcomeReason reason, long count) {
        return withReason(reason.wire(), count);
    }

    /** How many windows of the summary's size hold outcomes. */
    public SummaryAssert hasWindows(int count) {
        if (actual.windows().size() != count) {
            failWithMessage("%s", "summary of " + actual.campaignId() + ": expected " + count + " "
                    + actual.window().label() + " window(s) but there were " + actual.windows().size() + ": "
                    + actual.windows().stream().map(w -> w.start().toString()).toList());
        }
        return this;
    }

    private SummaryAssert channel(String name, ChannelTotals was, long success, long error, long missing,
            long filtered) {
        if (was.success() != success || was.error() != error || was.missing() != missing
                || was.filtered() != filtered) {
            failWithMessage("%s", "summary of " + actual.campaignId() + ": expected " + name + " "
                    + Describe.counts(success, error, missing, filtered) + " but was " + Describe.counts(was));
        }
        return this;
    }
}

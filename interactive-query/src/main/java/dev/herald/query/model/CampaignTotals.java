package dev.herald.query.model;

import java.util.Map;

/** One campaign's counts summed over the hourly windows of a range, as /api/summary lists them. */
public record CampaignTotals(String campaignId, ChannelTotals push, ChannelTotals mail, Map<String, Long> reasons) {

    public CampaignTotals plus(CampaignTotals other) {
        return new CampaignTotals(campaignId, push.plus(other.push), mail.plus(other.mail),
                Totals.sum(reasons, other.reasons));
    }
}

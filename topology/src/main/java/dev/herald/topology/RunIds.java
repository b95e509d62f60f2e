package dev.herald.topology;

import java.time.Instant;
import java.util.regex.Pattern;

/** Run ids are '<campaignId>@<scheduledFor>', so a duplicate tick is the same run and a campaign's runs share a prefix. */
public final class RunIds {
    private static final Pattern CAMPAIGN_ID = Pattern.compile("[A-Za-z0-9._-]{1,200}");

    private RunIds() {
    }

    public static String of(String campaignId, Instant scheduledFor) {
        return campaignId + "@" + scheduledFor;
    }

    /** The store-key prefix shared by every run of a campaign. */
    public static String prefixOf(String campaignId) {
        return campaignId + "@";
    }

    public static boolean isValidCampaignId(String id) {
        return id != null && CAMPAIGN_ID.matcher(id).matches();
    }
}

package dev.herald.topology;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Run ids are '&lt;campaignId&gt;@&lt;scheduledFor&gt;', so a duplicate tick is the same run and a campaign's runs share
 * a prefix. The one place that builds them and reads them back.
 */
public final class RunIds {
    private static final Pattern CAMPAIGN_ID = Pattern.compile("[A-Za-z0-9._-]{1,200}");
    private static final char SEPARATOR = '@';

    /** A run id taken apart: the campaign it runs and the slot it was scheduled for. */
    public record RunId(String campaignId, Instant scheduledFor) {
        public RunId {
            Objects.requireNonNull(campaignId, "campaignId");
            Objects.requireNonNull(scheduledFor, "scheduledFor");
        }

        /** The run id these parts make. */
        public String id() {
            return RunIds.of(campaignId, scheduledFor);
        }
    }

    private RunIds() {
    }

    public static String of(String campaignId, Instant scheduledFor) {
        return campaignId + SEPARATOR + scheduledFor;
    }

    /**
     * The run id's parts, or empty when it is not one {@link #of} could have built: a valid campaign id, '@', and an
     * instant in its canonical ISO-8601 form. Campaign ids cannot hold '@', so the first '@' separates.
     */
    public static Optional<RunId> parse(String runId) {
        if (runId == null) {
            return Optional.empty();
        }
        int at = runId.indexOf(SEPARATOR);
        if (at < 0) {
            return Optional.empty();
        }
        String campaignId = runId.substring(0, at);
        if (!isValidCampaignId(campaignId)) {
            return Optional.empty();
        }
        Instant scheduledFor;
        try {
            scheduledFor = Instant.parse(runId.substring(at + 1));
        } catch (DateTimeParseException e) {
            return Optional.empty();
        }
        // Instant.parse also reads non-canonical forms (e.g. "...00.000Z"); a run id has exactly one spelling.
        return of(campaignId, scheduledFor).equals(runId)
                ? Optional.of(new RunId(campaignId, scheduledFor))
                : Optional.empty();
    }

    /** The store-key prefix shared by every run of a campaign. */
    public static String prefixOf(String campaignId) {
        return campaignId + SEPARATOR;
    }

    public static boolean isValidCampaignId(String id) {
        return id != null && CAMPAIGN_ID.matcher(id).matches();
    }
}

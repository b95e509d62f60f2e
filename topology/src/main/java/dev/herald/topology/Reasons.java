package dev.herald.topology;

/**
 * Every reason Herald reports, with its wire string. The strings are public (Outcome.reason, the "reasons" keys of
 * the JSON summaries, metric tags), so a constant may be added but its string never changed.
 */
public final class Reasons {

    private Reasons() {
    }

    /** Why a delivery did not succeed: Outcome.reason and the keys of the summaries' reason tallies. */
    public enum OutcomeReason {
        /** Listed by id in the audience but not in the recipients table (MISSING). */
        UNKNOWN_RECIPIENT("unknown_recipient"),
        /** The recipient opted out of the channel (FILTERED). */
        OPT_OUT("opt_out"),
        /** Push delivery to a recipient without a usable device token (MISSING). */
        NO_PUSH_TOKEN("no_push_token"),
        /** Mail delivery to a recipient without an address (MISSING). */
        NO_EMAIL("no_email"),
        /** Mail delivery to an address that is plainly not one (ERROR). */
        INVALID_EMAIL("invalid_email"),
        /** Inside the campaign's quiet hours in the recipient's zone (FILTERED). */
        QUIET_HOURS("quiet_hours"),
        /** The campaign's quiet hours could not be read (ERROR). */
        INVALID_QUIET_HOURS("invalid_quiet_hours"),
        /** The campaign's template is missing or failed to render (ERROR). */
        TEMPLATE_ERROR("template_error"),
        /** The channel step failed unexpectedly; counted so the run can still complete (ERROR). */
        PROCESSING_ERROR("processing_error");

        private final String wire;

        OutcomeReason(String wire) {
            this.wire = wire;
        }

        /** The string written to Outcome.reason and shown in summaries. */
        public String wire() {
            return wire;
        }
    }

    /** Deliveries a cancelled run did not produce: a key of a run's reasons, next to its notSent count. */
    public static final String CANCELLED = "cancelled";

    /** Why a tick does not start a run: the reason tag of the jobs-ticks-rejected metric. */
    public enum TickRejection {
        /** No campaign (or a deleted one) for the tick's key. */
        UNKNOWN_CAMPAIGN("unknown_campaign"),
        PAUSED("paused"),
        CANCELLED("cancelled"),
        DRAFT("draft"),
        /** Scheduled before the runs retention: its run may have been forgotten, so it must not start (again). */
        EXPIRED("expired");

        private final String wire;

        TickRejection(String wire) {
            this.wire = wire;
        }

        /** The string used as the metric's reason tag and in logs. */
        public String wire() {
            return wire;
        }
    }
}

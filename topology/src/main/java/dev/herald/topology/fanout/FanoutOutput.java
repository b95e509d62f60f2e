package dev.herald.topology.fanout;

import dev.herald.avro.Delivery;
import dev.herald.avro.FanoutReport;

/**
 * One record the fan-out emits: a delivery (to the channel branches), a partition's report (to the run ledger) or the
 * end of a fan-out step (to the outcome tallies, which forward what the step's deliveries added up to). Exactly one is
 * set. {@link FanoutProcessor} forwards each kind only to its own named child, so the children read their part
 * without testing or casting.
 */
public record FanoutOutput(Delivery delivery, FanoutReport report, StepEnd stepEnd) {

    /** The child node that receives deliveries, keyed by recipient id. */
    public static final String DELIVERIES = "fanout-deliveries";
    /** The child node that receives partition reports, keyed by run id. */
    public static final String REPORTS = "fanout-reports";
    /** The child node that receives the end of each step, keyed by run id. */
    public static final String STEP_ENDS = "fanout-step-ends";

    /** The end of a fan-out step of one run: every delivery of the step has been forwarded before it. */
    public record StepEnd(String runId) {
    }

    public FanoutOutput {
        int set = (delivery == null ? 0 : 1) + (report == null ? 0 : 1) + (stepEnd == null ? 0 : 1);
        if (set != 1) {
            throw new IllegalArgumentException("a fan-out output is either a delivery, a report or a step end");
        }
    }

    /** A delivery or a report. */
    public FanoutOutput(Delivery delivery, FanoutReport report) {
        this(delivery, report, null);
    }

    static FanoutOutput of(Delivery delivery) {
        return new FanoutOutput(delivery, null);
    }

    static FanoutOutput of(FanoutReport report) {
        return new FanoutOutput(null, report);
    }

    static FanoutOutput stepEnd(String runId) {
        return new FanoutOutput(null, null, new StepEnd(runId));
    }
}

package dev.herald.topology.fanout;

import dev.herald.avro.Delivery;
import dev.herald.avro.FanoutReport;

/**
 * One record the fan-out emits: a delivery (to the channel branches) or a partition's report (to the run ledger).
 * Exactly one is set. {@link FanoutProcessor} forwards each kind only to its own named child, so the children read
 * their half without testing or casting.
 */
public record FanoutOutput(Delivery delivery, FanoutReport report) {

    /** The child node that receives deliveries, keyed by recipient id. */
    public static final String DELIVERIES = "fanout-deliveries";
    /** The child node that receives partition reports, keyed by run id. */
    public static final String REPORTS = "fanout-reports";

    public FanoutOutput {
        if ((delivery == null) == (report == null)) {
            throw new IllegalArgumentException("a fan-out output is either a delivery or a report");
        }
    }

    static FanoutOutput of(Delivery delivery) {
        return new FanoutOutput(delivery, null);
    }

    static FanoutOutput of(FanoutReport report) {
        return new FanoutOutput(null, report);
    }
}

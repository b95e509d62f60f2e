package dev.herald.topology.fanout;

/**
 * Token bucket for one run on one partition: the campaign's messages-per-second shared evenly by the partitions,
 * with at most one second of burst. Kept in memory: after a restart a run resumes at its rate, not with a backlog.
 */
final class RateBudget {
    private final double perSecond;
    private final double burst;
    private double tokens;
    private long lastMs;

    /** {@code minBurst}: one recipient's deliveries must always fit, or a very low rate would never progress. */
    RateBudget(double perSecond, int minBurst, long nowMs) {
        this.perSecond = perSecond;
        this.burst = Math.max(perSecond, minBurst);
        this.tokens = 0;
        this.lastMs = nowMs;
    }

    static RateBudget unlimited(long nowMs) {
        return new RateBudget(Double.POSITIVE_INFINITY, 1, nowMs);
    }

    /** Deliveries that may be produced at {@code nowMs}. */
    long available(long nowMs) {
        if (Double.isInfinite(perSecond)) {
            return Long.MAX_VALUE;
        }
        if (nowMs > lastMs) {
            tokens = Math.min(burst, tokens + perSecond * (nowMs - lastMs) / 1000.0);
            lastMs = nowMs;
        }
        return (long) tokens;
    }

    void spend(long deliveries) {
        if (!Double.isInfinite(perSecond)) {
            tokens -= deliveries;
        }
    }
}

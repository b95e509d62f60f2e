package dev.herald.topology.fanout;

/**
 * Token bucket for one run on one partition: enforces the campaign's {@code limits.messagesPerSecond}.
 *
 * <p>The rule: the limit counts <em>deliveries</em> (one recipient on one channel of the run), not outbox messages.
 * Every delivery the fan-out emits spends one unit, including those that then end FILTERED, MISSING (an unknown
 * listed id too) or ERROR; a push delivery to a recipient with k distinct tokens spends one unit and sends k
 * messages, so the push outbox may see up to k times the limit. The limit is for the whole run: FanoutProcessor gives
 * each of the N recipients partitions messagesPerSecond / N, whether or not that partition holds any of the audience,
 * so an audience on fewer partitions goes slower than the limit, never faster. A bucket starts empty and holds at most
 * one second of its share (or one recipient's deliveries, if more). Kept in memory: after a restart a run resumes at
 * its rate, not with a backlog.
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

package dev.herald.query.model;

/**
 * One channel's deliveries by result, the outbox messages the successful ones produced, and what senders' receipts
 * said of those messages (delivered, failed, rejected target: final; retries: attempts that failed transiently).
 */
public record ChannelTotals(long success, long error, long missing, long filtered, long messages, long delivered,
        long failed, long rejectedTarget, long retries) {
    public static final ChannelTotals ZERO = new ChannelTotals(0, 0, 0, 0, 0, 0, 0, 0, 0);

    public ChannelTotals plus(ChannelTotals other) {
        return new ChannelTotals(success + other.success, error + other.error, missing + other.missing,
                filtered + other.filtered, messages + other.messages, delivered + other.delivered,
                failed + other.failed, rejectedTarget + other.rejectedTarget, retries + other.retries);
    }

    /** Deliveries counted in any result (messages are not deliveries: one push delivery may send several). */
    public long deliveries() {
        return success + error + missing + filtered;
    }
}

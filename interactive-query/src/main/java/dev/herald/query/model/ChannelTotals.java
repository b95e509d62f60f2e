package dev.herald.query.model;

/** One channel's deliveries by result, and the outbox messages the successful ones produced. */
public record ChannelTotals(long success, long error, long missing, long filtered, long messages) {
    public static final ChannelTotals ZERO = new ChannelTotals(0, 0, 0, 0, 0);

    public ChannelTotals plus(ChannelTotals other) {
        return new ChannelTotals(success + other.success, error + other.error, missing + other.missing,
                filtered + other.filtered, messages + other.messages);
    }

    /** Deliveries counted in any result (messages are not deliveries: one push delivery may send several). */
    public long deliveries() {
        return success + error + missing + filtered;
    }
}

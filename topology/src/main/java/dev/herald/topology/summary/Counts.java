package dev.herald.topology.summary;

import dev.herald.avro.Channel;
import dev.herald.avro.ChannelCounts;
import dev.herald.avro.Outcome;
import dev.herald.avro.Receipt;
import dev.herald.avro.ReceiptStatus;
import dev.herald.avro.Summary;
import java.util.Map;

/** Adds outcomes, or tallies of them, into the per-channel counts and reason tallies that Summary and RunSummary share. */
public final class Counts {
    private Counts() {
    }

    public static ChannelCounts empty() {
        return ChannelCounts.newBuilder().build();
    }

    public static void add(ChannelCounts push, ChannelCounts mail, Map<String, Long> reasons, Outcome outcome) {
        ChannelCounts counts = of(outcome.getChannel(), push, mail);
        switch (outcome.getResult()) {
            case SUCCESS -> counts.setSuccess(counts.getSuccess() + 1);
            case ERROR -> counts.setError(counts.getError() + 1);
            case MISSING -> counts.setMissing(counts.getMissing() + 1);
            case FILTERED -> counts.setFiltered(counts.getFiltered() + 1);
        }
        counts.setMessages(counts.getMessages() + outcome.getMessages());
        if (outcome.getReason() != null) {
            reasons.merge(outcome.getReason(), 1L, Long::sum);
        }
    }

    /** Adds a tally of outcomes (a partial summary of one run or one campaign window) into the counts. */
    public static void add(ChannelCounts push, ChannelCounts mail, Map<String, Long> reasons, Summary tally) {
        addCounts(push, tally.getPush());
        addCounts(mail, tally.getMail());
        tally.getReasons().forEach((reason, n) -> reasons.merge(reason, n, Long::sum));
    }

    private static void addCounts(ChannelCounts into, ChannelCounts from) {
        into.setSuccess(into.getSuccess() + from.getSuccess());
        into.setError(into.getError() + from.getError());
        into.setMissing(into.getMissing() + from.getMissing());
        into.setFiltered(into.getFiltered() + from.getFiltered());
        into.setMessages(into.getMessages() + from.getMessages());
        into.setDelivered(into.getDelivered() + from.getDelivered());
        into.setFailed(into.getFailed() + from.getFailed());
        into.setRejectedTarget(into.getRejectedTarget() + from.getRejectedTarget());
        into.setRetries(into.getRetries() + from.getRetries());
    }

    /**
     * Adds one sender's receipt into the counts of its channel. With {@code replacing}, the final receipt of a
     * replayed parked message replaces the FAILED one it had (a run counts each message once); without, it is one
     * more receipt (a minute counts what happened in it).
     */
    public static void add(ChannelCounts push, ChannelCounts mail, Receipt receipt, boolean replacing) {
        ChannelCounts counts = of(receipt.getChannel(), push, mail);
        if (replacing && receipt.getReplay() && receipt.getStatus() != ReceiptStatus.RETRYING) {
            counts.setFailed(counts.getFailed() - 1);
        }
        switch (receipt.getStatus()) {
            case DELIVERED -> counts.setDelivered(counts.getDelivered() + 1);
            case FAILED -> counts.setFailed(counts.getFailed() + 1);
            case REJECTED_TARGET -> counts.setRejectedTarget(counts.getRejectedTarget() + 1);
            case RETRYING -> counts.setRetries(counts.getRetries() + 1);
        }
    }

    /** Messages with a final receipt (delivered, failed or rejected target), over both channels. */
    public static long receipted(ChannelCounts push, ChannelCounts mail) {
        return finals(push) + finals(mail);
    }

    private static long finals(ChannelCounts c) {
        return c.getDelivered() + c.getFailed() + c.getRejectedTarget();
    }

    /** Whether a tally carries receipts only: no outcome of a delivery (so it may follow a run's completion). */
    public static boolean receiptsOnly(Summary tally) {
        return deliveries(tally.getPush(), tally.getMail()) == 0 && tally.getPush().getMessages() == 0
                && tally.getMail().getMessages() == 0;
    }

    /**
     * The counts a channel's outcomes go to. Exhaustive with no default, so a new Channel symbol fails compilation here
     * instead of being counted silently under another channel.
     */
    static ChannelCounts of(Channel channel, ChannelCounts push, ChannelCounts mail) {
        return switch (channel) {
            case PUSH -> push;
            case MAIL -> mail;
        };
    }

    /** Deliveries counted in every result of both channels. */
    public static long deliveries(ChannelCounts push, ChannelCounts mail) {
        return total(push) + total(mail);
    }

    private static long total(ChannelCounts c) {
        return c.getSuccess() + c.getError() + c.getMissing() + c.getFiltered();
    }
}

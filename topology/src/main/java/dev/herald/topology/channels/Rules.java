package dev.herald.topology.channels;

import dev.herald.avro.Channel;
import dev.herald.avro.Delivery;
import dev.herald.avro.Limits;
import dev.herald.avro.Outcome;
import dev.herald.avro.QuietHours;
import dev.herald.avro.Recipient;
import dev.herald.avro.Result;
import dev.herald.topology.Reasons.OutcomeReason;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The checks every channel runs before rendering, in the order that decides a delivery's outcome. */
final class Rules {

    private static final Logger log = LoggerFactory.getLogger(Rules.class);

    /** A rule that applied: the delivery ends here with this result and reason, and no message. */
    record Stop(Result result, OutcomeReason reason) {
    }

    private Rules() {
    }

    static void requireChannel(Delivery delivery, Channel channel) {
        Objects.requireNonNull(delivery, "delivery");
        if (delivery.getChannel() != channel) {
            // A mis-wired split would otherwise produce outcomes counted under the wrong channel.
            throw new IllegalArgumentException("a " + delivery.getChannel() + " delivery reached the " + channel
                    + " renderer (run " + delivery.getRunId() + ", recipient " + delivery.getRecipientId() + ")");
        }
    }

    /**
     * The first rule that stops the delivery, or empty when it should be rendered.
     *
     * @param contactRule the channel's own check that the recipient can be reached on it
     */
    static Optional<Stop> check(Delivery delivery, Instant at, Function<Recipient, Optional<Stop>> contactRule) {
        Objects.requireNonNull(at, "at");
        Recipient recipient = delivery.getRecipient();
        if (recipient == null) {
            return stop(Result.MISSING, OutcomeReason.UNKNOWN_RECIPIENT);
        }
        List<Channel> optOuts = recipient.getOptOuts();
        if (optOuts != null && optOuts.contains(delivery.getChannel())) {
            return stop(Result.FILTERED, OutcomeReason.OPT_OUT);
        }
        Optional<Stop> contact = contactRule.apply(recipient);
        if (contact.isPresent()) {
            return contact;
        }
        return quietHours(delivery, recipient, at);
    }

    static Optional<Stop> stop(Result result, OutcomeReason reason) {
        return Optional.of(new Stop(result, reason));
    }

    /** The zone quiet hours are read in: the recipient's, UTC when absent or unknown. */
    static ZoneId zoneOf(Recipient recipient) {
        String id = recipient.getTimeZone();
        if (id == null || id.isBlank()) {
            return ZoneOffset.UTC;
        }
        try {
            return ZoneId.of(id);
        } catch (DateTimeException e) {
            // Bad profile data should not block the recipient's messages, only shift their quiet hours to UTC.
            return ZoneOffset.UTC;
        }
    }

    static <M> ChannelResult<M> stopped(Delivery delivery, Stop stop) {
        return new ChannelResult<>(outcome(delivery, stop.result(), stop.reason(), 0), List.of());
    }

    static <M> ChannelResult<M> templateError(Delivery delivery, String detail) {
        // Debug only: a broken template fails for every recipient of the run; the summary counts it.
        log.debug("template_error: campaign {} run {} recipient {} {}: {}", delivery.getCampaignId(),
                delivery.getRunId(), delivery.getRecipientId(), delivery.getChannel(), detail);
        return stopped(delivery, new Stop(Result.ERROR, OutcomeReason.TEMPLATE_ERROR));
    }

    static <M> ChannelResult<M> success(Delivery delivery, List<M> messages) {
        return new ChannelResult<>(outcome(delivery, Result.SUCCESS, null, messages.size()), messages);
    }

    static Outcome outcome(Delivery delivery, Result result, OutcomeReason reason, int messages) {
        return Outcome.newBuilder()
                .setCampaignId(delivery.getCampaignId())
                .setRunId(delivery.getRunId())
                .setRecipientId(delivery.getRecipientId())
                .setChannel(delivery.getChannel())
                .setResult(result)
                .setReason(reason == null ? null : reason.wire())
                .setMessages(messages)
                .build();
    }

    private static Optional<Stop> quietHours(Delivery delivery, Recipient recipient, Instant at) {
        Limits limits = delivery.getJob().getCampaign().getLimits();
        QuietHours quiet = limits == null ? null : limits.getQuietHours();
        if (quiet == null) {
            return Optional.empty();
        }
        try {
            return QuietHoursRule.isQuiet(quiet, zoneOf(recipient), at)
                    ? stop(Result.FILTERED, OutcomeReason.QUIET_HOURS)
                    : Optional.empty();
        } catch (IllegalArgumentException e) {
            // CampaignValidator rejects these upstream; should one slip through, an outcome rather than an
            // exception, because a dead-lettered delivery would keep the run from ever completing.
            log.debug("invalid quiet hours in campaign {}: {}", delivery.getCampaignId(), e.getMessage());
            return stop(Result.ERROR, OutcomeReason.INVALID_QUIET_HOURS);
        }
    }
}

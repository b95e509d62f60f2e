package dev.herald.topology.campaigns;

import dev.herald.avro.Campaign;
import dev.herald.avro.Channel;
import dev.herald.avro.QuietHours;
import dev.herald.topology.RunIds;
import dev.herald.topology.errors.InvalidRecordException;
import dev.herald.topology.scheduler.FirePlanner;
import java.time.LocalTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.apache.kafka.streams.processor.api.FixedKeyProcessor;
import org.apache.kafka.streams.processor.api.FixedKeyProcessorContext;
import org.apache.kafka.streams.processor.api.FixedKeyRecord;

/** Lets only well-formed campaign definitions (and tombstones) into the campaign table; the rest are dead-lettered. */
public final class CampaignValidator implements FixedKeyProcessor<String, Campaign, Campaign> {

    private static final String ID = "id";

    private final FirePlanner planner;
    private FixedKeyProcessorContext<String, Campaign> context;

    public CampaignValidator(FirePlanner planner) {
        this.planner = planner;
    }

    @Override
    public void init(FixedKeyProcessorContext<String, Campaign> context) {
        this.context = context;
    }

    @Override
    public void process(FixedKeyRecord<String, Campaign> record) {
        if (record.key() == null) {
            throw new InvalidRecordException("campaign records need a key (the campaign id)");
        }
        if (record.value() != null) {
            validate(record.key(), record.value());
            List<String> ids = record.value().getAudience().getRecipientIds();
            if (ids.size() > 1) {
                // Listed twice is still one recipient: duplicates would send the same message id twice.
                record.value().getAudience().setRecipientIds(new ArrayList<>(new LinkedHashSet<>(ids)));
            }
        }
        context.forward(record);
    }

    void validate(String key, Campaign campaign) {
        if (!key.equals(campaign.getId())) {
            throw new InvalidRecordException("campaign key '" + key + "' differs from its id '" + campaign.getId() + "'");
        }
        Optional<Violation> violation = check(campaign, planner);
        if (violation.isPresent()) {
            Violation v = violation.get();
            String message = v.field().equals(ID) ? v.sentence() : "campaign " + key + ": " + v.sentence();
            throw new InvalidRecordException(message, v.cause());
        }
    }

    /**
     * The first rule the campaign breaks, if any: the rules the topology applies to every campaign record (apart
     * from its key, which only a record has). Campaign files are checked by the same method.
     */
    public static Optional<Violation> check(Campaign campaign, FirePlanner planner) {
        if (!RunIds.isValidCampaignId(campaign.getId())) {
            return Optional.of(new Violation(ID, "may hold only letters, digits, '.', '_' and '-' (1-200 characters)",
                    "campaign id '" + campaign.getId()
                            + "' may hold only letters, digits, '.', '_' and '-' (1-200 characters)", null));
        }
        if (campaign.getChannels().isEmpty()) {
            return Optional.of(new Violation("channels", "is empty", "channels is empty", null));
        }
        for (Channel channel : Channel.values()) {
            if (campaign.getChannels().contains(channel) && !hasTemplate(campaign, channel)) {
                String template = channel.name().toLowerCase(Locale.ROOT);
                return Optional.of(new Violation(template, "is required: channels include " + channel,
                        "channel " + channel + " needs a " + template + " template", null));
            }
        }
        try {
            planner.validate(campaign.getSchedule());
        } catch (IllegalArgumentException e) {
            // The planner's messages start with the schedule field they are about ("cron: ...").
            String message = e.getMessage();
            int colon = message.indexOf(": ");
            String field = colon > 0 ? "schedule." + message.substring(0, colon) : "schedule";
            String problem = colon > 0 ? message.substring(colon + 2) : message;
            return Optional.of(new Violation(field, problem, message, e));
        }
        if (campaign.getLimits() != null) {
            Integer rate = campaign.getLimits().getMessagesPerSecond();
            if (rate != null && rate < 1) {
                return Optional.of(new Violation("limits.messagesPerSecond", "must be at least 1 (was " + rate + ")",
                        "limits.messagesPerSecond must be at least 1", null));
            }
            QuietHours quiet = campaign.getLimits().getQuietHours();
            if (quiet != null) {
                Optional<Violation> bad = badTime("start", quiet.getStart())
                        .or(() -> badTime("end", quiet.getEnd()));
                if (bad.isPresent()) {
                    return bad;
                }
            }
        }
        return Optional.empty();
    }

    /**
     * A broken rule.
     *
     * @param field    the offending field as a path of Avro field names, e.g. {@code limits.quietHours.start}
     * @param problem  what is wrong with it, for messages that name the field themselves
     * @param sentence the whole reason as dead letters give it after "campaign ID: "
     * @param cause    the underlying exception, or null
     */
    public record Violation(String field, String problem, String sentence, Throwable cause) {
    }

    /** Exhaustive with no default: a new Channel symbol fails compilation until its template is checked. */
    private static boolean hasTemplate(Campaign campaign, Channel channel) {
        return switch (channel) {
            case PUSH -> campaign.getPush() != null;
            case MAIL -> campaign.getMail() != null;
        };
    }

    private static Optional<Violation> badTime(String field, String value) {
        try {
            LocalTime.parse(value);
            return Optional.empty();
        } catch (DateTimeParseException e) {
            String path = "limits.quietHours." + field;
            return Optional.of(new Violation(path, "'" + value + "' is not HH:mm",
                    path + " '" + value + "' is not HH:mm", e));
        }
    }
}

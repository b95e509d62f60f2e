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
import org.apache.kafka.streams.processor.api.FixedKeyProcessor;
import org.apache.kafka.streams.processor.api.FixedKeyProcessorContext;
import org.apache.kafka.streams.processor.api.FixedKeyRecord;

/** Lets only well-formed campaign definitions (and tombstones) into the campaign table; the rest are dead-lettered. */
public final class CampaignValidator implements FixedKeyProcessor<String, Campaign, Campaign> {

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
        if (!RunIds.isValidCampaignId(campaign.getId())) {
            throw new InvalidRecordException("campaign id '" + campaign.getId()
                    + "' may hold only letters, digits, '.', '_' and '-' (1-200 characters)");
        }
        if (campaign.getChannels().isEmpty()) {
            throw new InvalidRecordException("campaign " + key + ": channels is empty");
        }
        for (Channel channel : Channel.values()) {
            if (campaign.getChannels().contains(channel) && !hasTemplate(campaign, channel)) {
                throw new InvalidRecordException("campaign " + key + ": channel " + channel + " needs a "
                        + channel.name().toLowerCase(Locale.ROOT) + " template");
            }
        }
        try {
            planner.validate(campaign.getSchedule());
        } catch (IllegalArgumentException e) {
            throw new InvalidRecordException("campaign " + key + ": " + e.getMessage(), e);
        }
        if (campaign.getLimits() != null) {
            Integer rate = campaign.getLimits().getMessagesPerSecond();
            if (rate != null && rate < 1) {
                throw new InvalidRecordException("campaign " + key + ": limits.messagesPerSecond must be at least 1");
            }
            QuietHours quiet = campaign.getLimits().getQuietHours();
            if (quiet != null) {
                parseTime(key, "start", quiet.getStart());
                parseTime(key, "end", quiet.getEnd());
            }
        }
    }

    /** Exhaustive with no default: a new Channel symbol fails compilation until its template is checked. */
    private static boolean hasTemplate(Campaign campaign, Channel channel) {
        return switch (channel) {
            case PUSH -> campaign.getPush() != null;
            case MAIL -> campaign.getMail() != null;
        };
    }

    private static void parseTime(String key, String field, String value) {
        try {
            LocalTime.parse(value);
        } catch (DateTimeParseException e) {
            throw new InvalidRecordException("campaign " + key + ": limits.quietHours." + field + " '" + value
                    + "' is not HH:mm", e);
        }
    }
}

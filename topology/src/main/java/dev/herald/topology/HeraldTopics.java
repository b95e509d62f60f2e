package dev.herald.topology;

import dev.herald.avro.Campaign;
import dev.herald.avro.DeadLetter;
import dev.herald.avro.MailMessage;
import dev.herald.avro.Parked;
import dev.herald.avro.PushMessage;
import dev.herald.avro.Receipt;
import dev.herald.avro.Recipient;
import dev.herald.avro.RecipientUpdate;
import dev.herald.avro.RunControl;
import dev.herald.avro.RunSummary;
import dev.herald.avro.ScheduleTick;
import java.util.List;

/** Herald's external topics, named with the configured prefix, each with its serdes. */
public record HeraldTopics(
        Topic<String, Campaign> campaigns,
        Topic<String, Recipient> recipients,
        Topic<String, ScheduleTick> scheduleTicks,
        Topic<String, RunControl> runControls,
        Topic<String, PushMessage> pushOutbox,
        Topic<String, MailMessage> mailOutbox,
        Topic<String, RunSummary> runSummaries,
        Topic<String, Receipt> receipts,
        Topic<String, RecipientUpdate> recipientUpdates,
        Topic<String, PushMessage> pushRetry,
        Topic<String, MailMessage> mailRetry,
        Topic<String, Parked> parked,
        Topic<byte[], DeadLetter> deadLetters) {

    public static HeraldTopics of(String prefix, HeraldSerdes serdes) {
        return new HeraldTopics(
                new Topic<>(prefix + "campaigns", serdes.string(), serdes.campaign()),
                new Topic<>(prefix + "recipients", serdes.string(), serdes.recipient()),
                new Topic<>(prefix + "schedule-ticks", serdes.string(), serdes.tick()),
                new Topic<>(prefix + "run-controls", serdes.string(), serdes.runControl()),
                new Topic<>(prefix + "push-outbox", serdes.string(), serdes.pushMessage()),
                new Topic<>(prefix + "mail-outbox", serdes.string(), serdes.mailMessage()),
                new Topic<>(prefix + "run-summaries", serdes.string(), serdes.runSummary()),
                new Topic<>(prefix + "receipts", serdes.string(), serdes.receipt()),
                new Topic<>(prefix + "recipient-updates", serdes.string(), serdes.recipientUpdate()),
                new Topic<>(prefix + "push-retry", serdes.string(), serdes.pushMessage()),
                new Topic<>(prefix + "mail-retry", serdes.string(), serdes.mailMessage()),
                new Topic<>(prefix + "parked", serdes.string(), serdes.parked()),
                new Topic<>(prefix + "dead-letters", org.apache.kafka.common.serialization.Serdes.ByteArray(),
                        serdes.deadLetter()));
    }

    /** The compacted topics: their latest value per key is the state (campaign and recipient definitions). */
    public List<String> compacted() {
        return List.of(campaigns.name(), recipients.name());
    }
}

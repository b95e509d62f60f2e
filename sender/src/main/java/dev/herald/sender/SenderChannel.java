package dev.herald.sender;

import dev.herald.avro.Channel;
import dev.herald.avro.MailMessage;
import dev.herald.avro.Parked;
import dev.herald.avro.PushMessage;
import dev.herald.avro.Receipt;
import dev.herald.topology.HeraldTopics;
import dev.herald.topology.Topic;
import java.util.Objects;
import java.util.function.Function;

/**
 * One channel as a sender sees it: its outbox and retry topics and how to read the fields a receipt and a parked
 * record need out of its message type.
 */
public record SenderChannel<M>(
        Channel channel,
        Topic<String, M> outbox,
        Topic<String, M> retry,
        Topic<String, Receipt> receipts,
        Topic<String, Parked> parkedTopic,
        Function<M, String> messageId,
        Function<M, String> campaignId,
        Function<M, String> runId,
        Function<M, String> recipientId,
        Function<M, String> target,
        Function<M, Parked.Builder> parked) {

    public SenderChannel {
        Objects.requireNonNull(channel, "channel");
        Objects.requireNonNull(outbox, "outbox");
        Objects.requireNonNull(retry, "retry");
        Objects.requireNonNull(receipts, "receipts");
        Objects.requireNonNull(parkedTopic, "parkedTopic");
    }

    public static SenderChannel<MailMessage> mail(HeraldTopics topics) {
        return new SenderChannel<>(Channel.MAIL, topics.mailOutbox(), topics.mailRetry(), topics.receipts(), topics.parked(),
                m -> m.getMessageId(), m -> m.getCampaignId(), m -> m.getRunId(), m -> m.getRecipientId(),
                m -> m.getTo(), m -> Parked.newBuilder().setChannel(Channel.MAIL).setMail(m));
    }

    public static SenderChannel<PushMessage> push(HeraldTopics topics) {
        return new SenderChannel<>(Channel.PUSH, topics.pushOutbox(), topics.pushRetry(), topics.receipts(), topics.parked(),
                m -> m.getMessageId(), m -> m.getCampaignId(), m -> m.getRunId(), m -> m.getRecipientId(),
                m -> m.getToken(), m -> Parked.newBuilder().setChannel(Channel.PUSH).setPush(m));
    }

    /** The lower-case channel name used in group ids, thread names and file names: {@code mail}, {@code push}. */
    public String name() {
        return channel.name().toLowerCase(java.util.Locale.ROOT);
    }
}

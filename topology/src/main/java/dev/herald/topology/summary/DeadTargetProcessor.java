package dev.herald.topology.summary;

import dev.herald.avro.Channel;
import dev.herald.avro.PushToken;
import dev.herald.avro.Receipt;
import dev.herald.avro.ReceiptStatus;
import dev.herald.avro.Recipient;
import dev.herald.avro.RecipientChange;
import dev.herald.avro.RecipientUpdate;
import java.util.List;
import java.util.Objects;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.TimestampedKeyValueStore;
import org.apache.kafka.streams.state.ValueAndTimestamp;

/**
 * Turns each receipt that rejects its target (REJECTED_TARGET) into a {@link RecipientUpdate}, so a dead push token
 * or a refused address is not used again; when told to, also writes the recipient's profile without it. Runs in the
 * task of the recipient's partition (receipts are keyed and partitioned like recipients), so it reads the profile
 * the fan-out reads.
 *
 * <p>Forwards RecipientUpdate records to the child {@link #UPDATES} only, and Recipient records to the child
 * {@link #RECIPIENTS} only, both keyed by recipient id.
 */
public final class DeadTargetProcessor implements Processor<String, Receipt, String, SpecificRecord> {

    /** The child node that receives recipient updates. */
    public static final String UPDATES = "dead-targets-updates";
    /** The child node that receives recipients without their dead target. */
    public static final String RECIPIENTS = "dead-targets-recipients";

    private final String recipientStoreName;
    private final boolean drop;
    private ProcessorContext<String, SpecificRecord> context;
    private TimestampedKeyValueStore<String, Recipient> recipients;

    /** @param drop whether to write the recipient's profile without the rejected target */
    public DeadTargetProcessor(String recipientStoreName, boolean drop) {
        this.recipientStoreName = recipientStoreName;
        this.drop = drop;
    }

    @Override
    public void init(ProcessorContext<String, SpecificRecord> context) {
        this.context = context;
        this.recipients = context.getStateStore(recipientStoreName);
    }

    @Override
    public void process(Record<String, Receipt> record) {
        Receipt receipt = record.value();
        if (receipt.getStatus() != ReceiptStatus.REJECTED_TARGET) {
            return;
        }
        String id = receipt.getRecipientId();
        Recipient without = drop ? without(recipients.get(id), receipt) : null;
        if (without != null) {
            context.forward(new Record<>(id, without, record.timestamp()), RECIPIENTS);
        }
        RecipientUpdate update = RecipientUpdate.newBuilder()
                .setRecipientId(id)
                .setChange(receipt.getChannel() == Channel.PUSH ? RecipientChange.DEAD_PUSH_TOKEN
                        : RecipientChange.DEAD_EMAIL)
                .setTarget(receipt.getTarget())
                .setApplied(without != null)
                .setMessageId(receipt.getMessageId())
                .setRunId(receipt.getRunId())
                .setProviderCode(receipt.getProviderCode())
                .setDetail(receipt.getDetail())
                .setAt(receipt.getAt())
                .build();
        context.forward(new Record<>(id, update, record.timestamp()), UPDATES);
    }

    /**
     * The profile without the rejected target, or null when there is nothing to remove: no profile, no target named,
     * or the profile no longer holds it (already removed, or replaced since the message was sent).
     */
    static Recipient without(ValueAndTimestamp<Recipient> stored, Receipt receipt) {
        Recipient recipient = stored == null ? null : stored.value();
        String target = receipt.getTarget();
        if (recipient == null || target == null) {
            return null;
        }
        return switch (receipt.getChannel()) {
            case PUSH -> {
                List<PushToken> kept = recipient.getPushTokens().stream()
                        .filter(token -> !token.getToken().equals(target)).toList();
                yield kept.size() == recipient.getPushTokens().size() ? null
                        : Recipient.newBuilder(recipient).setPushTokens(kept).build();
            }
            case MAIL -> Objects.equals(recipient.getEmail(), target)
                    ? Recipient.newBuilder(recipient).setEmail(null).build() : null;
        };
    }
}

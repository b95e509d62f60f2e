package dev.herald.topology.recipients;

import dev.herald.avro.Recipient;
import dev.herald.topology.errors.InvalidRecordException;
import java.util.Optional;
import org.apache.kafka.streams.processor.api.FixedKeyProcessor;
import org.apache.kafka.streams.processor.api.FixedKeyProcessorContext;
import org.apache.kafka.streams.processor.api.FixedKeyRecord;

/**
 * Lets only recipients keyed by their own id (and tombstones) into the recipients table: a table drops null keys
 * silently, and explicit-id audiences look recipients up by key.
 */
public final class RecipientValidator implements FixedKeyProcessor<String, Recipient, Recipient> {

    private FixedKeyProcessorContext<String, Recipient> context;

    @Override
    public void init(FixedKeyProcessorContext<String, Recipient> context) {
        this.context = context;
    }

    @Override
    public void process(FixedKeyRecord<String, Recipient> record) {
        Optional<String> problem = check(record.key(), record.value());
        if (problem.isPresent()) {
            throw new InvalidRecordException(problem.get());
        }
        context.forward(record);
    }

    /**
     * What is wrong with a recipient record (null value: a tombstone), if anything: the rules this processor
     * applies, which the command line's import checks each line by before producing it.
     */
    public static Optional<String> check(String key, Recipient recipient) {
        if (key == null) {
            return Optional.of("recipient records need a key (the recipient id)");
        }
        if (recipient != null && !key.equals(recipient.getId())) {
            return Optional.of("recipient key '" + key + "' differs from its id '" + recipient.getId() + "'");
        }
        return Optional.empty();
    }
}

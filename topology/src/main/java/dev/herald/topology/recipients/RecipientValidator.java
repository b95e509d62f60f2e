package dev.herald.topology.recipients;

import dev.herald.avro.Recipient;
import dev.herald.topology.errors.InvalidRecordException;
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
        if (record.key() == null) {
            throw new InvalidRecordException("recipient records need a key (the recipient id)");
        }
        if (record.value() != null && !record.key().equals(record.value().getId())) {
            throw new InvalidRecordException("recipient key '" + record.key() + "' differs from its id '"
                    + record.value().getId() + "'");
        }
        context.forward(record);
    }
}

package dev.herald.topology.recipients;

import dev.herald.avro.Recipient;
import org.apache.kafka.streams.processor.api.FixedKeyProcessor;
import org.apache.kafka.streams.processor.api.FixedKeyProcessorContext;
import org.apache.kafka.streams.processor.api.FixedKeyRecord;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Keeps the recipients-by-segment index in step with every recipient on its way into the recipients table (same task):
 * an upsert joins its new segments and leaves the ones it no longer has, a tombstone leaves them all.
 */
public final class SegmentIndexer implements FixedKeyProcessor<String, Recipient, Recipient> {

    private final String indexStoreName;
    private FixedKeyProcessorContext<String, Recipient> context;
    private KeyValueStore<String, String> index;

    public SegmentIndexer(String indexStoreName) {
        this.indexStoreName = indexStoreName;
    }

    @Override
    public void init(FixedKeyProcessorContext<String, Recipient> context) {
        this.context = context;
        this.index = context.getStateStore(indexStoreName);
    }

    @Override
    public void process(FixedKeyRecord<String, Recipient> record) {
        SegmentIndex.update(index, record.key(), record.value());
        context.forward(record);
    }
}

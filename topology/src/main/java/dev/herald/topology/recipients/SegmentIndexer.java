package dev.herald.topology.recipients;

import dev.herald.avro.Recipient;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
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
        String id = record.key();
        List<String> before = SegmentIndex.split(index.get(SegmentIndex.segmentsOf(id)));
        List<String> after = record.value() == null ? List.of()
                : new ArrayList<>(new LinkedHashSet<>(record.value().getSegments()));
        if (!before.equals(after)) {
            for (String segment : before) {
                if (!after.contains(segment)) {
                    index.delete(SegmentIndex.member(segment, id));
                }
            }
            for (String segment : after) {
                if (!before.contains(segment)) {
                    index.put(SegmentIndex.member(segment, id), "");
                }
            }
            if (after.isEmpty()) {
                index.delete(SegmentIndex.segmentsOf(id));
            } else {
                index.put(SegmentIndex.segmentsOf(id), SegmentIndex.join(after));
            }
        }
        context.forward(record);
    }
}

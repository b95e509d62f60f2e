package dev.herald.topology.errors;

import dev.herald.topology.Topic;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.streams.processor.api.FixedKeyProcessor;
import org.apache.kafka.streams.processor.api.FixedKeyProcessorContext;
import org.apache.kafka.streams.processor.api.FixedKeyRecord;

/**
 * Reads an input topic's values inside the topology rather than in its source node, so an unreadable record reaches
 * the dead-letter handler as a processing failure of a named node: written in the task's transaction and visible to
 * TopologyTestDriver (which does not surface dead letters returned by a DeserializationExceptionHandler).
 * Tombstones pass through as null.
 */
public final class Decode<V> implements FixedKeyProcessor<String, byte[], V> {

    private final String topic;
    private final Deserializer<V> deserializer;
    private FixedKeyProcessorContext<String, V> context;

    public Decode(Topic<String, V> topic) {
        this.topic = topic.name();
        this.deserializer = topic.valueSerde().deserializer();
    }

    @Override
    public void init(FixedKeyProcessorContext<String, V> context) {
        this.context = context;
    }

    @Override
    public void process(FixedKeyRecord<String, byte[]> record) {
        V value;
        try {
            value = record.value() == null ? null : deserializer.deserialize(topic, record.headers(), record.value());
        } catch (SerializationException e) {
            throw new UnreadableRecordException(e);
        }
        context.forward(record.withValue(value));
    }
}

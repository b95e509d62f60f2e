package dev.herald.serdes;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.avro.Schema;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Serializer;

/** Writes one generated record type in the Confluent wire format, registering its schema once per topic. */
public final class AvroSerializer<T extends SpecificRecord> implements Serializer<T> {
    static final byte MAGIC_BYTE = 0;
    static final int HEADER_SIZE = 5;

    private final Class<T> type;
    private final SchemaRegistryClient registry;
    private final boolean isKey;
    private final Schema schema;
    private final SpecificDatumWriter<T> writer;
    private final Map<String, Integer> idsByTopic = new ConcurrentHashMap<>();

    public AvroSerializer(Class<T> type, SchemaRegistryClient registry, boolean isKey) {
        this.type = Objects.requireNonNull(type, "type");
        this.registry = Objects.requireNonNull(registry, "registry");
        this.isKey = isKey;
        // The class's own model carries the conversions (Instant for timestamp-millis) the generated code expects.
        SpecificData model = SpecificData.getForClass(type);
        this.schema = model.getSchema(type);
        this.writer = new SpecificDatumWriter<>(schema, model);
    }

    /** The subject this serializer registers under for {@code topic}: {@code <topic>-key} or {@code <topic>-value}. */
    public String subject(String topic) {
        // Confluent's default TopicNameStrategy.
        return topic + (isKey ? "-key" : "-value");
    }

    @Override
    public void configure(Map<String, ?> configs, boolean isKey) {
        // Built explicitly with its registry and role; nothing to take from the config.
    }

    @Override
    public byte[] serialize(String topic, T data) {
        if (data == null) {
            return null;
        }
        int id = schemaId(topic);
        ByteArrayOutputStream out = new ByteArrayOutputStream(128);
        out.write(MAGIC_BYTE);
        out.write(id >>> 24);
        out.write(id >>> 16);
        out.write(id >>> 8);
        out.write(id);
        try {
            BinaryEncoder encoder = EncoderFactory.get().directBinaryEncoder(out, null);
            writer.write(data, encoder);
            encoder.flush();
        } catch (IOException | RuntimeException e) {
            throw new SerializationException("Could not serialize " + type.getName() + " for topic '" + topic
                    + "' (schema id " + id + "): " + e, e);
        }
        return out.toByteArray();
    }

    private int schemaId(String topic) {
        Integer cached = idsByTopic.get(topic);
        if (cached != null) {
            return cached;
        }
        String subject = subject(topic);
        int id;
        try {
            id = registry.register(subject, schema);
        } catch (SchemaRegistryException e) {
            String message = "Could not register the schema of " + type.getName() + " under subject '" + subject
                    + "' for topic '" + topic + "': " + e.getMessage();
            if (e.isRetriable()) {
                // An outage is not this record's fault: keep it distinct from SerializationException.
                throw new SchemaRegistryException(message, e.httpStatus(), e.errorCode(), e);
            }
            throw new SerializationException(message, e);
        }
        idsByTopic.putIfAbsent(topic, id);
        return id;
    }

    @Override
    public void close() {
        // The registry may be shared by other serdes; its owner closes it.
    }
}

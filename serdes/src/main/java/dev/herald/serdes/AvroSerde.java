package dev.herald.serdes;

import java.util.Objects;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;

/**
 * Confluent-wire-format Avro serde for one generated record type, for keys or for values.
 * Closing it leaves the registry open: registries are usually shared between serdes.
 */
public final class AvroSerde<T extends SpecificRecord> implements Serde<T> {

    private final AvroSerializer<T> serializer;
    private final AvroDeserializer<T> deserializer;

    private AvroSerde(Class<T> type, SchemaRegistryClient registry, boolean isKey) {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(registry, "registry");
        this.serializer = new AvroSerializer<>(type, registry, isKey);
        this.deserializer = new AvroDeserializer<>(type, registry, isKey);
    }

    /** A serde for record values, registering under {@code <topic>-value}. */
    public static <T extends SpecificRecord> AvroSerde<T> forValue(Class<T> type, SchemaRegistryClient registry) {
        return new AvroSerde<>(type, registry, false);
    }

    /** A serde for record keys, registering under {@code <topic>-key}. */
    public static <T extends SpecificRecord> AvroSerde<T> forKey(Class<T> type, SchemaRegistryClient registry) {
        return new AvroSerde<>(type, registry, true);
    }

    /** The {@link AvroSerializer}; both halves are thread-safe, so every caller shares one instance and its caches. */
    @Override
    public Serializer<T> serializer() {
        return serializer;
    }

    @Override
    public Deserializer<T> deserializer() {
        return deserializer;
    }
}

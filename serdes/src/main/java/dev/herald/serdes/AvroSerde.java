package dev.herald.serdes;

import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;

/** STUB — being implemented. Confluent-wire-format Avro serde for one generated record type. */
public final class AvroSerde<T extends SpecificRecord> implements Serde<T> {

    public static <T extends SpecificRecord> AvroSerde<T> forValue(Class<T> type, SchemaRegistryClient registry) {
        throw new UnsupportedOperationException("stub");
    }

    public static <T extends SpecificRecord> AvroSerde<T> forKey(Class<T> type, SchemaRegistryClient registry) {
        throw new UnsupportedOperationException("stub");
    }

    @Override
    public Serializer<T> serializer() {
        throw new UnsupportedOperationException("stub");
    }

    @Override
    public Deserializer<T> deserializer() {
        throw new UnsupportedOperationException("stub");
    }
}

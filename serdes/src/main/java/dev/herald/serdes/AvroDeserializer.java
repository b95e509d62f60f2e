package dev.herald.serdes;

import java.io.IOException;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;
import org.apache.avro.io.BinaryDecoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;

/** Reads Confluent-wire-format Avro into one generated record type, resolving the writer's schema against it. */
public final class AvroDeserializer<T extends SpecificRecord> implements Deserializer<T> {

    private final Class<T> type;
    private final SchemaRegistryClient registry;
    private final boolean isKey;
    private final SpecificData model;
    private final Schema readerSchema;
    private final Map<Integer, SpecificDatumReader<T>> readersById = new ConcurrentHashMap<>();

    public AvroDeserializer(Class<T> type, SchemaRegistryClient registry, boolean isKey) {
        this.type = Objects.requireNonNull(type, "type");
        this.registry = Objects.requireNonNull(registry, "registry");
        this.isKey = isKey;
        // Avro 1.12.2 refuses to instantiate classes outside java.* unless trusted (no per-reader switch exists).
        AvroTrust.trustPackageOf(type);
        // The class's own model carries the conversions (Instant for timestamp-millis) the generated code expects.
        this.model = SpecificData.getForClass(type);
        this.readerSchema = model.getSchema(type);
    }

    @Override
    public void configure(Map<String, ?> configs, boolean isKey) {
        // Built explicitly with its registry and role; nothing to take from the config.
    }

    @Override
    public T deserialize(String topic, byte[] data) {
        if (data == null) {
            return null;
        }
        String what = isKey ? "key" : "value";
        if (data.length < AvroSerializer.HEADER_SIZE) {
            throw new SerializationException("Cannot read " + what + " from topic '" + topic + "': " + data.length
                    + " bytes is shorter than the 5-byte Confluent header (magic byte + schema id)");
        }
        if (data[0] != AvroSerializer.MAGIC_BYTE) {
            throw new SerializationException(String.format(
                    "Cannot read %s from topic '%s': unknown magic byte 0x%02x (expected 0x00, Confluent wire format)",
                    what, topic, data[0] & 0xff));
        }
        int id = ((data[1] & 0xff) << 24) | ((data[2] & 0xff) << 16) | ((data[3] & 0xff) << 8) | (data[4] & 0xff);
        SpecificDatumReader<T> reader = readerFor(id, topic, what);
        int bodyLength = data.length - AvroSerializer.HEADER_SIZE;
        try {
            BinaryDecoder decoder = DecoderFactory.get().binaryDecoder(data, AvroSerializer.HEADER_SIZE, bodyLength, null);
            T value = reader.read(null, decoder);
            if (!decoder.isEnd()) {
                // Bytes left over mean the body was not written with the schema its header names.
                throw new IOException(decoder.inputStream().available() + " bytes left over after the record");
            }
            return value;
        } catch (IOException | RuntimeException e) {
            throw new SerializationException("Cannot read " + what + " from topic '" + topic + "' as "
                    + type.getName() + " (schema id " + id + ", " + bodyLength + "-byte Avro body): " + e, e);
        }
    }

    private SpecificDatumReader<T> readerFor(int id, String topic, String what) {
        SpecificDatumReader<T> reader = readersById.get(id);
        if (reader != null) {
            return reader;
        }
        Schema writerSchema;
        try {
            writerSchema = registry.schemaById(id);
        } catch (SchemaRegistryException e) {
            String message = "Cannot read " + what + " from topic '" + topic + "': writer schema id " + id
                    + " could not be fetched: " + e.getMessage();
            if (e.isRetriable()) {
                // An outage is not this record's fault: keep it distinct from SerializationException.
                throw new SchemaRegistryException(message, e.httpStatus(), e.errorCode(), e);
            }
            throw new SerializationException(message, e);
        }
        // Avro's resolving reader ignores the top-level record name: a Campaign whose fields happen to cover a
        // Recipient's required ones would be read as a Recipient. Check the pair as the registry would, names too.
        SchemaCompatibility.SchemaPairCompatibility compatibility =
                SchemaCompatibility.checkReaderWriterCompatibility(readerSchema, writerSchema);
        if (compatibility.getType() != SchemaCompatibility.SchemaCompatibilityType.COMPATIBLE) {
            throw new SerializationException("Cannot read " + what + " from topic '" + topic + "' as "
                    + type.getName() + ": writer schema id " + id + " (" + writerSchema.getFullName()
                    + ") cannot be read as " + readerSchema.getFullName() + ": "
                    + compatibility.getResult().getIncompatibilities().stream()
                            .map(i -> i.getType() + " at " + i.getLocation() + " (" + i.getMessage() + ")")
                            .toList());
        }
        SpecificDatumReader<T> created = new SpecificDatumReader<>(writerSchema, readerSchema, model);
        SpecificDatumReader<T> raced = readersById.putIfAbsent(id, created);
        return raced != null ? raced : created;
    }

    @Override
    public void close() {
        // The registry may be shared by other serdes; its owner closes it.
    }
}

package dev.herald.serdes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.herald.avro.Channel;
import dev.herald.avro.Outcome;
import dev.herald.avro.Result;
import dev.herald.avro.ScheduleTick;
import dev.herald.avro.Trigger;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;
import org.apache.kafka.common.errors.SerializationException;
import org.junit.jupiter.api.Test;

/** Data written with an older schema reads into today's generated class, defaults filling the gaps. */
class AvroSchemaEvolutionTest {

    private static final Schema CHANNEL = Channel.getClassSchema();
    private static final Schema RESULT = Result.getClassSchema();

    /** Outcome before it had reason and messages (both added with defaults). */
    private static final Schema OUTCOME_V0 = new Schema.Parser().parse("""
            {"type": "record", "name": "Outcome", "namespace": "dev.herald.avro", "fields": [
              {"name": "campaignId", "type": "string"},
              {"name": "runId", "type": "string"},
              {"name": "recipientId", "type": "string"},
              {"name": "channel", "type": %s},
              {"name": "result", "type": %s}
            ]}""".formatted(CHANNEL, RESULT));

    /** ScheduleTick before it had runId and trigger (an enum default). */
    private static final Schema TICK_V0 = new Schema.Parser().parse("""
            {"type": "record", "name": "ScheduleTick", "namespace": "dev.herald.avro", "fields": [
              {"name": "campaignId", "type": "string"},
              {"name": "scheduledFor", "type": {"type": "long", "logicalType": "timestamp-millis"}}
            ]}""");

    /** An Outcome whose writer never had the required result field: not readable by today's class. */
    private static final Schema OUTCOME_WITHOUT_RESULT = new Schema.Parser().parse("""
            {"type": "record", "name": "Outcome", "namespace": "dev.herald.avro", "fields": [
              {"name": "campaignId", "type": "string"},
              {"name": "runId", "type": "string"},
              {"name": "recipientId", "type": "string"}
            ]}""");

    private final InMemorySchemaRegistry registry = new InMemorySchemaRegistry();

    @Test
    void oldOutcomeWithoutReasonAndMessagesReadsWithDefaults() {
        GenericRecord old = new GenericData.Record(OUTCOME_V0);
        old.put("campaignId", "c");
        old.put("runId", "c@2025-01-01T00:00:00Z");
        old.put("recipientId", "u");
        old.put("channel", new GenericData.EnumSymbol(CHANNEL, "MAIL"));
        old.put("result", new GenericData.EnumSymbol(RESULT, "ERROR"));
        byte[] payload = wire(registry.register("outcomes-value", OUTCOME_V0), OUTCOME_V0, old);

        Outcome read = AvroSerde.forValue(Outcome.class, registry).deserializer().deserialize("outcomes", payload);

        assertThat(read).isEqualTo(new Outcome("c", "c@2025-01-01T00:00:00Z", "u", Channel.MAIL, Result.ERROR, null, 0));
    }

    @Test
    void oldScheduleTickReadsWithNullRunIdAndEnumDefaultTrigger() {
        GenericRecord old = new GenericData.Record(TICK_V0);
        old.put("campaignId", "c");
        old.put("scheduledFor", 1_700_000_000_000L);
        byte[] payload = wire(registry.register("schedule-ticks-value", TICK_V0), TICK_V0, old);

        ScheduleTick read = AvroSerde.forValue(ScheduleTick.class, registry).deserializer()
                .deserialize("schedule-ticks", payload);

        assertThat(read.getCampaignId()).isEqualTo("c");
        assertThat(read.getRunId()).isNull();
        assertThat(read.getScheduledFor()).isEqualTo(Instant.ofEpochMilli(1_700_000_000_000L));
        assertThat(read.getTrigger()).isEqualTo(Trigger.MANUAL);
    }

    @Test
    void writerSchemaMissingARequiredFieldIsASerializationExceptionNamingTopicAndId() {
        GenericRecord old = new GenericData.Record(OUTCOME_WITHOUT_RESULT);
        old.put("campaignId", "c");
        old.put("runId", "r");
        old.put("recipientId", "u");
        registry.register("other-value", OUTCOME_V0); // so the id under test is not 1
        int id = registry.register("outcomes-value", OUTCOME_WITHOUT_RESULT);
        byte[] payload = wire(id, OUTCOME_WITHOUT_RESULT, old);

        assertThatThrownBy(() -> AvroSerde.forValue(Outcome.class, registry).deserializer()
                .deserialize("outcomes", payload))
                .isInstanceOf(SerializationException.class)
                .hasMessageContaining("'outcomes'")
                .hasMessageContaining("schema id 2");
    }

    /** Frames a record as Confluent's serializer would, written with {@code schema}. */
    static byte[] wire(int id, Schema schema, GenericRecord record) {
        try {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            out.write(new byte[] {0, (byte) (id >>> 24), (byte) (id >>> 16), (byte) (id >>> 8), (byte) id});
            BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(out, null);
            new GenericDatumWriter<GenericRecord>(schema).write(record, encoder);
            encoder.flush();
            return out.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

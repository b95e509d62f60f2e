package dev.herald.serdes;

import static dev.herald.serdes.TestRecords.bytes;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.herald.avro.Campaign;
import dev.herald.avro.FanoutReport;
import dev.herald.avro.Outcome;
import dev.herald.avro.Recipient;
import java.util.Arrays;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.junit.jupiter.api.Test;

/** Unreadable payloads fail loudly with SerializationException naming the topic and what was wrong. */
class AvroDeserializerErrorsTest {

    private final InMemorySchemaRegistry registry = new InMemorySchemaRegistry();
    private final AvroSerde<Outcome> outcomes = AvroSerde.forValue(Outcome.class, registry);
    private final Deserializer<Outcome> deserializer = outcomes.deserializer();

    @Test
    void wrongMagicByteNamesTheByteFoundAndTopic() {
        byte[] payload = outcomes.serializer().serialize("outcomes", TestRecords.outcome());
        payload[0] = 0x7B; // '{' as from a JSON producer

        assertThatThrownBy(() -> deserializer.deserialize("outcomes", payload))
                .isInstanceOf(SerializationException.class)
                .hasMessageContaining("'outcomes'")
                .hasMessageContaining("magic byte 0x7b");
    }

    @Test
    void aRecordOfAnotherTypeIsRefusedEvenWhenItsFieldsCoverTheReadersRequiredOnes() {
        // Avro's resolving reader alone would read a Campaign as a Recipient (id is the only required field both
        // have): a campaign produced to the recipients topic would become a recipient.
        byte[] campaign = AvroSerde.forValue(Campaign.class, registry).serializer()
                .serialize("recipients", TestRecords.minimalCampaign());

        assertThatThrownBy(() -> AvroSerde.forValue(Recipient.class, registry).deserializer()
                .deserialize("recipients", campaign))
                .isInstanceOf(SerializationException.class)
                .hasMessageContaining("'recipients'")
                .hasMessageContaining("dev.herald.avro.Campaign")
                .hasMessageContaining("NAME_MISMATCH");
    }

    @Test
    void unknownSchemaIdNamesTheIdAndTopic() {
        byte[] payload = bytes(0x00, 0x00, 0x00, 0x01, 0x2C, 0x02, 'c');

        assertThatThrownBy(() -> deserializer.deserialize("outcomes", payload))
                .isInstanceOf(SerializationException.class)
                .hasMessageContaining("'outcomes'")
                .hasMessageContaining("schema id 300")
                .hasCauseInstanceOf(SchemaRegistryException.class);
    }

    @Test
    void payloadShorterThanTheHeaderIsRejected() {
        assertThatThrownBy(() -> deserializer.deserialize("outcomes", bytes(0x00, 0x00, 0x00)))
                .isInstanceOf(SerializationException.class)
                .hasMessageContaining("'outcomes'")
                .hasMessageContaining("3 bytes");
        assertThatThrownBy(() -> deserializer.deserialize("outcomes", new byte[0]))
                .isInstanceOf(SerializationException.class)
                .hasMessageContaining("0 bytes");
    }

    @Test
    void headerWithoutBodyIsRejected() {
        outcomes.serializer().serialize("outcomes", TestRecords.outcome()); // registers id 1

        assertThatThrownBy(() -> deserializer.deserialize("outcomes", bytes(0x00, 0x00, 0x00, 0x00, 0x01)))
                .isInstanceOf(SerializationException.class)
                .hasMessageContaining("'outcomes'")
                .hasMessageContaining("schema id 1")
                .hasMessageContaining("0-byte Avro body");
    }

    @Test
    void truncatedBodyIsRejectedNotReadAsAPartialRecord() {
        AvroSerde<Campaign> campaigns = AvroSerde.forValue(Campaign.class, registry);
        byte[] full = campaigns.serializer().serialize("campaigns", TestRecords.richCampaign());

        for (int cut = 1; cut < full.length - 5; cut++) {
            byte[] truncated = Arrays.copyOf(full, full.length - cut);
            assertThatThrownBy(() -> campaigns.deserializer().deserialize("campaigns", truncated))
                    .as("cut %d bytes", cut)
                    .isInstanceOf(SerializationException.class)
                    .hasMessageContaining("'campaigns'")
                    .hasMessageContaining("schema id 1");
        }
    }

    @Test
    void negativeStringLengthIsASerializationExceptionNotARawAvroError() {
        AvroSerde<FanoutReport> reports = AvroSerde.forValue(FanoutReport.class, registry);
        byte[] payload = reports.serializer().serialize("reports", FanoutReport.newBuilder().setRunId("r1").setCampaignId("c1").setPartition(0).setPartitionCount(1).setDeliveries(0L).build());
        payload[5] = 0x01; // runId length zig-zag 1 = -1

        assertThatThrownBy(() -> reports.deserializer().deserialize("reports", payload))
                .isInstanceOf(SerializationException.class)
                .hasMessageContaining("'reports'")
                .hasMessageContaining("schema id 1")
                .hasMessageContaining("negative");
    }

    @Test
    void enumIndexOutOfRangeIsASerializationException() {
        byte[] payload = outcomes.serializer().serialize("outcomes", TestRecords.outcome());
        payload[11] = 0x10; // channel ordinal 8: Channel has two symbols

        assertThatThrownBy(() -> deserializer.deserialize("outcomes", payload))
                .isInstanceOf(SerializationException.class)
                .hasMessageContaining("'outcomes'")
                .hasMessageContaining("schema id 1");
    }

    @Test
    void bytesLeftOverAfterTheRecordAreRejected() {
        byte[] payload = outcomes.serializer().serialize("outcomes", TestRecords.outcome());
        byte[] padded = Arrays.copyOf(payload, payload.length + 2);

        assertThat(deserializer.deserialize("outcomes", payload)).isEqualTo(TestRecords.outcome());
        assertThatThrownBy(() -> deserializer.deserialize("outcomes", padded))
                .isInstanceOf(SerializationException.class)
                .hasMessageContaining("2 bytes left over");
    }

    @Test
    void keyDeserializerSaysItWasReadingAKey() {
        assertThatThrownBy(() -> AvroSerde.forKey(Outcome.class, registry).deserializer()
                .deserialize("outcomes", bytes(0x01, 0, 0, 0, 1)))
                .isInstanceOf(SerializationException.class)
                .hasMessageStartingWith("Cannot read key from topic 'outcomes'");
    }

    @Test
    void recordMissingARequiredFieldFailsToSerializeWithTopic() {
        Outcome broken = TestRecords.outcome();
        broken.setCampaignId(null);

        assertThatThrownBy(() -> outcomes.serializer().serialize("outcomes", broken))
                .isInstanceOf(SerializationException.class)
                .hasMessageContaining("'outcomes'")
                .hasMessageContaining("dev.herald.avro.Outcome");
    }
}

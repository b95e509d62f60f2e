package dev.herald.serdes;

import static dev.herald.serdes.TestRecords.bytes;
import static org.assertj.core.api.Assertions.assertThat;

import dev.herald.avro.Channel;
import dev.herald.avro.DeadLetter;
import dev.herald.avro.FanoutReport;
import dev.herald.avro.Outcome;
import dev.herald.avro.Result;
import java.nio.ByteBuffer;
import java.time.Instant;
import org.apache.avro.Schema;
import org.junit.jupiter.api.Test;

/** The bytes on the wire are exactly what Confluent's serializer writes, checked against hand-computed values. */
class AvroSerdeWireFormatTest {

    @Test
    void writesMagicByteBigEndianIdAndAvroBinaryForFanoutReport() {
        AvroSerde<FanoutReport> serde = AvroSerde.forValue(FanoutReport.class, new InMemorySchemaRegistry());
        FanoutReport report = FanoutReport.newBuilder().setRunId("r1").setCampaignId("c1").setPartition(3)
                .setPartitionCount(12).setDeliveries(1000L).build();

        byte[] actual = serde.serializer().serialize("fanout-reports", report);

        assertThat(actual).containsExactly(bytes(
                0x00,                   // magic byte
                0x00, 0x00, 0x00, 0x01, // schema id 1, big-endian
                0x04, 'r', '1',         // runId: length 2 (zig-zag 4), bytes
                0x04, 'c', '1',         // campaignId
                0x06,                   // partition 3 (zig-zag 6)
                0x18,                   // partitionCount 12 (zig-zag 24)
                0xD0, 0x0F,             // deliveries 1000 (zig-zag 2000 = 0x7D0: 0x50|0x80, 0x0F)
                0x04,                   // state DONE, the default: enum ordinal 2 (zig-zag 4)
                0x00, 0x00, 0x00, 0x00, // candidates, scanned, estimate, notSent: 0
                0x00));                 // messagesPerSecond null: union branch 0
    }

    @Test
    void writesEnumOrdinalsAndUnionBranchIndexesForOutcome() {
        AvroSerde<Outcome> serde = AvroSerde.forValue(Outcome.class, new InMemorySchemaRegistry());

        byte[] withReason = serde.serializer().serialize("outcomes",
                new Outcome("c", "r", "u", Channel.MAIL, Result.FILTERED, "opt_out", 0));
        byte[] withoutReason = serde.serializer().serialize("outcomes",
                new Outcome("c", "r", "u", Channel.PUSH, Result.SUCCESS, null, 2));

        assertThat(withReason).containsExactly(bytes(
                0x00, 0x00, 0x00, 0x00, 0x01,
                0x02, 'c', 0x02, 'r', 0x02, 'u', // campaignId, runId, recipientId
                0x02,                            // channel MAIL: ordinal 1
                0x06,                            // result FILTERED: ordinal 3
                0x02, 0x0E, 'o', 'p', 't', '_', 'o', 'u', 't', // reason: branch 1 (string), length 7
                0x00));                          // messages 0
        assertThat(withoutReason).containsExactly(bytes(
                0x00, 0x00, 0x00, 0x00, 0x01,
                0x02, 'c', 0x02, 'r', 0x02, 'u',
                0x00,                            // PUSH: ordinal 0
                0x00,                            // SUCCESS: ordinal 0
                0x00,                            // reason: branch 0 (null), no body
                0x04));                          // messages 2
    }

    @Test
    void writesNegativeNumbersBytesAndTimestampsForDeadLetter() {
        AvroSerde<DeadLetter> serde = AvroSerde.forValue(DeadLetter.class, new InMemorySchemaRegistry());
        DeadLetter letter = new DeadLetter("d", null, "t", -1, 300L, null, ByteBuffer.wrap(bytes(0x01, 0xFF)),
                "E", null, Instant.ofEpochMilli(1));

        byte[] actual = serde.serializer().serialize("dead-letters", letter);

        assertThat(actual).containsExactly(bytes(
                0x00, 0x00, 0x00, 0x00, 0x01,
                0x02, 'd',              // stage
                0x00,                   // processorNode null
                0x02, 0x02, 't',        // topic: branch 1, length 1
                0x01,                   // partition -1 (zig-zag 1)
                0xD8, 0x04,             // offset 300 (zig-zag 600 = 0x258: 0x58|0x80, 0x04)
                0x00,                   // key null
                0x02, 0x04, 0x01, 0xFF, // value: branch 1, 2 bytes
                0x02, 'E',              // errorClass
                0x00,                   // errorMessage null
                0x02));                 // failedAt 1 ms (zig-zag 2)
    }

    @Test
    void writesSchemaIdBigEndian() {
        SchemaRegistryClient registry = new SchemaRegistryClient() {
            @Override
            public int register(String subject, Schema schema) {
                return 0x01020304;
            }

            @Override
            public Schema schemaById(int id) {
                throw new AssertionError("not used");
            }
        };

        byte[] actual = AvroSerde.forValue(FanoutReport.class, registry).serializer()
                .serialize("t", FanoutReport.newBuilder().setRunId("").setCampaignId("").setPartition(0)
                        .setPartitionCount(0).setDeliveries(0L).build());

        assertThat(actual).containsExactly(bytes(0x00, 0x01, 0x02, 0x03, 0x04, 0x00, 0x00, 0x00, 0x00, 0x00,
                0x04, 0x00, 0x00, 0x00, 0x00, 0x00));
    }

    @Test
    void nullSerializesToNullAndNullDeserializesToNullForTombstones() {
        AvroSerde<Outcome> serde = AvroSerde.forValue(Outcome.class, new InMemorySchemaRegistry());

        assertThat(serde.serializer().serialize("outcomes", null)).isNull();
        assertThat(serde.deserializer().deserialize("outcomes", null)).isNull();
    }
}

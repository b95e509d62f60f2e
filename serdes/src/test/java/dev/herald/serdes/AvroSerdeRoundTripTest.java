package dev.herald.serdes;

import static org.assertj.core.api.Assertions.assertThat;

import dev.herald.avro.Campaign;
import dev.herald.avro.DeadLetter;
import dev.herald.avro.Recipient;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/** What the serializer writes, the deserializer reads back equal, across the shapes Herald's schemas use. */
class AvroSerdeRoundTripTest {

    private final InMemorySchemaRegistry registry = new InMemorySchemaRegistry();

    @Test
    void campaignWithNestedRecordsMapsArraysEnumsNullsAndInstantsSurvivesRoundTrip() {
        AvroSerde<Campaign> serde = AvroSerde.forValue(Campaign.class, registry);
        Campaign campaign = TestRecords.richCampaign();

        Campaign read = serde.deserializer().deserialize("campaigns", serde.serializer().serialize("campaigns", campaign));

        assertThat(read).isEqualTo(campaign);
        assertThat(read.getCreatedAt()).isInstanceOf(Instant.class).isEqualTo(Instant.parse("2025-02-01T10:15:30.456Z"));
        assertThat(read.getSchedule().getStartAt()).isEqualTo(Instant.parse("2025-03-01T00:00:00.123Z"));
        assertThat(read.getAudience().getAttributes()).containsEntry("tier", "gold");
        assertThat(read.getPush().getData()).containsEntry("deeplink", "app://sale/{{id}}");
        assertThat(read.getMail().getText()).isEqualTo("Plain text body, ünïcødé ✓");
        assertThat(read.getMail().getHtml()).isNull();
        assertThat(read.getDescription()).isNull();
    }

    @Test
    void campaignWithEmptyCollectionsAndExtremeInstantsSurvivesRoundTrip() {
        AvroSerde<Campaign> serde = AvroSerde.forValue(Campaign.class, registry);
        Campaign campaign = TestRecords.minimalCampaign();

        Campaign read = serde.deserializer().deserialize("campaigns", serde.serializer().serialize("campaigns", campaign));

        assertThat(read).isEqualTo(campaign);
        assertThat(read.getUpdatedAt()).isEqualTo(Instant.ofEpochMilli(Long.MAX_VALUE));
    }

    @Test
    void recipientWithArrayOfRecordsSurvivesRoundTripAsKey() {
        AvroSerde<Recipient> serde = AvroSerde.forKey(Recipient.class, registry);

        Recipient read = serde.deserializer().deserialize("recipients",
                serde.serializer().serialize("recipients", TestRecords.recipient()));

        assertThat(read).isEqualTo(TestRecords.recipient());
    }

    @Test
    void deadLetterBytesSurviveRoundTrip() {
        AvroSerde<DeadLetter> serde = AvroSerde.forValue(DeadLetter.class, registry);
        DeadLetter letter = new DeadLetter("deserialization", "KSTREAM-SOURCE-0000000000", "herald.campaigns", 2, 17L,
                ByteBuffer.wrap(new byte[] {1, 2, 3}), ByteBuffer.wrap(new byte[] {0, 0, 0, 0, 9}),
                "org.apache.kafka.common.errors.SerializationException", "bad", Instant.parse("2025-01-01T00:00:00Z"));

        DeadLetter read = serde.deserializer().deserialize("dlq", serde.serializer().serialize("dlq", letter));

        assertThat(read).isEqualTo(letter);
    }

    @Test
    void oneSerdeIsSafeToShareBetweenThreads() throws Exception {
        AvroSerde<Campaign> serde = AvroSerde.forValue(Campaign.class, registry);
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<Campaign>> results = new ArrayList<>();
            for (int i = 0; i < 200; i++) {
                String topic = "campaigns-" + (i % 5);
                results.add(pool.submit(() -> serde.deserializer().deserialize(topic,
                        serde.serializer().serialize(topic, TestRecords.richCampaign()))));
            }
            for (Future<Campaign> result : results) {
                assertThat(result.get()).isEqualTo(TestRecords.richCampaign());
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(registry.subjects()).hasSize(5);
    }
}

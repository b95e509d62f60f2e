package dev.herald.app.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.herald.app.Herald;
import dev.herald.avro.Campaign;
import dev.herald.avro.DeadLetter;
import dev.herald.avro.PushMessage;
import dev.herald.serdes.DeadLetterHeaders;
import dev.herald.topology.errors.DeadLetterHandler;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.header.Header;
import org.junit.jupiter.api.Test;

/**
 * On a real broker, one bad record on each input topic becomes one committed dead letter carrying its bytes, the
 * partition and offset it was read from and the failing stage, readable through the HTTP registry client; the good
 * records around them still flow.
 */
class DeadLettersOnBrokerTest {
    private static final byte[] NOT_AVRO = "{\"id\": \"json?\"}".getBytes(StandardCharsets.UTF_8);
    /** Confluent framing with a schema id no registry has. */
    private static final byte[] UNKNOWN_SCHEMA = {0, 0, 0, 0x7f, 0x7f, 2, 3};
    private static final byte[] TRUNCATED = {0, 0};

    @Test
    void oneBadRecordPerInputTopicIsOneCommittedDeadLetterWithItsSourceAndBytes() throws Exception {
        try (HeraldFixture fixture = new HeraldFixture();
             Herald herald = fixture.start(fixture.settings("dead", 2))) {
            HeraldFixture.awaitRunning(herald);
            String campaigns = fixture.topics.campaigns().name();
            String recipients = fixture.topics.recipients().name();
            String ticks = fixture.topics.scheduleTicks().name();

            Map<String, Bad> bad = new LinkedHashMap<>();
            bad.put(campaigns, new Bad(key("c1"), NOT_AVRO, fixture.produceRaw(campaigns, 0, key("c1"), NOT_AVRO)));
            bad.put(recipients, new Bad(key("r1"), UNKNOWN_SCHEMA,
                    fixture.produceRaw(recipients, 1, key("r1"), UNKNOWN_SCHEMA)));
            bad.put(ticks, new Bad(key("c1"), TRUNCATED, fixture.produceRaw(ticks, 0, key("c1"), TRUNCATED)));
            // Readable, but not a valid campaign: fails in processing, not in deserialization.
            Campaign invalid = Campaign.newBuilder(Population.campaign("c2", null)).setId("not-c2").build();
            byte[] invalidBytes = fixture.topics.campaigns().valueSerde().serializer().serialize(campaigns, invalid);
            RecordMetadata invalidAt = fixture.produceRaw(campaigns, 0, key("c2"), invalidBytes);

            fixture.produce(fixture.topics.recipients(), Population.recipients(3));
            fixture.produce(fixture.topics.campaigns(), Map.of("c1", Population.campaign("c1", null)));
            HeraldFixture.await("the good campaign is visible",
                    () -> fixture.getRaw(herald, "/api/campaigns/c1").statusCode() == 200);
            fixture.produce(fixture.topics.scheduleTicks(),
                    Map.of("c1", Population.tick("c1", Population.SLOT)));

            List<ConsumerRecord<byte[], DeadLetter>> dead = fixture.readCommitted(fixture.topics.deadLetters(), 4);
            assertThat(dead).hasSize(4);
            for (Map.Entry<String, Bad> expected : bad.entrySet()) {
                Bad record = expected.getValue();
                ConsumerRecord<byte[], DeadLetter> letter = from(dead, record.at());
                assertThat(letter.value().getStage()).isEqualTo(DeadLetterHandler.STAGE_DESERIALIZATION);
                assertThat(array(letter.value().getValue())).isEqualTo(record.value());
                assertThat(array(letter.value().getKey())).isEqualTo(record.key());
                assertThat(letter.key()).isEqualTo(record.key());
                assertThat(letter.value().getErrorClass()).endsWith("SerializationException");
                assertThat(header(letter, DeadLetterHeaders.STAGE)).isEqualTo("deserialization");
                assertThat(header(letter, DeadLetterHeaders.SOURCE)).isEqualTo(
                        expected.getKey() + "-" + record.at().partition() + "@" + record.at().offset());
            }
            ConsumerRecord<byte[], DeadLetter> processing = from(dead, invalidAt);
            assertThat(processing.value().getStage()).isEqualTo(DeadLetterHandler.STAGE_PROCESSING);
            assertThat(processing.value().getProcessorNode()).isEqualTo("campaigns-validate");
            assertThat(processing.value().getErrorMessage()).contains("differs from its id");
            assertThat(array(processing.value().getValue())).isEqualTo(invalidBytes);
            assertThat(header(processing, DeadLetterHeaders.STAGE)).isEqualTo("processing");

            // Dead letters did not stop the partitions they were read from: the good records behind them flowed.
            List<ConsumerRecord<String, PushMessage>> push = fixture.readCommitted(fixture.topics.pushOutbox(),
                    (int) Population.expectedPushMessages(3));
            assertThat(push).hasSize((int) Population.expectedPushMessages(3)).isNotEmpty();
            assertThat(fixture.readCommitted(fixture.topics.deadLetters())).as("no dead letter for good records")
                    .hasSize(4);
        }
    }

    /**
     * A corpus of malformed records on every input topic (issue-style hostile input): each lands in dead-letters
     * with its bytes, the instance stays RUNNING, and a valid record after them is processed.
     */
    @Test
    void malformedCorpusOnEveryInputTopicIsDeadLetteredAndTheInstanceKeepsRunning() throws Exception {
        try (HeraldFixture fixture = new HeraldFixture();
             Herald herald = fixture.start(fixture.settings("corpus", 2))) {
            HeraldFixture.awaitRunning(herald);
            String campaigns = fixture.topics.campaigns().name();
            String recipients = fixture.topics.recipients().name();
            String ticks = fixture.topics.scheduleTicks().name();
            byte[] validCampaign = fixture.topics.campaigns().valueSerde().serializer()
                    .serialize(campaigns, Population.campaign("c9", null));
            byte[] validRecipient = fixture.topics.recipients().valueSerde().serializer()
                    .serialize(recipients, Population.recipients(1).values().iterator().next());
            byte[] validTick = fixture.topics.scheduleTicks().valueSerde().serializer()
                    .serialize(ticks, Population.tick("c9", Population.SLOT));
            byte[] wrongMagic = validCampaign.clone();
            wrongMagic[0] = 1;
            byte[] oversized = new byte[900_000];
            java.util.Arrays.fill(oversized, (byte) 'x');

            List<Corpus> corpus = new java.util.ArrayList<>();
            for (String topic : List.of(campaigns, recipients, ticks)) {
                corpus.add(new Corpus(topic, "not Avro", key("k1"), NOT_AVRO));
                corpus.add(new Corpus(topic, "wrong magic byte", key("k2"), wrongMagic));
                corpus.add(new Corpus(topic, "unknown schema id", key("k3"), UNKNOWN_SCHEMA));
                corpus.add(new Corpus(topic, "oversized garbage", key("k4"), oversized));
            }
            // A registered schema of another record: readable, but not as this topic's record.
            corpus.add(new Corpus(campaigns, "a tick's schema", key("c9"), validTick));
            corpus.add(new Corpus(recipients, "a campaign's schema", key("c9"), validCampaign));
            corpus.add(new Corpus(ticks, "a recipient's schema", key("c9"), validRecipient));
            // A null key (a join would drop it) and a tick without a value (ticks have no tombstones). The compacted
            // campaigns and recipients topics refuse null keys at the broker already.
            corpus.add(new Corpus(ticks, "null key", null, validTick));
            corpus.add(new Corpus(ticks, "null value", key("c9"), null));
            // A key that is not the record's id.
            corpus.add(new Corpus(campaigns, "wrong key", key("other"), validCampaign));
            corpus.add(new Corpus(recipients, "wrong key", key("other"), validRecipient));
            corpus.add(new Corpus(ticks, "wrong key", key("other"), validTick));
            for (Corpus c : corpus) {
                c.at = fixture.produceRaw(c.topic, 0, c.key, c.value);
            }

            List<ConsumerRecord<byte[], DeadLetter>> dead = fixture.readCommitted(fixture.topics.deadLetters(),
                    corpus.size());
            for (Corpus c : corpus) {
                ConsumerRecord<byte[], DeadLetter> letter = from(dead, c.at);
                assertThat(letter.value().getValue() == null ? null : array(letter.value().getValue()))
                        .as(c.what + " on " + c.topic).isEqualTo(c.value);
                assertThat(letter.value().getErrorClass()).as(c.what + " on " + c.topic).isNotBlank();
            }
            assertThat(dead).as("one dead letter per malformed record").hasSize(corpus.size());
            assertThat(herald.streams().state()).isEqualTo(org.apache.kafka.streams.KafkaStreams.State.RUNNING);

            fixture.produce(fixture.topics.recipients(), Population.recipients(3));
            fixture.produce(fixture.topics.campaigns(), Map.of("c1", Population.campaign("c1", null)));
            HeraldFixture.await("a valid campaign after the corpus is processed",
                    () -> fixture.getRaw(herald, "/api/campaigns/c1").statusCode() == 200);
            fixture.produce(fixture.topics.scheduleTicks(),
                    Map.of("c1", Population.tick("c1", Population.SLOT)));
            assertThat(fixture.readCommitted(fixture.topics.pushOutbox(), (int) Population.expectedPushMessages(3)))
                    .hasSize((int) Population.expectedPushMessages(3));
        }
    }

    /** One malformed record: what it is, where it went and where it landed. */
    private static final class Corpus {
        final String topic;
        final String what;
        final byte[] key;
        final byte[] value;
        RecordMetadata at;

        Corpus(String topic, String what, byte[] key, byte[] value) {
            this.topic = topic;
            this.what = what;
            this.key = key;
            this.value = value;
        }
    }

    private record Bad(byte[] key, byte[] value, RecordMetadata at) {
    }

    private static ConsumerRecord<byte[], DeadLetter> from(List<ConsumerRecord<byte[], DeadLetter>> dead,
            RecordMetadata at) {
        return dead.stream()
                .filter(d -> at.topic().equals(d.value().getTopic()) && d.value().getPartition() == at.partition()
                        && d.value().getOffset() == at.offset())
                .findFirst()
                .orElseThrow(() -> new AssertionError("no dead letter for " + at + " among " + dead.stream()
                        .map(d -> d.value().getTopic() + "-" + d.value().getPartition() + "@" + d.value().getOffset())
                        .toList()));
    }

    private static byte[] key(String id) {
        return id.getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] array(ByteBuffer buffer) {
        byte[] bytes = new byte[buffer.remaining()];
        buffer.duplicate().get(bytes);
        return bytes;
    }

    private static String header(ConsumerRecord<?, ?> record, String name) {
        Header header = record.headers().lastHeader(name);
        return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }
}

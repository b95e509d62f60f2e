package dev.herald.app.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.herald.app.Herald;
import dev.herald.app.HeraldConfig;
import dev.herald.devstack.EmbeddedKafka;
import dev.herald.devstack.EmbeddedSchemaRegistry;
import dev.herald.avro.MailMessage;
import dev.herald.avro.PushMessage;
import dev.herald.serdes.HttpSchemaRegistryClient;
import dev.herald.topology.HeraldSerdes;
import dev.herald.topology.HeraldTopics;
import dev.herald.topology.Topic;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.BooleanSupplier;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.streams.KafkaStreams;

/**
 * A real KRaft broker and schema registry in this JVM for one test class, and Herald instances started against
 * them as a cluster deployment would start them (own state dir and HTTP port each, shared application id).
 */
final class HeraldFixture implements AutoCloseable {
    static final Duration TIMEOUT = Duration.ofSeconds(90);

    final Path root;
    final EmbeddedKafka kafka;
    final EmbeddedSchemaRegistry registry;
    final HeraldSerdes serdes;
    final HeraldTopics topics;
    final String applicationId = "herald-it-" + UUID.randomUUID().toString().substring(0, 8);
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private final ObjectMapper json = new ObjectMapper();

    HeraldFixture() throws IOException {
        root = Files.createDirectories(Path.of("target", "it", applicationId)).toAbsolutePath();
        kafka = EmbeddedKafka.start(root.resolve("kafka"), 0);
        registry = EmbeddedSchemaRegistry.start(kafka.bootstrapServers(), EmbeddedSchemaRegistry.DEFAULT_TOPIC, "127.0.0.1", 0);
        serdes = HeraldSerdes.using(new HttpSchemaRegistryClient(URI.create(registry.url())));
        topics = HeraldTopics.of("herald.", serdes);
    }

    /**
     * Settings of instance {@code name}: cluster mode against this fixture, fast scheduler and fan-out, HTTP on a
     * port the instance binds itself (0) and advertises, so no other process can take it between pick and bind.
     */
    Map<String, String> settings(String name, int recipientsPartitions) {
        Map<String, String> s = new HashMap<>();
        s.put("herald.bootstrap.servers", kafka.bootstrapServers());
        s.put("herald.schema.registry.url", registry.url());
        s.put("herald.application.id", applicationId);
        s.put("herald.data.dir", root.resolve(name).toString());
        s.put("herald.http.host", "127.0.0.1");
        s.put("herald.http.port", "0");
        s.put("herald.advertised.host", "127.0.0.1");
        s.put("herald.recipients.partitions", Integer.toString(recipientsPartitions));
        s.put("herald.scheduler.interval", "200ms");
        s.put("herald.fanout.interval", "50ms");
        s.put("herald.demo", "false");
        // Rebalances and commits fast enough for a test; still exactly-once.
        s.put("kafka.commit.interval.ms", "100");
        s.put("kafka.consumer.session.timeout.ms", "10000");
        s.put("kafka.consumer.heartbeat.interval.ms", "500");
        s.put("kafka.num.standby.replicas", "0");
        return s;
    }

    Herald start(Map<String, String> settings) {
        return Herald.start(HeraldConfig.from(settings));
    }

    <V> void produce(Topic<String, V> topic, Map<String, V> records) {
        Map<String, Object> config = Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(),
                ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.LINGER_MS_CONFIG, 5);
        try (KafkaProducer<String, V> producer = new KafkaProducer<>(config, topic.keySerde().serializer(),
                topic.valueSerde().serializer())) {
            records.forEach((key, value) -> producer.send(new ProducerRecord<>(topic.name(), key, value)));
            producer.flush();
        }
    }

    /** Sends {@code value} as it is (bytes no serializer would write) to {@code partition}; where it landed. */
    RecordMetadata produceRaw(String topic, int partition, byte[] key, byte[] value) throws Exception {
        Map<String, Object> config = Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(),
                ProducerConfig.ACKS_CONFIG, "all");
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(config, new ByteArraySerializer(),
                new ByteArraySerializer())) {
            return producer.send(new ProducerRecord<>(topic, partition, key, value)).get();
        }
    }

    /** Everything committed on {@code topic} now, as a read_committed consumer sees it. */
    <K, V> List<ConsumerRecord<K, V>> readCommitted(Topic<K, V> topic) {
        return readCommitted(topic, 0);
    }

    /**
     * What a read_committed consumer sees on {@code topic} once it holds at least {@code expected} records (or the
     * deadline passed), read on to the end offsets after that, so any record beyond the expected ones is there too:
     * a transaction can commit after a first look at the end offsets, so one snapshot could miss records.
     */
    <K, V> List<ConsumerRecord<K, V>> readCommitted(Topic<K, V> topic, int expected) {
        Map<String, Object> config = Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(),
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, IsolationLevel.READ_COMMITTED.toString().toLowerCase(),
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        try (KafkaConsumer<K, V> consumer = new KafkaConsumer<>(config, topic.keySerde().deserializer(),
                topic.valueSerde().deserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic.name()).stream()
                    .map(p -> new TopicPartition(topic.name(), p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            List<ConsumerRecord<K, V>> out = new ArrayList<>();
            long deadline = System.nanoTime() + TIMEOUT.toNanos();
            while (true) {
                Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
                while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p))) {
                    assertThat(System.nanoTime()).as("reading " + topic.name()).isLessThan(deadline);
                    consumer.poll(Duration.ofMillis(200)).forEach(out::add);
                }
                if (out.size() >= expected || System.nanoTime() > deadline) {
                    return out;
                }
                consumer.poll(Duration.ofMillis(200)).forEach(out::add);
            }
        }
    }

    /** The committed outboxes of a finished run over {@link Population}, checked against its HTTP run summary. */
    Outboxes assertOutboxesMatchRun(Herald herald, String runPath, int recipients) {
        List<ConsumerRecord<String, PushMessage>> push =
                readCommitted(topics.pushOutbox(), (int) Population.expectedPushMessages(recipients));
        List<ConsumerRecord<String, MailMessage>> mail =
                readCommitted(topics.mailOutbox(), (int) Population.expectedMailMessages(recipients));
        assertThat(push).hasSize((int) Population.expectedPushMessages(recipients));
        assertThat(mail).hasSize((int) Population.expectedMailMessages(recipients));
        assertThat(push.stream().map(r -> r.value().getMessageId()).distinct()).hasSize(push.size());
        assertThat(mail.stream().map(r -> r.value().getMessageId()).distinct()).hasSize(mail.size());
        JsonNode run = get(herald, runPath);
        assertThat(run.path("expected").asLong()).isEqualTo(2L * recipients);
        assertThat(run.path("push").path("messages").asLong()).isEqualTo(push.size());
        assertThat(run.path("mail").path("messages").asLong()).isEqualTo(mail.size());
        return new Outboxes(push, mail, run);
    }

    record Outboxes(List<ConsumerRecord<String, PushMessage>> push, List<ConsumerRecord<String, MailMessage>> mail,
            JsonNode run) {
    }

    JsonNode get(Herald herald, String path) {
        HttpResponse<String> response = getRaw(herald, path);
        assertThat(response.statusCode()).as("GET " + path + " -> " + response.body()).isEqualTo(200);
        try {
            return json.readTree(response.body());
        } catch (IOException e) {
            throw new AssertionError("not JSON: " + response.body(), e);
        }
    }

    HttpResponse<String> getRaw(Herald herald, String path) {
        try {
            return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + herald.httpPort() + path))
                    .timeout(Duration.ofSeconds(10)).GET().build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new AssertionError("GET " + path + " failed: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    static void awaitRunning(Herald... instances) {
        await("Kafka Streams RUNNING", () -> java.util.Arrays.stream(instances)
                .allMatch(h -> h.streams().state() == KafkaStreams.State.RUNNING));
    }

    /**
     * Waits until {@code condition} holds. A condition that fails (a 503 during a rebalance or restore, a 404 before
     * a record is processed: documented, passing states) is asked again; the last failure is the timeout's cause.
     */
    static void await(String what, BooleanSupplier condition) {
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        Throwable lastFailure = null;
        while (true) {
            try {
                if (condition.getAsBoolean()) {
                    return;
                }
            } catch (AssertionError | RuntimeException e) {
                lastFailure = e;
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for " + what, lastFailure);
            }
            try {
                Thread.sleep(200);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
    }

    @Override
    public void close() {
        registry.close();
        kafka.close();
    }
}

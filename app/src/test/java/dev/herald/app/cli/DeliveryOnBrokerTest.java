package dev.herald.app.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.herald.app.Herald;
import dev.herald.app.HeraldConfig;
import dev.herald.app.Senders;
import dev.herald.avro.Channel;
import dev.herald.avro.MailMessage;
import dev.herald.avro.Parked;
import dev.herald.avro.PushMessage;
import dev.herald.avro.PushPlatform;
import dev.herald.avro.Receipt;
import dev.herald.avro.ReceiptStatus;
import dev.herald.devstack.EmbeddedKafka;
import dev.herald.devstack.EmbeddedSchemaRegistry;
import dev.herald.serdes.HttpSchemaRegistryClient;
import dev.herald.topology.HeraldSerdes;
import dev.herald.topology.HeraldTopics;
import dev.herald.topology.Topic;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.BooleanSupplier;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.streams.KafkaStreams;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Herald with its senders in-process (log transports) on a real broker: the topic setup makes the delivery
 * topics, outbox messages get receipts and JSON lines under the data directory, and the command line lists and
 * replays parked messages.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DeliveryOnBrokerTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    private Path root;
    private EmbeddedKafka kafka;
    private EmbeddedSchemaRegistry registry;
    private Herald herald;
    private HeraldTopics topics;
    private Map<String, String> env;

    @BeforeAll
    void start() throws IOException {
        String id = "herald-delivery-" + UUID.randomUUID().toString().substring(0, 8);
        root = Files.createDirectories(Path.of("target", "it", id)).toAbsolutePath();
        kafka = EmbeddedKafka.start(root.resolve("kafka"), 0);
        registry = EmbeddedSchemaRegistry.start(kafka.bootstrapServers(), EmbeddedSchemaRegistry.DEFAULT_TOPIC,
                "127.0.0.1", 0);
        Map<String, String> s = new HashMap<>();
        s.put("herald.bootstrap.servers", kafka.bootstrapServers());
        s.put("herald.schema.registry.url", registry.url());
        s.put("herald.application.id", id);
        s.put("herald.data.dir", root.resolve("herald").toString());
        s.put("herald.http.host", "127.0.0.1");
        s.put("herald.http.port", "0");
        s.put("herald.advertised.host", "127.0.0.1");
        s.put("herald.demo", "false");
        s.put("herald.sender.enabled", "true");
        s.put("herald.sender.retry.backoffs", "100ms,200ms");
        s.put("kafka.commit.interval.ms", "100");
        herald = Herald.start(HeraldConfig.from(s));
        topics = HeraldTopics.of("herald.", HeraldSerdes.using(new HttpSchemaRegistryClient(URI.create(registry.url()))));
        env = Map.of("HERALD_BOOTSTRAP_SERVERS", kafka.bootstrapServers(),
                "HERALD_SCHEMA_REGISTRY_URL", registry.url());
        await("Kafka Streams RUNNING", () -> herald.streams().state() == KafkaStreams.State.RUNNING);
    }

    @AfterAll
    void stop() {
        if (herald != null) {
            herald.close();
        }
        if (registry != null) {
            registry.close();
        }
        if (kafka != null) {
            kafka.close();
        }
    }

    @Test
    void outboxMessagesGetReceiptsAndLogLinesThenParkedOnesAreListedAndReplayed() throws Exception {
        assertThat(herald.senders()).isNotNull();
        List<MailMessage> mails = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            mails.add(mail("mail-" + i, "r-" + i));
        }
        produce(topics.mailOutbox(), mails.stream().map(m -> Map.entry(m.getRecipientId(), m)).toList());
        produce(topics.pushOutbox(), List.of(Map.entry("r-1", push("push-1", "r-1"))));

        List<Receipt> receipts = await(topics.receipts(), 21);
        assertThat(receipts).hasSize(21).extracting(Receipt::getStatus).containsOnly(ReceiptStatus.DELIVERED);
        assertThat(receipts).extracting(Receipt::getAttempt).containsOnly(1);
        Path mailLog = Senders.logFile(herald.config(), "mail");
        List<String> lines = Files.readAllLines(mailLog);
        assertThat(lines).hasSize(20);
        JsonNode first = new ObjectMapper().readTree(lines.get(0));
        assertThat(first.get("messageId").asText()).startsWith("mail-");
        assertThat(Files.readAllLines(Senders.logFile(herald.config(), "push"))).hasSize(1);

        // A parked mail (as a sender parks it after its last retry), listed and replayed by the command line.
        Parked parked = Parked.newBuilder().setChannel(Channel.MAIL).setMail(mail("mail-parked", "r-99"))
                .setAttempts(4).setProviderCode("421").setDetail("service not available")
                .setParkedAt(Instant.now()).build();
        produce(topics.parked(), List.of(Map.entry("r-99", parked)));

        CliRun list = CliRun.run(env, "parked", "list");
        assertThat(list.exitCode()).as(list.toString()).isZero();
        assertThat(list.out()).contains("mail-parked", "r-99", "421", "service not available", "1 parked");
        CliRun listJson = CliRun.run(env, "-o", "json", "parked", "list");
        assertThat(new ObjectMapper().readTree(listJson.out()).get(0).get("messageId").asText())
                .isEqualTo("mail-parked");

        CliRun usage = CliRun.run(env, "parked", "replay");
        assertThat(usage.exitCode()).as(usage.toString()).isEqualTo(2);
        CliRun unknown = CliRun.run(env, "parked", "replay", "no-such-message");
        assertThat(unknown.exitCode()).as(unknown.toString()).isEqualTo(4);
        CliRun dry = CliRun.run(env, "parked", "replay", "--all", "--dry-run");
        assertThat(dry.exitCode()).as(dry.toString()).isZero();
        assertThat(dry.out()).contains("would replay to herald.mail-retry", "would replay 1");

        CliRun replay = CliRun.run(env, "parked", "replay", "mail-parked");
        assertThat(replay.exitCode()).as(replay.toString()).isZero();
        assertThat(replay.out()).contains("replayed to herald.mail-retry", "replayed 1");

        List<Receipt> after = await(topics.receipts(), 22);
        Receipt replayed = after.stream().filter(r -> r.getMessageId().equals("mail-parked")).findFirst()
                .orElseThrow();
        assertThat(replayed.getStatus()).isEqualTo(ReceiptStatus.DELIVERED);
        assertThat(replayed.getAttempt()).isEqualTo(1);
        assertThat(replayed.getReplay()).as("its run replaces the FAILED receipt with this one").isTrue();
        assertThat(Files.readAllLines(mailLog)).hasSize(21).anyMatch(l -> l.contains("\"mail-parked\""));
    }

    private static MailMessage mail(String id, String recipient) {
        return MailMessage.newBuilder().setMessageId(id).setCampaignId("c").setRunId("c@1").setRecipientId(recipient)
                .setTo(recipient + "@example.com").setSubject("Hello").setText("Hi").setHtml(null).setLocale(null)
                .setCreatedAt(Instant.now()).build();
    }

    private static PushMessage push(String id, String recipient) {
        return PushMessage.newBuilder().setMessageId(id).setCampaignId("c").setRunId("c@1").setRecipientId(recipient)
                .setPlatform(PushPlatform.values()[0]).setToken("tok").setTitle("Hello").setBody("Hi")
                .setLocale(null).setCreatedAt(Instant.now()).build();
    }

    private <V> void produce(Topic<String, V> topic, List<Map.Entry<String, V>> records) {
        Map<String, Object> config = Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        try (KafkaProducer<String, V> producer = new KafkaProducer<>(config, topic.keySerde().serializer(),
                topic.valueSerde().serializer())) {
            records.forEach(r -> producer.send(new ProducerRecord<>(topic.name(), r.getKey(), r.getValue())));
            producer.flush();
        }
    }

    /** What a read_committed consumer sees on the topic once it holds {@code expected} records. */
    private <V> List<V> await(Topic<String, V> topic, int expected) {
        Map<String, Object> config = Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(),
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        try (KafkaConsumer<String, V> consumer = new KafkaConsumer<>(config, topic.keySerde().deserializer(),
                topic.valueSerde().deserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic.name()).stream()
                    .map(p -> new TopicPartition(topic.name(), p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            List<V> out = new ArrayList<>();
            long deadline = System.nanoTime() + TIMEOUT.toNanos();
            while (out.size() < expected && System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(200)).forEach(r -> out.add(r.value()));
            }
            return out;
        }
    }

    private static void await(String what, BooleanSupplier condition) {
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime()).as(what).isLessThan(deadline);
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
    }
}

package dev.herald.devstack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EmbeddedKafkaTest {

    @TempDir
    Path dir;

    @Test
    void acceptsTopicsTransactionalWritesAndReadCommittedGroupConsumers() throws Exception {
        try (EmbeddedKafka kafka = EmbeddedKafka.start(dir.resolve("kafka"), 0)) {
            assertThat(kafka.bootstrapServers()).matches("127\\.0\\.0\\.1:\\d+");
            createTopic(kafka, "orders", 2);

            try (KafkaProducer<String, String> producer = transactionalProducer(kafka)) {
                producer.initTransactions();
                producer.beginTransaction();
                producer.send(new ProducerRecord<>("orders", "a", "committed-1"));
                producer.send(new ProducerRecord<>("orders", "b", "committed-2"));
                producer.commitTransaction();
                producer.beginTransaction();
                producer.send(new ProducerRecord<>("orders", "a", "aborted"));
                producer.flush();
                producer.abortTransaction();
            }

            try (KafkaConsumer<String, String> consumer = readCommittedConsumer(kafka, "group-1")) {
                consumer.subscribe(List.of("orders"));
                List<String> values = pollValues(consumer, 2);
                assertThat(values).containsExactlyInAnyOrder("committed-1", "committed-2");
                consumer.commitSync();
                Map<TopicPartition, OffsetAndMetadata> committed = consumer.committed(
                        Set.of(new TopicPartition("orders", 0), new TopicPartition("orders", 1)));
                assertThat(committed.values()).allSatisfy(offset -> assertThat(offset).isNotNull());
            }
        }
    }

    @Test
    void dataSurvivesARestart() throws Exception {
        Path data = dir.resolve("kafka");
        String clusterId;
        OffsetAndMetadata committedBefore;
        EmbeddedKafka kafka = EmbeddedKafka.start(data, 0);
        try {
            clusterId = kafka.clusterId();
            createTopic(kafka, "kept", 1);
            try (KafkaProducer<String, String> producer = transactionalProducer(kafka)) {
                producer.initTransactions();
                producer.beginTransaction();
                producer.send(new ProducerRecord<>("kept", "k", "before-restart"));
                producer.commitTransaction();
            }
            try (KafkaConsumer<String, String> consumer = readCommittedConsumer(kafka, "kept-group")) {
                consumer.subscribe(List.of("kept"));
                assertThat(pollValues(consumer, 1)).containsExactly("before-restart");
                consumer.commitSync();
                committedBefore = consumer.committed(Set.of(new TopicPartition("kept", 0)))
                        .get(new TopicPartition("kept", 0));
            }
            assertThatThrownBy(() -> EmbeddedKafka.start(data, 0))
                    .as("a second broker on a directory in use")
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining(data.toAbsolutePath().toString())
                    .hasMessageContaining("in use");
        } finally {
            kafka.close();
        }
        // Shutdown paths may reach close twice; the second must be a no-op, not a second shutdown.
        kafka.close();
        assertThat(data.resolve("meta.properties")).exists();

        try (EmbeddedKafka restarted = EmbeddedKafka.start(data, 0)) {
            assertThat(restarted.clusterId()).isEqualTo(clusterId);
            try (Admin admin = admin(restarted)) {
                assertThat(admin.listTopics().names().get()).contains("kept");
                assertThat(admin.describeCluster().clusterId().get()).isEqualTo(clusterId);
                assertThat(admin.listConsumerGroupOffsets("kept-group").partitionsToOffsetAndMetadata().get())
                        .containsEntry(new TopicPartition("kept", 0), committedBefore);
            }
            try (KafkaConsumer<String, String> consumer = readCommittedConsumer(restarted, "fresh-group")) {
                consumer.subscribe(List.of("kept"));
                assertThat(pollValues(consumer, 1)).containsExactly("before-restart");
            }
            // Transactions still work after the restart: the transaction state log came back too.
            try (KafkaProducer<String, String> producer = transactionalProducer(restarted)) {
                producer.initTransactions();
                producer.beginTransaction();
                producer.send(new ProducerRecord<>("kept", "k", "after-restart"));
                producer.commitTransaction();
            }
        }
    }

    @Test
    void refusesAPortInUseNamingPortAndDirectory() throws Exception {
        try (java.net.ServerSocket taken = new java.net.ServerSocket(0, 1,
                java.net.InetAddress.getByName("127.0.0.1"))) {
            Path data = dir.resolve("busy");
            assertThatThrownBy(() -> EmbeddedKafka.start(data, taken.getLocalPort()))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining(String.valueOf(taken.getLocalPort()))
                    .hasMessageContaining(data.toAbsolutePath().toString());
            assertThat(Files.exists(data.resolve("meta.properties"))).isFalse();
        }
    }

    private static void createTopic(EmbeddedKafka kafka, String name, int partitions) throws Exception {
        try (Admin admin = admin(kafka)) {
            admin.createTopics(List.of(new NewTopic(name, partitions, (short) 1))).all().get();
        }
    }

    private static Admin admin(EmbeddedKafka kafka) {
        return Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()));
    }

    private static KafkaProducer<String, String> transactionalProducer(EmbeddedKafka kafka) {
        return new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(),
                ProducerConfig.TRANSACTIONAL_ID_CONFIG, "tx-" + UUID.randomUUID(),
                ProducerConfig.MAX_BLOCK_MS_CONFIG, 30_000),
                new StringSerializer(), new StringSerializer());
    }

    private static KafkaConsumer<String, String> readCommittedConsumer(EmbeddedKafka kafka, String group) {
        return new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(),
                ConsumerConfig.GROUP_ID_CONFIG, group,
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false),
                new StringDeserializer(), new StringDeserializer());
    }

    private static List<String> pollValues(KafkaConsumer<String, String> consumer, int expected) {
        List<String> values = new ArrayList<>();
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (values.size() < expected && System.nanoTime() < deadline) {
            for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(200))) {
                values.add(record.value());
            }
        }
        // One more short poll: an aborted record or a duplicate would show up here.
        consumer.poll(Duration.ofMillis(300)).forEach(record -> values.add(record.value()));
        return values;
    }
}

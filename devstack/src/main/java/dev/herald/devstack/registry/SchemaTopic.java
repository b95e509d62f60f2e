package dev.herald.devstack.registry;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The one-partition compacted topic the registry keeps its state in: created if missing, read whole, appended to. */
public final class SchemaTopic implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(SchemaTopic.class);
    private static final Duration KAFKA_TIMEOUT = Duration.ofSeconds(30);
    private static final Duration WRITE_TIMEOUT = Duration.ofSeconds(20);

    private final String topic;
    private final String bootstrapServers;
    private final Map<String, Object> consumerConfig;
    private final KafkaProducer<byte[], byte[]> producer;
    private final ObjectMapper json;

    private SchemaTopic(String bootstrapServers, String topic, ObjectMapper json) {
        this.topic = topic;
        this.bootstrapServers = bootstrapServers;
        this.json = json;
        this.consumerConfig = Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ConsumerConfig.CLIENT_ID_CONFIG, "herald-schema-registry-reader",
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                ConsumerConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) KAFKA_TIMEOUT.toMillis());
        this.producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ProducerConfig.CLIENT_ID_CONFIG, "herald-schema-registry-writer",
                ProducerConfig.ACKS_CONFIG, "all",
                // Idempotent: one operation's records (a subject's soft deletes, say) land in order, each once.
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true,
                ProducerConfig.LINGER_MS_CONFIG, 0,
                ProducerConfig.MAX_BLOCK_MS_CONFIG, (int) WRITE_TIMEOUT.toMillis(),
                ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 10_000,
                ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 15_000),
                new ByteArraySerializer(), new ByteArraySerializer());
    }

    /**
     * Creates {@code topic} at {@code bootstrapServers} if missing (compacted, one partition) and opens it.
     *
     * @throws IllegalStateException naming the broker and topic when that fails or the topic has other partitions
     */
    public static SchemaTopic open(String bootstrapServers, String topic, ObjectMapper json) {
        ensureTopic(bootstrapServers, topic);
        return new SchemaTopic(bootstrapServers, topic, json);
    }

    public String name() {
        return topic;
    }

    /**
     * Hands every readable record, oldest first, to {@code sink}, up to the end offset seen when starting; an
     * unreadable record is logged and skipped, so one bad record does not take the other schemas down with it.
     *
     * @return how many records were read
     * @throws IllegalStateException when the topic cannot be read to its end in time
     */
    long readAll(Consumer<StoredRecord> sink) {
        TopicPartition partition = new TopicPartition(topic, 0);
        long records = 0;
        try (KafkaConsumer<byte[], byte[]> consumer =
                     new KafkaConsumer<>(consumerConfig, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            consumer.assign(List.of(partition));
            consumer.seekToBeginning(List.of(partition));
            long end = consumer.endOffsets(List.of(partition)).get(partition);
            long deadline = System.nanoTime() + KAFKA_TIMEOUT.toNanos();
            while (consumer.position(partition) < end) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("Schema registry could not read topic " + topic + " to offset "
                            + end + " within " + KAFKA_TIMEOUT.toSeconds() + " s (at " + consumer.position(partition)
                            + ")");
                }
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                    records++;
                    decode(record).ifPresent(sink);
                }
            }
        } catch (KafkaException e) {
            throw new IllegalStateException("Schema registry could not read topic " + topic + " at "
                    + bootstrapServers + ": " + e, e);
        }
        return records;
    }

    private Optional<StoredRecord> decode(ConsumerRecord<byte[], byte[]> record) {
        try {
            return Optional.of(StoredRecord.decode(record.key(), record.value(), json));
        } catch (IOException | RuntimeException e) {
            log.warn("Skipping unreadable record at offset {} of schema topic {}: {}", record.offset(), topic,
                    e.toString());
            return Optional.empty();
        }
    }

    /**
     * Appends {@code records} in order and waits until all are stored.
     *
     * @throws ApiException 50001 when any is not stored; some may have been, so callers re-read the topic
     */
    void write(List<StoredRecord> records) {
        List<Future<RecordMetadata>> sent = new ArrayList<>();
        try {
            for (StoredRecord record : records) {
                StoredRecord.Bytes bytes = StoredRecord.encode(record, json);
                sent.add(producer.send(new ProducerRecord<>(topic, 0, bytes.key(), bytes.value())));
            }
            long deadline = System.nanoTime() + WRITE_TIMEOUT.toNanos();
            for (Future<RecordMetadata> future : sent) {
                future.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw ApiException.storeError("Interrupted while writing to the schema topic " + topic);
        } catch (ExecutionException | TimeoutException | KafkaException e) {
            Throwable cause = e instanceof ExecutionException && e.getCause() != null ? e.getCause() : e;
            log.warn("Could not write {} record(s) to schema topic {}", records.size(), topic, cause);
            throw ApiException.storeError("Error in the backend data store: could not write to topic " + topic + ": "
                    + cause);
        }
    }

    @Override
    public void close() {
        producer.close(Duration.ofSeconds(5));
    }

    /**
     * The topic's description, waiting while the broker answering does not know the topic yet: a create completes
     * before every broker's metadata has it, so a describe right after it can fail with UnknownTopicOrPartition.
     */
    private static TopicDescription describe(Admin admin, String topic)
            throws ExecutionException, TimeoutException, InterruptedException {
        long deadline = System.nanoTime() + KAFKA_TIMEOUT.toNanos();
        while (true) {
            try {
                return admin.describeTopics(List.of(topic)).allTopicNames()
                        .get(KAFKA_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS).get(topic);
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof UnknownTopicOrPartitionException) || System.nanoTime() > deadline) {
                    throw e;
                }
                Thread.sleep(100);
            }
        }
    }

    private static void ensureTopic(String bootstrapServers, String topic) {
        Map<String, Object> config = Map.of(
                AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                AdminClientConfig.CLIENT_ID_CONFIG, "herald-schema-registry-admin",
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) KAFKA_TIMEOUT.toMillis());
        try (Admin admin = Admin.create(config)) {
            // The broker's default replication factor: 1 on the embedded broker, the cluster's choice elsewhere.
            NewTopic newTopic = new NewTopic(topic, Optional.of(1), Optional.empty())
                    .configs(Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT));
            try {
                admin.createTopics(List.of(newTopic)).all().get(KAFKA_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
                log.info("Created schema topic {}", topic);
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof TopicExistsException)) {
                    throw e;
                }
            }
            TopicDescription description = describe(admin, topic);
            if (description.partitions().size() != 1) {
                // Versions and ids are assigned in topic order, which only one partition has.
                throw new IllegalStateException("Schema topic " + topic + " at " + bootstrapServers + " has "
                        + description.partitions().size() + " partitions; the registry needs exactly 1");
            }
        } catch (ExecutionException | TimeoutException e) {
            Throwable cause = e instanceof ExecutionException && e.getCause() != null ? e.getCause() : e;
            throw new IllegalStateException("Schema registry cannot create or describe topic " + topic + " at "
                    + bootstrapServers + ": " + cause, cause);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while preparing schema topic " + topic, e);
        }
    }
}

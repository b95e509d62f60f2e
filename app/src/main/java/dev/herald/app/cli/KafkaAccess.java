package dev.herald.app.cli;

import dev.herald.app.HeraldConfig;
import dev.herald.avro.Campaign;
import dev.herald.serdes.SchemaRegistryException;
import dev.herald.topology.HeraldTopics;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndTimestamp;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.common.utils.Utils;

/**
 * The command line's Kafka clients: producers that fail fast when the cluster is away, and read_committed reads of
 * a topic to its current end (a compacted topic's latest value for a key, the dead letters).
 */
final class KafkaAccess {
    /** A command waits this long for the cluster before it says it cannot reach it. */
    private static final int BLOCK_MS = 15_000;

    private final HeraldConfig.ClientSettings settings;
    private final HeraldTopics topics;

    KafkaAccess(HeraldConfig.ClientSettings settings, HeraldTopics topics) {
        this.settings = settings;
        this.topics = topics;
    }

    HeraldTopics topics() {
        return topics;
    }

    /** A producer for a few records: idempotent, acks from every in-sync replica. */
    <K, V> KafkaProducer<K, V> producer(Serializer<K> keys, Serializer<V> values) {
        return producer(keys, values, Map.of());
    }

    /**
     * A producer for bulk imports: large lz4-compressed batches that wait a little to fill up, so a million records
     * travel in a few hundred requests; still idempotent, so a retried batch is not written twice.
     */
    <K, V> KafkaProducer<K, V> bulkProducer(Serializer<K> keys, Serializer<V> values) {
        return producer(keys, values, Map.of(
                ProducerConfig.LINGER_MS_CONFIG, 100,
                ProducerConfig.BATCH_SIZE_CONFIG, 512 * 1024,
                ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4",
                ProducerConfig.BUFFER_MEMORY_CONFIG, 128L * 1024 * 1024));
    }

    private <K, V> KafkaProducer<K, V> producer(Serializer<K> keys, Serializer<V> values, Map<String, Object> more) {
        Map<String, Object> config = new HashMap<>(client());
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        config.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, BLOCK_MS);
        config.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 60_000);
        config.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 30_000);
        config.putAll(more);
        // The operator's kafka.* settings win, as for the server.
        config.putAll(settings.kafka());
        config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, settings.bootstrapServers());
        return new KafkaProducer<>(config, keys, values);
    }

    /** The latest definition of campaign {@code id} on the campaigns topic; empty when never written or deleted. */
    Optional<Campaign> campaign(String id) {
        String topic = topics.campaigns().name();
        try (KafkaConsumer<byte[], byte[]> consumer = consumer()) {
            List<PartitionInfo> partitions = partitions(consumer, topic);
            // The partition the Java client's default partitioner (murmur2) puts the key in, as Herald requires.
            byte[] key = topics.campaigns().keySerde().serializer().serialize(topic, id);
            TopicPartition partition = new TopicPartition(topic, Utils.toPositive(Utils.murmur2(key))
                    % partitions.size());
            Campaign[] latest = {null};
            readToEnd(consumer, List.of(partition), Map.of(), record -> {
                if (id.equals(topics.campaigns().keySerde().deserializer().deserialize(topic, record.key()))) {
                    latest[0] = record.value() == null ? null
                            : topics.campaigns().valueSerde().deserializer().deserialize(topic, record.value());
                }
            });
            return Optional.ofNullable(latest[0]);
        } catch (SerializationException | SchemaRegistryException e) {
            throw new CliException(ExitCodes.UNAVAILABLE, "cannot read " + topic + ": " + e.getMessage(), e);
        } catch (TimeoutException e) {
            throw unreachable(e);
        }
    }

    /** Every record of {@code topic}, from {@code since} (epoch millis; 0: the beginning) to its current end. */
    void readAll(String topic, long since, Consumer<ConsumerRecord<byte[], byte[]>> each) {
        try (KafkaConsumer<byte[], byte[]> consumer = consumer()) {
            List<TopicPartition> partitions = partitions(consumer, topic).stream()
                    .map(p -> new TopicPartition(topic, p.partition())).toList();
            Map<TopicPartition, Long> start = new HashMap<>();
            if (since > 0) {
                Map<TopicPartition, Long> query = new HashMap<>();
                partitions.forEach(p -> query.put(p, since));
                Map<TopicPartition, OffsetAndTimestamp> found = consumer.offsetsForTimes(query);
                Map<TopicPartition, Long> ends = consumer.endOffsets(partitions);
                partitions.forEach(p -> start.put(p, found.get(p) == null ? ends.get(p) : found.get(p).offset()));
            }
            readToEnd(consumer, partitions, start, each);
        } catch (TimeoutException e) {
            throw unreachable(e);
        }
    }

    /** Waits for every send; the first failure is the command's. */
    static void awaitAll(List<? extends Future<?>> sends, String what) {
        for (Future<?> send : sends) {
            try {
                send.get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new CliException(ExitCodes.UNAVAILABLE, "interrupted while " + what, e);
            } catch (ExecutionException e) {
                throw new CliException(ExitCodes.UNAVAILABLE, "could not finish " + what + ": "
                        + e.getCause().getMessage(), e.getCause());
            }
        }
    }

    CliException unreachable(KafkaException e) {
        return new CliException(ExitCodes.UNAVAILABLE, "cannot reach Kafka at " + settings.bootstrapServers()
                + " (is it running? set --bootstrap.servers or herald.bootstrap.servers): " + e.getMessage(), e);
    }

    private void readToEnd(KafkaConsumer<byte[], byte[]> consumer, List<TopicPartition> partitions,
            Map<TopicPartition, Long> start, Consumer<ConsumerRecord<byte[], byte[]>> each) {
        consumer.assign(partitions);
        consumer.seekToBeginning(partitions);
        start.forEach(consumer::seek);
        Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
        List<TopicPartition> open = new ArrayList<>(partitions);
        while (true) {
            open.removeIf(p -> consumer.position(p) >= end.get(p));
            if (open.isEmpty()) {
                return;
            }
            consumer.poll(Duration.ofMillis(500)).forEach(each);
        }
    }

    private List<PartitionInfo> partitions(KafkaConsumer<byte[], byte[]> consumer, String topic) {
        List<PartitionInfo> partitions = consumer.partitionsFor(topic);
        if (partitions == null || partitions.isEmpty()) {
            throw new CliException(ExitCodes.UNAVAILABLE, "topic " + topic + " does not exist on "
                    + settings.bootstrapServers() + " (has Herald been started against this cluster?)");
        }
        return partitions;
    }

    private KafkaConsumer<byte[], byte[]> consumer() {
        Map<String, Object> config = new HashMap<>(client());
        config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, IsolationLevel.READ_COMMITTED.toString().toLowerCase());
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        config.put(ConsumerConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, BLOCK_MS);
        config.put(ConsumerConfig.REQUEST_TIMEOUT_MS_CONFIG, BLOCK_MS);
        config.putAll(settings.kafka());
        config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, settings.bootstrapServers());
        return new KafkaConsumer<>(config, new ByteArrayDeserializer(), new ByteArrayDeserializer());
    }

    private Map<String, Object> client() {
        Map<String, Object> config = new HashMap<>();
        config.put(ProducerConfig.CLIENT_ID_CONFIG, "herald-cli");
        return config;
    }
}

package dev.herald.bench;

import dev.herald.avro.Recipient;
import dev.herald.devstack.EmbeddedKafka;
import dev.herald.devstack.EmbeddedSchemaRegistry;
import dev.herald.serdes.HttpSchemaRegistryClient;
import dev.herald.topology.HeraldSerdes;
import dev.herald.topology.HeraldTopics;
import dev.herald.topology.Topic;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;

/**
 * The broker and schema registry every case runs against, in the harness's JVM (the embedded default's own servers),
 * with what the cases need of them: fast loading, offsets, a group's progress, clean-up.
 */
final class BenchBroker implements AutoCloseable {
    // Replaced by restartKafka(): same data directory, same port, so clients reconnect to the broker they knew.
    private volatile EmbeddedKafka kafka;
    private final EmbeddedSchemaRegistry registry;
    private final HeraldSerdes serdes;
    private final Admin admin;

    private BenchBroker(EmbeddedKafka kafka, EmbeddedSchemaRegistry registry) {
        this.kafka = kafka;
        this.registry = registry;
        this.serdes = HeraldSerdes.using(new HttpSchemaRegistryClient(URI.create(registry.url())));
        this.admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()));
    }

    static BenchBroker start(Path dataDir) {
        EmbeddedKafka kafka = EmbeddedKafka.start(dataDir, 0);
        try {
            EmbeddedSchemaRegistry registry = EmbeddedSchemaRegistry.start(kafka.bootstrapServers(),
                    EmbeddedSchemaRegistry.DEFAULT_TOPIC, "127.0.0.1", 0);
            return new BenchBroker(kafka, registry);
        } catch (RuntimeException e) {
            kafka.close();
            throw e;
        }
    }

    String bootstrapServers() {
        return kafka.bootstrapServers();
    }

    /**
     * Stops the broker in order and starts it again on the same data directory and port, as an operator restarting
     * it would: every client (Herald's, the registry's, this one's) keeps its address and reconnects.
     */
    void restartKafka() {
        Path dir = kafka.dataDir();
        String bootstrap = kafka.bootstrapServers();
        int port = Integer.parseInt(bootstrap.substring(bootstrap.lastIndexOf(':') + 1));
        kafka.close();
        kafka = EmbeddedKafka.start(dir, port);
    }

    String registryUrl() {
        return registry.url();
    }

    HeraldSerdes serdes() {
        return serdes;
    }

    Admin admin() {
        return admin;
    }

    HeraldTopics topics(String prefix) {
        return HeraldTopics.of(prefix, serdes);
    }

    /**
     * Writes the recipients of {@code indices} as fast as a careful producer can: batched and lingering,
     * uncompressed, acks=all, idempotent. Returns how many it wrote and at what rate.
     */
    Load loadRecipients(Topic<String, Recipient> topic, BenchData data, IntStream indices, int segmentStride) {
        Map<String, Object> config = new HashMap<>();
        config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        config.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "none");
        config.put(ProducerConfig.LINGER_MS_CONFIG, 20);
        config.put(ProducerConfig.BATCH_SIZE_CONFIG, 256 * 1024);
        config.put(ProducerConfig.BUFFER_MEMORY_CONFIG, 64L * 1024 * 1024);
        long start = System.nanoTime();
        long[] count = new long[1];
        try (KafkaProducer<String, Recipient> producer = new KafkaProducer<>(config,
                topic.keySerde().serializer(), topic.valueSerde().serializer())) {
            indices.forEach(i -> {
                producer.send(new ProducerRecord<>(topic.name(), BenchData.id(i), data.recipient(i, segmentStride)));
                count[0]++;
            });
            producer.flush();
        }
        return new Load(count[0], count[0] / seconds(System.nanoTime() - start));
    }

    /** Records written by {@link #loadRecipients}, and how many per second. */
    record Load(long records, double perSecond) {
    }

    /** One record, acknowledged by the broker before this returns. */
    <V> void send(Topic<String, V> topic, String key, V value) {
        try (KafkaProducer<String, V> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(),
                ProducerConfig.ACKS_CONFIG, "all"), topic.keySerde().serializer(), topic.valueSerde().serializer())) {
            producer.send(new ProducerRecord<>(topic.name(), key, value)).get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("could not write to " + topic.name() + ": " + e.getCause(), e.getCause());
        }
    }

    /** Latest offsets of every partition of {@code topics} (uncommitted transactional records included). */
    Map<TopicPartition, Long> endOffsets(Collection<String> topics) {
        try {
            Set<TopicPartition> partitions = admin.describeTopics(topics).allTopicNames().get().values().stream()
                    .flatMap(d -> d.partitions().stream().map(p -> new TopicPartition(d.name(), p.partition())))
                    .collect(Collectors.toSet());
            return admin.listOffsets(partitions.stream().collect(Collectors.toMap(p -> p, p -> OffsetSpec.latest())))
                    .all().get().entrySet().stream()
                    .collect(Collectors.toMap(Map.Entry::getKey, e -> e.getValue().offset()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("could not read offsets of " + topics + ": " + e.getCause(), e.getCause());
        }
    }

    static long total(Map<TopicPartition, Long> offsets) {
        return offsets.values().stream().mapToLong(Long::longValue).sum();
    }

    /** Waits until consumer group {@code group} has committed everything now in {@code topics}. */
    void awaitConsumed(String group, Collection<String> topics, Duration timeout) {
        Map<TopicPartition, Long> end = endOffsets(topics);
        long deadline = System.nanoTime() + timeout.toNanos();
        Map<TopicPartition, Long> lag = end;
        while (System.nanoTime() < deadline) {
            try {
                Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(group)
                        .partitionsToOffsetAndMetadata().get();
                lag = new HashMap<>();
                for (var e : end.entrySet()) {
                    OffsetAndMetadata c = committed.get(e.getKey());
                    long behind = e.getValue() - (c == null ? 0 : c.offset());
                    if (behind > 0) {
                        lag.put(e.getKey(), behind);
                    }
                }
                if (lag.isEmpty()) {
                    return;
                }
            } catch (ExecutionException e) {
                // The group may not exist yet: its first commit comes with its first records.
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
            Bench.sleep(100);
        }
        throw new IllegalStateException("group " + group + " did not consume " + topics + " within " + timeout
                + " (lag " + lag + ")");
    }

    /** Deletes a finished instance's topics: its external ones and its internal changelogs and repartitions. */
    void deleteTopics(String prefix, String applicationId) {
        try {
            List<String> names = admin.listTopics().names().get().stream()
                    .filter(n -> n.startsWith(prefix) || n.startsWith(applicationId + "-")).toList();
            if (!names.isEmpty()) {
                admin.deleteTopics(names).all().get();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException e) {
            Bench.say("could not delete topics of " + applicationId + ": " + e.getCause());
        }
    }

    static double seconds(long nanos) {
        return nanos / 1e9;
    }

    @Override
    public void close() {
        admin.close(Duration.ofSeconds(5));
        registry.close();
        kafka.close();
    }
}

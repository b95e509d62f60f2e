package dev.herald.bench;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * What a read_committed consumer sees of topics, read by polling until a condition or a deadline (never one snapshot:
 * the end moves while Herald commits), and whether a Kafka Streams application has input it has not processed yet.
 */
final class CommittedReader implements AutoCloseable {
    private final KafkaConsumer<byte[], byte[]> consumer;
    private final List<TopicPartition> partitions = new ArrayList<>();
    private final Consumer<ConsumerRecord<byte[], byte[]>> sink;

    /** Reads every partition of {@code topics} from the beginning, handing each committed record to {@code sink}. */
    CommittedReader(BenchBroker broker, Collection<String> topics, Consumer<ConsumerRecord<byte[], byte[]>> sink) {
        this.consumer = consumer(broker);
        this.sink = sink;
        for (String topic : topics) {
            consumer.partitionsFor(topic).forEach(p -> partitions.add(new TopicPartition(topic, p.partition())));
        }
        consumer.assign(partitions);
        consumer.seekToBeginning(partitions);
    }

    private static KafkaConsumer<byte[], byte[]> consumer(BenchBroker broker) {
        return new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers(),
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, IsolationLevel.READ_COMMITTED.toString().toLowerCase(),
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"),
                new ByteArrayDeserializer(), new ByteArrayDeserializer());
    }

    /** Polls until {@code done} holds or {@code timeout} passes; returns whether it held. */
    boolean pollUntil(BooleanSupplier done, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!done.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                return false;
            }
            consumer.poll(Duration.ofMillis(200)).forEach(sink);
        }
        return true;
    }

    /** Polls until this reader has reached the committed end of every partition as it is now (or the deadline). */
    boolean drain(Duration timeout) {
        Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
        return pollUntil(() -> partitions.stream().allMatch(p -> consumer.position(p) >= end.get(p)), timeout);
    }

    @Override
    public void close() {
        consumer.close(Duration.ofSeconds(2));
    }

    /**
     * Whether application {@code applicationId} has processed everything in its input and repartition topics: no
     * transaction open on them, and nothing committed after the group's committed offset. The committed offset alone
     * cannot say so: with exactly-once it may stop just before a transaction marker, which is no record.
     */
    static boolean idle(BenchBroker broker, String applicationId, Collection<String> inputTopics) {
        Admin admin = broker.admin();
        try {
            Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(applicationId)
                    .partitionsToOffsetAndMetadata().get();
            List<String> topics = new ArrayList<>(inputTopics);
            admin.listTopics().names().get().stream()
                    .filter(n -> n.startsWith(applicationId + "-") && n.endsWith("-repartition"))
                    .forEach(topics::add);
            Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
            admin.describeTopics(topics).allTopicNames().get().values().forEach(d -> d.partitions().forEach(
                    p -> latest.put(new TopicPartition(d.name(), p.partition()), OffsetSpec.latest())));
            var high = admin.listOffsets(latest).all().get();
            var stable = admin.listOffsets(latest, new ListOffsetsOptions(IsolationLevel.READ_COMMITTED)).all().get();
            Map<TopicPartition, Long> unread = new HashMap<>();
            for (TopicPartition p : latest.keySet()) {
                long end = stable.get(p).offset();
                if (end < high.get(p).offset()) {
                    return false;
                }
                OffsetAndMetadata c = committed.get(p);
                long from = c == null ? 0 : c.offset();
                if (from < end) {
                    unread.put(p, from);
                }
            }
            if (unread.isEmpty()) {
                return true;
            }
            boolean[] found = {false};
            try (KafkaConsumer<byte[], byte[]> consumer = consumer(broker)) {
                consumer.assign(unread.keySet());
                unread.forEach(consumer::seek);
                Map<TopicPartition, Long> end = consumer.endOffsets(unread.keySet());
                long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
                while (!found[0] && unread.keySet().stream().anyMatch(p -> consumer.position(p) < end.get(p))) {
                    if (System.nanoTime() > deadline) {
                        return false;
                    }
                    found[0] = !consumer.poll(Duration.ofMillis(200)).isEmpty();
                }
            }
            return !found[0];
        } catch (ExecutionException e) {
            return false; // not yet: the group may be rebalancing, a topic may be moving
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}

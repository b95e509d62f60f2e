package dev.herald.bench;

import dev.herald.avro.RunStatus;
import dev.herald.avro.RunSummary;
import dev.herald.topology.Topic;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * Sees runs complete the way a downstream consumer would: a read_committed reader of run-summaries, positioned at
 * its end before any tick is sent, noting when each COMPLETED summary became visible. Costs Herald nothing (no HTTP
 * polling), and keeps watching across a SIGKILL of the instance.
 */
final class RunWatcher implements AutoCloseable {
    private final KafkaConsumer<String, RunSummary> consumer;
    private final Map<String, Completion> completed = new ConcurrentHashMap<>();
    private final Thread thread;
    private volatile boolean stopping;
    private volatile RuntimeException failure;

    /** When (System.nanoTime) a run's completion became visible, and the summary it carried. */
    record Completion(long nanos, RunSummary summary) {
    }

    RunWatcher(String bootstrapServers, Topic<String, RunSummary> topic) {
        consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, IsolationLevel.READ_COMMITTED.toString().toLowerCase(),
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
                // Resolution of the timing: the broker answers a fetch within this even when nothing came.
                ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, 10),
                new StringDeserializer(), topic.valueSerde().deserializer());
        List<TopicPartition> partitions = consumer.partitionsFor(topic.name()).stream()
                .map(p -> new TopicPartition(topic.name(), p.partition())).toList();
        consumer.assign(partitions);
        consumer.seekToEnd(partitions);
        partitions.forEach(consumer::position); // resolve the end now, before any tick is sent
        thread = new Thread(this::poll, "bench-run-watcher-" + topic.name());
        thread.setDaemon(true);
        thread.start();
    }

    private void poll() {
        try {
            while (!stopping) {
                for (ConsumerRecord<String, RunSummary> r : consumer.poll(Duration.ofMillis(50))) {
                    if (r.value() != null && r.value().getStatus() == RunStatus.COMPLETED) {
                        completed.putIfAbsent(r.key(), new Completion(System.nanoTime(), r.value()));
                    }
                }
            }
        } catch (WakeupException e) {
            // closing
        } catch (RuntimeException e) {
            failure = e;
        } finally {
            consumer.close(Duration.ofSeconds(2));
        }
    }

    /** Waits for run {@code runId} to complete; throws when it does not within {@code timeout}. */
    Completion await(String runId, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            Completion c = completed.get(runId);
            if (c != null) {
                return c;
            }
            if (failure != null) {
                throw new IllegalStateException("reading run-summaries failed: " + failure, failure);
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("run " + runId + " did not complete within " + timeout);
            }
            Bench.sleep(5);
        }
    }

    /** The completion of {@code runId} if already seen. */
    Completion get(String runId) {
        return completed.get(runId);
    }

    @Override
    public void close() {
        stopping = true;
        consumer.wakeup();
        try {
            thread.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}

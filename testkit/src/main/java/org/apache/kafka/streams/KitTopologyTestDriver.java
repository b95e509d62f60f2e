/*
 * The record loop below is adapted from Apache Kafka 4.3.1's TopologyTestDriver (streams/test-utils), licensed to the
 * Apache Software Foundation under the Apache License, Version 2.0 (http://www.apache.org/licenses/LICENSE-2.0).
 */
package org.apache.kafka.streams;

import java.lang.reflect.Field;
import java.time.Duration;
import java.time.Instant;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Properties;
import java.util.Queue;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Pattern;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerGroupMetadata;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.record.TimestampType;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.common.utils.Time;
import org.apache.kafka.streams.errors.TopologyException;
import org.apache.kafka.streams.internals.StreamsConfigUtils;
import org.apache.kafka.streams.processor.internals.InternalTopologyBuilder;
import org.apache.kafka.streams.processor.internals.StreamTask;
import org.apache.kafka.streams.processor.internals.StreamsProducer;
import org.apache.kafka.streams.test.TestRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Kafka 4.3.1's {@link TopologyTestDriver} that works out once per topic, not once per record, which input partition
 * a topic feeds, so tests with large inputs run at the speed of the topology; and {@link #pipeBatch}, which commits
 * once per batch of records rather than after each. Otherwise it does what the driver does.
 *
 * <p>Why: for every record piped in and every record the topology writes (outputs, changelogs, repartitions), the
 * driver compiles each source topic name as a regular expression, twice for a topic that is not an input. With
 * Herald's ten sources that was 65% of a 100,000-recipient run in the test kit, 88% of the fan-out part (apache/kafka#22228 proposes the same
 * fix; drop this class once a release has it). The answer for a topic name never changes once the driver is built,
 * so it is cached, including the driver's error for a source declared with a regular expression.
 *
 * <p>How: the driver's record loop ({@code pipeRecord}, {@code completeAllProcessableWork}, {@code
 * captureOutputsAndReEnqueueInternalResults}) is private, so this subclass runs the same loop (copied from 4.3.1, in
 * the same order: enqueue, process, punctuate, commit, capture) over the driver's own state, which it reaches once,
 * by reflection, at construction. Everything else is the driver's: stores, outputs, {@link TestInputTopic} and
 * {@link TestOutputTopic}, close. Where that state is not what 4.3.1 has (another Kafka version), or the topology has
 * global stores, it warns and behaves exactly as {@link TopologyTestDriver}, only slower; {@link #cachesTopics()}
 * says which, and the kit's tests check it.
 *
 * <p>It lives in {@code org.apache.kafka.streams} because the input topics call the driver's package-private
 * {@code pipeRecord}.
 */
public class KitTopologyTestDriver extends TopologyTestDriver {
    private static final Logger log = LoggerFactory.getLogger(KitTopologyTestDriver.class);
    private static final TopicPartition NOT_AN_INPUT = new TopicPartition("", -1);

    private final Loop loop;

    /** A driver for {@code topology}, configured by {@code config}, its wall clock at {@code initialWallClockTime}. */
    public KitTopologyTestDriver(Topology topology, Properties config, Instant initialWallClockTime) {
        super(topology, config, initialWallClockTime);
        this.loop = globalTopology == null ? Loop.over(this, topology.internalTopologyBuilder) : null;
    }

    /** Whether this driver caches topic lookups; false when it fell back to TopologyTestDriver's own loop. */
    public boolean cachesTopics() {
        return loop != null;
    }

    @Override
    <K, V> void pipeRecord(String topic, TestRecord<K, V> record, Serializer<K> keySerializer,
            Serializer<V> valueSerializer, Instant time) {
        if (loop == null) {
            super.pipeRecord(topic, record, keySerializer, valueSerializer, time);
            return;
        }
        byte[] key = keySerializer.serialize(topic, record.headers(), record.key());
        byte[] value = valueSerializer.serialize(topic, record.headers(), record.value());
        long timestamp;
        if (time != null) {
            timestamp = time.toEpochMilli();
        } else if (record.timestamp() != null) {
            timestamp = record.timestamp();
        } else {
            throw new IllegalStateException("Provided `TestRecord` does not have a timestamp and no timestamp "
                    + "overwrite was provided via `time` parameter.");
        }
        loop.pipe(topic, timestamp, key, value, record.headers());
    }

    /**
     * Pipes {@code records} into {@code topic} as a consumer's polls would hand them to the task: processed in order,
     * committed once per {@code commitEvery} records and when the input is drained, where the driver commits after
     * each record. A cached store therefore forwards one update per key and commit, as in production; each record
     * still gets its own timestamp, and stream-time punctuations run after each record. The records' timestamps must
     * be set.
     */
    public <K, V> void pipeBatch(String topic, List<TestRecord<K, V>> records, Serializer<K> keySerializer,
            Serializer<V> valueSerializer, int commitEvery) {
        if (commitEvery < 1) {
            throw new IllegalArgumentException("commitEvery must be at least 1: " + commitEvery);
        }
        if (loop == null) {
            records.forEach(r -> super.pipeRecord(topic, r, keySerializer, valueSerializer, null));
            return;
        }
        TopicPartition partition = loop.inputPartition(topic);
        if (partition == null) {
            throw new IllegalArgumentException("Unknown topic: " + topic);
        }
        for (int from = 0; from < records.size(); from += commitEvery) {
            for (TestRecord<K, V> record : records.subList(from, Math.min(records.size(), from + commitEvery))) {
                long timestamp = Objects.requireNonNull(record.timestamp(), "a batched record needs a timestamp");
                loop.enqueue(topic, partition, timestamp,
                        keySerializer.serialize(topic, record.headers(), record.key()),
                        valueSerializer.serialize(topic, record.headers(), record.value()), record.headers());
            }
            loop.process(commitEvery);
        }
    }

    @Override
    public void advanceWallClockTime(Duration advance) {
        if (loop == null) {
            super.advanceWallClockTime(advance);
            return;
        }
        Objects.requireNonNull(advance, "advance cannot be null");
        loop.clock.sleep(advance.toMillis());
        if (task != null) {
            task.maybePunctuateSystemTime();
            loop.commit(task.prepareCommit(true));
            task.postCommit(true);
        }
        loop.completeAllProcessableWork();
    }

    /** TopologyTestDriver's record loop over its own state, with each topic's input partition looked up once. */
    private static final class Loop {
        private final KitTopologyTestDriver driver;
        private final InternalTopologyBuilder builder;
        private final Time clock;
        private final MockProducer<byte[], byte[]> producer;
        private final StreamsProducer transactions;
        private final Consumer<byte[], byte[]> consumer;
        private final StreamsConfigUtils.ProcessingMode mode;
        private final Map<String, TopicPartition> partitionsByInputTopic;
        private final Map<TopicPartition, AtomicLong> offsets;
        private final Map<String, Queue<ProducerRecord<byte[], byte[]>>> outputs;
        private final Map<String, TopicPartition> inputPartitions = new HashMap<>();

        @SuppressWarnings("unchecked")
        private Loop(KitTopologyTestDriver driver, InternalTopologyBuilder builder) throws ReflectiveOperationException {
            this.driver = driver;
            this.builder = builder;
            this.clock = (Time) state(driver, "mockWallClockTime");
            this.producer = (MockProducer<byte[], byte[]>) state(driver, "producer");
            this.transactions = (StreamsProducer) state(driver, "testDriverProducer");
            this.consumer = (Consumer<byte[], byte[]>) state(driver, "consumer");
            this.mode = (StreamsConfigUtils.ProcessingMode) state(driver, "processingMode");
            this.partitionsByInputTopic = (Map<String, TopicPartition>) state(driver, "partitionsByInputTopic");
            this.offsets = (Map<TopicPartition, AtomicLong>) state(driver, "offsetsByTopicOrPatternPartition");
            this.outputs = (Map<String, Queue<ProducerRecord<byte[], byte[]>>>) state(driver, "outputRecordsByTopic");
        }

        static Loop over(KitTopologyTestDriver driver, InternalTopologyBuilder builder) {
            try {
                return new Loop(driver, builder);
            } catch (ReflectiveOperationException | ClassCastException | SecurityException e) {
                log.warn("TopologyTestDriver's state is not what Kafka 4.3.1 has ({}): running its own record loop, "
                        + "which compiles every source topic name per record", e.toString());
                return null;
            }
        }

        private static Object state(TopologyTestDriver driver, String name) throws ReflectiveOperationException {
            Field field = TopologyTestDriver.class.getDeclaredField(name);
            field.setAccessible(true);
            return Objects.requireNonNull(field.get(driver), name);
        }

        void pipe(String topic, long timestamp, byte[] key, byte[] value, Headers headers) {
            TopicPartition partition = inputPartition(topic);
            if (partition == null) {
                throw new IllegalArgumentException("Unknown topic: " + topic);
            }
            enqueue(topic, partition, timestamp, key, value, headers);
            completeAllProcessableWork();
        }

        void completeAllProcessableWork() {
            process(1);
        }

        /** The driver's {@code completeAllProcessableWork}, committing once per {@code commitEvery} records. */
        void process(int commitEvery) {
            captureOutputsAndReEnqueueInternalResults();
            var task = driver.task;
            if (task == null) {
                return;
            }
            task.resumePollingForPartitionsWithAvailableSpace();
            task.updateLags();
            int uncommitted = 0;
            do {
                if (uncommitted > 0) {
                    commitAndCapture(task); // what it writes to a repartition topic is more work
                    uncommitted = 0;
                }
                while (task.hasRecordsQueued() && task.isProcessable(clock.milliseconds())) {
                    task.process(clock.milliseconds());
                    task.maybePunctuateStreamTime();
                    if (++uncommitted >= commitEvery) {
                        commitAndCapture(task);
                        uncommitted = 0;
                    }
                }
            } while (uncommitted > 0);
            if (task.hasRecordsQueued()) {
                log.info("Due to the {} configuration, there are currently some records that cannot be processed. "
                        + "Advancing wall-clock time or enqueuing records on the empty topics will allow Streams to "
                        + "process more.", StreamsConfig.MAX_TASK_IDLE_MS_CONFIG);
            }
        }

        private void commitAndCapture(StreamTask task) {
            commit(task.prepareCommit(true));
            task.postCommit(true);
            captureOutputsAndReEnqueueInternalResults();
        }

        @SuppressWarnings("removal")
        void commit(Map<TopicPartition, OffsetAndMetadata> committed) {
            if (mode == StreamsConfigUtils.ProcessingMode.EXACTLY_ONCE_V2) {
                transactions.commitTransaction(committed, new ConsumerGroupMetadata("dummy-app-id"));
            } else {
                consumer.commitSync(committed);
            }
        }

        private void captureOutputsAndReEnqueueInternalResults() {
            List<ProducerRecord<byte[], byte[]>> written = producer.history();
            producer.clear();
            for (ProducerRecord<byte[], byte[]> record : written) {
                outputs.computeIfAbsent(record.topic(), k -> new LinkedList<>()).add(record);
                TopicPartition partition = inputPartition(record.topic());
                if (partition != null) {
                    enqueue(record.topic(), partition, record.timestamp(), record.key(), record.value(),
                            record.headers());
                }
            }
        }

        void enqueue(String topic, TopicPartition partition, long timestamp, byte[] key, byte[] value,
                Headers headers) {
            long offset = offsets.get(partition).incrementAndGet() - 1;
            driver.task.addRecords(partition, Collections.singleton(new ConsumerRecord<>(topic, partition.partition(),
                    offset, timestamp, TimestampType.CREATE_TIME,
                    key == null ? ConsumerRecord.NULL_SIZE : key.length,
                    value == null ? ConsumerRecord.NULL_SIZE : value.length,
                    key, value, headers, Optional.empty())));
        }

        /** The driver's {@code getInputTopicOrPatternPartition}, remembered per topic name. */
        TopicPartition inputPartition(String topic) {
            TopicPartition known = inputPartitions.get(topic);
            if (known == null) {
                known = lookUp(topic);
                inputPartitions.put(topic, known == null ? NOT_AN_INPUT : known);
            }
            return known == NOT_AN_INPUT ? null : known;
        }

        private TopicPartition lookUp(String topic) {
            for (String source : builder.fullSourceTopicNames()) {
                if (!source.equals(topic) && Pattern.compile(source).matcher(topic).matches()) {
                    throw new TopologyException("Topology add source of type String for topic: " + source
                            + " cannot contain regex pattern for input record topic: " + topic
                            + " and hence cannot process the message.");
                }
            }
            TopicPartition partition = partitionsByInputTopic.get(topic);
            if (partition == null) {
                for (Map.Entry<String, TopicPartition> entry : partitionsByInputTopic.entrySet()) {
                    if (Pattern.compile(entry.getKey()).matcher(topic).matches()) {
                        return entry.getValue();
                    }
                }
            }
            return partition;
        }
    }
}

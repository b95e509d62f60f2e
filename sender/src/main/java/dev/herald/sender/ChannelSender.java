package dev.herald.sender;

import dev.herald.avro.Parked;
import dev.herald.avro.Receipt;
import dev.herald.avro.ReceiptStatus;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.AuthorizationException;
import org.apache.kafka.common.errors.InvalidProducerEpochException;
import org.apache.kafka.common.errors.OutOfOrderSequenceException;
import org.apache.kafka.common.errors.ProducerFencedException;
import org.apache.kafka.common.errors.UnsupportedVersionException;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The sender of one channel: consumes the channel's outbox and retry topic (read_committed, in the consumer group
 * {@code <applicationId>-sender-<channel>}, so instances share the partitions), sends every message through the
 * transport and writes what became of it, on its own thread (never a Kafka Streams thread).
 *
 * <p>Per poll: every message of the batch is sent concurrently (at most {@code maxInFlight} at once, at most the
 * rate limit), the sender waits for all answers, then one transaction holds the receipts, the retry copies, the
 * parked records and the consumed offsets. So each consumed message has its receipts exactly once; the provider sees
 * a message again only when the instance stopped (crash, fenced, lost its partitions) between sending the batch and
 * committing it: at least once to the provider, duplicates only for the batch in flight.
 *
 * <p>A retry-topic record that is not due yet ({@code herald.not-before}) does not block the others: its partition
 * is paused at that record and resumed when it is due, while the sender keeps polling the rest.
 */
public final class ChannelSender<M> implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ChannelSender.class);

    /**
     * How a sender connects and behaves.
     *
     * @param bootstrapServers the Kafka cluster
     * @param groupId          the consumer group ({@link #groupId(String, SenderChannel)})
     * @param transactionalId  stable per instance and channel, so a restart fences and aborts what a crash left open
     * @param kafka            further client settings for both clients (may be empty)
     * @param policy           what to do per error class
     * @param rate             the provider's rate limit (per instance)
     * @param maxInFlight      messages sent concurrently at most
     * @param sendTimeout      how long to wait for one answer before counting it a transient error
     * @param maxPollRecords   messages per batch (and transaction) at most
     */
    public record Config(String bootstrapServers, String groupId, String transactionalId, Map<String, Object> kafka,
                         ErrorPolicy policy, RateLimiter rate, int maxInFlight, Duration sendTimeout,
                         int maxPollRecords) {
        public Config {
            Objects.requireNonNull(bootstrapServers, "bootstrapServers");
            Objects.requireNonNull(groupId, "groupId");
            Objects.requireNonNull(transactionalId, "transactionalId");
            kafka = kafka == null ? Map.of() : Map.copyOf(kafka);
            Objects.requireNonNull(policy, "policy");
            Objects.requireNonNull(rate, "rate");
            Objects.requireNonNull(sendTimeout, "sendTimeout");
            if (maxInFlight < 1 || maxPollRecords < 1) {
                throw new IllegalArgumentException("maxInFlight and maxPollRecords must be 1 or more");
            }
        }
    }

    /** {@code <applicationId>-sender-<channel>}. */
    public static String groupId(String applicationId, SenderChannel<?> channel) {
        return applicationId + "-sender-" + channel.name();
    }

    private final SenderChannel<M> channel;
    private final Transport<M> transport;
    private final Config config;
    private final Clock clock;
    private final Semaphore inFlight;
    private final Map<TopicPartition, Long> pausedUntil = new HashMap<>();
    private final CountDownLatch stopped = new CountDownLatch(1);
    private final AtomicLong sent = new AtomicLong();
    private final AtomicLong batches = new AtomicLong();
    private final Map<ReceiptStatus, AtomicLong> receipts = new EnumMap<>(ReceiptStatus.class);
    private volatile boolean running = true;
    private volatile Throwable failure;
    private volatile Runnable crashBeforeCommit;
    private KafkaConsumer<byte[], byte[]> consumer;
    private KafkaProducer<byte[], byte[]> producer;
    private Thread thread;

    public ChannelSender(SenderChannel<M> channel, Transport<M> transport, Config config, Clock clock) {
        this.channel = Objects.requireNonNull(channel, "channel");
        this.transport = Objects.requireNonNull(transport, "transport");
        this.config = Objects.requireNonNull(config, "config");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.inFlight = new Semaphore(config.maxInFlight());
        for (ReceiptStatus status : ReceiptStatus.values()) {
            receipts.put(status, new AtomicLong());
        }
    }

    /** Starts the sender's thread; the clients are created on it. */
    public synchronized ChannelSender<M> start() {
        if (thread != null) {
            throw new IllegalStateException("already started");
        }
        thread = new Thread(this::run, "herald-sender-" + channel.name());
        thread.start();
        return this;
    }

    public SenderChannel<M> channel() {
        return channel;
    }

    public Transport<M> transport() {
        return transport;
    }

    /** Messages sent through the transport so far (attempts, not distinct messages). */
    public long sent() {
        return sent.get();
    }

    /** Batches committed so far. */
    public long batches() {
        return batches.get();
    }

    /** Receipts of {@code status} committed so far. */
    public long receipts(ReceiptStatus status) {
        return receipts.get(status).get();
    }

    /** Why the sender stopped on its own, or null while it runs or after a clean close. */
    public Throwable failure() {
        return failure;
    }

    public boolean isRunning() {
        return stopped.getCount() > 0 && thread != null;
    }

    /**
     * For tests of the guarantee: the next batch is sent but, instead of being committed, the sender stops as a
     * crash would stop it (the clients closed without committing anything; the open transaction is left to the next
     * instance with the same transactional id to abort).
     */
    void crashBeforeNextCommit(Runnable onCrash) {
        this.crashBeforeCommit = onCrash;
    }

    private void run() {
        try {
            consumer = new KafkaConsumer<>(consumerConfig(), new ByteArrayDeserializer(), new ByteArrayDeserializer());
            producer = new KafkaProducer<>(producerConfig(), new ByteArraySerializer(), new ByteArraySerializer());
            producer.initTransactions();
            consumer.subscribe(List.of(channel.outbox().name(), channel.retry().name()), new Rebalance());
            log.info("Sender {} ({}) started: group {}, transactional id {}", channel.name(), transport.name(),
                    config.groupId(), config.transactionalId());
            while (running) {
                ConsumerRecords<byte[], byte[]> records = consumer.poll(pollTimeout());
                resumeDue();
                if (!records.isEmpty()) {
                    process(records);
                }
            }
        } catch (WakeupException e) {
            if (running) {
                failure = e;
            }
        } catch (Crash e) {
            log.warn("Sender {} stopped as a crash would stop it (test)", channel.name());
        } catch (Throwable e) {
            failure = e;
            log.error("Sender {} stopped", channel.name(), e);
        } finally {
            closeClients();
            stopped.countDown();
        }
    }

    private Map<String, Object> consumerConfig() {
        Map<String, Object> c = new HashMap<>();
        c.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, config.maxPollRecords());
        config.kafka().forEach((k, v) -> {
            if (ConsumerConfig.configNames().contains(k)) {
                c.put(k, v);
            }
        });
        c.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, config.bootstrapServers());
        c.put(ConsumerConfig.GROUP_ID_CONFIG, config.groupId());
        c.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        c.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        c.putIfAbsent(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        c.putIfAbsent(ConsumerConfig.CLIENT_ID_CONFIG, config.transactionalId() + "-consumer");
        return c;
    }

    private Map<String, Object> producerConfig() {
        Map<String, Object> c = new HashMap<>();
        config.kafka().forEach((k, v) -> {
            if (ProducerConfig.configNames().contains(k)) {
                c.put(k, v);
            }
        });
        c.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, config.bootstrapServers());
        c.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, config.transactionalId());
        c.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        c.put(ProducerConfig.ACKS_CONFIG, "all");
        c.putIfAbsent(ProducerConfig.LINGER_MS_CONFIG, 5);
        c.putIfAbsent(ProducerConfig.CLIENT_ID_CONFIG, config.transactionalId() + "-producer");
        return c;
    }

    private Duration pollTimeout() {
        long now = clock.millis();
        long wait = 200;
        for (long due : pausedUntil.values()) {
            wait = Math.min(wait, Math.max(1, due - now));
        }
        return Duration.ofMillis(wait);
    }

    private void resumeDue() {
        if (pausedUntil.isEmpty()) {
            return;
        }
        long now = clock.millis();
        List<TopicPartition> due = new ArrayList<>();
        pausedUntil.forEach((partition, at) -> {
            if (at <= now) {
                due.add(partition);
            }
        });
        if (!due.isEmpty()) {
            due.forEach(pausedUntil::remove);
            Set<TopicPartition> assigned = consumer.assignment();
            consumer.resume(due.stream().filter(assigned::contains).toList());
        }
    }

    /** One message of a batch: where it came from, what it is, the attempt, and (once sent) the answer. */
    private record Item<M>(ConsumerRecord<byte[], byte[]> record, M message, int attempt, boolean replay,
                           CompletableFuture<SendResult> result) {
    }

    private void process(ConsumerRecords<byte[], byte[]> records) throws InterruptedException {
        long now = clock.millis();
        Map<TopicPartition, OffsetAndMetadata> offsets = new LinkedHashMap<>();
        List<Item<M>> items = new ArrayList<>();
        for (TopicPartition partition : records.partitions()) {
            boolean retryTopic = partition.topic().equals(channel.retry().name());
            for (ConsumerRecord<byte[], byte[]> record : records.records(partition)) {
                if (retryTopic) {
                    long notBefore = SenderHeaders.notBefore(record.headers());
                    if (notBefore > now) {
                        consumer.seek(partition, record.offset());
                        consumer.pause(List.of(partition));
                        pausedUntil.put(partition, notBefore);
                        break;
                    }
                }
                offsets.put(partition, new OffsetAndMetadata(record.offset() + 1));
                M message;
                try {
                    message = channel.outbox().valueSerde().deserializer().deserialize(record.topic(), record.value());
                } catch (RuntimeException e) {
                    log.error("Sender {} skips a record it cannot read at {}-{}@{}: {}", channel.name(),
                            record.topic(), record.partition(), record.offset(), e.toString());
                    continue;
                }
                if (message == null) {
                    continue;
                }
                int attempt = retryTopic ? SenderHeaders.attempt(record.headers()) : 1;
                boolean replay = retryTopic && SenderHeaders.replay(record.headers());
                items.add(new Item<>(record, message, attempt, replay, send(message)));
            }
        }
        if (offsets.isEmpty()) {
            return;
        }
        List<SendResult> results = new ArrayList<>(items.size());
        long deadline = System.nanoTime() + config.sendTimeout().toNanos();
        for (Item<M> item : items) {
            results.add(await(item.result(), deadline));
        }
        if (crashBeforeCommit != null) {
            Runnable onCrash = crashBeforeCommit;
            crashBeforeCommit = null;
            onCrash.run();
            throw new Crash();
        }
        commit(items, results, offsets);
    }

    private CompletableFuture<SendResult> send(M message) throws InterruptedException {
        config.rate().acquire();
        inFlight.acquire();
        CompletableFuture<SendResult> future;
        try {
            future = transport.send(message);
        } catch (RuntimeException e) {
            future = CompletableFuture.failedFuture(e);
        }
        sent.incrementAndGet();
        future.whenComplete((r, e) -> inFlight.release());
        return future;
    }

    private SendResult await(CompletableFuture<SendResult> future, long deadline) throws InterruptedException {
        try {
            SendResult result = future.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            return result != null ? result : SendResult.transientError(null, transport.name() + " answered nothing", null);
        } catch (TimeoutException e) {
            return SendResult.transientError(null, transport.name() + " did not answer within "
                    + config.sendTimeout(), null);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause() != null ? e.getCause() : e;
            return SendResult.transientError(null, transport.name() + " failed: " + cause, null);
        }
    }

    private void commit(List<Item<M>> items, List<SendResult> results,
                        Map<TopicPartition, OffsetAndMetadata> offsets) {
        Instant now = clock.instant();
        Map<ReceiptStatus, Long> written = new EnumMap<>(ReceiptStatus.class);
        try {
            producer.beginTransaction();
            for (int i = 0; i < items.size(); i++) {
                written.merge(write(items.get(i), results.get(i), now), 1L, Long::sum);
            }
            producer.sendOffsetsToTransaction(offsets, consumer.groupMetadata());
            producer.commitTransaction();
            batches.incrementAndGet();
            written.forEach((status, n) -> receipts.get(status).addAndGet(n));
        } catch (ProducerFencedException | OutOfOrderSequenceException | AuthorizationException
                 | UnsupportedVersionException e) {
            // Fatal for this producer: another instance took over its transactional id, or the cluster refuses us.
            throw e;
        } catch (KafkaException e) {
            // Lost the partitions meanwhile (CommitFailedException), an aborted epoch, a timeout: abort and read
            // the batch again from the committed offsets of the partitions still ours.
            log.warn("Sender {}: transaction aborted, the batch is read again: {}", channel.name(), e.toString());
            try {
                producer.abortTransaction();
            } catch (KafkaException abortFailed) {
                if (!(e instanceof InvalidProducerEpochException)) {
                    throw abortFailed;
                }
            }
            rewind(offsets.keySet());
        }
    }

    /** Writes what became of one message (in the open transaction) and returns its receipt's status. */
    private ReceiptStatus write(Item<M> item, SendResult result, Instant now) {
        M message = item.message();
        String recipientId = channel.recipientId().apply(message);
        ErrorPolicy.Decision decision = config.policy().decide(result, item.attempt(), now);
        Receipt receipt = Receipt.newBuilder()
                .setMessageId(channel.messageId().apply(message))
                .setCampaignId(channel.campaignId().apply(message))
                .setRunId(channel.runId().apply(message))
                .setRecipientId(recipientId)
                .setChannel(channel.channel())
                .setStatus(decision.status())
                .setTarget(channel.target().apply(message))
                .setProviderCode(result.providerCode())
                .setDetail(result.detail())
                .setAttempt(item.attempt())
                .setAt(now)
                .setReplay(item.replay())
                .build();
        String receipts = channel.receipts().name();
        producer.send(new ProducerRecord<>(receipts, key(receipts, recipientId),
                channel.receipts().valueSerde().serializer().serialize(receipts, receipt)));
        if (decision.retry()) {
            RecordHeaders headers = new RecordHeaders();
            SenderHeaders.set(headers, item.attempt() + 1, decision.retryAt().toEpochMilli());
            if (item.replay()) {
                SenderHeaders.markReplay(headers);
            }
            producer.send(new ProducerRecord<>(channel.retry().name(), null, null, item.record().key(),
                    item.record().value(), headers));
        }
        if (decision.park()) {
            Parked parked = channel.parked().apply(message)
                    .setAttempts(item.attempt())
                    .setProviderCode(result.providerCode())
                    .setDetail(result.detail())
                    .setParkedAt(now)
                    .build();
            String topic = channel.parkedTopic().name();
            producer.send(new ProducerRecord<>(topic, key(topic, recipientId),
                    channel.parkedTopic().valueSerde().serializer().serialize(topic, parked)));
        }
        return decision.status();
    }

    private byte[] key(String topic, String recipientId) {
        return channel.receipts().keySerde().serializer().serialize(topic, recipientId);
    }

    /** Seeks the partitions still assigned back to their committed offsets (or the beginning if none). */
    private void rewind(Collection<TopicPartition> partitions) {
        Set<TopicPartition> assigned = consumer.assignment();
        List<TopicPartition> ours = partitions.stream().filter(assigned::contains).toList();
        if (ours.isEmpty()) {
            return;
        }
        Map<TopicPartition, OffsetAndMetadata> committed = consumer.committed(Set.copyOf(ours));
        for (TopicPartition partition : ours) {
            OffsetAndMetadata offset = committed.get(partition);
            if (offset != null) {
                consumer.seek(partition, offset);
            } else {
                consumer.seekToBeginning(List.of(partition));
            }
        }
    }

    private final class Rebalance implements ConsumerRebalanceListener {
        @Override
        public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
            // No transaction is open while the consumer polls: a batch is sent and committed between two polls.
            partitions.forEach(pausedUntil::remove);
        }

        @Override
        public void onPartitionsLost(Collection<TopicPartition> partitions) {
            partitions.forEach(pausedUntil::remove);
        }

        @Override
        public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
            log.info("Sender {} assigned {}", channel.name(), partitions);
        }
    }

    /** Thrown on the sender's thread to stop it as a crash would (tests only). */
    private static final class Crash extends RuntimeException {
        Crash() {
            super(null, null, false, false);
        }
    }

    private void closeClients() {
        if (consumer != null) {
            try {
                consumer.close(Duration.ofSeconds(5));
            } catch (RuntimeException e) {
                log.warn("Sender {}: closing the consumer failed: {}", channel.name(), e.toString());
            }
        }
        if (producer != null) {
            try {
                producer.close(Duration.ofSeconds(5));
            } catch (RuntimeException e) {
                log.warn("Sender {}: closing the producer failed: {}", channel.name(), e.toString());
            }
        }
    }

    /**
     * Stops the sender: the batch being sent is finished and committed, then the clients close (the consumer
     * leaves its group, so the partitions move at once). Waits up to {@code timeout}. Does not close the transport.
     */
    public boolean close(Duration timeout) throws InterruptedException {
        running = false;
        KafkaConsumer<byte[], byte[]> c = consumer;
        if (c != null) {
            c.wakeup();
        }
        if (thread == null) {
            return true;
        }
        return stopped.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Waits until the sender's thread ended (a close, a crash in a test, or a fatal error). */
    public boolean awaitStopped(Duration timeout) throws InterruptedException {
        return stopped.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    @Override
    public void close() {
        try {
            if (!close(config.sendTimeout().plusSeconds(15))) {
                log.warn("Sender {} did not stop in time", channel.name());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}

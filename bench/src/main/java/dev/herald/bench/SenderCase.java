package dev.herald.bench;

import dev.herald.app.HeraldConfig;
import dev.herald.app.Senders;
import dev.herald.avro.Channel;
import dev.herald.avro.MailMessage;
import dev.herald.avro.PushMessage;
import dev.herald.avro.Receipt;
import dev.herald.avro.ReceiptStatus;
import dev.herald.sender.ChannelSender;
import dev.herald.sender.SendResult;
import dev.herald.sender.Transport;
import dev.herald.topology.HeraldTopics;
import dev.herald.topology.RunIds;
import dev.herald.topology.Topic;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.IntFunction;
import java.util.function.LongSupplier;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Issue 10's sender throughput: Herald's senders, wired exactly as {@code herald sender} wires them
 * ({@link Senders#start} from Herald's settings), against local providers speaking the real protocols
 * ({@link LocalProviders}): push over HTTP/2 and TLS to FCM and APNs, mail over SMTP to GreenMail.
 *
 * <p>Per channel: a warm-up batch through the whole path; then the baseline, the same transport driven directly
 * with as many messages in flight as the sender allows and no Kafka at all; then the measured batch, written to the
 * outbox in one transaction so the sender sees all of it at once, from that commit until the sender's group has
 * committed the whole outbox (its receipts are in the same transactions). Checks that every message reached its
 * provider exactly once and has exactly one DELIVERED receipt.
 */
final class SenderCase {
    static final String APP = "bench-senders";
    private static final int PARTITIONS = 4;
    private static final int MAILBOXES = 100;
    private static final Duration TIMEOUT = Duration.ofMinutes(10);

    private final BenchBroker broker;
    private final BenchOptions options;
    private final BenchData data;
    private final Report report;
    private final Path work;

    SenderCase(BenchBroker broker, BenchOptions options, BenchData data, Report report, Path work) {
        this.broker = broker;
        this.options = options;
        this.data = data;
        this.report = report;
        this.work = work;
    }

    void run() {
        String prefix = APP + ".";
        HeraldTopics topics = broker.topics(prefix);
        createTopics(topics);
        try (LocalProviders providers = new LocalProviders(work.resolve("providers"))) {
            providers.trustThisJvm();
            Map<String, String> settings = new LinkedHashMap<>(providers.senderSettings());
            settings.put("herald.bootstrap.servers", broker.bootstrapServers());
            settings.put("herald.schema.registry.url", broker.registryUrl());
            settings.put("herald.application.id", APP);
            settings.put("herald.topic.prefix", prefix);
            settings.put("herald.instance.id", APP);
            settings.put("herald.advertised.host", "localhost");
            settings.put("herald.data.dir", work.resolve("senders").toString());
            HeraldConfig config = HeraldConfig.from(settings);
            int inFlight = config.sender().maxInFlight();
            int smtpConnections = config.sender().smtp().connections();
            Bench.say(String.format("senders: push to FCM %s and APNs, mail to GreenMail over %d connections, "
                    + "%d in flight", providers.fcm().baseUrl(), smtpConnections, inFlight));
            try (Senders senders = Senders.start(config, topics, true)) {
                Transport<PushMessage> push = transport(senders, Channel.PUSH);
                Transport<MailMessage> mail = transport(senders, Channel.MAIL);
                Instant at = Instant.now().truncatedTo(ChronoUnit.MILLIS);
                String runId = RunIds.of(APP, at);
                IntFunction<PushMessage> pushAt = i -> BenchData.push(APP, runId, data.recipient(i, 1), i, at);
                // A hundred mailboxes: GreenMail creates a user per address and slows down with tens of thousands.
                IntFunction<MailMessage> mailAt = i -> {
                    MailMessage message = BenchData.mail(APP, runId, data.recipient(i, 1), i, at);
                    message.setTo("inbox" + (i % MAILBOXES) + "@example.com");
                    return message;
                };
                int n = options.pushMessages();
                int m = options.mailMessages();

                // Warm-up, untimed, of both paths: the group joins, connections open, the code is compiled (it
                // takes tens of thousands of messages before the JIT is done with HTTP/2 and TLS).
                int pushWarmUp = Math.max(200, n / 4);
                int mailWarmUp = Math.max(50, m / 4);
                throughSender(topics, topics.pushOutbox(), pushAt, 0, pushWarmUp, Channel.PUSH);
                throughSender(topics, topics.mailOutbox(), mailAt, 0, mailWarmUp, Channel.MAIL);
                alone(push, pushAt, pushWarmUp, pushWarmUp, inFlight, providers, () -> 0);
                alone(mail, mailAt, mailWarmUp, mailWarmUp, inFlight, providers, () -> 0);

                int from = 2 * Math.max(pushWarmUp, mailWarmUp);
                Measured pushAlone = alone(push, pushAt, from, n, inFlight, providers, () ->
                        providers.fcm().accepted() + providers.apnsAccepted());
                Measured pushSender = measured(topics, topics.pushOutbox(), pushAt, from + n, n, Channel.PUSH,
                        providers, () -> providers.fcm().accepted() + providers.apnsAccepted(),
                        () -> providers.fcm().distinctMessages() + providers.apnsDistinct());
                Measured mailAlone = alone(mail, mailAt, from, m, inFlight, providers, providers::mailsReceived);
                Measured mailSender = measured(topics, topics.mailOutbox(), mailAt, from + m, m, Channel.MAIL,
                        providers, providers::mailsReceived, providers::mailsReceived);

                figures("push", String.format("%,d push messages (FCM and APNs, HTTP/2 over TLS)", n),
                        pushAlone, pushSender);
                figures("mail", String.format("%,d mails (SMTP to GreenMail)", m), mailAlone, mailSender);
                report.detail("senders", Map.of("push", Map.of("transportAlone", pushAlone.asMap(),
                                "sender", pushSender.asMap(), "fcmRefused", providers.fcm().refused()),
                        "mail", Map.of("transportAlone", mailAlone.asMap(), "sender", mailSender.asMap()),
                        "inFlight", inFlight, "smtpConnections", smtpConnections));
                if (!senders.healthy()) {
                    report.check("s.senders_healthy", false, "a sender stopped: " + senders.senders().stream()
                            .map(ChannelSender::failure).toList());
                }
            }
        } finally {
            broker.deleteTopics(prefix, APP);
        }
    }

    /**
     * What one phase measured: messages, seconds, and what the provider and the receipts say about them
     * ({@code distinct} is -1 and {@code receipts} null for the transport alone, which counts neither).
     */
    record Measured(long messages, double seconds, long received, long distinct, Map<ReceiptStatus, Long> receipts) {
        double perSecond() {
            return messages / seconds;
        }

        Map<String, Object> asMap() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("messages", messages);
            m.put("seconds", seconds);
            m.put("perSecond", perSecond());
            m.put("receivedByProvider", received);
            if (distinct >= 0) {
                m.put("distinctAtProvider", distinct);
            }
            if (receipts != null) {
                m.put("receipts", receipts);
            }
            return m;
        }
    }

    private void figures(String channel, String what, Measured alone, Measured sender) {
        report.figure("s." + channel + ".transport_per_s", "s", what + ": the transport alone, messages/s",
                alone.perSecond(), "msg/s", null, null);
        report.figure("s." + channel + ".sender_per_s", "s", what + ": outbox to receipts, messages/s",
                sender.perSecond(), "msg/s", alone.perSecond(), "the transport alone");
        Bench.say(String.format("s: %s: %,.0f/s through the sender, %,.0f/s the transport alone", what,
                sender.perSecond(), alone.perSecond()));
        long delivered = sender.receipts().getOrDefault(ReceiptStatus.DELIVERED, 0L);
        long receipts = sender.receipts().values().stream().mapToLong(Long::longValue).sum();
        report.check("s." + channel + ".each_message_sent_once_and_receipted",
                sender.received() == sender.messages() && sender.distinct() == sender.messages()
                        && delivered == sender.messages() && receipts == sender.messages(),
                String.format("%,d messages: provider received %,d (%,d distinct); receipts %s", sender.messages(),
                        sender.received(), sender.distinct(), sender.receipts()));
    }

    @SuppressWarnings("unchecked")
    private static <M> Transport<M> transport(Senders senders, Channel channel) {
        return (Transport<M>) senders.senders().stream().filter(s -> s.channel().channel() == channel)
                .findFirst().orElseThrow().transport();
    }

    /** The transport driven directly, {@code inFlight} messages at a time: the speed the sender could reach. */
    private static <M> Measured alone(Transport<M> transport, IntFunction<M> message, int from, int count,
            int inFlight, LocalProviders providers, LongSupplier received) {
        List<M> messages = new ArrayList<>(count);
        for (int i = from; i < from + count; i++) {
            messages.add(message.apply(i));
        }
        providers.reset();
        Semaphore slots = new Semaphore(inFlight);
        AtomicLong failed = new AtomicLong();
        AtomicReference<Object> firstFailure = new AtomicReference<>();
        long start = System.nanoTime();
        try {
            for (M m : messages) {
                slots.acquire();
                CompletableFuture<SendResult> sent = transport.send(m);
                sent.whenComplete((r, e) -> {
                    if (e != null || r.kind() != SendResult.Kind.DELIVERED) {
                        failed.incrementAndGet();
                        firstFailure.compareAndSet(null, e != null ? e : r);
                    }
                    slots.release();
                });
            }
            slots.acquire(inFlight);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        double seconds = BenchBroker.seconds(System.nanoTime() - start);
        if (failed.get() > 0) {
            throw new IllegalStateException(failed.get() + " of " + count + " messages sent by " + transport.name()
                    + " alone were not delivered, the first: " + firstFailure.get());
        }
        return new Measured(count, seconds, received.getAsLong(), -1, null);
    }

    private <M> Measured measured(HeraldTopics topics, Topic<String, M> outbox, IntFunction<M> message, int from,
            int count, Channel channel, LocalProviders providers, LongSupplier received, LongSupplier distinct) {
        providers.reset();
        Phase phase = throughSender(topics, outbox, message, from, count, channel);
        return new Measured(count, phase.seconds(), received.getAsLong(), distinct.getAsLong(), phase.receipts());
    }

    /** One batch through the sender: seconds from the outbox commit to its last final receipt; receipts by status. */
    private record Phase(double seconds, Map<ReceiptStatus, Long> receipts) {
    }

    /**
     * Writes {@code count} messages to the outbox in one transaction and waits until the channel's sender has
     * committed a final receipt for each of them (read_committed, so they are the sender's committed transactions).
     */
    private <M> Phase throughSender(HeraldTopics topics, Topic<String, M> outbox, IntFunction<M> message, int from,
            int count, Channel channel) {
        Map<String, Object> config = new HashMap<>();
        config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
        config.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, APP + "-fill-" + channel);
        config.put(ProducerConfig.LINGER_MS_CONFIG, 20);
        config.put(ProducerConfig.BATCH_SIZE_CONFIG, 256 * 1024);
        try (Receipts receipts = new Receipts(topics.receipts(), channel)) {
            long start;
            try (KafkaProducer<String, M> producer = new KafkaProducer<>(config, outbox.keySerde().serializer(),
                    outbox.valueSerde().serializer())) {
                producer.initTransactions();
                producer.beginTransaction();
                for (int i = from; i < from + count; i++) {
                    producer.send(new ProducerRecord<>(outbox.name(), BenchData.id(i), message.apply(i)));
                }
                producer.commitTransaction();
                start = System.nanoTime();
            }
            receipts.awaitFinal(count);
            double seconds = BenchBroker.seconds(System.nanoTime() - start);
            // Anything written after the last expected receipt (a duplicate) is read too.
            receipts.readToEnd();
            return new Phase(seconds, receipts.counts());
        }
    }

    /** The channel's receipts from now on, by status, as a read_committed reader sees them. */
    private final class Receipts implements AutoCloseable {
        private final Topic<String, Receipt> topic;
        private final Channel channel;
        private final KafkaConsumer<byte[], byte[]> consumer;
        private final List<TopicPartition> partitions = new ArrayList<>();
        private final Map<ReceiptStatus, Long> counts = new EnumMap<>(ReceiptStatus.class);
        private long finals;

        Receipts(Topic<String, Receipt> topic, Channel channel) {
            this.topic = topic;
            this.channel = channel;
            consumer = new KafkaConsumer<>(Map.of(
                    ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers(),
                    ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                    ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
                    ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 5_000), new ByteArrayDeserializer(),
                    new ByteArrayDeserializer());
            consumer.partitionsFor(topic.name()).forEach(p -> partitions.add(new TopicPartition(topic.name(),
                    p.partition())));
            consumer.assign(partitions);
            consumer.seekToEnd(partitions);
            partitions.forEach(consumer::position);
        }

        void awaitFinal(long expected) {
            long deadline = System.nanoTime() + TIMEOUT.toNanos();
            while (finals < expected) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException(String.format("%,d of %,d %s receipts within %s: %s", finals,
                            expected, channel, TIMEOUT, counts));
                }
                poll();
            }
        }

        void readToEnd() {
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            long deadline = System.nanoTime() + TIMEOUT.toNanos();
            while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p))
                    && System.nanoTime() < deadline) {
                poll();
            }
        }

        private void poll() {
            for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(20))) {
                Receipt receipt = topic.valueSerde().deserializer().deserialize(topic.name(), r.value());
                if (receipt.getChannel() == channel) {
                    counts.merge(receipt.getStatus(), 1L, Long::sum);
                    if (receipt.getStatus() != ReceiptStatus.RETRYING) {
                        finals++;
                    }
                }
            }
        }

        Map<ReceiptStatus, Long> counts() {
            return Map.copyOf(counts);
        }

        @Override
        public void close() {
            consumer.close(Duration.ofSeconds(5));
        }
    }

    private void createTopics(HeraldTopics topics) {
        List<NewTopic> wanted = new ArrayList<>();
        for (Topic<String, ?> t : List.of(topics.pushOutbox(), topics.mailOutbox(), topics.pushRetry(),
                topics.mailRetry(), topics.receipts(), topics.parked())) {
            wanted.add(new NewTopic(t.name(), PARTITIONS, (short) 1));
        }
        try {
            broker.admin().createTopics(wanted).all().get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("could not create the sender case's topics: " + e.getCause(),
                    e.getCause());
        }
    }
}

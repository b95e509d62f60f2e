package dev.herald.sender;

import static org.assertj.core.api.Assertions.assertThat;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetupTest;
import dev.herald.avro.MailMessage;
import dev.herald.avro.Parked;
import dev.herald.avro.PushMessage;
import dev.herald.avro.Receipt;
import dev.herald.avro.ReceiptStatus;
import dev.herald.devstack.EmbeddedKafka;
import dev.herald.devstack.EmbeddedSchemaRegistry;
import dev.herald.serdes.HttpSchemaRegistryClient;
import dev.herald.topology.HeraldSerdes;
import dev.herald.topology.HeraldTopics;
import dev.herald.topology.Topic;
import jakarta.mail.internet.MimeMessage;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Senders on a real broker and schema registry in this JVM: mail through SMTP to GreenMail, push through a scripted
 * transport, receipts, retries through the retry topic, parking, and the guarantee across a crash.
 */
class SenderOnBrokerTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(60);
    private static Path root;
    private static EmbeddedKafka kafka;
    private static EmbeddedSchemaRegistry registry;
    private static HeraldSerdes serdes;

    private GreenMail greenMail;
    private final List<AutoCloseable> closeAfter = new ArrayList<>();

    @BeforeAll
    static void startBroker() throws Exception {
        root = Files.createDirectories(Path.of("target", "it", "sender-" + UUID.randomUUID().toString().substring(0, 8)))
                .toAbsolutePath();
        kafka = EmbeddedKafka.start(root.resolve("kafka"), 0);
        registry = EmbeddedSchemaRegistry.start(kafka.bootstrapServers(), EmbeddedSchemaRegistry.DEFAULT_TOPIC,
                "127.0.0.1", 0);
        serdes = HeraldSerdes.using(new HttpSchemaRegistryClient(URI.create(registry.url())));
    }

    @AfterAll
    static void stopBroker() {
        if (registry != null) {
            registry.close();
        }
        if (kafka != null) {
            kafka.close();
        }
    }

    @BeforeEach
    void startGreenMail() {
        greenMail = new GreenMail(ServerSetupTest.SMTP.dynamicPort());
        greenMail.start();
    }

    @AfterEach
    void stopAll() throws Exception {
        for (int i = closeAfter.size() - 1; i >= 0; i--) {
            closeAfter.get(i).close();
        }
        greenMail.stop();
    }

    @Test
    void mailAndPushEndToEnd() throws Exception {
        HeraldTopics topics = topics("e2e.");
        // 200 mails, one of them to an address that is not one.
        Map<String, MailMessage> mails = new HashMap<>();
        for (int i = 0; i < 200; i++) {
            String to = i == 17 ? "not an address" : "user-" + i + "@example.com";
            MailMessage m = Messages.mail("mail-" + i, "r-" + i, to);
            mails.put(m.getMessageId(), m);
        }
        // 20 pushes: two flaky (twice transient, then delivered), one that always fails, one dead token.
        Map<String, PushMessage> pushes = new HashMap<>();
        for (int i = 0; i < 20; i++) {
            String token = i < 2 ? "flaky-" + i : i == 2 ? "down-" + i : i == 3 ? "gone-" + i : "tok-" + i;
            PushMessage p = Messages.push("push-" + i, "r-" + i, token);
            pushes.put(p.getMessageId(), p);
        }
        produceTransactionally(topics.mailOutbox(), mails.values(), MailMessage::getRecipientId);
        produceTransactionally(topics.pushOutbox(), pushes.values(), PushMessage::getRecipientId);

        ScriptedPush push = new ScriptedPush();
        ErrorPolicy policy = new ErrorPolicy(List.of(Duration.ofMillis(100), Duration.ofMillis(200)));
        SmtpTransport smtp = new SmtpTransport(new SmtpTransport.Settings("127.0.0.1", greenMail.getSmtp().getPort(),
                null, null, false, "herald@example.com", 4, Duration.ofSeconds(5)));
        closeAfter.add(smtp);
        long started = System.nanoTime();
        start(SenderChannel.mail(topics), smtp, "e2e", policy, 50);
        start(SenderChannel.push(topics), push, "e2e", policy, 50);

        // Finals: 200 mails + 20 pushes; plus RETRYING receipts: 2 for each flaky and for the one that is down.
        List<Receipt> receipts = readCommitted(topics.receipts(), 200 + 20 + 3 * 2);
        long seconds = (System.nanoTime() - started) / 1_000_000_000L;
        assertThat(seconds).as("seconds to deliver").isLessThan(30);
        assertThat(receipts).hasSize(226);

        Map<String, List<Receipt>> byMessage = receipts.stream()
                .collect(Collectors.groupingBy(Receipt::getMessageId));
        assertThat(byMessage).hasSize(220);
        assertThat(receipts).extracting(Receipt::getReplay).as("nothing here was replayed").containsOnly(false);
        for (List<Receipt> history : byMessage.values()) {
            // Exactly one final receipt per message, last, after its RETRYING ones, attempts counting up.
            long finals = history.stream().filter(r -> r.getStatus() != ReceiptStatus.RETRYING).count();
            assertThat(finals).as(history.toString()).isEqualTo(1);
            assertThat(history.get(history.size() - 1).getStatus()).isNotEqualTo(ReceiptStatus.RETRYING);
            for (int i = 0; i < history.size(); i++) {
                assertThat(history.get(i).getAttempt()).isEqualTo(i + 1);
            }
        }
        // Mail: what GreenMail received is what the receipts say was delivered, each once, with its Message-ID.
        MimeMessage[] received = greenMail.getReceivedMessages();
        long mailDelivered = receipts.stream()
                .filter(r -> r.getChannel() == dev.herald.avro.Channel.MAIL && r.getStatus() == ReceiptStatus.DELIVERED)
                .count();
        assertThat(mailDelivered).isEqualTo(199);
        assertThat(received).hasSize(199);
        Set<String> ids = new java.util.HashSet<>();
        for (MimeMessage m : received) {
            ids.add(m.getHeader("Message-ID")[0]);
        }
        assertThat(ids).hasSize(199).contains("<mail-0@herald>").doesNotContain("<mail-17@herald>");
        Receipt rejected = byMessage.get("mail-17").get(0);
        assertThat(rejected.getStatus()).isEqualTo(ReceiptStatus.REJECTED_TARGET);
        assertThat(rejected.getTarget()).isEqualTo("not an address");
        assertThat(rejected.getRecipientId()).isEqualTo("r-17");
        assertThat(rejected.getCampaignId()).isEqualTo("spring-sale");

        // Push: flaky ones retried twice then delivered; the dead token rejected; the down one failed and parked.
        for (String id : List.of("push-0", "push-1")) {
            assertThat(byMessage.get(id)).extracting(Receipt::getStatus)
                    .containsExactly(ReceiptStatus.RETRYING, ReceiptStatus.RETRYING, ReceiptStatus.DELIVERED);
            assertThat(push.attempts.get(id)).hasValue(3);
        }
        assertThat(byMessage.get("push-3")).extracting(Receipt::getStatus)
                .containsExactly(ReceiptStatus.REJECTED_TARGET);
        assertThat(push.attempts.get("push-3")).hasValue(1);
        List<Receipt> down = byMessage.get("push-2");
        assertThat(down).extracting(Receipt::getStatus)
                .containsExactly(ReceiptStatus.RETRYING, ReceiptStatus.RETRYING, ReceiptStatus.FAILED);
        assertThat(down.get(2).getProviderCode()).isEqualTo("503");
        assertThat(push.attempts.get("push-2")).hasValue(3);
        assertThat(push.attempts.get("push-5")).hasValue(1);

        List<Parked> parked = readCommitted(topics.parked(), 1);
        assertThat(parked).hasSize(1);
        assertThat(parked.get(0).getPush().getMessageId()).isEqualTo("push-2");
        assertThat(parked.get(0).getAttempts()).isEqualTo(3);
        assertThat(parked.get(0).getMail()).isNull();

        // The retry topic holds each retry once, with its attempt and due time.
        List<ConsumerRecord<String, PushMessage>> retries = readCommittedRecords(topics.pushRetry(), 6);
        assertThat(retries).hasSize(6);
        assertThat(retries).allSatisfy(r -> {
            assertThat(SenderHeaders.attempt(r.headers())).isBetween(2, 3);
            assertThat(SenderHeaders.notBefore(r.headers())).isGreaterThan(r.timestamp() - 1000);
        });
        assertThat(readCommitted(topics.mailRetry(), 0)).isEmpty();
    }

    @Test
    void aCrashBetweenSendingAndCommittingResendsOnlyTheBatchInFlight() throws Exception {
        HeraldTopics topics = topics("crash.");
        List<MailMessage> mails = new ArrayList<>();
        for (int i = 0; i < 60; i++) {
            mails.add(Messages.mail("mail-" + i, "r-" + i, "user-" + i + "@example.com"));
        }
        produceTransactionally(topics.mailOutbox(), mails, MailMessage::getRecipientId);
        SmtpTransport smtp = new SmtpTransport(new SmtpTransport.Settings("127.0.0.1", greenMail.getSmtp().getPort(),
                null, null, false, "herald@example.com", 4, Duration.ofSeconds(5)));
        closeAfter.add(smtp);
        Recording first = new Recording(smtp);

        ChannelSender<MailMessage> crashing = sender(SenderChannel.mail(topics), first, "crash",
                ErrorPolicy.defaults(), 10);
        crashing.crashBeforeNextCommit(() -> { });
        crashing.start();
        assertThat(crashing.awaitStopped(TIMEOUT)).isTrue();
        assertThat(crashing.failure()).isNull();
        Set<String> inFlight = Set.copyOf(first.sent);
        assertThat(inFlight).isNotEmpty().hasSizeLessThanOrEqualTo(10);
        assertThat(readCommitted(topics.receipts(), 0)).isEmpty();

        // The next instance (same group and transactional id) starts from the committed offsets: nothing.
        Recording second = new Recording(smtp);
        start(SenderChannel.mail(topics), second, "crash", ErrorPolicy.defaults(), 10);
        List<Receipt> receipts = readCommitted(topics.receipts(), 60);
        assertThat(receipts).hasSize(60);
        assertThat(receipts).extracting(Receipt::getStatus).containsOnly(ReceiptStatus.DELIVERED);
        assertThat(receipts.stream().map(Receipt::getMessageId).distinct().count()).isEqualTo(60);
        assertThat(second.sent).hasSize(60).doesNotHaveDuplicates();

        // The provider saw every message, and twice exactly those of the batch in flight at the crash.
        Map<String, Long> perId = new HashMap<>();
        for (MimeMessage m : greenMail.getReceivedMessages()) {
            perId.merge(m.getHeader("Message-ID")[0], 1L, Long::sum);
        }
        assertThat(perId).hasSize(60);
        Set<String> twice = perId.entrySet().stream().filter(e -> e.getValue() == 2).map(Map.Entry::getKey)
                .collect(Collectors.toSet());
        assertThat(twice).isEqualTo(inFlight.stream().map(SmtpTransport::messageIdHeader).collect(Collectors.toSet()));
        assertThat(perId.values()).allMatch(n -> n <= 2);
    }

    @Test
    void aReplayedMessageKeepsItsReplayMarkThroughItsRetries() throws Exception {
        HeraldTopics topics = topics("replay.");
        PushMessage parked = Messages.push("push-replayed", "r-1", "flaky-1");
        org.apache.kafka.common.header.internals.RecordHeaders headers =
                new org.apache.kafka.common.header.internals.RecordHeaders();
        // As `herald parked replay` writes it: attempt 1, due now, marked.
        SenderHeaders.set(headers, 1, System.currentTimeMillis());
        SenderHeaders.markReplay(headers);
        try (KafkaProducer<String, PushMessage> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()),
                topics.pushRetry().keySerde().serializer(), topics.pushRetry().valueSerde().serializer())) {
            producer.send(new ProducerRecord<>(topics.pushRetry().name(), null, null, "r-1", parked, headers)).get();
        }
        start(SenderChannel.push(topics), new ScriptedPush(), "replay",
                new ErrorPolicy(List.of(Duration.ofMillis(100), Duration.ofMillis(200))), 50);

        List<Receipt> receipts = readCommitted(topics.receipts(), 3);
        assertThat(receipts).extracting(Receipt::getStatus)
                .containsExactly(ReceiptStatus.RETRYING, ReceiptStatus.RETRYING, ReceiptStatus.DELIVERED);
        assertThat(receipts).extracting(Receipt::getReplay).containsOnly(true);
        assertThat(readCommittedRecords(topics.pushRetry(), 3)).allSatisfy(r ->
                assertThat(SenderHeaders.replay(r.headers())).isTrue());
    }

    @Test
    void twoInstancesShareThePartitionsAndEachMessageHasOneReceipt() throws Exception {
        HeraldTopics topics = topics("scale.");
        List<PushMessage> pushes = new ArrayList<>();
        for (int i = 0; i < 400; i++) {
            pushes.add(Messages.push("push-" + i, "r-" + i, "tok-" + i));
        }
        produceTransactionally(topics.pushOutbox(), pushes, PushMessage::getRecipientId);
        Counting a = new Counting();
        Counting b = new Counting();
        SenderChannel<PushMessage> channel = SenderChannel.push(topics);
        ChannelSender<PushMessage> first = sender(channel, a, "scale", ErrorPolicy.defaults(), 20, "a");
        ChannelSender<PushMessage> second = sender(channel, b, "scale", ErrorPolicy.defaults(), 20, "b");
        first.start();
        second.start();

        List<Receipt> receipts = readCommitted(topics.receipts(), 400);
        assertThat(receipts).hasSize(400);
        assertThat(receipts.stream().map(Receipt::getMessageId).distinct().count()).isEqualTo(400);
        assertThat(receipts).extracting(Receipt::getStatus).containsOnly(ReceiptStatus.DELIVERED);
        // Sent again at most: the batches in flight when a rebalance moved their partitions (20 each).
        assertThat(a.sent.get() + b.sent.get()).isBetween(400, 440);
        assertThat(first.batches() + second.batches()).isPositive();
        // The senders' own counts (their meters) are of committed receipts: 400 together, however sent. They are
        // counted just after the commit a reader may already have seen.
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (first.receipts(ReceiptStatus.DELIVERED) + second.receipts(ReceiptStatus.DELIVERED) < 400
                && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertThat(first.receipts(ReceiptStatus.DELIVERED) + second.receipts(ReceiptStatus.DELIVERED)).isEqualTo(400);
        assertThat(first.receipts(ReceiptStatus.RETRYING) + second.receipts(ReceiptStatus.RETRYING)).isZero();
        assertThat(first.failure()).isNull();
        assertThat(second.failure()).isNull();
    }

    /** Delivers every push after a short pause, counting them. */
    private static final class Counting implements Transport<PushMessage> {
        final AtomicInteger sent = new AtomicInteger();

        @Override
        public CompletableFuture<SendResult> send(PushMessage message) {
            sent.incrementAndGet();
            return CompletableFuture.supplyAsync(() -> SendResult.delivered("200"),
                    CompletableFuture.delayedExecutor(5, java.util.concurrent.TimeUnit.MILLISECONDS));
        }

        @Override
        public String name() {
            return "counting";
        }
    }

    // --- helpers

    /** Push by token: flaky-* fails twice (429) then delivers, down-* always 503, gone-* is unregistered. */
    private static final class ScriptedPush implements Transport<PushMessage> {
        final Map<String, AtomicInteger> attempts = new ConcurrentHashMap<>();

        @Override
        public CompletableFuture<SendResult> send(PushMessage message) {
            int attempt = attempts.computeIfAbsent(message.getMessageId(), k -> new AtomicInteger()).incrementAndGet();
            String token = message.getToken();
            SendResult result;
            if (token.startsWith("flaky-") && attempt <= 2) {
                result = SendResult.transientError("429", "too many requests", Duration.ofMillis(50));
            } else if (token.startsWith("down-")) {
                result = SendResult.transientError("503", "unavailable", null);
            } else if (token.startsWith("gone-")) {
                result = SendResult.rejectedTarget("404", "unregistered");
            } else {
                result = SendResult.delivered("200");
            }
            return CompletableFuture.supplyAsync(() -> result);
        }

        @Override
        public String name() {
            return "scripted";
        }
    }

    /** Passes messages on, recording the ids it sent. */
    private static final class Recording implements Transport<MailMessage> {
        final List<String> sent = java.util.Collections.synchronizedList(new ArrayList<>());
        private final Transport<MailMessage> next;

        Recording(Transport<MailMessage> next) {
            this.next = next;
        }

        @Override
        public CompletableFuture<SendResult> send(MailMessage message) {
            sent.add(message.getMessageId());
            return next.send(message);
        }

        @Override
        public String name() {
            return next.name();
        }
    }

    private HeraldTopics topics(String prefix) throws Exception {
        HeraldTopics topics = HeraldTopics.of(prefix, serdes);
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()))) {
            List<NewTopic> create = new ArrayList<>();
            for (Topic<?, ?> t : List.of(topics.mailOutbox(), topics.pushOutbox(), topics.mailRetry(),
                    topics.pushRetry(), topics.receipts())) {
                create.add(new NewTopic(t.name(), 4, (short) 1));
            }
            create.add(new NewTopic(topics.parked().name(), 2, (short) 1));
            admin.createTopics(create).all().get();
        }
        return topics;
    }

    private <M> ChannelSender<M> sender(SenderChannel<M> channel, Transport<M> transport, String app,
                                        ErrorPolicy policy, int maxPollRecords) {
        return sender(channel, transport, app, policy, maxPollRecords, "0");
    }

    private <M> ChannelSender<M> sender(SenderChannel<M> channel, Transport<M> transport, String app,
                                        ErrorPolicy policy, int maxPollRecords, String instance) {
        Map<String, Object> clientSettings = Map.of(
                ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, 10_000,
                ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG, 500);
        ChannelSender.Config config = new ChannelSender.Config(kafka.bootstrapServers(),
                ChannelSender.groupId(app, channel), app + "-sender-" + channel.name() + "-" + instance, clientSettings,
                policy, RateLimiter.unlimited(), 16, Duration.ofSeconds(20), maxPollRecords);
        ChannelSender<M> sender = new ChannelSender<>(channel, transport, config, Clock.systemUTC());
        closeAfter.add(sender);
        return sender;
    }

    private <M> ChannelSender<M> start(SenderChannel<M> channel, Transport<M> transport, String app,
                                       ErrorPolicy policy, int maxPollRecords) {
        return sender(channel, transport, app, policy, maxPollRecords).start();
    }

    private <V> void produceTransactionally(Topic<String, V> topic, java.util.Collection<V> values,
                                            Function<V, String> key) {
        Map<String, Object> config = Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(),
                ProducerConfig.TRANSACTIONAL_ID_CONFIG, "test-producer-" + UUID.randomUUID());
        try (KafkaProducer<String, V> producer = new KafkaProducer<>(config, topic.keySerde().serializer(),
                topic.valueSerde().serializer())) {
            producer.initTransactions();
            producer.beginTransaction();
            values.forEach(v -> producer.send(new ProducerRecord<>(topic.name(), key.apply(v), v)));
            producer.commitTransaction();
        }
    }

    private <V> List<V> readCommitted(Topic<String, V> topic, int expected) {
        return readCommittedRecords(topic, expected).stream().map(ConsumerRecord::value).toList();
    }

    /**
     * What a read_committed consumer sees on the topic once it holds {@code expected} records (or the deadline
     * passed), plus a last read a little later so a record beyond the expected ones would show too.
     */
    private <V> List<ConsumerRecord<String, V>> readCommittedRecords(Topic<String, V> topic, int expected) {
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
            List<ConsumerRecord<String, V>> out = new ArrayList<>();
            long deadline = System.nanoTime() + TIMEOUT.toNanos();
            while (out.size() < expected && System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(200)).forEach(out::add);
            }
            long settle = System.nanoTime() + Duration.ofMillis(700).toNanos();
            while (System.nanoTime() < settle) {
                consumer.poll(Duration.ofMillis(100)).forEach(out::add);
            }
            // Per message, in the order written: receipts of one recipient share a partition.
            return out;
        }
    }
}

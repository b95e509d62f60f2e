package dev.herald.bench;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.herald.avro.MailMessage;
import dev.herald.avro.PushMessage;
import dev.herald.avro.Recipient;
import dev.herald.avro.RunStatus;
import dev.herald.avro.RunSummary;
import dev.herald.topology.HeraldTopics;
import dev.herald.topology.RunIds;
import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;

/**
 * Exactly-once under crashes, against a real broker and Herald in forked JVMs: an instance SIGKILLed mid-run and
 * restarted on its state, one of two instances SIGKILLed mid-run, the broker restarted mid-run. After each, the
 * read_committed outboxes hold exactly one message per (run, recipient, channel, target), computed here from the
 * generated recipients rather than from Herald's code; the run summary (HTTP and run-summaries) and the 1-minute
 * windows equal the outboxes; the run completed once. Nothing is timed: waits poll until a condition or a deadline.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(value = 15, unit = TimeUnit.MINUTES)
class CrashTest {
    private static final int RECIPIENTS = 2_000;
    private static final long DELIVERIES = 2L * RECIPIENTS;
    // About sixteen seconds of fan-out: the window in which a fault lands mid-run stays wide on a loaded machine.
    private static final int RATE = 250;
    private static final String CAMPAIGN = "crash";
    private static final Duration STEP = Duration.ofMinutes(4);
    /**
     * A killed instance that is not restarted keeps its partitions until its session expires (45 s by default)
     * before the survivor takes them over; a restarted one takes them back at once as the same static member.
     * Only these are set; everything else is Herald's.
     */
    private static final List<String> HERALD_ARGS = List.of("--kafka.session.timeout.ms=10000",
            "--kafka.heartbeat.interval.ms=1000");

    private final BenchData data = new BenchData(20261202L);
    private Path work;
    private BenchBroker broker;

    @BeforeAll
    void startBroker() throws IOException {
        Bench.quietServerLogs();
        work = Bench.targetDir().resolve("crash-test-work");
        deleteRecursively(work);
        broker = BenchBroker.start(work.resolve("kafka"));
    }

    @AfterAll
    void stopBroker() {
        if (broker != null) {
            broker.close();
        }
    }

    @Test
    void instanceKilledMidRunAndRestartedOnItsStateCompletesTheRunExactlyOnce() {
        try (Scenario s = new Scenario("killed", 1)) {
            HeraldProcess p = s.instances.get(0);
            s.tick();
            s.awaitMidRun(p);
            p.kill();
            assertThat(s.watcher.get(s.runId)).as("completion seen before the kill").isNull();
            p.spawn();
            p.awaitReady(STEP);
            s.verify(p);
        }
    }

    @Test
    void survivorOfTwoInstancesTakesOverTheKilledOnesPartitionsAndCompletesTheRunExactlyOnce() {
        try (Scenario s = new Scenario("two", 2)) {
            HeraldProcess a = s.instances.get(0);
            HeraldProcess b = s.instances.get(1);
            s.tick();
            // The instance owning the run's ledger is the one killed: the survivor must take that over too.
            String owner = s.awaitMidRun(a).path("servedBy").asText();
            HeraldProcess killed = owner.equals(b.address()) ? b : a;
            HeraldProcess survivor = killed == a ? b : a;
            killed.kill();
            assertThat(s.watcher.get(s.runId)).as("completion seen before the kill").isNull();
            s.verify(survivor);
            JsonNode instances = eventually(() -> survivor.get("/api/instances"),
                    i -> i.path("instances").size() == 1);
            assertThat(instances.path("instances").findValuesAsText("address")).as("instances after the kill")
                    .containsExactly(survivor.address());
            assertThat(survivor.get(runPath(s.runId)).path("servedBy").asText()).as("run served after the kill")
                    .isEqualTo(survivor.address());
        }
    }

    @Test
    void brokerRestartedOnItsDataMidRunLosesAndDuplicatesNothing() {
        try (Scenario s = new Scenario("broker", 1)) {
            HeraldProcess p = s.instances.get(0);
            s.tick();
            s.awaitMidRun(p);
            broker.restartKafka();
            s.verify(p);
            assertThat(p.alive()).as("Herald still running after the broker restart").isTrue();
        }
    }

    /** One application (its own id and topic prefix) with recipients and the rate-limited campaign loaded. */
    private final class Scenario implements AutoCloseable {
        final String app;
        final HeraldTopics topics;
        final List<HeraldProcess> instances = new ArrayList<>();
        final RunWatcher watcher;
        String runId;

        Scenario(String name, int count) {
            app = "crash-" + name;
            topics = broker.topics(app + ".");
            for (int i = 0; i < count; i++) {
                instances.add(HeraldProcess.create(name + "-" + i, broker, app, app + ".", work.resolve(app + "-" + i),
                        null, List.of(), HERALD_ARGS));
            }
            try {
                instances.forEach(HeraldProcess::spawn);
                instances.forEach(p -> p.awaitReady(STEP));
                if (count > 1) {
                    for (HeraldProcess p : instances) {
                        eventually(() -> p.get("/api/instances"), i -> i.path("instances").size() == count);
                        p.awaitReady(STEP);
                    }
                }
                broker.loadRecipients(topics.recipients(), data, IntStream.range(0, RECIPIENTS), Integer.MAX_VALUE);
                broker.send(topics.campaigns(), CAMPAIGN, BenchData.campaign(CAMPAIGN, null, RATE));
                broker.awaitConsumed(app, List.of(topics.recipients().name(), topics.campaigns().name()), STEP);
                instances.forEach(p -> p.awaitOk("/api/campaigns/" + CAMPAIGN, STEP));
                watcher = new RunWatcher(broker.bootstrapServers(), topics.runSummaries());
            } catch (RuntimeException | Error e) {
                instances.forEach(HeraldProcess::stop);
                throw e;
            }
        }

        void tick() {
            Instant slot = Instant.now().truncatedTo(ChronoUnit.MILLIS);
            runId = RunIds.of(CAMPAIGN, slot);
            broker.send(topics.scheduleTicks(), CAMPAIGN, BenchData.tick(CAMPAIGN, slot));
        }

        /** Waits until between 10% and 80% of the run's deliveries are counted; returns the run as then served. */
        JsonNode awaitMidRun(HeraldProcess via) {
            long low = DELIVERIES / 10;
            long high = DELIVERIES * 8 / 10;
            JsonNode run = eventually(() -> via.get(runPath(runId)),
                    r -> r.path("counted").asLong() >= low || watcher.get(runId) != null);
            assertThat(watcher.get(runId)).as("completion seen before the fault").isNull();
            assertThat(run.path("counted").asLong()).as("deliveries counted when the fault comes").isBetween(low, high);
            Bench.say(String.format("%s: fault at %d of %d deliveries counted", app, run.path("counted").asLong(),
                    DELIVERIES));
            return run;
        }

        /** Every check of a run that went through a fault, asked of {@code via}. */
        void verify(HeraldProcess via) {
            // Counted reaching the deliveries, not completion, ends this wait: a run that counted some twice never
            // completes, and the outbox below says why better than a timeout would.
            eventually(() -> via.get(runPath(runId)), r -> "COMPLETED".equals(r.path("status").asText())
                    || r.path("counted").asLong() >= DELIVERIES);
            List<String> inputs = List.of(topics.recipients().name(), topics.campaigns().name(),
                    topics.scheduleTicks().name());
            // Whatever a crash made Herald redo is in the outboxes once it has nothing left to process.
            assertThat(eventually(() -> CommittedReader.idle(broker, app, inputs), idle -> idle))
                    .as("Herald processed all its input").isTrue();

            Map<String, Integer> expected = expectedOutbox();
            Outbox outbox = new Outbox();
            try (CommittedReader reader = new CommittedReader(broker, List.of(topics.pushOutbox().name(),
                    topics.mailOutbox().name()), r -> outbox.add(r.topic(), r.value()))) {
                reader.pollUntil(() -> outbox.seen.size() >= expected.size(), STEP);
                assertThat(reader.drain(STEP)).as("outboxes read to their committed end").isTrue();
            }
            Set<String> missing = new HashSet<>(expected.keySet());
            missing.removeAll(outbox.seen.keySet());
            Set<String> unexpected = new HashSet<>(outbox.seen.keySet());
            unexpected.removeAll(expected.keySet());
            List<String> duplicated = outbox.seen.entrySet().stream().filter(e -> e.getValue() > 1)
                    .map(e -> e.getKey() + " x" + e.getValue()).toList();
            Bench.say(String.format("%s: outbox push %d, mail %d; missing %d, unexpected %d, duplicated %d", app,
                    outbox.push, outbox.mail, missing.size(), unexpected.size(), duplicated.size()));
            assertThat(duplicated.size()).as("messages duplicated in the outboxes, such as " + some(duplicated))
                    .isZero();
            assertThat(missing.size()).as("deliveries without a message, such as " + some(missing)).isZero();
            assertThat(unexpected.size()).as("messages nobody should have got, such as " + some(unexpected)).isZero();

            RunSummary completed = watcher.await(runId, STEP).summary();
            JsonNode run = eventually(() -> via.get(runPath(runId)), r -> "COMPLETED".equals(r.path("status").asText()));

            assertThat(run.path("expected").asLong()).as("HTTP run expected").isEqualTo(DELIVERIES);
            assertThat(run.path("counted").asLong()).as("HTTP run counted").isEqualTo(DELIVERIES);
            assertThat(run.path("push").path("messages").asLong()).as("HTTP run push").isEqualTo(outbox.push);
            assertThat(run.path("mail").path("messages").asLong()).as("HTTP run mail").isEqualTo(outbox.mail);
            assertThat(completed.getExpected()).as("run-summaries expected").isEqualTo(DELIVERIES);
            assertThat(completed.getPush().getMessages()).as("run-summaries push").isEqualTo(outbox.push);
            assertThat(completed.getMail().getMessages()).as("run-summaries mail").isEqualTo(outbox.mail);

            List<RunSummary> completions = new ArrayList<>();
            try (CommittedReader reader = new CommittedReader(broker, List.of(topics.runSummaries().name()), r -> {
                RunSummary summary = topics.runSummaries().valueSerde().deserializer()
                        .deserialize(r.topic(), r.value());
                if (summary != null && summary.getRunId().equals(runId) && summary.getStatus() == RunStatus.COMPLETED) {
                    completions.add(summary);
                }
            })) {
                assertThat(reader.drain(STEP)).as("run-summaries read to its committed end").isTrue();
            }
            assertThat(completions).as("completion records of " + runId).hasSize(1);

            String windows = "/api/campaigns/" + CAMPAIGN + "/summary?window=1m";
            JsonNode totals = eventually(() -> via.get(windows).path("totals"),
                    t -> t.path("push").path("messages").asLong() == outbox.push
                            && t.path("mail").path("messages").asLong() == outbox.mail);
            assertThat(totals.path("push").path("messages").asLong()).as("1m windows push").isEqualTo(outbox.push);
            assertThat(totals.path("mail").path("messages").asLong()).as("1m windows mail").isEqualTo(outbox.mail);
        }

        /** One message per recipient on each channel, to the token or address the recipient was generated with. */
        Map<String, Integer> expectedOutbox() {
            Map<String, Integer> expected = new HashMap<>();
            for (int i = 0; i < RECIPIENTS; i++) {
                Recipient r = data.recipient(i, Integer.MAX_VALUE);
                expected.put(key(runId, r.getId(), "PUSH",
                        r.getPushTokens().get(0).getPlatform() + ":" + r.getPushTokens().get(0).getToken()), 1);
                expected.put(key(runId, r.getId(), "MAIL", r.getEmail()), 1);
            }
            return expected;
        }

        /** Both outboxes as read, each message counted under its (run, recipient, channel, target). */
        private final class Outbox {
            final Map<String, Integer> seen = new HashMap<>();
            long push;
            long mail;

            void add(String topic, byte[] value) {
                if (topic.equals(topics.pushOutbox().name())) {
                    PushMessage m = topics.pushOutbox().valueSerde().deserializer().deserialize(topic, value);
                    push++;
                    seen.merge(key(m.getRunId(), m.getRecipientId(), "PUSH", m.getPlatform() + ":" + m.getToken()), 1,
                            Integer::sum);
                } else {
                    MailMessage m = topics.mailOutbox().valueSerde().deserializer().deserialize(topic, value);
                    mail++;
                    seen.merge(key(m.getRunId(), m.getRecipientId(), "MAIL", m.getTo()), 1, Integer::sum);
                }
            }
        }

        @Override
        public void close() {
            instances.forEach(HeraldProcess::stop);
            watcher.close();
            broker.deleteTopics(app + ".", app);
        }
    }

    private static String key(String runId, String recipientId, String channel, String target) {
        return runId + " " + recipientId + " " + channel + " " + target;
    }

    /** A few of {@code items}: enough to see what went wrong without thousands of lines. */
    private static List<String> some(Collection<String> items) {
        return items.stream().sorted().limit(5).toList();
    }

    private static String runPath(String runId) {
        return "/api/runs/" + URLEncoder.encode(runId, StandardCharsets.UTF_8);
    }

    /**
     * Reads until {@code done} holds or {@link #STEP} passes, and returns the last value read: the caller asserts on
     * it, so a deadline fails with what was last seen. A failed read (503 during a rebalance, a refused connection)
     * counts as not yet.
     */
    private static <T> T eventually(java.util.function.Supplier<T> read, Predicate<T> done) {
        long deadline = System.nanoTime() + STEP.toNanos();
        T last = null;
        RuntimeException lastError = null;
        while (true) {
            try {
                last = read.get();
                if (done.test(last)) {
                    return last;
                }
            } catch (RuntimeException e) {
                lastError = e;
            }
            if (System.nanoTime() > deadline) {
                if (last == null) {
                    throw new AssertionError("nothing could be read within " + STEP, lastError);
                }
                return last;
            }
            Bench.sleep(100);
        }
    }

    private static void deleteRecursively(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        }
    }
}

package dev.herald.bench;

import com.fasterxml.jackson.databind.JsonNode;
import dev.herald.avro.Campaign;
import dev.herald.avro.RunSummary;
import dev.herald.topology.HeraldTopics;
import dev.herald.topology.RunIds;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BooleanSupplier;
import java.util.function.IntPredicate;
import java.util.function.Supplier;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.apache.kafka.common.TopicPartition;

/**
 * The benchmark harness of issue 7 (and the two-instance measurement of issue 15): Herald in forked JVMs against
 * the embedded broker and schema registry, which run in this JVM; every figure next to a baseline measured in the
 * same run. {@code java -jar bench/target/herald-bench.jar --full} for the real sizes, {@code --smoke} (the default)
 * for small ones; prints tables and writes the JSON (default {@code bench/target/bench-results.json}).
 *
 * <p>Groups of cases, each on fresh instances with their own application id and topic prefix:
 * <ul>
 *   <li>{@code sizes}: for each size but the big one, (a) the baseline producer and (b) tick to COMPLETED;</li>
 *   <li>{@code big}: (c) the segment while it is all the table holds; then, with the whole big table, (a) and (b),
 *       (c) the segment inside the table, (f) queries idle and during runs, (e) SIGKILL in the middle of a run;</li>
 *   <li>{@code small-heap}: (d) the big run at a small -Xmx, against (b)'s time and peak resident memory;</li>
 *   <li>{@code two}: issue 15, two instances of one application: keyed local, keyed forwarded, gather and the same
 *       list from the local replica, at a fixed rate and at saturation;</li>
 *   <li>{@code senders}: issue 10, the senders against local providers (FCM, APNs, SMTP), against the transports
 *       alone ({@link SenderCase}).</li>
 * </ul>
 */
public final class Bench {
    static final String ALL = "bench-all";
    static final String SEGMENT = "bench-segment";
    static final String BUSY = "bench-busy";
    static final String RECOVERY = "bench-recovery";
    private static final Duration READY_TIMEOUT = Duration.ofMinutes(3);
    private static final Duration LOAD_TIMEOUT = Duration.ofMinutes(10);
    private static final double MIB = 1024.0 * 1024;
    /** Segment runs on a fresh instance repeat until one takes within this fraction of the one before... */
    private static final double STEADY = 0.1;
    /** ...or this many were made: JIT compilation must not be what a figure measures. */
    private static final int MAX_WARM_UP_RUNS = 6;
    private static final DateTimeFormatter CLOCK = DateTimeFormatter.ofPattern("HH:mm:ss");

    private final BenchOptions options;
    private final Machine machine = Machine.current();
    private final Report report = new Report();
    private final BenchData data;
    private final Path work;
    private final List<HeraldProcess> processes = new CopyOnWriteArrayList<>();
    private BenchBroker broker;
    private long lastSlotMillis;

    // What the groups measured, turned into figures at the end (some figures need two groups).
    private final Map<Integer, Baseline> baselines = new TreeMap<>();
    private final Map<Integer, Double> runSeconds = new TreeMap<>();
    private final Map<Integer, OutboxCheck> runOutboxes = new TreeMap<>();
    private Double bigFirstReady;
    private Double segmentInTable;
    private Double segmentAlone;
    private Double smallHeapSeconds;
    private OptionalLong peakDefault = OptionalLong.empty();
    private OptionalLong peakSmall = OptionalLong.empty();
    private Recovery recovery;

    /** Case e as measured; completion figures are NaN when the run completed before the kill. */
    private record Recovery(double restartToReady, double restartToCompleted, double tickToCompleted,
            long offsetsAtKill, long messages) {
    }

    /** A run from its tick to its completion, with the outbox offsets from before the tick. */
    private record Timed(String runId, double seconds, RunWatcher.Completion completion,
            Map<TopicPartition, Long> from) {
    }

    /**
     * An instance that is up with its whole table loaded and its campaigns visible, warmed up, watched.
     *
     * @param segmentAlone the timed segment run made while the table held only the segment
     */
    private record Prepared(HeraldTopics topics, RunWatcher watcher, double readySeconds, Timed segmentAlone)
            implements AutoCloseable {
        @Override
        public void close() {
            watcher.close();
        }
    }

    private Bench(BenchOptions options) {
        this.options = options;
        this.data = new BenchData(options.seed());
        this.work = options.workDir().resolve(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")
                .format(LocalDateTime.now()));
    }

    public static void main(String[] args) {
        if (List.of(args).contains("--help")) {
            System.out.println(BenchOptions.usage());
            return;
        }
        BenchOptions options;
        try {
            options = BenchOptions.parse(targetDir(), args);
        } catch (IllegalArgumentException e) {
            System.err.println("herald-bench: " + e.getMessage());
            System.exit(2);
            return;
        }
        Report report = run(options);
        System.exit(report.passed() ? 0 : 1);
    }

    /** Runs the cases the options select; prints the tables, writes the JSON and returns the report. */
    static Report run(BenchOptions options) {
        return new Bench(options).runAll();
    }

    /** bench/target: where the jar (or, under Maven, the classes folder) is. */
    static Path targetDir() {
        try {
            return Path.of(Bench.class.getProtectionDomain().getCodeSource().getLocation().toURI()).getParent();
        } catch (Exception e) {
            return Path.of("target").toAbsolutePath();
        }
    }

    private Report runAll() {
        quietServerLogs();
        Instant started = Instant.now();
        say("Herald benchmark (" + options.mode() + ") on " + machine.describe());
        say("work directory " + work + "; results to " + options.out());
        Thread hook = new Thread(this::killAll, "bench-kill-forks");
        Runtime.getRuntime().addShutdownHook(hook);
        try {
            broker = BenchBroker.start(work.resolve("kafka"));
            say("broker " + broker.bootstrapServers() + ", schema registry " + broker.registryUrl());
            if (options.groups().contains("sizes")) {
                for (int n : options.sizes()) {
                    if (n != options.big() || !options.groups().contains("big")) {
                        group("sizes " + n, () -> sizeGroup(n));
                    }
                }
            }
            if (options.groups().contains("big")) {
                group("big", this::bigGroup);
            }
            if (options.groups().contains("small-heap")) {
                group("small-heap", this::smallHeapGroup);
            }
            if (options.groups().contains("two")) {
                group("two", this::twoGroup);
            }
            if (options.groups().contains("senders")) {
                group("senders", () -> new SenderCase(broker, options, data, report, work).run());
            }
        } catch (RuntimeException e) {
            report.error("harness", e);
            say("harness failed: " + e);
        } finally {
            processes.forEach(HeraldProcess::stop);
            if (broker != null) {
                broker.close();
            }
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException e) {
                // already shutting down
            }
        }
        figures();
        System.out.println(report.table(machine, options));
        report.writeJson(options.out(), machine, options, started, Instant.now());
        say("wrote " + options.out() + " after " + Duration.between(started, Instant.now()).toSeconds() + " s");
        if (!options.keepWork()) {
            deleteRecursively(work);
        }
        return report;
    }

    /** The broker and registry in this JVM log every topic and schema at INFO: noise between the harness's lines. */
    static void quietServerLogs() {
        if (org.slf4j.LoggerFactory.getLogger("dev.herald.devstack") instanceof ch.qos.logback.classic.Logger l) {
            l.setLevel(ch.qos.logback.classic.Level.WARN);
        }
    }

    private void group(String name, Runnable body) {
        say("== " + name);
        try {
            body.run();
        } catch (RuntimeException e) {
            report.error(name, e);
            say(name + " failed: " + e);
            e.printStackTrace(System.out);
        }
    }

    /** (a) and (b) at one size, on an instance of its own. */
    private void sizeGroup(int n) {
        String app = "bench-b" + n;
        HeraldProcess p = instance("b" + n, app, null);
        try (Prepared prep = prepare(p, app, n, Map.of(ALL, BenchData.campaign(ALL, null, 0)))) {
            measureAB(n, prep, app + ".");
        } finally {
            finish(app, p);
        }
    }

    /**
     * All but (d) on one instance: (c) the segment alone (timed while the table held only the segment), then with
     * the whole table (a), (b), (c) the segment inside the table, (f) and (e). One JVM for the segment alone and
     * inside the table keeps everything but the table's size equal.
     */
    private void bigGroup() {
        int n = options.big();
        int stride = stride();
        String app = "bench-big";
        HeraldProcess p = instance("big", app, null);
        Map<String, Campaign> campaigns = new LinkedHashMap<>();
        campaigns.put(ALL, BenchData.campaign(ALL, null, 0));
        campaigns.put(BUSY, BenchData.campaign(BUSY, null, 0));
        campaigns.put(RECOVERY, BenchData.campaign(RECOVERY, null, options.recoveryRate()));
        try (Prepared prep = prepare(p, app, n, campaigns)) {
            bigFirstReady = prep.readySeconds();
            HeraldTopics topics = prep.topics();
            segmentAlone = prep.segmentAlone().seconds();
            checkOutbox("c.alone.outbox_exactly_once", topics, prep.segmentAlone(), n, i -> i % stride == 0,
                    2L * segmentMembers(n));

            Timed b = measureAB(n, prep, app + ".");
            peakDefault = p.peakResidentBytes();

            Timed c = timedRun(topics, prep.watcher(), SEGMENT, 2L * options.segment());
            segmentInTable = c.seconds();
            checkOutbox("c.in_table.outbox_exactly_once", topics, c, n, i -> i % stride == 0,
                    2L * options.segment());
            say(String.format("c: the %,d segment in the %,d table: %.2f s (alone: %.2f s)", options.segment(), n,
                    c.seconds(), segmentAlone));

            queries(p, topics, prep.watcher(), b);
            recovery(p, topics, prep.watcher(), n);
        } finally {
            finish(app, p);
        }
    }

    /** (d): the big run at a small heap, on an instance prepared exactly as the big one was. */
    private void smallHeapGroup() {
        int n = options.big();
        String app = "bench-small-heap";
        HeraldProcess p = instance("small-heap", app, options.smallHeap());
        try (Prepared prep = prepare(p, app, n, Map.of(ALL, BenchData.campaign(ALL, null, 0)))) {
            Timed t = timedRun(prep.topics(), prep.watcher(), ALL, 2L * n);
            smallHeapSeconds = t.seconds();
            peakSmall = p.peakResidentBytes();
            checkOutbox("d.outbox_exactly_once", prep.topics(), t, n, i -> true, 2L * n);
            say(String.format("d: %,d x 2 at -Xmx%s: %.2f s, peak resident %s", n, options.smallHeap(),
                    t.seconds(), mib(peakSmall)));
        } finally {
            finish(app, p);
        }
    }

    /** Issue 15: two instances of one application on this host; keyed local, keyed forwarded, gather. */
    private void twoGroup() {
        String app = "bench-two";
        HeraldProcess a = instance("two-a", app, null);
        HeraldProcess b = instance("two-b", app, null);
        try {
            a.spawn();
            b.spawn();
            a.awaitReady(READY_TIMEOUT);
            b.awaitReady(READY_TIMEOUT);
            await("both instances in the group", Duration.ofMinutes(2),
                    () -> a.get("/api/instances").path("instances").size() == 2
                            && b.get("/api/instances").path("instances").size() == 2);
            a.awaitReady(READY_TIMEOUT);
            b.awaitReady(READY_TIMEOUT);
            HeraldTopics topics = broker.topics(app + ".");
            broker.loadRecipients(topics.recipients(), data, IntStream.range(0, options.twoRecipients()), stride());
            List<String> ids = new ArrayList<>();
            for (int i = 0; i < Math.min(10, options.twoRecipients()); i++) {
                ids.add(BenchData.id(i));
            }
            List<String> campaignIds = new ArrayList<>();
            for (int c = 0; c < 6; c++) {
                campaignIds.add("bench-probe-" + c);
                broker.send(topics.campaigns(), "bench-probe-" + c, BenchData.probe("bench-probe-" + c, ids));
            }
            broker.awaitConsumed(app, List.of(topics.recipients().name(), topics.campaigns().name()), LOAD_TIMEOUT);
            for (String id : campaignIds) {
                a.awaitOk("/api/campaigns/" + id, Duration.ofMinutes(1));
            }
            String local = null;
            String forwarded = null;
            try (RunWatcher watcher = new RunWatcher(broker.bootstrapServers(), topics.runSummaries())) {
                // Runs land on whichever instance owns their key: make some until each instance owns one.
                for (int round = 0; round < 4 && (local == null || forwarded == null); round++) {
                    List<String> runs = new ArrayList<>();
                    for (int k = 0; k < 8; k++) {
                        String campaign = campaignIds.get(k % campaignIds.size());
                        Instant slot = nextSlot();
                        broker.send(topics.scheduleTicks(), campaign, BenchData.tick(campaign, slot));
                        runs.add(RunIds.of(campaign, slot));
                    }
                    for (String run : runs) {
                        watcher.await(run, Duration.ofMinutes(2));
                        String servedBy = a.get(runPath(run)).path("servedBy").asText();
                        if (servedBy.equals(a.address()) && local == null) {
                            local = run;
                        } else if (servedBy.equals(b.address()) && forwarded == null) {
                            forwarded = run;
                        }
                    }
                }
            }
            report.check("two.keyed_forwarded_served_by_peer", local != null && forwarded != null,
                    "a run served by " + a.address() + ": " + local + "; a run " + a.address() + " forwards to "
                            + b.address() + ": " + forwarded);
            if (local == null || forwarded == null) {
                throw new IllegalStateException("could not find a run owned by each instance");
            }
            Map<String, String> endpoints = new LinkedHashMap<>();
            endpoints.put("keyed_local", runPath(local));
            endpoints.put("keyed_forwarded", runPath(forwarded));
            endpoints.put("gather_campaigns", "/api/campaigns");
            // The same list from this instance's replica of the changelogs: no peer asked (within 100 records).
            endpoints.put("replicated_campaigns", "/api/campaigns?maxLag=100");
            var replicated = a.get(endpoints.get("replicated_campaigns"));
            report.check("two.replicated_list_from_replica", replicated.has("lag")
                            && replicated.path("servedBy").size() == 1,
                    "served by " + replicated.path("servedBy") + ", lag " + replicated.path("lag") + ", "
                            + replicated.path("campaigns").size() + " campaigns");
            LoadGenerator load = new LoadGenerator();
            Latencies localFixed = null;
            for (var e : endpoints.entrySet()) {
                URI uri = a.uri(e.getValue());
                Latencies l = twoPhase(e.getKey(), "fixed_rate", a, b, () -> load.saturation(e.getKey(),
                        "warm-up", uri, LoadGenerator.CONNECTIONS, warmUpSeconds()), () -> load.fixedRate(
                        e.getKey(), "fixed_rate", uri, options.twoRate(), options.twoSeconds()));
                localFixed = localFixed == null ? l : localFixed;
                report.latency("two", l, l == localFixed ? null : localFixed, "keyed_local fixed_rate");
                sayLatency(l);
            }
            Latencies localSaturated = null;
            for (var e : endpoints.entrySet()) {
                URI uri = a.uri(e.getValue());
                Latencies l = twoPhase(e.getKey(), "saturation", a, b, () -> load.saturation(e.getKey(),
                        "warm-up", uri, options.saturationClients(), warmUpSeconds()), () -> load.saturation(
                        e.getKey(), "saturation", uri, options.saturationClients(), options.twoSeconds()));
                localSaturated = localSaturated == null ? l : localSaturated;
                report.latency("two", l, l == localSaturated ? null : localSaturated, "keyed_local saturation");
                sayLatency(l);
            }
        } finally {
            finish(app, a, b);
        }
    }

    /** (a) then (b) at size {@code n}, on a prepared instance. */
    private Timed measureAB(int n, Prepared prep, String prefix) {
        HeraldTopics topics = prep.topics();
        RunWatcher watcher = prep.watcher();
        Baseline base = Baseline.run(broker, topics, prefix, data, n, stride());
        baselines.put(n, base);
        say(String.format("a: baseline producer, %,d records: %.2f s, %,.0f records/s", base.records(),
                base.seconds(), base.recordsPerSecond()));
        Timed t = timedRun(topics, watcher, ALL, 2L * n);
        runSeconds.put(n, t.seconds());
        OutboxCheck check = checkOutbox("b." + n + ".outbox_exactly_once", topics, t, n, i -> true, 2L * n);
        runOutboxes.put(n, check);
        say(String.format("b: %,d x push + mail, tick to COMPLETED: %.2f s, %,.0f messages/s", n, t.seconds(),
                check.messages() / t.seconds()));
        return t;
    }

    /** How busy Herald may be, in cores, for case f to call it idle; see {@link HeraldProcess#awaitQuiet}. */
    private static final double QUIET_CORES = 0.10;
    /** How long case f waits at most for Herald to be idle after the run before it measures anyway. */
    private static final Duration QUIET_MAX = Duration.ofSeconds(60);
    /** The same in smoke mode, where there is little to settle and the suite's time counts. */
    private static final Duration QUIET_MAX_SMOKE = Duration.ofSeconds(5);
    /** How long the two-instance case waits at most, per instance and phase, for both to be idle before measuring. */
    private static final Duration QUIET_MAX_TWO = Duration.ofSeconds(20);
    /** Seconds of unmeasured load before each two-instance phase (at most the phase's own length). */
    private static final double TWO_WARM_UP_SECONDS = 3.0;
    /** The same in smoke mode, which only shows that the case runs. */
    private static final double TWO_WARM_UP_SECONDS_SMOKE = 0.25;

    /** (f): each endpoint at a fixed rate with Herald idle, then again while it fans out run after run. */
    private void queries(HeraldProcess p, HeraldTopics topics, RunWatcher watcher, Timed run) {
        Instant hour = run.completion().summary().getStartedAt().truncatedTo(ChronoUnit.HOURS);
        Map<String, String> endpoints = new LinkedHashMap<>();
        endpoints.put("health_live", "/health/live");
        endpoints.put("keyed_run", runPath(run.runId()));
        endpoints.put("summary_1m", "/api/campaigns/" + ALL + "/summary?window=1m&from=" + hour + "&to="
                + hour.plus(1, ChronoUnit.HOURS));
        endpoints.put("gather_campaigns", "/api/campaigns");
        LoadGenerator load = new LoadGenerator();
        warmUp(load, p, endpoints, options.querySeconds());
        Duration quietMax = options.mode().startsWith("smoke") ? QUIET_MAX_SMOKE : QUIET_MAX;
        Duration settled = p.awaitQuiet(QUIET_CORES, Duration.ofSeconds(1), quietMax);
        report.detail("f.idleSettledSeconds", settled.toMillis() / 1000.0);
        say(String.format("f: idle after %.1f s (Herald below %.2f of a core over 1 s, or %d s at most)",
                settled.toMillis() / 1000.0, QUIET_CORES, quietMax.toSeconds()));
        Map<String, Latencies> idle = new LinkedHashMap<>();
        for (var e : endpoints.entrySet()) {
            Optional<Duration> cpu0 = p.cpuTime();
            Latencies l = load.fixedRate(e.getKey(), "idle", p.uri(e.getValue()), options.queryRate(),
                    options.querySeconds());
            reportCores(p, "f." + e.getKey() + ".idle", cpu0, l);
            idle.put(e.getKey(), l);
            boolean reference = e.getKey().equals("health_live");
            report.latency("f", l, reference ? null : idle.get("health_live"), "health_live idle (HTTP alone)");
            sayLatency(l);
        }
        BusyRuns busy = new BusyRuns(topics, watcher, options.big());
        busy.start();
        try {
            busy.awaitFirstTick();
            for (var e : endpoints.entrySet()) {
                Optional<Duration> cpu0 = p.cpuTime();
                Latencies l = load.fixedRate(e.getKey(), "during_run", p.uri(e.getValue()), options.queryRate(),
                        options.querySeconds());
                reportCores(p, "f." + e.getKey() + ".during_run", cpu0, l);
                report.latency("f", l, idle.get(e.getKey()), e.getKey() + " idle");
                sayLatency(l);
            }
        } finally {
            int runs = busy.finish();
            report.detail("f.runsDuringQueries", runs);
            say("f: " + runs + " run(s) of " + options.big() + " x 2 fanned out during the query phases");
        }
    }

    /**
     * One two-instance phase: its own warm-up (the same endpoint, as many connections, unmeasured), then both
     * instances left to settle, then the measured load; each instance's CPU use over it goes into the JSON. Without
     * the settling, a phase that first sends requests down a new path (forwarding, gathering) was measured while both
     * JVMs compiled it: on 2 cores an instance's JIT compiled for 6 s of CPU time during the 10 s of the first
     * forwarded phase, and that phase's latencies measured the queue that built up meanwhile (p99 up to 1.5 s).
     */
    private Latencies twoPhase(String endpoint, String phase, HeraldProcess a, HeraldProcess b,
            Runnable warmUp, Supplier<Latencies> measured) {
        warmUp.run();
        // The smoke run only shows that the case works; waiting for the JIT there would only lengthen the build.
        Duration quietMax = smoke() ? Duration.ZERO : QUIET_MAX_TWO;
        Duration settledA = a.awaitQuiet(QUIET_CORES, Duration.ofSeconds(1), quietMax);
        Duration settledB = b.awaitQuiet(QUIET_CORES, Duration.ofSeconds(1), quietMax);
        String key = "two." + endpoint + "." + phase;
        report.detail(key + ".settledSeconds", (settledA.toMillis() + settledB.toMillis()) / 1000.0);
        Optional<Duration> cpuA = a.cpuTime();
        Optional<Duration> cpuB = b.cpuTime();
        Latencies l = measured.get();
        reportCores(a, key + ".a", cpuA, l);
        reportCores(b, key + ".b", cpuB, l);
        return l;
    }

    /** How long each two-instance phase is warmed up: long enough for the JIT to see its path hot. */
    private double warmUpSeconds() {
        return smoke() ? TWO_WARM_UP_SECONDS_SMOKE : Math.min(TWO_WARM_UP_SECONDS, options.twoSeconds());
    }

    private boolean smoke() {
        return options.mode().startsWith("smoke");
    }

    /** Herald's CPU use over a phase, in cores, as a detail of the report (the load generator's is not in it). */
    private void reportCores(HeraldProcess p, String key, Optional<Duration> before, Latencies phase) {
        Optional<Duration> after = p.cpuTime();
        if (before.isPresent() && after.isPresent() && phase.seconds() > 0) {
            double cores = (after.get().toNanos() - before.get().toNanos()) / 1e9 / phase.seconds();
            report.detail(key + ".heraldCores", Math.round(cores * 100) / 100.0);
            say(String.format("%s: Herald used %.2f cores", key, cores));
        }
    }

    /**
     * Unmeasured requests to every endpoint first: otherwise the first phase, a reference for the others, would also
     * pay for class loading, JIT compilation and opening connections.
     */
    private static void warmUp(LoadGenerator load, HeraldProcess p, Map<String, String> endpoints, double seconds) {
        for (var e : endpoints.entrySet()) {
            load.saturation(e.getKey(), "warm-up", p.uri(e.getValue()), 1, Math.min(1.0, seconds));
        }
    }

    /** (e): SIGKILL when half the run's messages are written, restart, and check the outbox and summaries. */
    private void recovery(HeraldProcess p, HeraldTopics topics, RunWatcher watcher, int n) {
        List<String> outboxes = List.of(topics.pushOutbox().name(), topics.mailOutbox().name());
        Map<TopicPartition, Long> from = broker.endOffsets(outboxes);
        long before = BenchBroker.total(from);
        Instant slot = nextSlot();
        String runId = RunIds.of(RECOVERY, slot);
        long t0 = System.nanoTime();
        broker.send(topics.scheduleTicks(), RECOVERY, BenchData.tick(RECOVERY, slot));
        long deadline = System.nanoTime() + runTimeout(2L * n).toNanos();
        long written;
        while ((written = BenchBroker.total(broker.endOffsets(outboxes)) - before) < n && watcher.get(runId) == null) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("run " + runId + " did not get halfway within " + runTimeout(2L * n));
            }
            sleep(20);
        }
        boolean midRun = watcher.get(runId) == null;
        p.kill();
        say(String.format("e: SIGKILL after %,d outbox offsets of %,d messages%s", written, 2L * n,
                midRun ? "" : " (the run had already completed)"));
        report.check("e.killed_mid_run", midRun, String.format("killed at %,d of %,d outbox offsets", written, 2L * n));
        p.spawn();
        double ready = p.awaitReady(READY_TIMEOUT);
        RunWatcher.Completion c = watcher.await(runId, runTimeout(2L * n));
        double restartToCompleted = midRun ? BenchBroker.seconds(c.nanos() - p.spawnedAtNanos()) : Double.NaN;
        double tickToCompleted = midRun ? BenchBroker.seconds(c.nanos() - t0) : Double.NaN;
        say(String.format("e: restart to ready %.2f s, restart to COMPLETED %.2f s, tick to COMPLETED %.2f s", ready,
                restartToCompleted, tickToCompleted));
        OutboxCheck check = OutboxCheck.read(broker, topics, from, runId, n, i -> true);
        report.detail("e.outbox", check.asMap());
        report.check("e.outbox_exactly_once", check.exactlyOnce() && check.messages() == 2L * n, describe(check));
        RunSummary s = c.summary();
        boolean runEqual = s.getExpected() == 2L * n && s.getPush().getMessages() == check.push()
                && s.getMail().getMessages() == check.mail();
        report.check("e.run_summary_equals_outbox", runEqual, String.format(
                "run summary: expected %d, push %d, mail %d; outbox: push %d, mail %d", s.getExpected(),
                s.getPush().getMessages(), s.getMail().getMessages(), check.push(), check.mail()));
        String windowPath = "/api/campaigns/" + RECOVERY + "/summary?window=1m";
        long[] windowed = new long[2];
        boolean windowEqual = poll(Duration.ofSeconds(30), () -> {
            JsonNode totals = p.get(windowPath).path("totals");
            windowed[0] = totals.path("push").path("messages").asLong();
            windowed[1] = totals.path("mail").path("messages").asLong();
            return windowed[0] == check.push() && windowed[1] == check.mail();
        });
        report.check("e.windowed_summary_equals_outbox", windowEqual, String.format(
                "1m windows: push %d, mail %d; outbox: push %d, mail %d", windowed[0], windowed[1], check.push(),
                check.mail()));
        recovery = new Recovery(ready, restartToCompleted, tickToCompleted, written, 2L * n);
    }

    /** Keeps Herald fanning out the big table, one run after another, until {@link #finish}. */
    private final class BusyRuns extends Thread {
        private final HeraldTopics topics;
        private final RunWatcher watcher;
        private final int recipients;
        private final java.util.concurrent.CountDownLatch firstTick = new java.util.concurrent.CountDownLatch(1);
        private volatile boolean stopping;
        private volatile int runs;
        private volatile RuntimeException failure;

        BusyRuns(HeraldTopics topics, RunWatcher watcher, int recipients) {
            super("bench-busy-runs");
            setDaemon(true);
            this.topics = topics;
            this.watcher = watcher;
            this.recipients = recipients;
        }

        @Override
        public void run() {
            try {
                while (!stopping) {
                    Instant slot = nextSlot();
                    broker.send(topics.scheduleTicks(), BUSY, BenchData.tick(BUSY, slot));
                    runs++;
                    firstTick.countDown();
                    watcher.await(RunIds.of(BUSY, slot), runTimeout(2L * recipients));
                }
            } catch (RuntimeException e) {
                failure = e;
            } finally {
                firstTick.countDown();
            }
        }

        void awaitFirstTick() {
            try {
                firstTick.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        /** Stops ticking and waits for the run in flight to complete; returns how many runs there were. */
        int finish() {
            stopping = true;
            try {
                join(runTimeout(2L * recipients).toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            if (failure != null) {
                throw failure;
            }
            return runs;
        }
    }

    private HeraldProcess instance(String name, String applicationId, String maxHeap) {
        HeraldProcess p = HeraldProcess.create(name, broker, applicationId, applicationId + ".", work.resolve(name),
                maxHeap, options.jvmArgs(), options.heraldArgs());
        processes.add(p);
        return p;
    }

    /**
     * Starts the instance and loads the table's segment members with the segment campaign and {@code campaigns}.
     * Then segment runs until their time is steady, so that what follows runs on a warm JVM (every instance is
     * warmed the same way); the last is the segment alone. Then the rest of the table. Each load waits until Herald
     * has consumed it: a tick before that would see part of the table.
     */
    private Prepared prepare(HeraldProcess p, String app, int n, Map<String, Campaign> campaigns) {
        int stride = stride();
        p.spawn();
        double ready = p.awaitReady(READY_TIMEOUT);
        say(String.format("%s: ready %.2f s after start", p.name(), ready));
        report.detail(p.name() + ".startToReadySeconds", ready);
        HeraldTopics topics = broker.topics(app + ".");
        load(p, app, topics, IntStream.range(0, n).filter(i -> i % stride == 0));
        Map<String, Campaign> all = new LinkedHashMap<>();
        all.put(SEGMENT, BenchData.campaign(SEGMENT, BenchData.SEGMENT, 0));
        all.putAll(campaigns);
        all.forEach((id, c) -> broker.send(topics.campaigns(), id, c));
        broker.awaitConsumed(app, List.of(topics.campaigns().name()), LOAD_TIMEOUT);
        for (String id : all.keySet()) {
            p.awaitOk("/api/campaigns/" + id, Duration.ofMinutes(1));
        }
        RunWatcher watcher = new RunWatcher(broker.bootstrapServers(), topics.runSummaries());
        try {
            long deliveries = 2L * segmentMembers(n);
            List<Double> runs = new ArrayList<>();
            Timed alone = timedRun(topics, watcher, SEGMENT, deliveries);
            runs.add(alone.seconds());
            for (int i = 1; i < MAX_WARM_UP_RUNS; i++) {
                Timed next = timedRun(topics, watcher, SEGMENT, deliveries);
                runs.add(next.seconds());
                boolean steady = Math.abs(next.seconds() - alone.seconds()) <= STEADY * alone.seconds();
                alone = next;
                if (steady) {
                    break;
                }
            }
            say(String.format("%s: segment alone (%,d recipients), runs until steady: %s s", p.name(),
                    segmentMembers(n), runs.stream().map(r -> String.format("%.2f", r)).toList()));
            report.detail(p.name() + ".segmentAloneRunsSeconds", runs);
            load(p, app, topics, IntStream.range(0, n).filter(i -> i % stride != 0));
            return new Prepared(topics, watcher, ready, alone);
        } catch (RuntimeException e) {
            watcher.close();
            throw e;
        }
    }

    /** Loads the recipients of {@code indices} and waits until the instance has consumed them. */
    private void load(HeraldProcess p, String app, HeraldTopics topics, IntStream indices) {
        BenchBroker.Load load = broker.loadRecipients(topics.recipients(), data, indices, stride());
        broker.awaitConsumed(app, List.of(topics.recipients().name()), LOAD_TIMEOUT);
        say(String.format("%s: %,d recipients loaded at %,.0f/s and consumed", p.name(), load.records(),
                load.perSecond()));
        report.detail(p.name() + ".recipientsLoadedPerSecond", load.perSecond());
    }

    /** How many of recipients 0..n-1 are in the segment. */
    private int segmentMembers(int n) {
        return (n + stride() - 1) / stride();
    }

    /** Ticks {@code campaignId} now and waits for its COMPLETED summary on run-summaries. */
    private Timed timedRun(HeraldTopics topics, RunWatcher watcher, String campaignId, long deliveries) {
        Map<TopicPartition, Long> from = broker.endOffsets(List.of(topics.pushOutbox().name(),
                topics.mailOutbox().name()));
        Instant slot = nextSlot();
        String runId = RunIds.of(campaignId, slot);
        long t0 = System.nanoTime();
        broker.send(topics.scheduleTicks(), campaignId, BenchData.tick(campaignId, slot));
        RunWatcher.Completion c = watcher.await(runId, runTimeout(deliveries));
        return new Timed(runId, BenchBroker.seconds(c.nanos() - t0), c, from);
    }

    private OutboxCheck checkOutbox(String id, HeraldTopics topics, Timed run, int limit, IntPredicate member,
            long expected) {
        OutboxCheck check = OutboxCheck.read(broker, topics, run.from(), run.runId(), limit, member);
        report.detail(id.substring(0, id.lastIndexOf('.')), check.asMap());
        report.check(id, check.exactlyOnce() && check.messages() == expected, describe(check));
        return check;
    }

    private static String describe(OutboxCheck c) {
        return String.format("push %d, mail %d, duplicates %d, outside the audience %d, missing %d", c.push(),
                c.mail(), c.duplicates(), c.unexpected(), c.missing());
    }

    private void finish(String app, HeraldProcess... instances) {
        for (HeraldProcess p : instances) {
            p.stop();
            processes.remove(p);
        }
        if (broker != null) {
            broker.deleteTopics(app + ".", app);
        }
        if (!options.keepWork()) {
            for (HeraldProcess p : instances) {
                deleteRecursively(p.log().getParent().resolve("data"));
            }
        }
    }

    /** Turns what the groups measured into figures, each against its baseline from this run. */
    private void figures() {
        for (var e : baselines.entrySet()) {
            int n = e.getKey();
            Baseline a = e.getValue();
            report.figure("a." + n + ".records_per_s", "a", String.format("baseline producer, %,d records", 2L * n),
                    a.recordsPerSecond(), "rec/s", null, null);
            Double seconds = runSeconds.get(n);
            OutboxCheck outbox = runOutboxes.get(n);
            if (seconds != null && outbox != null) {
                report.figure("b." + n + ".tick_to_completed_s", "b",
                        String.format("%,d x push + mail, tick to COMPLETED", n), seconds, "s", a.seconds(),
                        "baseline producer, same records");
                report.figure("b." + n + ".messages_per_s", "b", String.format("%,d x push + mail, outbox messages/s",
                        n), outbox.messages() / seconds, "msg/s", a.recordsPerSecond(), "baseline producer");
                report.figure("b." + n + ".value_bytes", "b", String.format("%,d x push + mail, outbox value size", n),
                        outbox.averageBytes(), "B", a.valueBytes(), "baseline record value");
            }
        }
        if (segmentInTable != null) {
            report.figure("c.segment_in_table_s", "c", String.format("%,d segment in a %,d table, to COMPLETED",
                    options.segment(), options.big()), segmentInTable, "s", segmentAlone, "the same segment alone");
        }
        Double bigSeconds = runSeconds.get(options.big());
        if (smallHeapSeconds != null) {
            report.figure("d.small_heap.run_s", "d", String.format("%,d x 2 at -Xmx%s, to COMPLETED", options.big(),
                    options.smallHeap()), smallHeapSeconds, "s", bigSeconds, "default heap");
        }
        if (peakSmall.isPresent()) {
            report.figure("d.small_heap.peak_rss_mb", "d", "peak resident memory at -Xmx" + options.smallHeap(),
                    peakSmall.getAsLong() / MIB, "MiB", peakDefault.isPresent() ? peakDefault.getAsLong() / MIB : null,
                    "default heap");
        }
        if (peakDefault.isPresent()) {
            report.figure("d.default_heap.peak_rss_mb", "d", "peak resident memory, default heap",
                    peakDefault.getAsLong() / MIB, "MiB", null, null);
        }
        if (recovery != null) {
            report.figure("e.restart_to_ready_s", "e", "SIGKILL mid-run: restart to /health/ready",
                    recovery.restartToReady(), "s", bigFirstReady, "first start to ready");
            report.figure("e.restart_to_completed_s", "e", "SIGKILL mid-run: restart to COMPLETED",
                    recovery.restartToCompleted(), "s", bigSeconds, "uninterrupted run");
            report.figure("e.tick_to_completed_s", "e", "SIGKILL mid-run: tick to COMPLETED",
                    recovery.tickToCompleted(), "s", bigSeconds, "uninterrupted run");
            report.figure("e.killed_at_offsets", "e", "outbox offsets written at the kill",
                    recovery.offsetsAtKill(), "msg", (double) recovery.messages(), "messages of the whole run");
        }
    }

    private int stride() {
        return options.big() / options.segment();
    }

    private static String runPath(String runId) {
        return "/api/runs/" + URLEncoder.encode(runId, StandardCharsets.UTF_8);
    }

    /** Run ids must differ and survive Avro's millisecond timestamps. */
    private synchronized Instant nextSlot() {
        lastSlotMillis = Math.max(System.currentTimeMillis(), lastSlotMillis + 1);
        return Instant.ofEpochMilli(lastSlotMillis);
    }

    /** Generous: Herald at 2,000 deliveries/s (ten times slower than measured) still finishes within it. */
    private static Duration runTimeout(long deliveries) {
        return Duration.ofSeconds(120 + deliveries / 2_000);
    }

    private void killAll() {
        processes.forEach(HeraldProcess::kill);
    }

    private static void sayLatency(Latencies l) {
        say(String.format("%s %s: %,.0f/s achieved, p50 %.2f ms, p99 %.2f ms, max %.2f ms, %d errors, %d dropped",
                l.endpoint(), l.phase(), l.achievedRate(), l.p50Ms(), l.p99Ms(), l.maxMs(), l.errors(), l.dropped()));
    }

    private static String mib(OptionalLong bytes) {
        return bytes.isPresent() ? String.format("%.0f MiB", bytes.getAsLong() / MIB) : "n/a";
    }

    static void say(String message) {
        System.out.println("[bench " + CLOCK.format(LocalTime.now()) + "] " + message);
    }

    static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    private static void await(String what, Duration timeout, BooleanSupplier condition) {
        if (!poll(timeout, condition)) {
            throw new IllegalStateException("timed out after " + timeout + " waiting for " + what);
        }
    }

    /** True once {@code condition} holds (errors count as not yet), false when {@code timeout} passes first. */
    private static boolean poll(Duration timeout, BooleanSupplier condition) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            try {
                if (condition.getAsBoolean()) {
                    return true;
                }
            } catch (RuntimeException e) {
                // not yet: a 503 during a rebalance, say
            }
            if (System.nanoTime() > deadline) {
                return false;
            }
            sleep(200);
        }
    }

    private static void deleteRecursively(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(path -> {
                try {
                    Files.deleteIfExists(path);
                } catch (IOException e) {
                    // best effort: a leftover file in target/ harms nobody
                }
            });
        } catch (IOException e) {
            say("could not delete " + dir + ": " + e.getMessage());
        }
    }
}

package dev.herald.testkit;

import dev.herald.avro.Campaign;
import dev.herald.avro.ChannelCounts;
import dev.herald.avro.CampaignStatus;
import dev.herald.avro.DeadLetter;
import dev.herald.avro.FanoutCursor;
import dev.herald.avro.MailMessage;
import dev.herald.avro.Outcome;
import dev.herald.avro.PushMessage;
import dev.herald.avro.Receipt;
import dev.herald.avro.Recipient;
import dev.herald.avro.RunAction;
import dev.herald.avro.RunControl;
import dev.herald.avro.RunSummary;
import dev.herald.avro.ScheduleTick;
import dev.herald.avro.SchedulerState;
import dev.herald.avro.Trigger;
import dev.herald.query.model.CampaignDetail;
import dev.herald.query.model.CampaignSummary;
import dev.herald.query.model.Granularity;
import dev.herald.query.model.RunProgress;
import dev.herald.query.store.LocalQueries;
import dev.herald.serdes.InMemorySchemaRegistry;
import dev.herald.topology.HeraldSerdes;
import dev.herald.topology.HeraldStreamsConfig;
import dev.herald.topology.HeraldTopics;
import dev.herald.topology.HeraldTopology;
import dev.herald.topology.HeraldTopologyConfig;
import dev.herald.topology.RunIds;
import dev.herald.topology.StoreNames;
import dev.herald.topology.Topic;
import dev.herald.topology.campaigns.CampaignFiles;
import dev.herald.topology.summary.RunCompletion;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.TreeSet;
import java.util.UUID;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.KitTopologyTestDriver;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.test.TestRecord;

/**
 * Herald's real topology in a TopologyTestDriver, for tests of campaigns and of the topology itself: built by
 * {@link HeraldTopology#build} with the Kafka Streams settings production uses ({@link HeraldStreamsConfig}:
 * exactly-once, dead-letter handlers, explicit internal names), an in-memory schema registry of its own
 * ({@code mock://}) and state under {@code target/herald-testkit/}. One kit per test; close it (try-with-resources)
 * or let {@link HeraldKitExtension} do it.
 *
 * <p>Inputs are typed and stamped with the kit's clock. {@link #advance} moves the clock the way time passes for a
 * running instance: the scheduler fires due campaigns at their instants and open runs fan out chunk by chunk.
 * Outputs accumulate in order ({@link #pushOutbox()} and friends), and runs, campaigns and summaries are read through
 * the HTTP API's own {@link LocalQueries}. {@link HeraldAssertions#assertThat(HeraldKit)} has the common checks.
 *
 * <p>One difference from production: the recipients topic has one partition, as TopologyTestDriver runs one task
 * per sub-topology (a job multicast to four partitions would reach that one task four times). The driver is
 * {@link KitTopologyTestDriver}, which gives the driver's results without compiling topic names per record, and
 * {@link #recipients(Collection)} commits once per {@link #RECIPIENTS_PER_COMMIT} recipients, as a poll would.
 */
public final class HeraldKit implements AutoCloseable {
    /** The clock a kit starts at unless told otherwise (a Friday, 10:00 UTC). */
    public static final Instant DEFAULT_START = Instant.parse("2026-05-01T10:00:00Z");
    /** The Kafka Streams application id, which prefixes internal topic names. */
    public static final String APPLICATION_ID = "herald-testkit";
    /** Topic names as production has them by default ({@code herald.campaigns}, ...). */
    public static final String TOPIC_PREFIX = "herald.";
    /**
     * Where the kit has the topology write every delivery's own outcome ({@link HeraldTopologyConfig#outcomesTopic()}):
     * the summaries only see outcomes tallied per fan-out step, so per-recipient checks read them here.
     */
    public static final String OUTCOMES_TOPIC = TOPIC_PREFIX + "testkit-outcomes";
    /**
     * How many recipients of one {@link #recipients(Collection)} call the topology processes between commits, as a
     * consumer's poll would hand them over (TopologyTestDriver otherwise commits after every record).
     */
    public static final int RECIPIENTS_PER_COMMIT = 1_000;
    /** How long {@link #runToCompletion(String)} drives a run, in the kit's time, before it gives up. */
    public static final Duration DEFAULT_RUN_LIMIT = Duration.ofHours(1);

    private final String id = UUID.randomUUID().toString();
    private final String registryScope = "herald-testkit-" + id;
    private final Path stateDir = Path.of("target", "herald-testkit", id).toAbsolutePath();
    private final HeraldTopologyConfig config;
    private final HeraldSerdes serdes;
    private final HeraldTopics topics;
    private final TopologyTestDriver driver;
    private final LocalQueries queries;
    private final Instant started;
    private Instant now;

    private final TestInputTopic<String, Campaign> campaignsIn;
    private final TestInputTopic<String, Recipient> recipientsIn;
    private final TestInputTopic<String, ScheduleTick> ticksIn;
    private final TestInputTopic<String, RunControl> controlsIn;
    private final TestInputTopic<String, Receipt> receiptsIn;
    private final Output<String, PushMessage> push;
    private final Output<String, MailMessage> mail;
    private final Output<byte[], DeadLetter> deadLetters;
    private final Output<String, RunSummary> completedRuns;
    private final Output<String, ScheduleTick> ticks;
    private final Output<String, Outcome> outcomes;

    private HeraldKit(HeraldTopologyConfig config, Instant start, boolean upstreamDriver) {
        this.config = config.outcomesTopic() == null ? config.withOutcomesTopic(OUTCOMES_TOPIC) : config;
        this.started = start.truncatedTo(ChronoUnit.MILLIS);
        this.now = started;
        this.serdes = HeraldSerdes.using(InMemorySchemaRegistry.scope(registryScope));
        this.topics = HeraldTopics.of(TOPIC_PREFIX, serdes);
        Properties props = new Properties();
        props.putAll(HeraldStreamsConfig.defaults(topics, serdes));
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, APPLICATION_ID);
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "testkit:9092");
        props.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
        // Every partition's lag is 0 in the driver, so idling changes nothing but Kafka Streams would still format a
        // log line per empty partition for every record it processes.
        props.put(StreamsConfig.MAX_TASK_IDLE_MS_CONFIG, StreamsConfig.MAX_TASK_IDLE_MS_DISABLED);
        Topology topology = HeraldTopology.build(this.config, topics, serdes);
        this.driver = upstreamDriver ? new TopologyTestDriver(topology, props, started)
                : new KitTopologyTestDriver(topology, props, started);
        this.queries = new LocalQueries(new DriverStoreSource(driver));
        this.campaignsIn = input(topics.campaigns());
        this.recipientsIn = input(topics.recipients());
        this.ticksIn = input(topics.scheduleTicks());
        this.controlsIn = input(topics.runControls());
        this.receiptsIn = input(topics.receipts());
        this.push = new Output<>(output(topics.pushOutbox()));
        this.mail = new Output<>(output(topics.mailOutbox()));
        this.deadLetters = new Output<>(output(topics.deadLetters()));
        this.completedRuns = new Output<>(output(topics.runSummaries()));
        this.ticks = new Output<>(output(topics.scheduleTicks()));
        this.outcomes = new Output<>(driver.createOutputTopic(this.config.outcomesTopic(),
                serdes.string().deserializer(), serdes.outcome().deserializer()));
    }

    /** A kit at {@link #DEFAULT_START} with production's topology settings (one recipients partition). */
    public static HeraldKit start() {
        return start(DEFAULT_START);
    }

    /** A kit whose clock starts at {@code start}. */
    public static HeraldKit start(Instant start) {
        return new HeraldKit(defaultConfig(), start, false);
    }

    /**
     * A kit with other topology settings (a smaller fan-out chunk, say).
     *
     * @throws IllegalArgumentException when the config has more than one recipients partition (see the class doc)
     */
    public static HeraldKit start(HeraldTopologyConfig config, Instant start) {
        if (config.recipientsPartitions() != 1) {
            throw new IllegalArgumentException("the kit runs one recipients partition (TopologyTestDriver has one "
                    + "task per sub-topology); use config.withRecipientsPartitions(1) (was "
                    + config.recipientsPartitions() + ")");
        }
        return new HeraldKit(config, start, false);
    }

    /**
     * A kit on Kafka's own {@link TopologyTestDriver} rather than {@link KitTopologyTestDriver}: the same results,
     * slower; for the tests that check exactly that.
     */
    static HeraldKit startOnUpstreamDriver(HeraldTopologyConfig config, Instant start) {
        return new HeraldKit(config, start, true);
    }

    /**
     * Production's topology settings ({@link HeraldTopologyConfig#defaults()}) with one recipients partition, and one
     * chunk per fan-out step ({@link HeraldTopologyConfig#ONE_CHUNK_PER_STEP}): production ends a step by time, which
     * would make how far a run gets per {@link #advance} depend on the machine's speed.
     */
    public static HeraldTopologyConfig defaultConfig() {
        return HeraldTopologyConfig.defaults().withRecipientsPartitions(1)
                .withFanoutStepBudget(HeraldTopologyConfig.ONE_CHUNK_PER_STEP);
    }

    // ---- inputs ----

    /** Builds and produces each recipient, keyed by its id, at the kit's clock. */
    public HeraldKit recipients(TestRecipient... recipients) {
        return recipients(Arrays.stream(recipients).map(TestRecipient::build).toList());
    }

    /** Produces each recipient, keyed by its id, at the kit's clock. */
    public HeraldKit recipients(Recipient... recipients) {
        return recipients(Arrays.asList(recipients));
    }

    /** Produces each recipient, keyed by its id, at the kit's clock. */
    public HeraldKit recipients(Collection<Recipient> recipients) {
        if (driver instanceof KitTopologyTestDriver batching) {
            List<TestRecord<String, Recipient>> records = new ArrayList<>(recipients.size());
            for (Recipient recipient : recipients) {
                records.add(new TestRecord<>(recipient.getId(), recipient, now));
            }
            Topic<String, Recipient> topic = topics.recipients();
            batching.pipeBatch(topic.name(), records, topic.keySerde().serializer(), topic.valueSerde().serializer(),
                    RECIPIENTS_PER_COMMIT);
        } else {
            for (Recipient recipient : recipients) {
                recipientsIn.pipeInput(recipient.getId(), recipient, now);
            }
        }
        return this;
    }

    /** Deletes a recipient (a tombstone on the compacted recipients topic). */
    public HeraldKit deleteRecipient(String id) {
        recipientsIn.pipeInput(id, null, now);
        return this;
    }

    /** Produces the campaign, keyed by its id, as it is (an invalid one is dead-lettered, as in production). */
    public HeraldKit campaign(Campaign campaign) {
        campaignsIn.pipeInput(campaign.getId(), campaign, now);
        return this;
    }

    /** Builds the campaign, created and updated now, and produces it. */
    public HeraldKit campaign(TestCampaign campaign) {
        return campaign(campaign.build(now));
    }

    /**
     * Reads a campaign file ({@code .json}, {@code .yaml}, {@code .yml}) exactly as the command line applies it,
     * with createdAt and updatedAt, when the file leaves them out, at the kit's clock, and produces it.
     *
     * @throws dev.herald.topology.campaigns.CampaignFileException naming the file, the field and what is wrong
     */
    public HeraldKit campaign(Path file) {
        return campaign(CampaignFiles.read(file, now));
    }

    /** Produces the campaign again with another status, updated now (to pause or resume it, say). */
    public HeraldKit status(String campaignId, CampaignStatus status) {
        Campaign current = definition(campaignId).orElseThrow(() -> new IllegalStateException(
                "no campaign '" + campaignId + "' in the campaigns table" + deadLetterHint()));
        return campaign(Campaign.newBuilder(current).setStatus(status).setUpdatedAt(now).build());
    }

    /** Deletes a campaign (a tombstone on the compacted campaigns topic). */
    public HeraldKit deleteCampaign(String id) {
        campaignsIn.pipeInput(id, null, now);
        return this;
    }

    /** A manual tick for the kit's clock, as an operator's "run now"; returns the run id. */
    public String runNow(String campaignId) {
        return tick(campaignId, now);
    }

    /** A manual tick for one scheduled instant; returns the run id ({@code campaignId@instant}). */
    public String tick(String campaignId, Instant scheduledFor) {
        Instant slot = scheduledFor.truncatedTo(ChronoUnit.MILLIS);
        ticksIn.pipeInput(campaignId, ScheduleTick.newBuilder().setCampaignId(campaignId).setScheduledFor(slot)
                .setTrigger(Trigger.MANUAL).build(), now);
        return RunIds.of(campaignId, slot);
    }

    /**
     * A sender's receipt for an outbox message, as Herald's senders (or any) write them; receipts count in their run
     * and campaign's summaries once a second of kit time has passed ({@link #advance}).
     */
    public HeraldKit receipt(Receipt receipt) {
        receiptsIn.pipeInput(receipt.getRecipientId(), receipt, now);
        return this;
    }

    /** Pauses one run in flight (a PAUSE on run-controls), without touching its campaign. */
    public HeraldKit pause(String runId) {
        return control(runId, RunAction.PAUSE);
    }

    /** Resumes a run paused by {@link #pause}; a run whose campaign is PAUSED stays paused until it is resumed. */
    public HeraldKit resume(String runId) {
        return control(runId, RunAction.RESUME);
    }

    /** Cancels one run in flight, for good: what was produced stays, the rest is counted as not sent. */
    public HeraldKit cancel(String runId) {
        return control(runId, RunAction.CANCEL);
    }

    private HeraldKit control(String runId, RunAction action) {
        String campaignId = RunIds.parse(runId).map(RunIds.RunId::campaignId)
                .orElseThrow(() -> new IllegalArgumentException("not a run id (<campaign>@<instant>): " + runId));
        controlsIn.pipeInput(campaignId, RunControl.newBuilder().setCampaignId(campaignId).setRunId(runId)
                .setAction(action).setRequestedAt(now).setRequestedBy("herald-testkit").build(), now);
        return this;
    }

    // ---- time ----

    /** The kit's clock: wall-clock time of the driver, and the timestamp of every input it produces. */
    public Instant now() {
        return now;
    }

    /** Moves the clock forward by {@code duration}; see {@link #advanceTo}. */
    public HeraldKit advance(Duration duration) {
        if (duration.isNegative()) {
            throw new IllegalArgumentException("time does not go back: " + duration);
        }
        return advanceTo(now.plus(duration));
    }

    /**
     * Moves the clock to {@code target} as time passes for a running instance, so the result is the same as if
     * the punctuations had run all along: while a run fans out, in steps of the fan-out interval (one chunk each);
     * a scheduled fire is met within a scheduler interval of its instant; in between, in one jump. Every record the
     * topology writes carries the clock, so stream time moves with it.
     */
    public HeraldKit advanceTo(Instant target) {
        Instant goal = target.truncatedTo(ChronoUnit.MILLIS);
        while (now.isBefore(goal)) {
            Instant next = nextStep(goal);
            driver.advanceWallClockTime(Duration.between(now, next));
            now = next;
        }
        return this;
    }

    private Instant nextStep(Instant goal) {
        Instant next;
        if (fanoutOpen()) {
            next = now.plus(config.fanoutInterval());
        } else {
            Optional<Instant> due = nextDueFire();
            if (due.isEmpty() || due.get().isAfter(goal)) {
                next = goal;
            } else {
                // Arrive one interval early, then step: the scheduler's punctuation then falls within an interval
                // after the fire instant, as it does on a running instance, so the fire is on time, not a misfire.
                Instant approach = due.get().minus(config.schedulerInterval());
                next = now.isBefore(approach) ? approach : now.plus(config.schedulerInterval());
            }
        }
        return next.isAfter(goal) ? goal : next;
    }

    /**
     * Runs the campaign now (unless a run of it is already under way) and moves the clock until that run completes,
     * at most {@link #DEFAULT_RUN_LIMIT} of the kit's time.
     *
     * @return the completed run, as the HTTP API shows it
     * @throws AssertionError saying what is missing when the run cannot complete
     */
    public RunProgress runToCompletion(String campaignId) {
        return runToCompletion(campaignId, DEFAULT_RUN_LIMIT);
    }

    /** {@link #runToCompletion(String)} giving up after {@code limit} of the kit's time. */
    public RunProgress runToCompletion(String campaignId, Duration limit) {
        String runId = runs(campaignId).stream().filter(r -> !r.complete()).reduce((a, b) -> b)
                .map(RunProgress::runId)
                .orElseGet(() -> runNow(campaignId));
        return awaitCompletion(runId, limit);
    }

    /**
     * Moves the clock until the run completes (or ends CANCELLED), at most {@code limit} of the kit's time.
     *
     * @throws AssertionError saying what is missing when the run cannot complete
     */
    public RunProgress awaitCompletion(String runId, Duration limit) {
        Instant deadline = now.plus(limit);
        while (true) {
            Optional<RunProgress> run = run(runId);
            if (run.isPresent() && run.get().complete()) {
                return run.get();
            }
            Optional<FanoutCursor> cursor = openCursor(runId);
            if (cursor.isPresent() && isPaused(cursor.get())) {
                throw new AssertionError(diagnose(runId, "cannot complete: it is PAUSED (resume its campaign or "
                        + "the run)"));
            }
            if (cursor.isEmpty()) {
                throw new AssertionError(diagnose(runId, "cannot complete: its fan-out is not open and no "
                        + "punctuation is left to move it"));
            }
            if (!now.isBefore(deadline)) {
                throw new AssertionError(diagnose(runId, "did not complete within " + limit + " of kit time"));
            }
            Instant next = now.plus(config.fanoutInterval());
            advanceTo(next.isAfter(deadline) ? deadline : next);
        }
    }

    // ---- outputs ----

    /** Every push message the topology wrote so far, in order. */
    public List<PushMessage> pushOutbox() {
        return push.values();
    }

    /** Every e-mail the topology wrote so far, in order. */
    public List<MailMessage> mailOutbox() {
        return mail.values();
    }

    /** Every dead letter so far, in order. */
    public List<DeadLetter> deadLetters() {
        return deadLetters.values();
    }

    /** Every delivery's outcome so far (one per recipient and channel of each run), in order. */
    public List<Outcome> outcomes() {
        return outcomes.values();
    }

    /** The runs that completed so far, as written to run-summaries. */
    public List<RunSummary> completedRuns() {
        return completedRuns.values();
    }

    /** Every tick the scheduler wrote so far (the kit's manual ticks are inputs, not among them). */
    public List<ScheduleTick> scheduledTicks() {
        return ticks.values();
    }

    /** A run's progress as {@code GET /api/runs/{runId}} shows it. */
    public Optional<RunProgress> run(String runId) {
        return queries.run(runId);
    }

    /** A campaign's runs as {@code GET /api/campaigns/{id}/runs} shows them, in run order. */
    public List<RunProgress> runs(String campaignId) {
        return queries.runs(campaignId);
    }

    /** A campaign as {@code GET /api/campaigns/{id}} shows it, with its next fire. */
    public Optional<CampaignDetail> campaignDetail(String campaignId) {
        return queries.campaign(campaignId);
    }

    /** A campaign's summary windows of one size, from the kit's start to its clock. */
    public CampaignSummary summary(String campaignId, Granularity window) {
        return summary(campaignId, window, started, now);
    }

    /** A campaign's summary windows overlapping [from, to], as {@code GET /api/campaigns/{id}/summary}. */
    public CampaignSummary summary(String campaignId, Granularity window, Instant from, Instant to) {
        return queries.campaignSummary(campaignId, window, from, to);
    }

    // ---- what is underneath, for what the kit does not cover ----

    /** The queries the HTTP API answers from, over this kit's stores. */
    public LocalQueries queries() {
        return queries;
    }

    public TopologyTestDriver driver() {
        return driver;
    }

    public HeraldTopics topics() {
        return topics;
    }

    public HeraldSerdes serdes() {
        return serdes;
    }

    public HeraldTopologyConfig config() {
        return config;
    }

    /** The kit's own Kafka Streams state directory, under {@code target/herald-testkit/}; removed on close. */
    public Path stateDir() {
        return stateDir;
    }

    /** The full name of an internal (repartition) topic, e.g. {@link HeraldTopology#RUN_EVENTS_REPARTITION}. */
    public static String internalTopic(String repartition) {
        return APPLICATION_ID + "-" + repartition + "-repartition";
    }

    /** Closes the driver, forgets the registry scope and removes the kit's state directory. */
    @Override
    public void close() {
        try {
            driver.close();
        } finally {
            InMemorySchemaRegistry.dropScope(registryScope);
            deleteStateDir();
        }
    }

    private void deleteStateDir() {
        if (!Files.exists(stateDir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(stateDir)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        } catch (IOException e) {
            // Left under target/ for mvn clean: a leftover directory must not fail the test that used the kit.
        }
    }

    // ---- internals ----

    private Optional<Campaign> definition(String campaignId) {
        KeyValueStore<String, Campaign> store = driver.getKeyValueStore(StoreNames.CAMPAIGNS);
        return Optional.ofNullable(store.get(campaignId));
    }

    /** Whether a run is fanning out (a paused one waits for a control, not for time). */
    private boolean fanoutOpen() {
        KeyValueStore<String, FanoutCursor> cursors = driver.getKeyValueStore(StoreNames.FANOUT_CURSORS);
        try (KeyValueIterator<String, FanoutCursor> it = cursors.all()) {
            while (it.hasNext()) {
                if (!isPaused(it.next().value)) {
                    return true;
                }
            }
            return false;
        }
    }

    private static boolean isPaused(FanoutCursor cursor) {
        return cursor.getCampaignPaused() || cursor.getRunPaused();
    }

    private Optional<FanoutCursor> openCursor(String runId) {
        KeyValueStore<String, FanoutCursor> cursors = driver.getKeyValueStore(StoreNames.FANOUT_CURSORS);
        return Optional.ofNullable(cursors.get(runId));
    }

    /** The earliest instant a SCHEDULED campaign is due, as the scheduler's store has it. */
    private Optional<Instant> nextDueFire() {
        KeyValueStore<String, SchedulerState> scheduler = driver.getKeyValueStore(StoreNames.SCHEDULER);
        Instant earliest = null;
        try (KeyValueIterator<String, SchedulerState> it = scheduler.all()) {
            while (it.hasNext()) {
                KeyValue<String, SchedulerState> next = it.next();
                SchedulerState state = next.value;
                if (state != null && state.getStatus() == CampaignStatus.SCHEDULED && state.getNextFireAt() != null
                        && (earliest == null || state.getNextFireAt().isBefore(earliest))) {
                    earliest = state.getNextFireAt();
                }
            }
        }
        return Optional.ofNullable(earliest);
    }

    /** What a run lacks, in the words of the run ledger and the fan-out, for a failure message. */
    private String diagnose(String runId, String verdict) {
        StringBuilder b = new StringBuilder("run ").append(runId).append(' ').append(verdict)
                .append(" (kit time ").append(now).append(")\n");
        KeyValueStore<String, RunSummary> ledger = driver.getKeyValueStore(StoreNames.RUN_SUMMARY);
        RunSummary run = ledger.get(runId);
        if (run == null) {
            b.append("  the run ledger has no entry: no delivery and no partition report reached it\n");
            String campaignId = RunIds.parse(runId).map(RunIds.RunId::campaignId).orElse(runId);
            Optional<Campaign> campaign = definition(campaignId);
            if (campaign.isEmpty()) {
                b.append("  no campaign '").append(campaignId).append("' in the campaigns table, so its tick was "
                        + "rejected (unknown_campaign)").append(deadLetterHint()).append('\n');
            } else if (campaign.get().getStatus() != CampaignStatus.SCHEDULED
                    && campaign.get().getStatus() != CampaignStatus.COMPLETED) {
                b.append("  campaign '").append(campaignId).append("' is ").append(campaign.get().getStatus())
                        .append(", so its ticks are rejected\n");
            }
        } else {
            int partitions = run.getPartitionCount() > 0 ? run.getPartitionCount() : config.recipientsPartitions();
            TreeSet<Integer> missing = new TreeSet<>();
            IntStream.range(0, partitions).filter(p -> !run.getReportedPartitions().contains(p)).forEach(missing::add);
            long counted = RunCompletion.counted(run);
            b.append("  partitions reported: ").append(run.getReportedPartitions().size()).append(" of ")
                    .append(partitions);
            if (!missing.isEmpty()) {
                b.append(" (not reported: ").append(missing).append(')');
            }
            b.append("\n  outcomes counted: ").append(counted);
            if (missing.isEmpty()) {
                b.append(" of ").append(run.getExpected()).append(" deliveries\n");
            } else {
                b.append(", deliveries reported so far: ").append(run.getExpected())
                        .append(" (final once every partition has reported)\n");
            }
            b.append("  push ").append(counts(run.getPush())).append(", mail ").append(counts(run.getMail()))
                    .append('\n');
            if (!run.getReasons().isEmpty()) {
                b.append("  reasons ").append(run.getReasons()).append('\n');
            }
        }
        openCursor(runId).ifPresent(c -> {
            b.append("  fan-out still open: ").append(c.getDeliveries()).append(" deliveries so far, last recipient ")
                    .append(c.getLastKey() == null ? "(none yet)" : "'" + c.getLastKey() + "'");
            var limits = c.getJob().getCampaign().getLimits();
            if (limits != null && limits.getMessagesPerSecond() != null) {
                b.append(", limited to ").append(limits.getMessagesPerSecond()).append(" deliveries/s");
            }
            b.append('\n');
        });
        List<DeadLetter> dead = deadLetters();
        if (!dead.isEmpty()) {
            DeadLetter last = dead.get(dead.size() - 1);
            b.append("  dead letters: ").append(dead.size()).append(", the last from ").append(last.getTopic())
                    .append(" at ").append(last.getProcessorNode()).append(": ").append(last.getErrorMessage())
                    .append('\n');
        }
        return b.toString().stripTrailing();
    }

    private static String counts(ChannelCounts c) {
        return Describe.counts(c.getSuccess(), c.getError(), c.getMissing(), c.getFiltered());
    }

    private String deadLetterHint() {
        List<DeadLetter> dead = deadLetters();
        if (dead.isEmpty()) {
            return "";
        }
        DeadLetter last = dead.get(dead.size() - 1);
        return "; " + dead.size() + " dead letter(s), the last: " + last.getErrorMessage();
    }

    private <K, V> TestInputTopic<K, V> input(Topic<K, V> topic) {
        return driver.createInputTopic(topic.name(), topic.keySerde().serializer(), topic.valueSerde().serializer());
    }

    private <K, V> TestOutputTopic<K, V> output(Topic<K, V> topic) {
        return driver.createOutputTopic(topic.name(), topic.keySerde().deserializer(),
                topic.valueSerde().deserializer());
    }

    /** An output topic read into a list as it grows, so every read sees everything written so far. */
    private static final class Output<K, V> {
        private final TestOutputTopic<K, V> topic;
        private final List<V> values = new ArrayList<>();

        Output(TestOutputTopic<K, V> topic) {
            this.topic = topic;
        }

        List<V> values() {
            if (!topic.isEmpty()) {
                values.addAll(topic.readValuesToList());
            }
            return List.copyOf(values);
        }
    }
}

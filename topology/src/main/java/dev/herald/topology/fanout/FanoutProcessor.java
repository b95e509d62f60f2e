package dev.herald.topology.fanout;

import dev.herald.avro.Audience;
import dev.herald.avro.Campaign;
import dev.herald.avro.CampaignState;
import dev.herald.avro.CampaignStatus;
import dev.herald.avro.Channel;
import dev.herald.avro.Delivery;
import dev.herald.avro.FanoutControl;
import dev.herald.avro.FanoutCursor;
import dev.herald.avro.FanoutReport;
import dev.herald.avro.FanoutState;
import dev.herald.avro.Job;
import dev.herald.avro.Recipient;
import dev.herald.avro.RunAction;
import dev.herald.avro.RunControl;
import dev.herald.topology.Counters;
import dev.herald.topology.RetentionPruner;
import dev.herald.topology.errors.InvalidRecordException;
import dev.herald.topology.recipients.SegmentIndex;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeSet;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.utils.Utils;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.TimestampedKeyValueStore;
import org.apache.kafka.streams.state.ValueAndTimestamp;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns a job into deliveries for the recipients of this task's partition, in bounded steps, and obeys the controls
 * of runs in flight. Each step scans chunks of recipients while its time budget lasts (at least one chunk, and within
 * the run's rate), persists its cursor with its output, and returns, so a huge run never holds the stream thread past
 * its poll interval and resumes where it stopped after a crash. After each step's deliveries it emits the step's end,
 * on which their outcomes' tallies are forwarded.
 *
 * <p>Reports ({@link FanoutReport}) say where this partition stands: RUNNING when the run starts here (with this
 * partition's share of the audience, counted then) and at most once a second as it progresses, PAUSED and RUNNING as
 * controls pause and resume it, and once finally, DONE or CANCELLED, with the deliveries it produced.
 *
 * <p>Controls ({@link FanoutControl}) reach every partition: a campaign's new state (PAUSED or DRAFT pauses its open
 * runs, SCHEDULED or COMPLETED resumes them, CANCELLED cancels them; a changed rate limit applies from the next step)
 * and an operator's order for one run (PAUSE, RESUME, CANCEL). The two pauses are independent switches. Controls are
 * kept in a store, so one that arrives before its run's job (they travel on different topics) is applied when the
 * job arrives; they are forgotten after the runs retention.
 *
 * <p>Forwards {@link Delivery} records keyed by recipient id to the child {@link FanoutOutput#DELIVERIES} only, and
 * {@link FanoutReport} records keyed by run id to the child {@link FanoutOutput#REPORTS} only, and step ends keyed by
 * run id to the child {@link FanoutOutput#STEP_ENDS} only.
 */
public final class FanoutProcessor implements Processor<String, SpecificRecord, String, FanoutOutput> {

    private static final Logger log = LoggerFactory.getLogger(FanoutProcessor.class);
    /** A running partition reports its progress at most this often per run. */
    static final long REPORT_EVERY_MS = 1_000;
    private static final String CAMPAIGN_KEY = "campaign\u0000";
    private static final String RUN_KEY = "run\u0000";

    private final String cursorStoreName;
    private final String recipientStoreName;
    private final String controlStoreName;
    private final int partitionCount;
    private final Duration interval;
    private final int chunkSize;
    private final long stepBudgetNanos;
    private final Duration runsRetention;
    private final String segmentIndexName;
    private final Map<String, RateBudget> budgets = new HashMap<>();
    private final Map<String, Long> lastReported = new HashMap<>();

    private ProcessorContext<String, FanoutOutput> context;
    private KeyValueStore<String, FanoutCursor> cursors;
    private TimestampedKeyValueStore<String, Recipient> recipients;
    private KeyValueStore<String, String> segmentIndex;
    private KeyValueStore<String, FanoutControl> controls;
    private int partition;
    private Counters counters;

    /** One chunk per step, whatever the time: steps follow the chunk size alone. */
    public FanoutProcessor(String cursorStoreName, String recipientStoreName, String controlStoreName,
            int partitionCount, Duration interval, int chunkSize) {
        this(cursorStoreName, recipientStoreName, null, controlStoreName, partitionCount, interval, chunkSize,
                dev.herald.topology.HeraldTopologyConfig.ONE_CHUNK_PER_STEP, Duration.ofDays(7));
    }

    /**
     * @param segmentIndexName the recipients-by-segment index of this task, or null to select segments by scanning
     *                         the recipients store
     * @param runsRetention    how long controls are kept (a run cannot be in flight for longer)
     */
    public FanoutProcessor(String cursorStoreName, String recipientStoreName, String segmentIndexName,
            String controlStoreName, int partitionCount, Duration interval, int chunkSize, Duration stepBudget,
            Duration runsRetention) {
        this.segmentIndexName = segmentIndexName;
        this.cursorStoreName = cursorStoreName;
        this.recipientStoreName = recipientStoreName;
        this.controlStoreName = controlStoreName;
        this.partitionCount = partitionCount;
        this.interval = interval;
        this.chunkSize = chunkSize;
        this.stepBudgetNanos = stepBudget.toNanos();
        this.runsRetention = runsRetention;
    }

    @Override
    public void init(ProcessorContext<String, FanoutOutput> context) {
        this.context = context;
        this.cursors = context.getStateStore(cursorStoreName);
        this.recipients = context.getStateStore(recipientStoreName);
        this.controls = context.getStateStore(controlStoreName);
        this.segmentIndex = segmentIndexName == null ? null : context.getStateStore(segmentIndexName);
        if (segmentIndex != null) {
            long indexed = SegmentIndex.backfill(segmentIndex, recipients);
            if (indexed > 0) {
                log.info("Indexed the segments of {} recipients on partition {}", indexed, context.taskId().partition());
            }
        }
        this.partition = context.taskId().partition();
        this.counters = new Counters(context.metrics(), "fanout", context.taskId());
        counters.add("deliveries", 0);
        context.schedule(interval, PunctuationType.WALL_CLOCK_TIME, this::stepAll);
        RetentionPruner<FanoutControl> pruner = new RetentionPruner<>(controls, runsRetention,
                (key, control) -> Optional.of(timeOf(control)));
        context.schedule(RetentionPruner.interval(runsRetention), PunctuationType.WALL_CLOCK_TIME,
                now -> pruner.prune(Instant.ofEpochMilli(now)));
    }

    @Override
    public void process(Record<String, SpecificRecord> record) {
        long now = context.currentSystemTimeMs();
        if (record.value() instanceof Job job) {
            start(job, now);
        } else if (record.value() instanceof FanoutControl control
                && control.getControl() instanceof CampaignState state) {
            campaignChanged(state, now);
        } else if (record.value() instanceof FanoutControl control
                && control.getControl() instanceof RunControl order) {
            ordered(order, now);
        } else {
            throw new InvalidRecordException("not a job nor a control: " + record.value());
        }
    }

    private void start(Job job, long now) {
        String runId = job.getRunId();
        if (cursors.get(runId) != null) {
            log.info("Run {} is already fanning out on partition {}; job ignored", runId, partition);
            return;
        }
        FanoutCursor cursor = FanoutCursor.newBuilder()
                .setJob(job)
                .setCandidates(countCandidates(job.getCampaign().getAudience()))
                .setCampaignVersion(job.getCampaign().getUpdatedAt().toEpochMilli())
                .build();
        // Controls that overtook the job (they travel on another topic) apply before its first step.
        Effect effect = Effect.NONE;
        FanoutControl state = controls.get(CAMPAIGN_KEY + job.getCampaignId());
        if (state != null) {
            effect = effect.and(apply(runId, cursor, (CampaignState) state.getControl()));
        }
        FanoutControl order = controls.get(RUN_KEY + runId);
        if (order != null) {
            effect = effect.and(apply(cursor, (RunControl) order.getControl()));
        }
        if (effect == Effect.CANCEL) {
            finish(runId, cursor, FanoutState.CANCELLED, now);
            return;
        }
        if (isPaused(cursor)) {
            cursor.setPausedAt(Instant.ofEpochMilli(now));
            cursors.put(runId, cursor);
            report(runId, cursor, FanoutState.PAUSED, now);
            log.info("Run {} starts paused on partition {}", runId, partition);
            return;
        }
        report(runId, cursor, FanoutState.RUNNING, now);
        // Start at once rather than at the next punctuation: small runs finish within the job's own commit.
        step(runId, cursor, chunkSize, System.nanoTime() + stepBudgetNanos, now, true);
    }

    /** A campaign changed: its state is kept for runs still to come, and applied to its open runs here. */
    private void campaignChanged(CampaignState state, long now) {
        String key = CAMPAIGN_KEY + state.getCampaignId();
        FanoutControl kept = controls.get(key);
        if (kept != null && timeOf(kept).isAfter(state.getUpdatedAt())) {
            return; // an older definition, replayed or produced late
        }
        controls.put(key, new FanoutControl(state));
        for (KeyValue<String, FanoutCursor> open : openRuns()) {
            if (open.value.getJob().getCampaignId().equals(state.getCampaignId())) {
                boolean wasPaused = isPaused(open.value);
                changed(open.key, open.value, wasPaused, apply(open.key, open.value, state), now);
            }
        }
    }

    /** An operator's order for one run: kept (a cancel for good), and applied if the run is open here. */
    private void ordered(RunControl order, long now) {
        String key = RUN_KEY + order.getRunId();
        FanoutControl kept = controls.get(key);
        if (kept != null && ((RunControl) kept.getControl()).getAction() == RunAction.CANCEL) {
            return; // cancelled is final
        }
        controls.put(key, new FanoutControl(order));
        FanoutCursor cursor = cursors.get(order.getRunId());
        if (cursor != null) {
            boolean wasPaused = isPaused(cursor);
            changed(order.getRunId(), cursor, wasPaused, apply(cursor, order), now);
        }
    }

    /** What a control did to a run. */
    private enum Effect {
        NONE, CHANGED, CANCEL;

        Effect and(Effect other) {
            return compareTo(other) >= 0 ? this : other;
        }
    }

    private Effect apply(String runId, FanoutCursor cursor, CampaignState state) {
        long version = state.getUpdatedAt().toEpochMilli();
        if (version < cursor.getCampaignVersion()) {
            return Effect.NONE; // the run started from a newer definition than this
        }
        cursor.setCampaignVersion(version);
        Effect effect = Effect.NONE;
        if (!Objects.equals(state.getMessagesPerSecond(), rateOf(cursor))) {
            cursor.setRateChanged(true);
            cursor.setMessagesPerSecond(state.getMessagesPerSecond());
            budgets.remove(runId); // the next step builds the budget at the new rate
            effect = Effect.CHANGED;
        }
        if (state.getStatus() == CampaignStatus.CANCELLED) {
            return Effect.CANCEL;
        }
        // DRAFT is not a status a run can go on under either: it waits, like PAUSED, for SCHEDULED or COMPLETED.
        boolean pause = state.getStatus() == CampaignStatus.PAUSED || state.getStatus() == CampaignStatus.DRAFT;
        if (pause != cursor.getCampaignPaused()) {
            cursor.setCampaignPaused(pause);
            effect = Effect.CHANGED;
        }
        return effect;
    }

    private static Effect apply(FanoutCursor cursor, RunControl order) {
        return switch (order.getAction()) {
            case CANCEL -> Effect.CANCEL;
            case PAUSE, RESUME -> {
                boolean pause = order.getAction() == RunAction.PAUSE;
                if (pause == cursor.getRunPaused()) {
                    yield Effect.NONE;
                }
                cursor.setRunPaused(pause);
                yield Effect.CHANGED;
            }
        };
    }

    /** Persists and reports what a control did to an open run. */
    private void changed(String runId, FanoutCursor cursor, boolean wasPaused, Effect effect, long now) {
        if (effect == Effect.CANCEL) {
            finish(runId, cursor, FanoutState.CANCELLED, now);
            return;
        }
        if (effect == Effect.NONE) {
            return;
        }
        boolean paused = isPaused(cursor);
        if (paused && !wasPaused) {
            cursor.setPausedAt(Instant.ofEpochMilli(now));
            log.info("Run {} paused on partition {} after {} deliveries", runId, partition, cursor.getDeliveries());
        } else if (!paused && wasPaused) {
            cursor.setPausedAt(null);
            budgets.remove(runId); // resumes at its rate, not with the tokens of the pause
            log.info("Run {} resumed on partition {}", runId, partition);
        }
        cursors.put(runId, cursor);
        report(runId, cursor, paused ? FanoutState.PAUSED : FanoutState.RUNNING, now);
    }

    private static boolean isPaused(FanoutCursor cursor) {
        return cursor.getCampaignPaused() || cursor.getRunPaused();
    }

    private List<KeyValue<String, FanoutCursor>> openRuns() {
        List<KeyValue<String, FanoutCursor>> open = new ArrayList<>();
        try (KeyValueIterator<String, FanoutCursor> all = cursors.all()) {
            all.forEachRemaining(open::add);
        }
        return open;
    }

    private void stepAll(long now) {
        List<KeyValue<String, FanoutCursor>> open = openRuns();
        open.removeIf(entry -> isPaused(entry.value));
        if (open.isEmpty()) {
            return;
        }
        int share = Math.max(1, chunkSize / open.size());
        long start = System.nanoTime();
        for (int i = 0; i < open.size(); i++) {
            // Each open run gets its slice of the budget, so one big run cannot starve the others.
            long deadline = start + stepBudgetNanos / open.size() * (i + 1);
            KeyValue<String, FanoutCursor> entry = open.get(i);
            step(entry.key, entry.value, share, deadline, now, false);
        }
    }

    private void step(String runId, FanoutCursor cursor, int chunk, long deadline, long now, boolean isNew) {
        Job job = cursor.getJob();
        Campaign campaign = job.getCampaign();
        List<Channel> channels = channelsOf(campaign);
        RateBudget budget = budgets.computeIfAbsent(runId, id -> budgetFor(rateOf(cursor), channels.size(), now));
        long allowed = budget.available(now);
        Step step = new Step(job, channels, chunk, deadline, allowed, now);
        boolean done;
        if (!campaign.getAudience().getRecipientIds().isEmpty()) {
            done = lookUpIds(cursor, step);
        } else if (usesSegmentIndex(cursor)) {
            done = scanSegments(cursor, step);
        } else {
            done = scanTable(cursor, step);
        }
        budget.spend(step.produced);
        cursor.setDeliveries(cursor.getDeliveries() + step.produced);
        cursor.setScanned(cursor.getScanned() + step.candidates);
        counters.add("deliveries", step.produced);
        if (step.produced > 0) {
            // Within this same call, so the step's tallies are forwarded before any commit can separate them from it.
            context.forward(new Record<>(runId, FanoutOutput.stepEnd(runId), now), FanoutOutput.STEP_ENDS);
        }
        if (done) {
            finish(runId, cursor, FanoutState.DONE, now);
        } else if (step.scanned > 0 || isNew) {
            cursors.put(runId, cursor);
            Long last = lastReported.get(runId);
            if (last == null || now - last >= REPORT_EVERY_MS) {
                report(runId, cursor, FanoutState.RUNNING, now);
            }
        }
    }

    /** Ends this partition's part of a run with its final report. */
    private void finish(String runId, FanoutCursor cursor, FanoutState state, long now) {
        report(runId, cursor, state, now);
        cursors.delete(runId);
        budgets.remove(runId);
        lastReported.remove(runId);
        log.info("Run {} {} on partition {}: {} deliveries", runId,
                state == FanoutState.DONE ? "fanned out" : "cancelled", partition, cursor.getDeliveries());
    }

    private void report(String runId, FanoutCursor cursor, FanoutState state, long now) {
        long estimate = state == FanoutState.DONE ? cursor.getDeliveries() : estimate(cursor);
        FanoutReport report = FanoutReport.newBuilder()
                .setRunId(runId)
                .setCampaignId(cursor.getJob().getCampaignId())
                .setPartition(partition)
                .setPartitionCount(partitionCount)
                .setDeliveries(cursor.getDeliveries())
                .setState(state)
                .setCandidates(Math.max(0, cursor.getCandidates()))
                .setScanned(cursor.getScanned())
                .setEstimate(state == FanoutState.CANCELLED ? cursor.getDeliveries() : estimate)
                .setNotSent(state == FanoutState.CANCELLED ? estimate - cursor.getDeliveries() : 0)
                .setMessagesPerSecond(rateOf(cursor))
                .build();
        context.forward(new Record<>(runId, FanoutOutput.of(report), now), FanoutOutput.REPORTS);
        lastReported.put(runId, now);
    }

    /**
     * The deliveries this partition will have produced in all: those so far, and for the candidates not scanned yet
     * as many per candidate as so far (before the first, one per channel). Exact for explicit ids and a single
     * segment without attribute filters; approximate otherwise, and exact once done.
     */
    static long estimate(FanoutCursor cursor) {
        if (cursor.getCandidates() < 0) {
            return cursor.getDeliveries(); // a cursor of an older version: its share was never counted
        }
        long remaining = Math.max(0, cursor.getCandidates() - cursor.getScanned());
        double perCandidate = cursor.getScanned() > 0 ? (double) cursor.getDeliveries() / cursor.getScanned()
                : channelsOf(cursor.getJob().getCampaign()).size();
        return cursor.getDeliveries() + Math.round(remaining * perCandidate);
    }

    /**
     * This partition's share of an audience, counted when its run starts: the listed ids it owns, the members of the
     * segments (from the index, each once), or the approximate size of its table.
     */
    private long countCandidates(Audience audience) {
        if (!audience.getRecipientIds().isEmpty()) {
            return audience.getRecipientIds().stream().filter(id -> ownerOf(id) == partition).count();
        }
        if (segmentIndex != null && !audience.getSegments().isEmpty()) {
            List<String> segments = new ArrayList<>(new TreeSet<>(audience.getSegments()));
            long members = 0;
            for (int s = 0; s < segments.size(); s++) {
                String prefix = SegmentIndex.membersOf(segments.get(s));
                try (KeyValueIterator<String, String> it = segmentIndex.range(prefix,
                        SegmentIndex.afterMembersOf(segments.get(s)))) {
                    while (it.hasNext()) {
                        String key = it.next().key;
                        // A member of an earlier segment is counted there, as the scan delivers it there.
                        if (key.startsWith(prefix) && (s == 0 || !inEarlierSegment(SegmentIndex.segmentsOf(
                                segmentIndex, SegmentIndex.recipientOf(segments.get(s), key)), segments, s))) {
                            members++;
                        }
                    }
                }
            }
            return members;
        }
        return Math.max(0, recipients.approximateNumEntries());
    }

    private static List<Channel> channelsOf(Campaign campaign) {
        return new ArrayList<>(new LinkedHashSet<>(campaign.getChannels()));
    }

    /** The run's rate limit in force: the campaign's when the run started, unless a change replaced it. */
    private static Integer rateOf(FanoutCursor cursor) {
        if (cursor.getRateChanged()) {
            return cursor.getMessagesPerSecond();
        }
        Campaign campaign = cursor.getJob().getCampaign();
        return campaign.getLimits() == null ? null : campaign.getLimits().getMessagesPerSecond();
    }

    private static Instant timeOf(FanoutControl control) {
        return control.getControl() instanceof CampaignState state ? state.getUpdatedAt()
                : ((RunControl) control.getControl()).getRequestedAt();
    }

    private boolean scanTable(FanoutCursor cursor, Step step) {
        String lastKey = cursor.getLastKey();
        Audience audience = cursor.getJob().getCampaign().getAudience();
        try (KeyValueIterator<String, ValueAndTimestamp<Recipient>> it =
                     lastKey == null ? recipients.all() : recipients.range(lastKey, null)) {
            while (it.hasNext() && step.canTakeMore()) {
                KeyValue<String, ValueAndTimestamp<Recipient>> entry = it.next();
                if (entry.key.equals(lastKey)) {
                    continue; // range() includes its lower bound, which was handled by the previous step
                }
                step.scanned();
                step.candidate();
                lastKey = entry.key;
                Recipient recipient = entry.value == null ? null : entry.value.value();
                if (recipient != null && AudienceMatcher.matches(audience, recipient)) {
                    step.deliver(entry.key, recipient);
                }
            }
            cursor.setLastKey(lastKey);
            return !it.hasNext();
        }
    }

    /**
     * Whether a segment audience is read from the index. A cursor persisted by a table scan (a plain recipient id as
     * its last key) goes on scanning the table, so a run started before the index existed ends as it began.
     */
    private boolean usesSegmentIndex(FanoutCursor cursor) {
        String lastKey = cursor.getLastKey();
        return segmentIndex != null && !cursor.getJob().getCampaign().getAudience().getSegments().isEmpty()
                && (lastKey == null || SegmentIndex.isMember(lastKey));
    }

    /**
     * Reads the members of each audience segment from the index, in segment order ({@code nextIdIndex} is the segment,
     * {@code lastKey} the last membership key read), and matches each member's profile against the whole audience. A
     * recipient in several of the segments is delivered once, under the first of them.
     */
    private boolean scanSegments(FanoutCursor cursor, Step step) {
        Audience audience = cursor.getJob().getCampaign().getAudience();
        List<String> segments = new ArrayList<>(new TreeSet<>(audience.getSegments()));
        int s = cursor.getNextIdIndex();
        String lastKey = cursor.getLastKey();
        while (s < segments.size() && step.canTakeMore()) {
            String segment = segments.get(s);
            String prefix = SegmentIndex.membersOf(segment);
            boolean more;
            try (KeyValueIterator<String, String> it = segmentIndex.range(
                    lastKey == null ? prefix : lastKey, SegmentIndex.afterMembersOf(segment))) {
                while (it.hasNext() && step.canTakeMore()) {
                    String key = it.next().key;
                    if (key.equals(lastKey) || !key.startsWith(prefix)) {
                        continue; // range() includes its lower bound, which the previous step handled
                    }
                    step.scanned();
                    lastKey = key;
                    String id = SegmentIndex.recipientOf(segment, key);
                    ValueAndTimestamp<Recipient> found = recipients.get(id);
                    Recipient recipient = found == null ? null : found.value();
                    if (recipient != null && inEarlierSegment(recipient.getSegments(), segments, s)) {
                        continue; // delivered (or not) under the earlier segment, and counted there
                    }
                    step.candidate();
                    if (recipient != null && AudienceMatcher.matches(audience, recipient)) {
                        step.deliver(id, recipient);
                    }
                }
                more = it.hasNext();
            }
            if (more) {
                break;
            }
            s++;
            lastKey = null;
        }
        cursor.setNextIdIndex(s);
        cursor.setLastKey(lastKey);
        return s >= segments.size();
    }

    private static boolean inEarlierSegment(List<String> recipientSegments, List<String> segments, int current) {
        for (int i = 0; i < current; i++) {
            if (recipientSegments.contains(segments.get(i))) {
                return true;
            }
        }
        return false;
    }

    private boolean lookUpIds(FanoutCursor cursor, Step step) {
        List<String> ids = cursor.getJob().getCampaign().getAudience().getRecipientIds();
        Audience audience = cursor.getJob().getCampaign().getAudience();
        int i = cursor.getNextIdIndex();
        while (i < ids.size() && step.canTakeMore()) {
            String id = ids.get(i++);
            step.scanned();
            if (ownerOf(id) != partition) {
                continue;
            }
            step.candidate();
            ValueAndTimestamp<Recipient> found = recipients.get(id);
            if (found == null || found.value() == null) {
                step.deliver(id, null); // counted as MISSING unknown_recipient by the channel branch
            } else if (AudienceMatcher.matches(audience, found.value())) {
                step.deliver(id, found.value());
            }
        }
        cursor.setNextIdIndex(i);
        return i >= ids.size();
    }

    /** The partition the default producer partitioner puts this recipient key in. */
    private int ownerOf(String recipientId) {
        return Utils.toPositive(Utils.murmur2(recipientId.getBytes(StandardCharsets.UTF_8))) % partitionCount;
    }

    private RateBudget budgetFor(Integer rate, int channelCount, long now) {
        return rate == null ? RateBudget.unlimited(now)
                : new RateBudget((double) rate / partitionCount, channelCount, now);
    }

    /**
     * One bounded step of one run: at least one chunk, then chunk after chunk while its time budget lasts (read on
     * the real clock at chunk boundaries), always within the run's rate.
     */
    private final class Step {
        final Job job;
        final List<Channel> channels;
        final int chunk;
        final long deadline;
        final long allowed;
        final long now;
        int scanned;
        int scannedInChunk;
        /** Recipients of this partition's share examined (an explicit list is scanned whole by every partition). */
        long candidates;
        long produced;

        Step(Job job, List<Channel> channels, int chunk, long deadline, long allowed, long now) {
            this.job = job;
            this.channels = channels;
            this.chunk = chunk;
            this.deadline = deadline;
            this.allowed = allowed;
            this.now = now;
        }

        /** Whether the step may scan one more recipient, which the caller then counts by {@link #scanned()}. */
        boolean canTakeMore() {
            if (produced + channels.size() > allowed) {
                return false;
            }
            if (scannedInChunk < chunk) {
                return true;
            }
            if (System.nanoTime() - deadline >= 0) {
                return false;
            }
            scannedInChunk = 0;
            return true;
        }

        void scanned() {
            scanned++;
            scannedInChunk++;
        }

        void candidate() {
            candidates++;
        }

        void deliver(String recipientId, Recipient recipient) {
            for (Channel channel : channels) {
                Delivery delivery = Delivery.newBuilder()
                        .setRunId(job.getRunId())
                        .setCampaignId(job.getCampaignId())
                        .setChannel(channel)
                        .setRecipientId(recipientId)
                        .setRecipient(recipient)
                        .setJob(job)
                        .build();
                context.forward(new Record<>(recipientId, FanoutOutput.of(delivery), now), FanoutOutput.DELIVERIES);
                produced++;
            }
        }
    }
}

package dev.herald.topology.fanout;

import dev.herald.avro.Audience;
import dev.herald.avro.Campaign;
import dev.herald.avro.Channel;
import dev.herald.avro.Delivery;
import dev.herald.avro.FanoutCursor;
import dev.herald.avro.FanoutReport;
import dev.herald.avro.Job;
import dev.herald.avro.Recipient;
import dev.herald.topology.Counters;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import dev.herald.topology.recipients.SegmentIndex;
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
 * Turns a job into deliveries for the recipients of this task's partition, in bounded steps: each step scans chunks of
 * recipients while its time budget lasts (at least one chunk, and within the campaign's rate), persists its cursor
 * with its output, and returns, so a huge run never holds the stream thread past its poll interval and resumes where
 * it stopped after a crash. When
 * the partition is done it emits one FanoutReport with the number of deliveries it produced. After each step's
 * deliveries it emits the step's end, on which their outcomes' tallies are forwarded.
 *
 * <p>Forwards {@link Delivery} records keyed by recipient id to the child {@link FanoutOutput#DELIVERIES} only, and
 * {@link FanoutReport} records keyed by run id to the child {@link FanoutOutput#REPORTS} only, and step ends keyed by
 * run id to the child {@link FanoutOutput#STEP_ENDS} only.
 */
public final class FanoutProcessor implements Processor<String, Job, String, FanoutOutput> {

    private static final Logger log = LoggerFactory.getLogger(FanoutProcessor.class);

    private final String cursorStoreName;
    private final String recipientStoreName;
    private final int partitionCount;
    private final java.time.Duration interval;
    private final int chunkSize;
    private final long stepBudgetNanos;
    private final String segmentIndexName;
    private final Map<String, RateBudget> budgets = new HashMap<>();

    private ProcessorContext<String, FanoutOutput> context;
    private KeyValueStore<String, FanoutCursor> cursors;
    private TimestampedKeyValueStore<String, Recipient> recipients;
    private KeyValueStore<String, String> segmentIndex;
    private int partition;
    private Counters counters;

    /** One chunk per step, whatever the time: steps follow the chunk size alone. */
    public FanoutProcessor(String cursorStoreName, String recipientStoreName, int partitionCount,
            java.time.Duration interval, int chunkSize) {
        this(cursorStoreName, recipientStoreName, null, partitionCount, interval, chunkSize,
                dev.herald.topology.HeraldTopologyConfig.ONE_CHUNK_PER_STEP);
    }

    /**
     * @param segmentIndexName the recipients-by-segment index of this task, or null to select segments by scanning
     *                         the recipients store
     */
    public FanoutProcessor(String cursorStoreName, String recipientStoreName, String segmentIndexName,
            int partitionCount, java.time.Duration interval, int chunkSize, java.time.Duration stepBudget) {
        this.segmentIndexName = segmentIndexName;
        this.cursorStoreName = cursorStoreName;
        this.recipientStoreName = recipientStoreName;
        this.partitionCount = partitionCount;
        this.interval = interval;
        this.chunkSize = chunkSize;
        this.stepBudgetNanos = stepBudget.toNanos();
    }

    @Override
    public void init(ProcessorContext<String, FanoutOutput> context) {
        this.context = context;
        this.cursors = context.getStateStore(cursorStoreName);
        this.recipients = context.getStateStore(recipientStoreName);
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
    }

    @Override
    public void process(Record<String, Job> record) {
        Job job = record.value();
        if (cursors.get(job.getRunId()) != null) {
            log.info("Run {} is already fanning out on partition {}; job ignored", job.getRunId(), partition);
            return;
        }
        FanoutCursor cursor = FanoutCursor.newBuilder().setJob(job).build();
        long now = context.currentSystemTimeMs();
        // Start at once rather than at the next punctuation: small runs finish within the job's own commit.
        step(job.getRunId(), cursor, chunkSize, System.nanoTime() + stepBudgetNanos, now, true);
    }

    private void stepAll(long now) {
        List<KeyValue<String, FanoutCursor>> open = new ArrayList<>();
        try (KeyValueIterator<String, FanoutCursor> all = cursors.all()) {
            all.forEachRemaining(open::add);
        }
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
        List<Channel> channels = new ArrayList<>(new LinkedHashSet<>(campaign.getChannels()));
        RateBudget budget = budgets.computeIfAbsent(runId, id -> budgetFor(campaign, channels.size(), now));
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
        counters.add("deliveries", step.produced);
        if (step.produced > 0) {
            // Within this same call, so the step's tallies are forwarded before any commit can separate them from it.
            context.forward(new Record<>(runId, FanoutOutput.stepEnd(runId), now), FanoutOutput.STEP_ENDS);
        }
        if (done) {
            FanoutReport report = FanoutReport.newBuilder()
                    .setRunId(runId)
                    .setCampaignId(job.getCampaignId())
                    .setPartition(partition)
                    .setPartitionCount(partitionCount)
                    .setDeliveries(cursor.getDeliveries())
                    .build();
            context.forward(new Record<>(runId, FanoutOutput.of(report), now), FanoutOutput.REPORTS);
            cursors.delete(runId);
            budgets.remove(runId);
            log.info("Run {} fanned out on partition {}: {} deliveries", runId, partition, cursor.getDeliveries());
        } else if (step.scanned > 0 || isNew) {
            cursors.put(runId, cursor);
        }
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
                    if (recipient != null && AudienceMatcher.matches(audience, recipient)
                            && !inEarlierSegment(recipient, segments, s)) {
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

    private static boolean inEarlierSegment(Recipient recipient, List<String> segments, int current) {
        for (int i = 0; i < current; i++) {
            if (recipient.getSegments().contains(segments.get(i))) {
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

    private RateBudget budgetFor(Campaign campaign, int channelCount, long now) {
        Integer rate = campaign.getLimits() == null ? null : campaign.getLimits().getMessagesPerSecond();
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

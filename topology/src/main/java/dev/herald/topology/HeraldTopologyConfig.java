package dev.herald.topology;

import java.time.Duration;

/**
 * Everything the topology's shape and behaviour depend on besides its topics; the topology is a pure function of
 * this and {@link HeraldTopics}.
 *
 * @param recipientsPartitions partitions of the recipients topic: jobs are multicast to each of them
 * @param schedulerInterval    how often (wall clock) the scheduler looks for due campaigns
 * @param misfireThreshold     a fire later than this is a misfire and follows the campaign's misfire policy
 * @param fanoutInterval       how often (wall clock) each partition's fan-out works on its open runs
 * @param fanoutChunkSize      recipients scanned per partition between two looks at the fan-out step's budget: a
 *                             step scans at least one chunk, then more while its budget lasts
 * @param summaryRetention     how long windowed summaries stay queryable
 * @param summaryGrace         how late an outcome may arrive and still count in its window
 * @param fanoutStepBudget     processing time one fan-out step may spend on a partition's open runs before it
 *                             returns to the stream thread (so it can commit and poll), checked after each chunk:
 *                             measured on the real clock, since it bounds work rather than schedules it
 * @param outcomesTopic        when not null, every delivery's own outcome is also written to this topic (a test
 *                             aid: the summaries only see outcomes tallied per fan-out step); null in production
 * @param runsRetention        how long a run is remembered (run ledger, run ids started): older ones are pruned,
 *                             and a tick scheduled before it is refused, so a pruned run can never start again
 * @param dropDeadTargets      whether a receipt that rejects a target also removes it from the recipient's profile
 *                             (a recipients record without the push token, or without the address); either way the
 *                             rejection goes to recipient-updates
 */
public record HeraldTopologyConfig(
        int recipientsPartitions,
        Duration schedulerInterval,
        Duration misfireThreshold,
        Duration fanoutInterval,
        int fanoutChunkSize,
        Duration summaryRetention,
        Duration summaryGrace,
        Duration fanoutStepBudget,
        String outcomesTopic,
        Duration runsRetention,
        boolean dropDeadTargets) {

    public static final Duration MINUTE = Duration.ofMinutes(1);
    public static final Duration HOUR = Duration.ofHours(1);
    /** Default {@link #fanoutStepBudget}: long enough to amortize a step's commit, short next to the poll interval. */
    public static final Duration DEFAULT_FANOUT_STEP_BUDGET = Duration.ofMillis(200);
    /**
     * A step budget so small that every step ends after its first chunk: steps then follow the chunk size alone,
     * whatever the machine's speed (tests that count steps use it).
     */
    public static final Duration ONE_CHUNK_PER_STEP = Duration.ofNanos(1);

    /** Default {@link #runsRetention}. */
    public static final Duration DEFAULT_RUNS_RETENTION = Duration.ofDays(30);

    /** With the default step budget and runs retention, and without an outcomes topic. */
    public HeraldTopologyConfig(int recipientsPartitions, Duration schedulerInterval, Duration misfireThreshold,
            Duration fanoutInterval, int fanoutChunkSize, Duration summaryRetention, Duration summaryGrace) {
        this(recipientsPartitions, schedulerInterval, misfireThreshold, fanoutInterval, fanoutChunkSize,
                summaryRetention, summaryGrace, DEFAULT_FANOUT_STEP_BUDGET, null, DEFAULT_RUNS_RETENTION, false);
    }

    /** Checks every value; a bad one is an {@link InvalidParameterException} naming the record component. */
    public HeraldTopologyConfig {
        require(recipientsPartitions >= 1, "recipientsPartitions", "must be at least 1", recipientsPartitions);
        require(positive(schedulerInterval), "schedulerInterval", "must be positive", schedulerInterval);
        require(misfireThreshold != null && !misfireThreshold.isNegative(), "misfireThreshold",
                "must not be negative", misfireThreshold);
        require(positive(fanoutInterval), "fanoutInterval", "must be positive", fanoutInterval);
        require(fanoutChunkSize >= 1, "fanoutChunkSize", "must be at least 1", fanoutChunkSize);
        require(summaryGrace != null && !summaryGrace.isNegative(), "summaryGrace", "must not be negative",
                summaryGrace);
        require(summaryRetention != null && summaryRetention.compareTo(HOUR.plus(summaryGrace)) >= 0,
                "summaryRetention", "must cover the hourly window plus grace (" + HOUR.plus(summaryGrace) + ")",
                summaryRetention);
        require(positive(fanoutStepBudget), "fanoutStepBudget", "must be positive", fanoutStepBudget);
        require(outcomesTopic == null || !outcomesTopic.isBlank(), "outcomesTopic", "must not be blank",
                outcomesTopic);
        require(runsRetention != null && runsRetention.compareTo(HOUR) >= 0, "runsRetention",
                "must be at least " + HOUR, runsRetention);
    }

    /**
     * The topology's own defaults, for tests and embedding; the application has its own in its configuration, which
     * builds this record from its settings.
     */
    public static HeraldTopologyConfig defaults() {
        return new HeraldTopologyConfig(4, Duration.ofSeconds(1), Duration.ofMinutes(1), Duration.ofMillis(100),
                2_000, Duration.ofDays(7), Duration.ofMinutes(5));
    }

    public HeraldTopologyConfig withRecipientsPartitions(int partitions) {
        return new HeraldTopologyConfig(partitions, schedulerInterval, misfireThreshold, fanoutInterval,
                fanoutChunkSize, summaryRetention, summaryGrace, fanoutStepBudget, outcomesTopic, runsRetention, dropDeadTargets);
    }

    public HeraldTopologyConfig withFanoutChunkSize(int chunkSize) {
        return new HeraldTopologyConfig(recipientsPartitions, schedulerInterval, misfireThreshold,
                fanoutInterval, chunkSize, summaryRetention, summaryGrace, fanoutStepBudget, outcomesTopic,
                runsRetention, dropDeadTargets);
    }

    public HeraldTopologyConfig withFanoutStepBudget(Duration budget) {
        return new HeraldTopologyConfig(recipientsPartitions, schedulerInterval, misfireThreshold,
                fanoutInterval, fanoutChunkSize, summaryRetention, summaryGrace, budget, outcomesTopic, runsRetention,
                dropDeadTargets);
    }

    public HeraldTopologyConfig withOutcomesTopic(String topic) {
        return new HeraldTopologyConfig(recipientsPartitions, schedulerInterval, misfireThreshold,
                fanoutInterval, fanoutChunkSize, summaryRetention, summaryGrace, fanoutStepBudget, topic, runsRetention,
                dropDeadTargets);
    }

    public HeraldTopologyConfig withRunsRetention(Duration retention) {
        return new HeraldTopologyConfig(recipientsPartitions, schedulerInterval, misfireThreshold, fanoutInterval,
                fanoutChunkSize, summaryRetention, summaryGrace, fanoutStepBudget, outcomesTopic, retention,
                dropDeadTargets);
    }

    public HeraldTopologyConfig withDropDeadTargets(boolean drop) {
        return new HeraldTopologyConfig(recipientsPartitions, schedulerInterval, misfireThreshold, fanoutInterval,
                fanoutChunkSize, summaryRetention, summaryGrace, fanoutStepBudget, outcomesTopic, runsRetention, drop);
    }

    private static boolean positive(Duration d) {
        return d != null && !d.isZero() && !d.isNegative();
    }

    private static void require(boolean ok, String parameter, String rule, Object value) {
        if (!ok) {
            throw new InvalidParameterException(parameter, rule + " (was " + value + ")");
        }
    }
}

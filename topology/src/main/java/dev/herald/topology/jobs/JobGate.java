package dev.herald.topology.jobs;

import dev.herald.topology.Reasons.TickRejection;
import dev.herald.topology.RetentionPruner;
import dev.herald.topology.RunIds;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.apache.kafka.streams.processor.PunctuationType;
import dev.herald.avro.Job;
import dev.herald.topology.Counters;
import org.apache.kafka.streams.processor.api.FixedKeyProcessor;
import org.apache.kafka.streams.processor.api.FixedKeyProcessorContext;
import org.apache.kafka.streams.processor.api.FixedKeyRecord;
import org.apache.kafka.streams.state.KeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Lets each run through once: rejected ticks are counted and logged, a run id seen before is dropped as a duplicate.
 * Run ids are remembered for the runs retention; a tick scheduled before it is refused, so a forgotten run id can
 * never start a second time.
 */
public final class JobGate implements FixedKeyProcessor<String, JobDecision, Job> {

    private static final Logger log = LoggerFactory.getLogger(JobGate.class);

    private final String storeName;
    private final Duration retention;
    private FixedKeyProcessorContext<String, Job> context;
    private RetentionPruner<Long> pruner;
    private KeyValueStore<String, Long> runs;
    private Counters counters;

    public JobGate(String storeName, Duration retention) {
        this.storeName = storeName;
        this.retention = retention;
    }

    @Override
    public void init(FixedKeyProcessorContext<String, Job> context) {
        this.context = context;
        this.runs = context.getStateStore(storeName);
        this.counters = new Counters(context.metrics(), "jobs", context.taskId());
        // Registered at zero so dashboards see the series before the first run.
        counters.add("runs-started", 0);
        counters.add("ticks-duplicate", 0);
        // A run id's age is its scheduled time (the value, the tick's timestamp, for an id that does not parse).
        pruner = new RetentionPruner<>(runs, retention, (runId, startedAt) -> Optional.of(
                RunIds.parse(runId).map(RunIds.RunId::scheduledFor).orElse(Instant.ofEpochMilli(startedAt))));
        context.schedule(RetentionPruner.interval(retention), PunctuationType.WALL_CLOCK_TIME,
                now -> pruner.prune(Instant.ofEpochMilli(now)));
    }

    @Override
    public void process(FixedKeyRecord<String, JobDecision> record) {
        JobDecision decision = record.value();
        String runId = decision.tick().getRunId();
        if (decision.job() == null) {
            String reason = decision.rejection().wire();
            counters.count("ticks-rejected", "reason", reason);
            log.info("Tick for run {} does not run: {}", runId, reason);
            return;
        }
        Instant horizon = pruner.horizon(Instant.ofEpochMilli(context.currentSystemTimeMs()));
        if (decision.tick().getScheduledFor().isBefore(horizon)) {
            counters.count("ticks-rejected", "reason", TickRejection.EXPIRED.wire());
            log.info("Tick for run {} does not run: scheduled before the runs retention ({})", runId, horizon);
            return;
        }
        if (runs.get(runId) != null) {
            counters.count("ticks-duplicate");
            log.info("Run {} was already started; duplicate tick ignored", runId);
            return;
        }
        runs.put(runId, record.timestamp());
        counters.count("runs-started");
        context.forward(record.withValue(decision.job()));
    }
}

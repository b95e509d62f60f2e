package dev.herald.topology.jobs;

import dev.herald.avro.Job;
import dev.herald.topology.Counters;
import org.apache.kafka.streams.processor.api.FixedKeyProcessor;
import org.apache.kafka.streams.processor.api.FixedKeyProcessorContext;
import org.apache.kafka.streams.processor.api.FixedKeyRecord;
import org.apache.kafka.streams.state.KeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Lets each run through once: rejected ticks are counted and logged, a run id seen before is dropped as a duplicate. */
public final class JobGate implements FixedKeyProcessor<String, JobDecision, Job> {

    private static final Logger log = LoggerFactory.getLogger(JobGate.class);

    private final String storeName;
    private FixedKeyProcessorContext<String, Job> context;
    private KeyValueStore<String, Long> runs;
    private Counters counters;

    public JobGate(String storeName) {
        this.storeName = storeName;
    }

    @Override
    public void init(FixedKeyProcessorContext<String, Job> context) {
        this.context = context;
        this.runs = context.getStateStore(storeName);
        this.counters = new Counters(context.metrics(), "jobs", context.taskId());
        // Registered at zero so dashboards see the series before the first run.
        counters.add("runs-started", 0);
        counters.add("ticks-duplicate", 0);
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

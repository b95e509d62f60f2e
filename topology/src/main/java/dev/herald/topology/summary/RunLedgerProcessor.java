package dev.herald.topology.summary;

import dev.herald.topology.RetentionPruner;
import dev.herald.topology.RunIds;
import java.time.Duration;
import java.util.Optional;
import org.apache.kafka.streams.processor.PunctuationType;
import dev.herald.avro.FanoutReport;
import dev.herald.avro.Outcome;
import dev.herald.avro.RunEvent;
import dev.herald.avro.RunStatus;
import dev.herald.avro.RunSummary;
import dev.herald.avro.Summary;
import dev.herald.topology.Counters;
import dev.herald.topology.errors.InvalidRecordException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps each run's RunSummary, from partition reports and outcomes (as {@link RunEvent}s) and tallies of outcomes
 * (as {@link Summary}s), and completes it exactly once: when every partition has reported its deliveries and
 * the outcomes counted add up to them. Only the completion is forwarded (to run-summaries); progress is queried from
 * the store. An event for a run already completed, or a second report from one partition, breaks that invariant and
 * is dead-lettered rather than silently miscounted. Runs are forgotten after the runs retention (counted from
 * completion, or from the last event of a run that never completed); an event of an unknown run scheduled before
 * the retention is dropped, as its run was forgotten and must not come back half counted.
 */
public final class RunLedgerProcessor implements Processor<String, SpecificRecord, String, RunSummary> {

    private static final Logger log = LoggerFactory.getLogger(RunLedgerProcessor.class);

    private final String storeName;
    private final Duration retention;
    private ProcessorContext<String, RunSummary> context;
    private RetentionPruner<RunSummary> pruner;
    private KeyValueStore<String, RunSummary> runs;
    private Counters counters;

    public RunLedgerProcessor(String storeName, Duration retention) {
        this.storeName = storeName;
        this.retention = retention;
    }

    @Override
    public void init(ProcessorContext<String, RunSummary> context) {
        this.context = context;
        this.runs = context.getStateStore(storeName);
        this.counters = new Counters(context.metrics(), "runs", context.taskId());
        counters.add("completed", 0);
        pruner = new RetentionPruner<>(runs, retention, (runId, run) -> Optional.of(
                run.getCompletedAt() != null ? run.getCompletedAt() : run.getUpdatedAt()));
        context.schedule(RetentionPruner.interval(retention), PunctuationType.WALL_CLOCK_TIME,
                now -> pruner.prune(Instant.ofEpochMilli(now)));
    }

    @Override
    public void process(Record<String, SpecificRecord> record) {
        String runId = record.key();
        Instant at = Instant.ofEpochMilli(record.timestamp());
        Object event = record.value() instanceof RunEvent runEvent ? runEvent.getEvent() : record.value();
        RunSummary run = runs.get(runId);
        if (run == null) {
            Instant horizon = pruner.horizon(Instant.ofEpochMilli(context.currentSystemTimeMs()));
            if (RunIds.parse(runId).map(id -> id.scheduledFor().isBefore(horizon)).orElse(false)) {
                counters.count("events-expired");
                log.warn("Dropped an event of run {}: scheduled before the runs retention ({}), so forgotten",
                        runId, horizon);
                return;
            }
            run = start(runId, event, at);
        } else if (run.getStatus() == RunStatus.COMPLETED) {
            throw new InvalidRecordException("run " + runId + " is already COMPLETED; late event " + event);
        }
        run.setReasons(new HashMap<>(run.getReasons()));
        if (event instanceof Outcome outcome) {
            Counts.add(run.getPush(), run.getMail(), run.getReasons(), outcome);
        } else if (event instanceof Summary tally) {
            Counts.add(run.getPush(), run.getMail(), run.getReasons(), tally);
        } else if (event instanceof FanoutReport report) {
            if (run.getReportedPartitions().contains(report.getPartition())) {
                throw new InvalidRecordException("run " + runId + ": partition " + report.getPartition()
                        + " reported twice");
            }
            run.setReportedPartitions(new ArrayList<>(run.getReportedPartitions()));
            run.getReportedPartitions().add(report.getPartition());
            run.setPartitionCount(report.getPartitionCount());
            run.setExpected(run.getExpected() + report.getDeliveries());
        } else {
            throw new InvalidRecordException("run " + runId + ": unknown event " + event);
        }
        run.setUpdatedAt(at);
        if (RunCompletion.isComplete(run)) {
            run.setStatus(RunStatus.COMPLETED);
            run.setCompletedAt(at);
            counters.count("completed");
            log.info("Run {} completed: {} deliveries", runId, run.getExpected());
            context.forward(new Record<>(runId, run, record.timestamp()));
        }
        runs.put(runId, run);
    }

    private static RunSummary start(String runId, Object event, Instant at) {
        String campaignId;
        if (event instanceof Outcome outcome) {
            campaignId = outcome.getCampaignId();
        } else if (event instanceof Summary tally) {
            campaignId = tally.getCampaignId();
        } else if (event instanceof FanoutReport report) {
            campaignId = report.getCampaignId();
        } else {
            throw new InvalidRecordException("run " + runId + ": unknown event " + event);
        }
        return RunSummary.newBuilder()
                .setRunId(runId)
                .setCampaignId(campaignId)
                .setStatus(RunStatus.RUNNING)
                .setPush(Counts.empty())
                .setMail(Counts.empty())
                .setStartedAt(at)
                .setUpdatedAt(at)
                .build();
    }
}

package dev.herald.topology.summary;

import dev.herald.topology.RetentionPruner;
import dev.herald.topology.RunIds;
import java.time.Duration;
import java.util.Optional;
import org.apache.kafka.streams.processor.PunctuationType;
import dev.herald.avro.FanoutReport;
import dev.herald.avro.FanoutState;
import dev.herald.avro.PartitionProgress;
import dev.herald.avro.Outcome;
import dev.herald.avro.RunEvent;
import dev.herald.avro.RunState;
import dev.herald.avro.RunStatus;
import dev.herald.avro.RunSummary;
import dev.herald.avro.Summary;
import dev.herald.topology.Counters;
import dev.herald.topology.errors.InvalidRecordException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Map;
import dev.herald.topology.Reasons;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps each run's RunSummary, from partition reports and outcomes (as {@link RunEvent}s) and tallies of outcomes
 * (as {@link Summary}s), and completes it exactly once: when every partition has reported finally (DONE, or
 * CANCELLED, which makes the run CANCELLED) and the outcomes counted add up to the deliveries they reported. While
 * open, a run is PAUSED when every partition still fanning out is paused. Senders' receipts (tallies of them) count
 * before and after completion, and make a COMPLETED run DELIVERED once every message has a final one. Only the
 * completion and the delivery are forwarded (to run-summaries); progress is queried from the store. An event for a run already completed, or a second report from one partition, breaks that invariant and
 * is dead-lettered rather than silently miscounted. Runs are forgotten after the runs retention (counted from
 * completion, or from the last event of a run that never completed); an event of an unknown run scheduled before
 * the retention is dropped, as its run was forgotten and must not come back half counted.
 */
public final class RunLedgerProcessor implements Processor<String, SpecificRecord, String, RunSummary> {

    private static final Logger log = LoggerFactory.getLogger(RunLedgerProcessor.class);
    static final Duration RATE_WINDOW = Duration.ofSeconds(5);

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
        counters.add("cancelled", 0);
        counters.add("delivered", 0);
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
            if (event instanceof Summary tally && Counts.receiptsOnly(tally)) {
                // Receipts follow a run's completion: they count, and may make it DELIVERED.
                Counts.add(run.getPush(), run.getMail(), run.getReasons(), tally);
                run.setUpdatedAt(at);
                checkDelivered(run, at, record.timestamp());
                runs.put(runId, run);
                return;
            }
            throw new InvalidRecordException("run " + runId + " is already " + RunCompletion.state(run)
                    + "; late event " + event);
        }
        run.setReasons(new HashMap<>(run.getReasons()));
        if (event instanceof Outcome outcome) {
            Counts.add(run.getPush(), run.getMail(), run.getReasons(), outcome);
        } else if (event instanceof Summary tally) {
            Counts.add(run.getPush(), run.getMail(), run.getReasons(), tally);
        } else if (event instanceof FanoutReport report) {
            report(run, report, at);
        } else {
            throw new InvalidRecordException("run " + runId + ": unknown event " + event);
        }
        run.setUpdatedAt(at);
        measureRate(run, at);
        if (RunCompletion.isComplete(run)) {
            run.setStatus(RunStatus.COMPLETED);
            run.setState(run.getCancelledAt() != null ? RunState.CANCELLED : RunState.COMPLETED);
            run.setCompletedAt(at);
            run.setPausedAt(null);
            counters.count(run.getState() == RunState.CANCELLED ? "cancelled" : "completed");
            log.info("Run {} {}: {} deliveries", runId, run.getState() == RunState.CANCELLED ? "cancelled"
                    : "completed", run.getExpected());
            context.forward(new Record<>(runId, run, record.timestamp()));
            checkDelivered(run, at, record.timestamp());
        } else {
            RunState state = openState(run);
            if (state == RunState.PAUSED && run.getState() != RunState.PAUSED) {
                run.setPausedAt(at);
            } else if (state != RunState.PAUSED) {
                run.setPausedAt(null);
            }
            run.setState(state);
        }
        runs.put(runId, run);
    }

    /**
     * A COMPLETED run becomes DELIVERED once every outbox message it produced has a final receipt; the run goes to
     * run-summaries a second time, in that state. A cancelled run keeps its state, receipts counted all the same.
     */
    private void checkDelivered(RunSummary run, Instant at, long timestamp) {
        long messages = run.getPush().getMessages() + run.getMail().getMessages();
        if (run.getState() == RunState.COMPLETED && messages > 0
                && Counts.receipted(run.getPush(), run.getMail()) >= messages) {
            run.setState(RunState.DELIVERED);
            run.setDeliveredAt(at);
            counters.count("delivered");
            log.info("Run {} delivered: {} messages with a final receipt", run.getRunId(), messages);
            context.forward(new Record<>(run.getRunId(), run, timestamp));
        }
    }

    private static boolean isFinal(FanoutState state) {
        return state == FanoutState.DONE || state == FanoutState.CANCELLED;
    }

    /**
     * A partition's report: its latest progress is kept, and a final one (DONE or CANCELLED) adds its deliveries to
     * the expected count, once. The estimate is what is expected plus what the partitions still open expect.
     */
    private static void report(RunSummary run, FanoutReport report, Instant at) {
        String runId = run.getRunId();
        String partition = Integer.toString(report.getPartition());
        Map<String, PartitionProgress> partitions = new HashMap<>(run.getPartitions());
        PartitionProgress previous = partitions.get(partition);
        if (previous != null && isFinal(previous.getState())
                || isFinal(report.getState()) && run.getReportedPartitions().contains(report.getPartition())) {
            throw new InvalidRecordException("run " + runId + ": partition " + report.getPartition()
                    + " reported after its final report");
        }
        partitions.put(partition, PartitionProgress.newBuilder()
                .setState(report.getState())
                .setCandidates(report.getCandidates())
                .setScanned(report.getScanned())
                .setDeliveries(report.getDeliveries())
                .setEstimate(isFinal(report.getState()) ? report.getDeliveries() : report.getEstimate())
                .build());
        run.setPartitions(partitions);
        run.setPartitionCount(report.getPartitionCount());
        run.setMessagesPerSecond(report.getMessagesPerSecond());
        if (isFinal(report.getState())) {
            run.setReportedPartitions(new ArrayList<>(run.getReportedPartitions()));
            run.getReportedPartitions().add(report.getPartition());
            run.setExpected(run.getExpected() + report.getDeliveries());
        }
        if (report.getState() == FanoutState.CANCELLED) {
            if (run.getCancelledAt() == null) {
                run.setCancelledAt(at);
            }
            if (report.getNotSent() > 0) {
                run.setNotSent(run.getNotSent() + report.getNotSent());
                run.getReasons().merge(Reasons.CANCELLED, report.getNotSent(), Long::sum);
            }
        }
        long estimate = run.getExpected();
        for (PartitionProgress progress : partitions.values()) {
            if (!isFinal(progress.getState())) {
                estimate += progress.getEstimate();
            }
        }
        run.setEstimate(estimate);
    }

    /** PAUSED while every partition that has not finished is paused (and all have reported); RUNNING otherwise. */
    private static RunState openState(RunSummary run) {
        if (run.getPartitionCount() == 0 || run.getPartitions().size() < run.getPartitionCount()) {
            return RunState.RUNNING;
        }
        boolean paused = false;
        for (PartitionProgress progress : run.getPartitions().values()) {
            if (progress.getState() == FanoutState.RUNNING) {
                return RunState.RUNNING;
            }
            paused |= progress.getState() == FanoutState.PAUSED;
        }
        return paused ? RunState.PAUSED : RunState.RUNNING;
    }

    /** The delivery rate over the last window of at least {@link #RATE_WINDOW}, for an ETA from the current pace. */
    private static void measureRate(RunSummary run, Instant at) {
        long now = at.toEpochMilli();
        long counted = RunCompletion.counted(run);
        if (run.getRateWindowStart() == 0) {
            run.setRateWindowStart(run.getStartedAt().toEpochMilli());
        }
        long elapsed = now - run.getRateWindowStart();
        if (elapsed >= RATE_WINDOW.toMillis()) {
            run.setRatePerSecond((counted - run.getRateWindowCounted()) * 1000.0 / elapsed);
            run.setRateWindowStart(now);
            run.setRateWindowCounted(counted);
        }
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

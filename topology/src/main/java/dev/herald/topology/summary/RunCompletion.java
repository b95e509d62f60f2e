package dev.herald.topology.summary;

import dev.herald.avro.RunState;
import dev.herald.avro.RunStatus;
import dev.herald.avro.RunSummary;

/**
 * When a run is complete: every fan-out partition has reported its deliveries, so the expected count is final, and
 * the outcomes counted add up to it. The ledger completes runs by it and the query API shows progress by it.
 */
public final class RunCompletion {

    private RunCompletion() {
    }

    /** Every partition has reported, so {@code expected} will not grow any more. */
    public static boolean allPartitionsReported(RunSummary run) {
        return run.getPartitionCount() > 0 && run.getReportedPartitions().size() >= run.getPartitionCount();
    }

    /** Deliveries whose outcome has been counted, over both channels and every result. */
    public static long counted(RunSummary run) {
        return Counts.deliveries(run.getPush(), run.getMail());
    }

    /**
     * Where the run stands: RUNNING, PAUSED, CANCELLED, COMPLETED or DELIVERED. A complete run written before runs had states
     * reads as state RUNNING (the field's default), so a complete run is CANCELLED only when its state says so.
     */
    public static RunState state(RunSummary run) {
        if (run.getStatus() == RunStatus.COMPLETED) {
            return run.getState() == RunState.CANCELLED || run.getState() == RunState.DELIVERED ? run.getState()
                    : RunState.COMPLETED;
        }
        return run.getState() == RunState.PAUSED ? RunState.PAUSED : RunState.RUNNING;
    }

    /** Whether the run is complete; the ledger marks it COMPLETED the moment this first holds. */
    public static boolean isComplete(RunSummary run) {
        return allPartitionsReported(run) && counted(run) == run.getExpected();
    }
}

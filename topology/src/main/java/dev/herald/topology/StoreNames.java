package dev.herald.topology;

/** Names of the state stores; they name changelog topics too, so they never change once released. */
public final class StoreNames {
    public static final String CAMPAIGNS = "campaigns-store";
    public static final String SCHEDULER = "scheduler-store";
    public static final String JOB_RUNS = "job-runs-store";
    public static final String RECIPIENTS = "recipients-store";
    public static final String RECIPIENTS_BY_SEGMENT = "recipients-by-segment-store";
    public static final String FANOUT_CURSORS = "fanout-cursors-store";
    public static final String FANOUT_CONTROLS = "fanout-controls-store";
    public static final String SUMMARY_MINUTE = "summary-1m-store";
    public static final String SUMMARY_HOUR = "summary-1h-store";
    public static final String RUN_SUMMARY = "run-summary-store";
    public static final String RECEIPT_TALLIES = "receipt-tallies-store";

    private StoreNames() {
    }
}

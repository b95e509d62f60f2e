package dev.herald.testkit;

import dev.herald.query.model.ChannelTotals;
import dev.herald.query.model.RunProgress;
import dev.herald.topology.Reasons.OutcomeReason;
import org.assertj.core.api.AbstractAssert;

/** Checks on one run as the HTTP API shows it: its status, counts per channel and result, and reasons. */
public final class RunAssert extends AbstractAssert<RunAssert, RunProgress> {
    private final HeraldKit kit;

    RunAssert(HeraldKit kit, RunProgress run) {
        super(run, RunAssert.class);
        this.kit = kit;
    }

    /**
     * Every partition reported and every delivery's outcome is counted (a cancelled run is not completed; a delivered
     * one is, and more).
     */
    public RunAssert completed() {
        if (!"COMPLETED".equals(actual.status()) && !"DELIVERED".equals(actual.status())) {
            failWithMessage("%s", "run " + actual.runId() + " is " + actual.status() + ", not COMPLETED: "
                    + actual.counted() + " of " + actual.expected() + " outcomes counted, "
                    + actual.partitionsReported() + " of " + actual.partitionCount() + " partitions reported"
                    + " (kit.runToCompletion drives a run to the end)");
        }
        return this;
    }

    public RunAssert running() {
        if (!"RUNNING".equals(actual.status())) {
            failWithMessage("%s", "run " + actual.runId() + " is " + actual.status() + ", expected it still RUNNING");
        }
        return this;
    }

    /** Completed, and every outbox message it produced has a final receipt from a sender. */
    public RunAssert delivered() {
        if (!"DELIVERED".equals(actual.status())) {
            failWithMessage("%s", "run " + actual.runId() + " is " + actual.status() + ", expected it DELIVERED: "
                    + actual.receipted() + " of " + (actual.push().messages() + actual.mail().messages())
                    + " messages have a final receipt");
        }
        return this;
    }

    /** Stopped in flight, by its campaign's status or a PAUSE control, and not complete. */
    public RunAssert paused() {
        if (!"PAUSED".equals(actual.status())) {
            failWithMessage("%s", "run " + actual.runId() + " is " + actual.status() + ", expected it PAUSED");
        }
        return this;
    }

    /** Ended by a cancel: every partition reported what it produced, the rest counted as not sent. */
    public RunAssert cancelled() {
        if (!"CANCELLED".equals(actual.status())) {
            failWithMessage("%s", "run " + actual.runId() + " is " + actual.status() + ", expected it CANCELLED");
        }
        return this;
    }

    /** Deliveries a cancel kept from being produced (reason {@code cancelled}). */
    public RunAssert withNotSent(long deliveries) {
        if (actual.notSent() != deliveries) {
            failWithMessage("%s", "run " + actual.runId() + ": expected " + deliveries + " deliveries not sent but was "
                    + actual.notSent());
        }
        return this;
    }

    /** Deliveries (one per recipient and channel) the fan-out reported. */
    public RunAssert withExpected(long deliveries) {
        if (actual.expected() != deliveries) {
            failWithMessage("%s", "run " + actual.runId() + ": expected " + deliveries + " deliveries but the "
                    + "fan-out reported " + actual.expected());
        }
        return this;
    }

    /** Push deliveries by result. */
    public RunAssert withPush(long success, long error, long missing, long filtered) {
        return channel("push", actual.push(), success, error, missing, filtered);
    }

    /** Mail deliveries by result. */
    public RunAssert withMail(long success, long error, long missing, long filtered) {
        return channel("mail", actual.mail(), success, error, missing, filtered);
    }

    /** Outbox messages of the push channel (a delivery sends one per device token). */
    public RunAssert withPushMessages(long messages) {
        if (actual.push().messages() != messages) {
            failWithMessage("%s", "run " + actual.runId() + ": expected " + messages + " push messages but was "
                    + actual.push().messages());
        }
        return this;
    }

    /** How many deliveries, over both channels, did not succeed for this reason. */
    public RunAssert withReason(String reason, long count) {
        long was = actual.reasons().getOrDefault(reason, 0L);
        if (was != count) {
            failWithMessage("%s", "run " + actual.runId() + ": expected " + count + " × " + reason + " but was "
                    + was + " (all reasons: " + actual.reasons() + ")");
        }
        return this;
    }

    public RunAssert withReason(OutcomeReason reason, long count) {
        return withReason(reason.wire(), count);
    }

    /** No delivery ended in ERROR (a template that does not render, an invalid address, …). */
    public RunAssert hasNoErrors() {
        if (actual.push().error() + actual.mail().error() > 0) {
            failWithMessage("%s", "run " + actual.runId() + " has errors: push " + Describe.counts(actual.push())
                    + ", mail " + Describe.counts(actual.mail()) + "; reasons " + actual.reasons());
        }
        return this;
    }

    /** What one recipient received in this run, and why not. */
    public RecipientAssert recipient(String recipientId) {
        return new RecipientAssert(kit, recipientId, actual.runId());
    }

    private RunAssert channel(String name, ChannelTotals was, long success, long error, long missing,
            long filtered) {
        if (was.success() != success || was.error() != error || was.missing() != missing
                || was.filtered() != filtered) {
            failWithMessage("%s", "run " + actual.runId() + ": expected " + name + " "
                    + Describe.counts(success, error, missing, filtered) + " but was " + Describe.counts(was)
                    + " (reasons " + actual.reasons() + ")");
        }
        return this;
    }
}

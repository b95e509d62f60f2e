package dev.herald.testkit;

import dev.herald.query.model.Granularity;
import dev.herald.query.model.RunProgress;
import java.util.List;
import org.assertj.core.api.AbstractAssert;

/** Where the kit's assertions start: a run, a recipient, the dead letters or a campaign's summary. */
public final class HeraldKitAssert extends AbstractAssert<HeraldKitAssert, HeraldKit> {

    HeraldKitAssert(HeraldKit kit) {
        super(kit, HeraldKitAssert.class);
    }

    /** The run as {@code GET /api/runs/{runId}} shows it; fails when there is no such run. */
    public RunAssert run(String runId) {
        isNotNull();
        RunProgress run = actual.run(runId).orElse(null);
        if (run == null) {
            String campaignId = runId.contains("@") ? runId.substring(0, runId.indexOf('@')) : runId;
            List<String> known = actual.runs(campaignId).stream().map(RunProgress::runId).toList();
            failWithMessage("%s", "no run " + runId + " (runs of " + campaignId + ": " + known + ")");
        }
        return new RunAssert(actual, run);
    }

    /** What one recipient received, and why not, over every run so far. */
    public RecipientAssert recipient(String recipientId) {
        isNotNull();
        return new RecipientAssert(actual, recipientId, null);
    }

    /** Every dead letter so far. */
    public DeadLettersAssert deadLetters() {
        isNotNull();
        return new DeadLettersAssert(actual.deadLetters());
    }

    /** A campaign's summary windows of one size, from the kit's start to its clock. */
    public SummaryAssert summary(String campaignId, Granularity window) {
        isNotNull();
        return new SummaryAssert(actual.summary(campaignId, window));
    }
}

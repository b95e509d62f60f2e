package dev.herald.testkit;

import dev.herald.avro.Outcome;
import dev.herald.query.model.ChannelTotals;
import java.util.List;

/** How the assertions' failure messages show counts and outcomes, one way everywhere. */
final class Describe {
    private Describe() {
    }

    static String counts(ChannelTotals c) {
        return "success=" + c.success() + " error=" + c.error() + " missing=" + c.missing() + " filtered="
                + c.filtered();
    }

    static String counts(long success, long error, long missing, long filtered) {
        return "success=" + success + " error=" + error + " missing=" + missing + " filtered=" + filtered;
    }

    static String outcomes(List<Outcome> outcomes) {
        return outcomes.stream()
                .map(o -> o.getRunId() + " " + o.getChannel() + " " + o.getResult()
                        + (o.getReason() == null ? "" : " (" + o.getReason() + ")"))
                .toList().toString();
    }
}

package dev.herald.topology.jobs;

import dev.herald.avro.RunControl;
import dev.herald.topology.RunIds;
import java.util.Optional;

/**
 * Lets only run controls that name a run of the campaign they are keyed by reach the fan-out: anything else could
 * never match a run, and an operator who mistyped a run id must see it dead-lettered rather than silently ignored.
 */
public final class RunControlValidator {

    private RunControlValidator() {
    }

    /** What is wrong with a run control record, if anything (the command line checks the same before producing). */
    public static Optional<String> check(String key, RunControl control) {
        if (control == null) {
            return Optional.of("run controls cannot be deleted (null value)");
        }
        Optional<RunIds.RunId> runId = RunIds.parse(control.getRunId());
        if (runId.isEmpty()) {
            return Optional.of("run control for '" + control.getRunId() + "': not a run id (<campaign>@<instant>)");
        }
        if (!runId.get().campaignId().equals(control.getCampaignId())) {
            return Optional.of("run control for run '" + control.getRunId() + "' names campaign '"
                    + control.getCampaignId() + "'");
        }
        if (!control.getCampaignId().equals(key)) {
            return Optional.of("run control key '" + key + "' differs from its campaign id '"
                    + control.getCampaignId() + "'");
        }
        return Optional.empty();
    }
}

package dev.herald.topology.summary;

import dev.herald.avro.Receipt;
import dev.herald.topology.RunIds;
import java.util.Optional;

/**
 * Lets only receipts that name a run of their campaign into the tallies: external senders write this topic too, and a
 * receipt for a run id that is not one would start a run that never ends.
 */
public final class ReceiptValidator {

    private ReceiptValidator() {
    }

    /** What is wrong with a receipt, if anything. */
    public static Optional<String> check(Receipt receipt) {
        if (receipt == null) {
            return Optional.of("receipts cannot be deleted (null value)");
        }
        Optional<RunIds.RunId> runId = RunIds.parse(receipt.getRunId());
        if (runId.isEmpty() || !runId.get().campaignId().equals(receipt.getCampaignId())) {
            return Optional.of("receipt for message " + receipt.getMessageId() + ": run id '" + receipt.getRunId()
                    + "' is not a run of campaign '" + receipt.getCampaignId() + "'");
        }
        if (receipt.getAttempt() < 1) {
            return Optional.of("receipt for message " + receipt.getMessageId() + ": attempt " + receipt.getAttempt()
                    + " (the first attempt is 1)");
        }
        return Optional.empty();
    }
}

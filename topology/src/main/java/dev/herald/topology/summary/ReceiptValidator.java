package dev.herald.topology.summary;

import dev.herald.avro.Receipt;
import dev.herald.topology.RunIds;
import dev.herald.topology.errors.InvalidRecordException;
import java.util.Optional;
import org.apache.kafka.streams.processor.api.FixedKeyProcessor;
import org.apache.kafka.streams.processor.api.FixedKeyProcessorContext;
import org.apache.kafka.streams.processor.api.FixedKeyRecord;

/**
 * Lets only receipts that name a run of their campaign into the tallies: external senders write this topic too, and a
 * receipt for a run id that is not one would start a run that never ends.
 */
public final class ReceiptValidator implements FixedKeyProcessor<String, Receipt, Receipt> {

    private FixedKeyProcessorContext<String, Receipt> context;

    @Override
    public void init(FixedKeyProcessorContext<String, Receipt> context) {
        this.context = context;
    }

    @Override
    public void process(FixedKeyRecord<String, Receipt> record) {
        Optional<String> problem = check(record.value());
        if (problem.isPresent()) {
            throw new InvalidRecordException(problem.get());
        }
        context.forward(record);
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

package dev.herald.topology.jobs;

import dev.herald.avro.ScheduleTick;
import dev.herald.topology.RunIds;
import dev.herald.topology.errors.InvalidRecordException;
import org.apache.kafka.streams.processor.api.FixedKeyProcessor;
import org.apache.kafka.streams.processor.api.FixedKeyProcessorContext;
import org.apache.kafka.streams.processor.api.FixedKeyRecord;

/**
 * Makes every tick joinable and its run id canonical. A tick keyed wrongly would silently miss the campaign join
 * (null keys are dropped by joins), so such ticks are dead-lettered instead.
 */
public final class TickValidator implements FixedKeyProcessor<String, ScheduleTick, ScheduleTick> {

    private FixedKeyProcessorContext<String, ScheduleTick> context;

    @Override
    public void init(FixedKeyProcessorContext<String, ScheduleTick> context) {
        this.context = context;
    }

    @Override
    public void process(FixedKeyRecord<String, ScheduleTick> record) {
        ScheduleTick tick = record.value();
        if (tick == null) {
            throw new InvalidRecordException("schedule tick without a value (ticks are not compacted: no tombstones)");
        }
        if (!tick.getCampaignId().equals(record.key())) {
            throw new InvalidRecordException("tick key '" + record.key() + "' must equal its campaignId '"
                    + tick.getCampaignId() + "'");
        }
        String runId = RunIds.of(tick.getCampaignId(), tick.getScheduledFor());
        if (tick.getRunId() != null && !tick.getRunId().equals(runId)) {
            throw new InvalidRecordException("tick runId '" + tick.getRunId() + "' must be '" + runId
                    + "' (campaign id @ scheduledFor) or absent");
        }
        tick.setRunId(runId);
        context.forward(record.withValue(tick));
    }
}

package dev.herald.topology.channels;

import dev.herald.avro.Delivery;
import dev.herald.avro.Outcome;
import dev.herald.avro.Result;
import dev.herald.topology.Reasons.OutcomeReason;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import dev.herald.topology.Counters;
import java.time.Instant;
import java.util.function.BiFunction;
import org.apache.kafka.streams.processor.api.FixedKeyProcessor;
import org.apache.kafka.streams.processor.api.FixedKeyProcessorContext;
import org.apache.kafka.streams.processor.api.FixedKeyRecord;

/** Runs one channel's renderer on each delivery at the delivery's own timestamp, counting outcomes and messages. */
public final class ChannelStep<M> implements FixedKeyProcessor<String, Delivery, ChannelResult<M>> {

    private static final Logger log = LoggerFactory.getLogger(ChannelStep.class);

    private final BiFunction<Delivery, Instant, ChannelResult<M>> renderer;
    private FixedKeyProcessorContext<String, ChannelResult<M>> context;
    private Counters counters;

    public ChannelStep(BiFunction<Delivery, Instant, ChannelResult<M>> renderer) {
        this.renderer = renderer;
    }

    @Override
    public void init(FixedKeyProcessorContext<String, ChannelResult<M>> context) {
        this.context = context;
        this.counters = new Counters(context.metrics(), "channels", context.taskId());
    }

    @Override
    public void process(FixedKeyRecord<String, Delivery> record) {
        ChannelResult<M> result;
        try {
            result = renderer.apply(record.value(), Instant.ofEpochMilli(record.timestamp()));
        } catch (RuntimeException e) {
            // A delivery without an outcome would keep its run from ever completing: count it as an error.
            log.error("Delivery of run {} to {} failed unexpectedly", record.value().getRunId(), record.key(), e);
            result = new ChannelResult<>(
                    Rules.outcome(record.value(), Result.ERROR, OutcomeReason.PROCESSING_ERROR, 0), List.of());
        }
        Outcome outcome = result.outcome();
        String channel = outcome.getChannel().name();
        counters.count("outcomes", "channel", channel, "result", outcome.getResult().name());
        counters.add("messages", result.messages().size(), "channel", channel);
        context.forward(record.withValue(result));
    }
}

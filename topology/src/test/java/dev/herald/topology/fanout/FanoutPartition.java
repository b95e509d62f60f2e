package dev.herald.topology.fanout;

import dev.herald.avro.Campaign;
import dev.herald.avro.Delivery;
import dev.herald.avro.FanoutControl;
import dev.herald.avro.FanoutReport;
import dev.herald.avro.FanoutState;
import dev.herald.avro.Job;
import dev.herald.avro.Recipient;
import dev.herald.avro.Trigger;
import dev.herald.serdes.InMemorySchemaRegistry;
import dev.herald.topology.HeraldSerdes;
import dev.herald.topology.RunIds;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.Properties;
import org.apache.kafka.clients.producer.internals.BuiltInPartitioner;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.TaskId;
import org.apache.kafka.streams.processor.api.MockProcessorContext;
import org.apache.kafka.streams.processor.api.MockProcessorContext.CapturedPunctuator;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;
import org.apache.kafka.streams.state.TimestampedKeyValueStore;
import org.apache.kafka.streams.state.ValueAndTimestamp;

/**
 * One recipients partition's {@link FanoutProcessor} (task 0_p of N) on in-memory stores and a mock context, so a
 * test can run several partitions of one run side by side, which TopologyTestDriver (one task) cannot.
 */
final class FanoutPartition {
    static final Duration INTERVAL = Duration.ofMillis(100);
    private static final String CURSORS = "cursors";
    private static final String RECIPIENTS = "recipients";
    private static final String CONTROLS = "controls";
    private static final StringSerializer KEYS = new StringSerializer();

    private final MockProcessorContext<String, FanoutOutput> context;
    private final TimestampedKeyValueStore<String, Recipient> recipients;
    private final FanoutProcessor processor;
    private long nowMs;

    FanoutPartition(int partition, int partitionCount, int chunkSize, Instant start) {
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, "fanout-test");
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "test:9092");
        // As production sets it (HeraldStreamsConfig); also keeps StreamsConfig from warning on every partition.
        props.put(StreamsConfig.PROCESSING_EXCEPTION_HANDLER_GLOBAL_ENABLED_CONFIG, true);
        this.context = new MockProcessorContext<>(props, new TaskId(0, partition), null);
        HeraldSerdes serdes = HeraldSerdes.using(new InMemorySchemaRegistry());
        KeyValueStore<String, ?> cursors = Stores.keyValueStoreBuilder(
                        Stores.inMemoryKeyValueStore(CURSORS), serdes.string(), serdes.fanoutCursor())
                .withLoggingDisabled().build();
        this.recipients = Stores.timestampedKeyValueStoreBuilder(
                        Stores.inMemoryKeyValueStore(RECIPIENTS), serdes.string(), serdes.recipient())
                .withLoggingDisabled().build();
        KeyValueStore<String, ?> controls = Stores.keyValueStoreBuilder(
                        Stores.inMemoryKeyValueStore(CONTROLS), serdes.string(), serdes.fanoutControl())
                .withLoggingDisabled().build();
        controls.init(context.getStateStoreContext(), controls);
        context.addStateStore(controls);
        cursors.init(context.getStateStoreContext(), cursors);
        recipients.init(context.getStateStoreContext(), recipients);
        context.addStateStore(cursors);
        context.addStateStore(recipients);
        this.nowMs = start.toEpochMilli();
        context.setCurrentSystemTimeMs(nowMs);
        this.processor = new FanoutProcessor(CURSORS, RECIPIENTS, CONTROLS, partitionCount, INTERVAL, chunkSize);
        processor.init(context);
    }

    /** Puts a recipient in this partition's table, as if it had been read from this partition of recipients. */
    FanoutPartition holding(Recipient recipient) {
        recipients.put(recipient.getId(), ValueAndTimestamp.make(recipient, nowMs));
        return this;
    }

    void process(Job job) {
        processor.process(new Record<>(job.getRunId(), job, nowMs));
    }

    /** A control reaching this partition, as the fan-out controls topic delivers it to every partition. */
    void control(FanoutControl control) {
        processor.process(new Record<>("control", control, nowMs));
    }

    /** Lets wall-clock time pass by one fan-out interval and fires the processor's punctuation. */
    void tick() {
        nowMs += INTERVAL.toMillis();
        context.setCurrentSystemTimeMs(nowMs);
        for (CapturedPunctuator punctuator : context.scheduledPunctuators()) {
            if (punctuator.getType() == PunctuationType.WALL_CLOCK_TIME && !punctuator.cancelled()) {
                punctuator.getPunctuator().punctuate(nowMs);
            }
        }
    }

    /** Ticks until this partition reported the run done, at most {@code maxTicks} times. */
    void runToCompletion(int maxTicks) {
        for (int i = 0; i < maxTicks && reports().isEmpty(); i++) {
            tick();
        }
    }

    List<Delivery> deliveries() {
        return forwarded(FanoutOutput::delivery);
    }

    /** The final reports (DONE or CANCELLED): at most one per run. */
    List<FanoutReport> reports() {
        return allReports().stream()
                .filter(r -> r.getState() == FanoutState.DONE || r.getState() == FanoutState.CANCELLED)
                .toList();
    }

    /** Every report, progress ones included, in order. */
    List<FanoutReport> allReports() {
        return forwarded(FanoutOutput::report);
    }

    private <T> List<T> forwarded(Function<FanoutOutput, T> part) {
        List<T> out = new ArrayList<>();
        for (var captured : context.forwarded()) {
            T value = part.apply(captured.record().value());
            if (value != null) {
                out.add(value);
            }
        }
        return out;
    }

    static Job job(Campaign campaign, Instant scheduledFor) {
        return Job.newBuilder()
                .setRunId(RunIds.of(campaign.getId(), scheduledFor))
                .setCampaignId(campaign.getId())
                .setScheduledFor(scheduledFor)
                .setTrigger(Trigger.MANUAL)
                .setCampaign(campaign)
                .build();
    }

    /**
     * The recipients partition Kafka's default producer partitioner (BuiltInPartitioner, used by every KafkaProducer)
     * puts a String key in: the test oracle for ownership, independent of Herald's code.
     */
    static int kafkaPartition(String recipientId, int partitions) {
        return BuiltInPartitioner.partitionForKey(KEYS.serialize("herald.recipients", recipientId), partitions);
    }
}

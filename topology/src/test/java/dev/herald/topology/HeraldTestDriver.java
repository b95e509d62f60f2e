package dev.herald.topology;

import dev.herald.avro.Campaign;
import dev.herald.avro.DeadLetter;
import dev.herald.avro.MailMessage;
import dev.herald.avro.PushMessage;
import dev.herald.avro.Receipt;
import dev.herald.avro.Recipient;
import dev.herald.avro.RecipientUpdate;
import dev.herald.avro.RunEvent;
import dev.herald.avro.RunSummary;
import dev.herald.avro.ScheduleTick;
import dev.herald.avro.SchedulerState;
import dev.herald.avro.Summary;
import dev.herald.serdes.InMemorySchemaRegistry;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Properties;
import java.util.UUID;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.ValueAndTimestamp;
import org.apache.kafka.streams.state.WindowStore;

/**
 * The Herald topology in a TopologyTestDriver with its own in-memory schema registry and state dir, configured as
 * production configures it (exactly-once, explicit naming, dead-letter handlers). One per test, closed by
 * try-with-resources.
 *
 * <p>For this module's own white-box tests (raw bytes, the run-events topic, metrics). Developers use herald-testkit's
 * HeraldKit, which wires the topology the same way; the kit depends on this module, so this module cannot use it.
 */
public final class HeraldTestDriver implements AutoCloseable {
    public static final String APPLICATION_ID = "herald-test";
    public static final String TOPIC_PREFIX = "herald.";

    private final String registryScope = "herald-test-" + UUID.randomUUID();
    private final InMemorySchemaRegistry registry = InMemorySchemaRegistry.scope(registryScope);
    private final HeraldTopologyConfig config;
    private final HeraldSerdes serdes = HeraldSerdes.using(registry);
    private final HeraldTopics topics;
    private final Topology topology;
    private final TopologyTestDriver driver;

    private HeraldTestDriver(HeraldTopologyConfig config, Instant wallClock) {
        this.config = config;
        this.topics = HeraldTopics.of(TOPIC_PREFIX, serdes);
        this.topology = HeraldTopology.build(config, topics, serdes);
        Properties props = new Properties();
        props.putAll(HeraldStreamsConfig.defaults(topics, serdes));
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, APPLICATION_ID);
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "test:9092");
        props.put(StreamsConfig.STATE_DIR_CONFIG,
                Path.of("target", "kafka-streams", UUID.randomUUID().toString()).toAbsolutePath().toString());
        this.driver = new TopologyTestDriver(topology, props, wallClock);
    }

    /**
     * One recipients partition: TopologyTestDriver runs a single task, so a multicast must reach exactly one. One chunk
     * per fan-out step, so tests that count steps do not depend on the machine's speed.
     */
    public static HeraldTopologyConfig testConfig() {
        return HeraldTopologyConfig.defaults().withRecipientsPartitions(1)
                .withFanoutStepBudget(HeraldTopologyConfig.ONE_CHUNK_PER_STEP);
    }

    public static HeraldTestDriver start(Instant wallClock) {
        return new HeraldTestDriver(testConfig(), wallClock);
    }

    public static HeraldTestDriver start(HeraldTopologyConfig config, Instant wallClock) {
        return new HeraldTestDriver(config, wallClock);
    }

    public TopologyTestDriver driver() {
        return driver;
    }

    public Topology topology() {
        return topology;
    }

    public HeraldTopics topics() {
        return topics;
    }

    public HeraldSerdes serdes() {
        return serdes;
    }

    public HeraldTopologyConfig config() {
        return config;
    }

    public TestInputTopic<String, Campaign> campaigns() {
        return input(topics.campaigns());
    }

    public TestInputTopic<String, Recipient> recipients() {
        return input(topics.recipients());
    }

    public TestInputTopic<String, ScheduleTick> ticks() {
        return input(topics.scheduleTicks());
    }

    public TestInputTopic<String, Receipt> receipts() {
        return input(topics.receipts());
    }

    public TestOutputTopic<String, RecipientUpdate> recipientUpdates() {
        return output(topics.recipientUpdates());
    }

    /** Bytes as a misbehaving producer would write them. */
    public TestInputTopic<byte[], byte[]> raw(String topic) {
        return driver.createInputTopic(topic, new ByteArraySerializer(), new ByteArraySerializer());
    }

    /** The run-events repartition topic, to feed the run ledger reports of partitions this driver does not have. */
    public TestInputTopic<String, RunEvent> runEvents() {
        return driver.createInputTopic(APPLICATION_ID + "-" + HeraldTopology.RUN_EVENTS_REPARTITION + "-repartition",
                serdes.string().serializer(), serdes.runEvent().serializer());
    }

    public TestOutputTopic<String, ScheduleTick> emittedTicks() {
        return output(topics.scheduleTicks());
    }

    public TestOutputTopic<String, PushMessage> pushOutbox() {
        return output(topics.pushOutbox());
    }

    public TestOutputTopic<String, MailMessage> mailOutbox() {
        return output(topics.mailOutbox());
    }

    public TestOutputTopic<String, RunSummary> runSummaries() {
        return output(topics.runSummaries());
    }

    public TestOutputTopic<byte[], DeadLetter> deadLetters() {
        return output(topics.deadLetters());
    }

    public void advance(Duration wallClock) {
        driver.advanceWallClockTime(wallClock);
    }

    public KeyValueStore<String, ValueAndTimestamp<Campaign>> campaignStore() {
        return driver.getTimestampedKeyValueStore(StoreNames.CAMPAIGNS);
    }

    public KeyValueStore<String, ValueAndTimestamp<Recipient>> recipientStore() {
        return driver.getTimestampedKeyValueStore(StoreNames.RECIPIENTS);
    }

    public KeyValueStore<String, SchedulerState> schedulerStore() {
        return driver.getKeyValueStore(StoreNames.SCHEDULER);
    }

    public KeyValueStore<String, RunSummary> runStore() {
        return driver.getKeyValueStore(StoreNames.RUN_SUMMARY);
    }

    public WindowStore<String, ValueAndTimestamp<Summary>> minuteSummaries() {
        return driver.getTimestampedWindowStore(StoreNames.SUMMARY_MINUTE);
    }

    public WindowStore<String, ValueAndTimestamp<Summary>> hourSummaries() {
        return driver.getTimestampedWindowStore(StoreNames.SUMMARY_HOUR);
    }

    public double metric(String name, String... tags) {
        return driver.metrics().entrySet().stream()
                .filter(e -> e.getKey().group().equals(Counters.GROUP) && e.getKey().name().equals(name))
                .filter(e -> {
                    for (int i = 0; i + 1 < tags.length; i += 2) {
                        if (!tags[i + 1].equals(e.getKey().tags().get(tags[i]))) {
                            return false;
                        }
                    }
                    return true;
                })
                .mapToDouble(e -> ((Number) e.getValue().metricValue()).doubleValue())
                .sum();
    }

    private <K, V> TestInputTopic<K, V> input(Topic<K, V> topic) {
        return driver.createInputTopic(topic.name(), topic.keySerde().serializer(), topic.valueSerde().serializer());
    }

    private <K, V> TestOutputTopic<K, V> output(Topic<K, V> topic) {
        return driver.createOutputTopic(topic.name(), topic.keySerde().deserializer(),
                topic.valueSerde().deserializer());
    }

    @Override
    public void close() {
        driver.close();
        InMemorySchemaRegistry.dropScope(registryScope);
    }

}

package dev.herald.query.store;

import dev.herald.avro.Campaign;
import dev.herald.avro.RunSummary;
import dev.herald.avro.SchedulerState;
import dev.herald.query.model.CampaignItem;
import dev.herald.query.model.RunProgress;
import dev.herald.topology.StoreNames;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalLong;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.Deserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The replicated lists, kept by reading every partition of the changelogs of the campaign, scheduler and run-summary
 * stores. Those changelogs are the stores as their owners flush them (every commit interval), so the replica holds
 * exactly what a gathered list shows: the validated campaigns with their next fire time, and every run's progress.
 * No topology change, topic or store of its own: a plain consumer without a group, reading committed records only.
 * Campaigns are kept decoded (they are few); runs as the bytes of their summaries, decoded per campaign when a list
 * asks for them and kept so until one of the campaign's runs changes.
 */
public final class ChangelogReplica implements ReplicatedLists, AutoCloseable {
    /** How often the replica asks the brokers for the changelogs' ends, to know its lag for certain. */
    static final Duration END_OFFSETS_INTERVAL = Duration.ofMillis(500);
    /** Without a successful answer from the brokers for this long, the replica cannot tell its lag. */
    static final Duration OUT_OF_TOUCH = Duration.ofSeconds(5);
    private static final Duration POLL = Duration.ofMillis(100);
    private static final Duration TOPICS_RETRY = Duration.ofSeconds(1);

    private static final Logger log = LoggerFactory.getLogger(ChangelogReplica.class);

    private final Consumer<byte[], byte[]> consumer;
    private final String campaignTopic;
    private final String schedulerTopic;
    private final String runTopic;
    private final Deserializer<Campaign> campaignReader;
    private final Deserializer<SchedulerState> scheduleReader;
    private final Deserializer<RunSummary> runReader;
    private final Map<String, Campaign> campaigns = new ConcurrentSkipListMap<>();
    private final Map<String, SchedulerState> schedules = new ConcurrentHashMap<>();
    private final Map<String, CampaignRuns> runs = new ConcurrentHashMap<>();
    private final Thread thread;
    private volatile boolean running = true;
    private volatile Freshness freshness = Freshness.UNKNOWN;

    /** The lag as last measured, and when the brokers last confirmed the changelogs' ends. */
    private record Freshness(long lag, long confirmedNanos) {
        static final Freshness UNKNOWN = new Freshness(-1, 0);
    }

    /**
     * One campaign's runs: their summaries' bytes by run id, a version counted up after every change, and the list
     * last decoded with the version it was decoded at.
     */
    private static final class CampaignRuns {
        final Map<String, byte[]> summaries = new ConcurrentSkipListMap<>();
        final AtomicLong version = new AtomicLong();
        volatile Decoded decoded;
    }

    private record Decoded(long version, List<RunProgress> runs) {
    }

    private ChangelogReplica(Consumer<byte[], byte[]> consumer, String applicationId,
            Deserializer<Campaign> campaignReader, Deserializer<SchedulerState> scheduleReader,
            Deserializer<RunSummary> runReader) {
        this.consumer = consumer;
        this.campaignTopic = changelog(applicationId, StoreNames.CAMPAIGNS);
        this.schedulerTopic = changelog(applicationId, StoreNames.SCHEDULER);
        this.runTopic = changelog(applicationId, StoreNames.RUN_SUMMARY);
        this.campaignReader = Objects.requireNonNull(campaignReader, "campaignReader");
        this.scheduleReader = Objects.requireNonNull(scheduleReader, "scheduleReader");
        this.runReader = Objects.requireNonNull(runReader, "runReader");
        this.thread = new Thread(this::run, "herald-replica");
        thread.setDaemon(true);
    }

    /**
     * Starts reading the changelogs of {@code applicationId}'s stores in a thread of its own; it waits for them to
     * exist (Kafka Streams creates them at the first rebalance).
     *
     * @param clientConfig how to reach the brokers (bootstrap servers, security); consumer settings are set here
     */
    public static ChangelogReplica start(Map<String, Object> clientConfig, String applicationId,
            Deserializer<Campaign> campaignReader, Deserializer<SchedulerState> scheduleReader,
            Deserializer<RunSummary> runReader) {
        Map<String, Object> config = new HashMap<>(clientConfig);
        config.put(ConsumerConfig.CLIENT_ID_CONFIG, applicationId + "-replica");
        config.remove(ConsumerConfig.GROUP_ID_CONFIG);
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        // The owners write their changelogs in transactions (exactly-once): aborted writes must not show.
        config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, IsolationLevel.READ_COMMITTED.toString().toLowerCase());
        ChangelogReplica replica = new ChangelogReplica(
                new KafkaConsumer<>(config, new ByteArrayDeserializer(), new ByteArrayDeserializer()), applicationId,
                campaignReader, scheduleReader, runReader);
        replica.thread.start();
        return replica;
    }

    /** Kafka Streams' name for a store's changelog topic. */
    static String changelog(String applicationId, String store) {
        return applicationId + "-" + store + "-changelog";
    }

    @Override
    public OptionalLong lag() {
        Freshness now = freshness;
        if (now.lag() < 0 || System.nanoTime() - now.confirmedNanos() > OUT_OF_TOUCH.toNanos()) {
            return OptionalLong.empty();
        }
        return OptionalLong.of(now.lag());
    }

    @Override
    public List<CampaignItem> campaigns() {
        List<CampaignItem> items = new ArrayList<>();
        // Sorted by id: the map is.
        campaigns.forEach((id, campaign) -> items.add(AvroViews.item(campaign, schedules.get(id))));
        return items;
    }

    @Override
    public boolean hasCampaign(String campaignId) {
        return campaigns.containsKey(campaignId);
    }

    @Override
    public List<RunProgress> runs(String campaignId) {
        CampaignRuns of = runs.get(campaignId);
        if (of == null) {
            return List.of();
        }
        long version = of.version.get();
        Decoded decoded = of.decoded;
        if (decoded != null && decoded.version() == version) {
            return decoded.runs();
        }
        // Tagged with the version read before decoding: a change during the decoding makes it outdated at once.
        List<RunProgress> list = new ArrayList<>();
        of.summaries.forEach((runId, bytes) -> {
            RunSummary summary = read(runReader, runTopic, bytes);
            if (summary != null) {
                list.add(AvroViews.run(summary));
            }
        });
        list.sort(RunProgress.ORDER);
        List<RunProgress> result = List.copyOf(list);
        of.decoded = new Decoded(version, result);
        return result;
    }

    @Override
    public void close() {
        running = false;
        consumer.wakeup();
        try {
            thread.join(Duration.ofSeconds(10).toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void run() {
        try {
            List<TopicPartition> partitions = awaitPartitions();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> ends = Map.of();
            long endsAskedNanos = 0;
            long confirmedNanos = 0;
            while (running) {
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(POLL)) {
                    apply(record);
                }
                if (System.nanoTime() - endsAskedNanos >= END_OFFSETS_INTERVAL.toNanos()) {
                    endsAskedNanos = System.nanoTime();
                    try {
                        ends = consumer.endOffsets(partitions, OUT_OF_TOUCH);
                        confirmedNanos = endsAskedNanos;
                    } catch (TimeoutException e) {
                        log.debug("The brokers did not say where the changelogs end", e);
                    }
                }
                freshness = measure(partitions, ends, confirmedNanos);
            }
        } catch (WakeupException e) {
            if (running) {
                log.error("The replicated lists stopped unexpectedly", e);
            }
        } catch (RuntimeException e) {
            log.error("The replicated lists stopped; lists are gathered from every instance from now on", e);
        } finally {
            freshness = Freshness.UNKNOWN;
            consumer.close(Duration.ofSeconds(5));
        }
    }

    /** The three changelogs' partitions, once Kafka Streams has created them. */
    private List<TopicPartition> awaitPartitions() {
        while (running) {
            Map<String, List<PartitionInfo>> topics;
            try {
                topics = consumer.listTopics(OUT_OF_TOUCH);
            } catch (TimeoutException e) {
                log.debug("The brokers did not list the topics; asking again", e);
                topics = Map.of();
            }
            List<TopicPartition> partitions = new ArrayList<>();
            boolean all = true;
            for (String topic : List.of(campaignTopic, schedulerTopic, runTopic)) {
                List<PartitionInfo> infos = topics.get(topic);
                if (infos == null || infos.isEmpty()) {
                    all = false;
                } else {
                    infos.forEach(p -> partitions.add(new TopicPartition(topic, p.partition())));
                }
            }
            if (all) {
                return partitions;
            }
            try {
                Thread.sleep(TOPICS_RETRY.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new WakeupException();
            }
        }
        throw new WakeupException();
    }

    /**
     * Records still to read: the larger of what the consumer learnt from its last fetches and what the brokers
     * last said the ends are; unknown when a partition has neither, or the brokers have not answered lately.
     */
    private Freshness measure(List<TopicPartition> partitions, Map<TopicPartition, Long> ends, long confirmedNanos) {
        if (confirmedNanos == 0) {
            return Freshness.UNKNOWN;
        }
        long fetched = 0;
        long asked = 0;
        for (TopicPartition partition : partitions) {
            OptionalLong lag = consumer.currentLag(partition);
            Long end = ends.get(partition);
            if (lag.isEmpty() && end == null) {
                return Freshness.UNKNOWN;
            }
            fetched += lag.orElse(0);
            if (end != null) {
                asked += Math.max(0, end - consumer.position(partition));
            }
        }
        return new Freshness(Math.max(fetched, asked), confirmedNanos);
    }

    private void apply(ConsumerRecord<byte[], byte[]> record) {
        String key = record.key() == null ? null : new String(record.key(), StandardCharsets.UTF_8);
        if (key == null) {
            return;
        }
        String topic = record.topic();
        if (topic.equals(campaignTopic)) {
            Campaign campaign = record.value() == null ? null : read(campaignReader, topic, record.value());
            if (campaign == null) {
                campaigns.remove(key);
            } else {
                campaigns.put(key, campaign);
            }
        } else if (topic.equals(schedulerTopic)) {
            SchedulerState state = record.value() == null ? null : read(scheduleReader, topic, record.value());
            if (state == null) {
                schedules.remove(key);
            } else {
                schedules.put(key, state);
            }
        } else if (topic.equals(runTopic)) {
            applyRun(key, record.value());
        }
    }

    private void applyRun(String runId, byte[] summary) {
        // The prefix LocalQueries scans a campaign's runs by: everything before the first '@'.
        int at = runId.indexOf('@');
        String campaignId = at < 0 ? runId : runId.substring(0, at);
        if (summary == null) {
            CampaignRuns of = runs.get(campaignId);
            if (of != null && of.summaries.remove(runId) != null) {
                of.version.incrementAndGet();
            }
            return;
        }
        CampaignRuns of = runs.computeIfAbsent(campaignId, id -> new CampaignRuns());
        of.summaries.put(runId, summary);
        of.version.incrementAndGet();
    }

    /** The value, or null (skipped) when it cannot be read; the stores' owners wrote it, so this is not expected. */
    private static <T> T read(Deserializer<T> reader, String topic, byte[] bytes) {
        try {
            return reader.deserialize(topic, bytes);
        } catch (RuntimeException e) {
            log.warn("Skipping a record of {} that cannot be read: {}", topic, e.getMessage());
            return null;
        }
    }
}

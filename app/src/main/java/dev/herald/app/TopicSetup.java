package dev.herald.app;

import dev.herald.avro.Campaign;
import dev.herald.avro.Receipt;
import dev.herald.avro.Recipient;
import dev.herald.avro.RunControl;
import dev.herald.avro.ScheduleTick;
import dev.herald.serdes.SchemaRegistryClient;
import dev.herald.topology.HeraldTopics;
import dev.herald.topology.Topic;
import dev.herald.topology.InvalidParameterException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import org.apache.avro.Schema;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Creates Herald's topics with their partition counts when missing, and refuses to start when existing ones do not
 * fit: ticks must be co-partitioned with campaigns (they are joined), and the recipients topic must have exactly as
 * many partitions as jobs are multicast to. A count that does not fit is named by its parameter
 * ({@code campaignPartitions}, {@code recipientsPartitions}).
 */
final class TopicSetup {
    private static final Logger log = LoggerFactory.getLogger(TopicSetup.class);
    private static final Duration METADATA_WAIT = Duration.ofSeconds(30);

    private TopicSetup() {
    }

    static void ensure(Admin admin, HeraldTopics topics, int campaignPartitions, int recipientsPartitions) {
        Map<String, Integer> wanted = Map.ofEntries(
                Map.entry(topics.campaigns().name(), campaignPartitions),
                Map.entry(topics.scheduleTicks().name(), campaignPartitions),
                Map.entry(topics.runControls().name(), campaignPartitions),
                Map.entry(topics.runSummaries().name(), campaignPartitions),
                Map.entry(topics.deadLetters().name(), campaignPartitions),
                Map.entry(topics.parked().name(), campaignPartitions),
                Map.entry(topics.recipients().name(), recipientsPartitions),
                Map.entry(topics.pushOutbox().name(), recipientsPartitions),
                Map.entry(topics.mailOutbox().name(), recipientsPartitions),
                // Read in the fan-out's tasks (its tallies join the outcomes'), so as many partitions as recipients.
                Map.entry(topics.receipts().name(), recipientsPartitions),
                Map.entry(topics.recipientUpdates().name(), recipientsPartitions),
                // Retries are keyed by recipient id, co-partitioned with recipients and the outboxes.
                Map.entry(topics.pushRetry().name(), recipientsPartitions),
                Map.entry(topics.mailRetry().name(), recipientsPartitions));
        try {
            List<NewTopic> missing = new ArrayList<>();
            var existing = admin.listTopics().names().get();
            for (var entry : wanted.entrySet()) {
                if (!existing.contains(entry.getKey())) {
                    NewTopic topic = new NewTopic(entry.getKey(), Optional.of(entry.getValue()), Optional.empty());
                    if (topics.compacted().contains(entry.getKey())) {
                        topic.configs(Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT));
                    }
                    missing.add(topic);
                }
            }
            if (!missing.isEmpty()) {
                try {
                    admin.createTopics(missing).all().get();
                } catch (ExecutionException e) {
                    if (!(e.getCause() instanceof TopicExistsException)) {
                        throw e;
                    }
                }
                log.info("Created topics {}", missing.stream().map(NewTopic::name).toList());
            }
            Map<String, TopicDescription> described = describe(admin, wanted.keySet());
            requirePartitions(described, topics.campaigns().name(), campaignPartitions, "campaignPartitions");
            requirePartitions(described, topics.scheduleTicks().name(), campaignPartitions, "campaignPartitions");
            requirePartitions(described, topics.recipients().name(), recipientsPartitions, "recipientsPartitions");
            requirePartitions(described, topics.receipts().name(), recipientsPartitions, "recipientsPartitions");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while setting up topics", e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("could not set up Herald's topics: " + e.getCause().getMessage(),
                    e.getCause());
        }
    }

    /**
     * Registers the value schemas of the input topics, so a producer that does not auto-register (Confluent's
     * {@code auto.register.schemas=false}, {@code use.latest.version=true}) can write to a fresh install before
     * anything else has: Herald itself only registers a subject when it first writes to the topic, and it never
     * writes campaigns or recipients outside the demo, nor ticks before the scheduler's first fire, nor run
     * controls, nor receipts before a sender's first (external senders write them too). Registering a schema that
     * is already there is a no-op, so this runs on every start.
     */
    static void registerInputSchemas(SchemaRegistryClient registry, HeraldTopics topics) {
        register(registry, topics.campaigns(), Campaign.getClassSchema());
        register(registry, topics.recipients(), Recipient.getClassSchema());
        register(registry, topics.scheduleTicks(), ScheduleTick.getClassSchema());
        register(registry, topics.runControls(), RunControl.getClassSchema());
        register(registry, topics.receipts(), Receipt.getClassSchema());
    }

    private static void register(SchemaRegistryClient registry, Topic<String, ?> topic, Schema schema) {
        String subject = topic.name() + "-value";
        int id = registry.register(subject, schema);
        log.debug("Schema of {} registered under {} (id {})", topic.name(), subject, id);
    }

    /**
     * Creation completes before every broker's metadata knows the topic, so a describe right after it may answer
     * "unknown topic": wait for the metadata, for a bounded time.
     */
    private static Map<String, TopicDescription> describe(Admin admin, Set<String> names)
            throws InterruptedException, ExecutionException {
        long deadline = System.nanoTime() + METADATA_WAIT.toNanos();
        while (true) {
            try {
                return admin.describeTopics(names).allTopicNames().get();
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof UnknownTopicOrPartitionException) || System.nanoTime() > deadline) {
                    throw e;
                }
                Thread.sleep(100);
            }
        }
    }

    private static void requirePartitions(Map<String, TopicDescription> described, String topic, int expected,
            String parameter) {
        int actual = described.get(topic).partitions().size();
        if (actual != expected) {
            throw new InvalidParameterException(parameter, "is " + expected + " but topic " + topic + " has " + actual
                    + " partitions; set it to " + actual + " (or recreate the topic)");
        }
    }
}

package dev.herald.bench;

import dev.herald.avro.MailMessage;
import dev.herald.avro.PushMessage;
import dev.herald.topology.HeraldTopics;
import java.time.Duration;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.IntPredicate;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.Deserializer;

/**
 * One run's outbox as a read_committed consumer sees it: messages per channel, recipients with more than one message
 * on a channel, recipients outside the audience, audience members without one, and the average value size.
 *
 * @param push        push messages of the run
 * @param mail        mail messages of the run
 * @param duplicates  (recipient, channel) pairs with more than one message
 * @param unexpected  messages to recipients outside the audience
 * @param missing     (recipient, channel) pairs of the audience without a message
 * @param pushBytes   average serialized size of a push message value
 * @param mailBytes   average serialized size of a mail message value
 */
record OutboxCheck(long push, long mail, long duplicates, long unexpected, long missing, double pushBytes,
        double mailBytes) {

    /** Exactly one message per delivery: every audience member once on each channel, nobody else. */
    boolean exactlyOnce() {
        return duplicates == 0 && unexpected == 0 && missing == 0;
    }

    long messages() {
        return push + mail;
    }

    double averageBytes() {
        return messages() == 0 ? 0 : (pushBytes * push + mailBytes * mail) / messages();
    }

    Map<String, Object> asMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("push", push);
        m.put("mail", mail);
        m.put("duplicates", duplicates);
        m.put("unexpected", unexpected);
        m.put("missing", missing);
        m.put("pushValueBytes", pushBytes);
        m.put("mailValueBytes", mailBytes);
        m.put("exactlyOnce", exactlyOnce());
        return m;
    }

    /**
     * Reads both outboxes from {@code from} (offsets taken before the run's tick) to their committed end and checks
     * run {@code runId} against its audience: recipient indices {@code 0 <= i < limit} for which {@code member} holds.
     */
    static OutboxCheck read(BenchBroker broker, HeraldTopics topics, Map<TopicPartition, Long> from, String runId,
            int limit, IntPredicate member) {
        Channel<PushMessage> push = Channel.read(broker, topics.pushOutbox().name(),
                topics.pushOutbox().valueSerde().deserializer(), from, runId, PushMessage::getRunId,
                PushMessage::getRecipientId, limit);
        Channel<MailMessage> mail = Channel.read(broker, topics.mailOutbox().name(),
                topics.mailOutbox().valueSerde().deserializer(), from, runId, MailMessage::getRunId,
                MailMessage::getRecipientId, limit);
        long missing = 0;
        for (int i = 0; i < limit; i++) {
            if (member.test(i)) {
                missing += (push.seen.get(i) ? 0 : 1) + (mail.seen.get(i) ? 0 : 1);
            } else {
                push.unexpected += push.seen.get(i) ? 1 : 0;
                mail.unexpected += mail.seen.get(i) ? 1 : 0;
            }
        }
        return new OutboxCheck(push.count, mail.count, push.duplicates + mail.duplicates,
                push.unexpected + mail.unexpected, missing, push.averageBytes(), mail.averageBytes());
    }

    /** What one outbox topic holds for the run. */
    private static final class Channel<V> {
        final BitSet seen = new BitSet();
        long count;
        long duplicates;
        long unexpected;
        long bytes;

        double averageBytes() {
            return count == 0 ? 0 : (double) bytes / count;
        }

        static <V> Channel<V> read(BenchBroker broker, String topic, Deserializer<V> values,
                Map<TopicPartition, Long> from, String runId, Function<V, String> runOf,
                Function<V, String> recipientOf, int limit) {
            Channel<V> out = new Channel<>();
            Map<String, Object> config = Map.of(
                    ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers(),
                    ConsumerConfig.ISOLATION_LEVEL_CONFIG, IsolationLevel.READ_COMMITTED.toString().toLowerCase(),
                    ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
                    ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 5_000);
            try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(config, new ByteArrayDeserializer(),
                    new ByteArrayDeserializer())) {
                List<TopicPartition> partitions = new ArrayList<>();
                consumer.partitionsFor(topic).forEach(p -> partitions.add(new TopicPartition(topic, p.partition())));
                consumer.assign(partitions);
                for (TopicPartition p : partitions) {
                    consumer.seek(p, from.getOrDefault(p, 0L));
                }
                Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
                long deadline = System.nanoTime() + Duration.ofMinutes(10).toNanos();
                while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p))) {
                    if (System.nanoTime() > deadline) {
                        throw new IllegalStateException("reading " + topic + " took more than 10 minutes");
                    }
                    for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                        V value = values.deserialize(topic, r.value());
                        if (!runId.equals(runOf.apply(value))) {
                            continue;
                        }
                        out.count++;
                        out.bytes += r.value().length;
                        int i = BenchData.index(recipientOf.apply(value));
                        if (i < 0 || i >= limit) {
                            out.unexpected++;
                        } else if (out.seen.get(i)) {
                            out.duplicates++;
                        } else {
                            out.seen.set(i);
                        }
                    }
                }
            }
            return out;
        }
    }
}

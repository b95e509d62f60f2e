package dev.herald.bench;

import dev.herald.avro.Recipient;
import dev.herald.topology.HeraldTopics;
import dev.herald.topology.RunIds;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Case a: what the log itself does on this machine. A transactional producer writes as many records as Herald's run
 * (N push and N mail messages, the ones Herald renders, serialized the same way) to two topics with the outboxes'
 * partition counts, keyed by recipient id, committing every 100 ms as Kafka Streams does under exactly_once_v2.
 * Values come from a pool serialized beforehand, so the figure is the producer's and broker's speed, not Avro's.
 *
 * @param records    records written
 * @param seconds    first send to last commit
 * @param valueBytes average value size
 */
record Baseline(long records, double seconds, double valueBytes) {
    private static final int POOL = 4_096;
    private static final long COMMIT_INTERVAL_NANOS = 100_000_000L;

    double recordsPerSecond() {
        return records / seconds;
    }

    Map<String, Object> asMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("records", records);
        m.put("seconds", seconds);
        m.put("recordsPerSecond", recordsPerSecond());
        m.put("valueBytes", valueBytes);
        return m;
    }

    static Baseline run(BenchBroker broker, HeraldTopics herald, String prefix, BenchData data, int recipients,
            int segmentStride) {
        String pushTopic = prefix + "baseline.push-outbox";
        String mailTopic = prefix + "baseline.mail-outbox";
        createLike(broker, herald.pushOutbox().name(), pushTopic);
        createLike(broker, herald.mailOutbox().name(), mailTopic);

        // Herald's ids for the same campaign: equal lengths, so equal record sizes.
        Instant at = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        String runId = RunIds.of(Bench.ALL, at);
        List<byte[]> push = new ArrayList<>(POOL);
        List<byte[]> mail = new ArrayList<>(POOL);
        long bytes = 0;
        for (int i = 0; i < Math.min(POOL, recipients); i++) {
            Recipient r = data.recipient(i, segmentStride);
            push.add(herald.pushOutbox().valueSerde().serializer().serialize(pushTopic,
                    BenchData.push(Bench.ALL, runId, r, i, at)));
            mail.add(herald.mailOutbox().valueSerde().serializer().serialize(mailTopic,
                    BenchData.mail(Bench.ALL, runId, r, i, at)));
        }
        Map<String, Object> config = new HashMap<>();
        config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
        config.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, prefix + "baseline-" + recipients);
        config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        // Kafka Streams' own producer default.
        config.put(ProducerConfig.LINGER_MS_CONFIG, 100);
        long records = 0;
        long elapsed;
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(config, new StringSerializer(),
                new ByteArraySerializer())) {
            producer.initTransactions();
            // One record to each topic first, untimed: metadata lookups and connections are not the log's speed.
            producer.beginTransaction();
            producer.send(new ProducerRecord<>(pushTopic, BenchData.id(0), push.get(0)));
            producer.send(new ProducerRecord<>(mailTopic, BenchData.id(0), mail.get(0)));
            producer.commitTransaction();
            long start = System.nanoTime();
            long lastCommit = start;
            producer.beginTransaction();
            for (int i = 0; i < recipients; i++) {
                String key = BenchData.id(i);
                byte[] p = push.get(i % push.size());
                byte[] m = mail.get(i % mail.size());
                producer.send(new ProducerRecord<>(pushTopic, key, p));
                producer.send(new ProducerRecord<>(mailTopic, key, m));
                records += 2;
                bytes += p.length + m.length;
                long now = System.nanoTime();
                if (now - lastCommit >= COMMIT_INTERVAL_NANOS) {
                    producer.commitTransaction();
                    producer.beginTransaction();
                    lastCommit = now;
                }
            }
            producer.commitTransaction();
            elapsed = System.nanoTime() - start;
        }
        return new Baseline(records, BenchBroker.seconds(elapsed), (double) bytes / records);
    }

    private static void createLike(BenchBroker broker, String model, String name) {
        try {
            int partitions = broker.admin().describeTopics(List.of(model)).allTopicNames().get().get(model)
                    .partitions().size();
            broker.admin().createTopics(List.of(new NewTopic(name, partitions, (short) 1))).all().get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("could not create " + name + ": " + e.getCause(), e.getCause());
        }
    }
}

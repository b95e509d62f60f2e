package dev.herald.devstack;

import static org.assertj.core.api.Assertions.assertThat;

import dev.herald.avro.Campaign;
import dev.herald.serdes.InMemorySchemaRegistry;
import dev.herald.topology.HeraldSerdes;
import dev.herald.topology.HeraldTopics;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The demo set is loaded into empty topics once, and is reported as loaded only when its campaigns are there. */
class DemoDataTest {
    private static final Instant NOW = Instant.parse("2026-03-01T10:00:00Z");
    private static final int RECIPIENTS = 20;

    @TempDir
    static Path dir;
    static EmbeddedKafka kafka;
    static Admin admin;
    static Map<String, Object> client;
    final HeraldSerdes serdes = HeraldSerdes.using(new InMemorySchemaRegistry());

    @BeforeAll
    static void startKafka() {
        kafka = EmbeddedKafka.start(dir.resolve("kafka"), 0);
        client = Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        admin = Admin.create(client);
    }

    @AfterAll
    static void stopKafka() {
        admin.close();
        kafka.close();
    }

    @Test
    void loadsIntoEmptyTopicsOnceAndKnowsItOnTheNextStart() throws Exception {
        HeraldTopics topics = topics("fresh.");

        assertThat(DemoData.ensureLoaded(admin, client, topics, serdes, RECIPIENTS, NOW)).isTrue();
        long campaigns = records(topics.campaigns().name());
        long recipients = records(topics.recipients().name());
        assertThat(DemoData.ensureLoaded(admin, client, topics, serdes, RECIPIENTS, NOW.plusSeconds(60))).isTrue();

        assertThat(campaigns).isEqualTo(DemoData.campaigns(NOW).size());
        assertThat(recipients).isEqualTo(RECIPIENTS);
        assertThat(records(topics.campaigns().name())).as("not loaded twice").isEqualTo(campaigns);
        assertThat(records(topics.recipients().name())).isEqualTo(recipients);
    }

    @Test
    void topicsWithOtherCampaignsAreLeftAloneAndDoNotCountAsTheDemo() throws Exception {
        HeraldTopics topics = topics("operator.");
        Campaign mine = Campaign.newBuilder(DemoData.campaigns(NOW).get(0)).setId("mine").setOwner("ops").build();
        send(topics, "mine", mine);

        assertThat(DemoData.ensureLoaded(admin, client, topics, serdes, RECIPIENTS, NOW)).isFalse();
        assertThat(records(topics.recipients().name())).isZero();
    }

    @Test
    void aDeletedDemoCampaignMeansTheDemoIsNoLongerThere() throws Exception {
        HeraldTopics topics = topics("deleted.");
        assertThat(DemoData.ensureLoaded(admin, client, topics, serdes, RECIPIENTS, NOW)).isTrue();

        send(topics, DemoData.campaigns(NOW).get(0).getId(), null);

        assertThat(DemoData.ensureLoaded(admin, client, topics, serdes, RECIPIENTS, NOW)).isFalse();
    }

    private HeraldTopics topics(String prefix) throws Exception {
        HeraldTopics topics = HeraldTopics.of(prefix, serdes);
        admin.createTopics(List.of(new NewTopic(topics.campaigns().name(), 2, (short) 1),
                new NewTopic(topics.recipients().name(), 2, (short) 1))).all().get();
        return topics;
    }

    private void send(HeraldTopics topics, String key, Campaign campaign) throws Exception {
        Map<String, Object> config = Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        try (var producer = new KafkaProducer<>(config, serdes.string().serializer(),
                serdes.campaign().serializer())) {
            producer.send(new ProducerRecord<>(topics.campaigns().name(), key, campaign)).get();
        }
    }

    private long records(String topic) throws Exception {
        var partitions = admin.describeTopics(List.of(topic)).allTopicNames().get().get(topic).partitions().stream()
                .map(p -> new TopicPartition(topic, p.partition()))
                .collect(java.util.stream.Collectors.toMap(tp -> tp, tp -> OffsetSpec.latest()));
        return admin.listOffsets(partitions).all().get().values().stream().mapToLong(r -> r.offset()).sum();
    }
}

package dev.herald.testkit;

import static dev.herald.testkit.TestCampaign.campaign;
import static dev.herald.testkit.TestRecipient.recipient;
import static org.assertj.core.api.Assertions.assertThat;

import dev.herald.avro.Channel;
import dev.herald.avro.DeadLetter;
import dev.herald.avro.Recipient;
import dev.herald.topology.StoreNames;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.stream.IntStream;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KitTopologyTestDriver;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Materialized;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.Test;

/**
 * The kit's driver ({@link KitTopologyTestDriver}) gives the results Kafka's own TopologyTestDriver gives, record for
 * record, and takes its fast path on Herald's topology.
 */
class KitDriverTest {
    private static final Instant NOW = Instant.parse("2026-05-01T10:00:00Z");

    @Test
    void heraldsTopologyRunsOnTheDriverThatLooksUpEachTopicOnce() {
        try (HeraldKit kit = HeraldKit.start(NOW)) {
            assertThat(kit.driver()).isInstanceOfSatisfying(KitTopologyTestDriver.class,
                    driver -> assertThat(driver.cachesTopics()).isTrue());
        }
    }

    @Test
    void aRunWritesTheSameRecordsAsOnKafkasOwnDriver() {
        Map<String, List<String>> fast;
        Map<String, List<String>> upstream;
        try (HeraldKit kit = HeraldKit.start(HeraldKit.defaultConfig(), NOW)) {
            fast = scenario(kit);
        }
        try (HeraldKit kit = HeraldKit.startOnUpstreamDriver(HeraldKit.defaultConfig(), NOW)) {
            assertThat(kit.driver()).isNotInstanceOf(KitTopologyTestDriver.class);
            upstream = scenario(kit);
        }
        assertThat(fast.keySet()).containsAll(List.of("herald.push-outbox", "herald.mail-outbox",
                "herald.dead-letters", "herald.run-summaries", HeraldKit.OUTCOMES_TOPIC));
        assertThat(fast.get("herald.push-outbox")).hasSize(42);
        assertThat(fast.get("herald.dead-letters")).hasSize(1);
        assertThat(fast).isEqualTo(upstream);
    }

    /**
     * Every record of every topic the scenario wrote: key, value and timestamp, in the order written; dead letters
     * decoded, without the wall-clock instant they record.
     */
    private static Map<String, List<String>> scenario(HeraldKit kit) {
        kit.recipients(IntStream.range(0, 50).mapToObj(i -> {
            TestRecipient r = recipient("r" + i).attribute("firstName", "N" + i);
            if (i % 7 == 0) {
                r.optOut(Channel.PUSH);
            }
            if (i % 5 == 0) {
                r.noEmail();
            }
            return r.build();
        }).toList());
        kit.campaign(campaign("spring").push("Hi {{firstName}}", "Sale").mail("Sale", "Dear {{firstName}}"));
        kit.driver().createInputTopic("herald.campaigns", Serdes.String().serializer(),
                Serdes.ByteArray().serializer()).pipeInput("broken", "not avro".getBytes(StandardCharsets.UTF_8), NOW);
        kit.runToCompletion("spring");

        Map<String, List<String>> written = new TreeMap<>();
        written.put("herald.dead-letters", kit.deadLetters().stream()
                .map(d -> DeadLetter.newBuilder(d).setFailedAt(Instant.EPOCH).build().toString()).toList());
        for (String topic : kit.driver().producedTopicNames()) {
            if (topic.equals("herald.dead-letters")) {
                continue;
            }
            TestOutputTopic<byte[], byte[]> out = kit.driver().createOutputTopic(topic, new ByteArrayDeserializer(),
                    new ByteArrayDeserializer());
            List<String> records = new ArrayList<>();
            for (TestRecord<byte[], byte[]> r : out.readRecordsToList()) {
                records.add(hex(r.key()) + "/" + hex(r.value()) + "@" + r.timestamp());
            }
            written.put(topic, records);
        }
        return written;
    }

    private static String hex(byte[] bytes) {
        return bytes == null ? "null" : HexFormat.of().formatHex(bytes);
    }

    @Test
    void aBatchOfRecipientsCommitsLikeAPollSoACachedTableForwardsTheLastUpdateOfAKey() {
        try (HeraldKit kit = HeraldKit.start(NOW)) {
            Recipient first = recipient("r1").attribute("firstName", "First").build();
            Recipient second = recipient("r1").attribute("firstName", "Second").build();
            kit.recipients(List.of(first, recipient("r2").build(), second));

            KeyValueStore<String, Recipient> store = kit.driver().getKeyValueStore(StoreNames.RECIPIENTS);
            assertThat(store.get("r1").getAttributes()).containsEntry("firstName", "Second");
            List<TestRecord<byte[], byte[]>> changelog = kit.driver().createOutputTopic(
                    HeraldKit.APPLICATION_ID + "-" + StoreNames.RECIPIENTS + "-changelog",
                    new ByteArrayDeserializer(), new ByteArrayDeserializer()).readRecordsToList();
            assertThat(changelog).extracting(r -> new String(r.key(), StandardCharsets.UTF_8))
                    .containsExactlyInAnyOrder("r1", "r2");
        }
    }

    @Test
    void aTopologyWithAGlobalStoreGetsTopologyTestDriversOwnLoop() {
        StreamsBuilder builder = new StreamsBuilder();
        builder.globalTable("names", Consumed.with(Serdes.String(), Serdes.String()),
                Materialized.<String, String, KeyValueStore<Bytes, byte[]>>as("names-store"));
        builder.stream("in", Consumed.with(Serdes.String(), Serdes.String()))
                .mapValues(v -> v.toUpperCase())
                .to("out", Produced.with(Serdes.String(), Serdes.String()));
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, "kit-driver-test");
        props.put(StreamsConfig.STATE_DIR_CONFIG, "target/kit-driver-test");
        try (KitTopologyTestDriver driver = new KitTopologyTestDriver(builder.build(), props, NOW)) {
            assertThat(driver.cachesTopics()).isFalse();
            TestInputTopic<String, String> in = driver.createInputTopic("in", Serdes.String().serializer(),
                    Serdes.String().serializer());
            in.pipeInput("k", "v", NOW);
            driver.pipeBatch("in", List.of(new TestRecord<>("k2", "w", null, NOW)), Serdes.String().serializer(),
                    Serdes.String().serializer(), 10);
            assertThat(driver.createOutputTopic("out", Serdes.String().deserializer(),
                    Serdes.String().deserializer()).readValuesToList()).containsExactly("V", "W");
        }
    }
}

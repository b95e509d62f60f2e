package dev.herald.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.herald.serdes.InMemorySchemaRegistry;
import dev.herald.topology.HeraldSerdes;
import dev.herald.topology.HeraldTopics;
import dev.herald.topology.errors.DeadLetterHandler;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.Test;

/** The Streams configuration Herald starts with, as Kafka Streams itself reads it. */
class StreamsPropertiesTest {
    private final HeraldSerdes serdes = HeraldSerdes.using(new InMemorySchemaRegistry());
    private final HeraldTopics topics = HeraldTopics.of("herald.", serdes);

    @Test
    void applicationRunsExactlyOnceV2WhateverElseTheOperatorTunes() {
        HeraldConfig config = HeraldConfig.load(Map.of("HERALD_BOOTSTRAP_SERVERS", "kafka:9092",
                "HERALD_SCHEMA_REGISTRY_URL", "http://registry:8081", "HERALD_ADVERTISED_HOST", "herald-1",
                "KAFKA_NUM_STREAM_THREADS", "2"));

        StreamsConfig effective = new StreamsConfig(Herald.streamsProperties(config, topics, serdes));

        assertThat(effective.getString(StreamsConfig.PROCESSING_GUARANTEE_CONFIG))
                .isEqualTo(StreamsConfig.EXACTLY_ONCE_V2);
        assertThat(effective.getInt(StreamsConfig.NUM_STREAM_THREADS_CONFIG)).isEqualTo(2);
        // Under exactly-once Kafka Streams reads its inputs read_committed: what the outbox consumers rely on.
        assertThat(effective.getMainConsumerConfigs("herald", "c", 0))
                .containsEntry("isolation.level", "read_committed");
        assertThat(effective.getString(StreamsConfig.APPLICATION_SERVER_CONFIG)).isEqualTo(config.advertised());
    }

    @Test
    void deadLetterHandlersShareTheApplicationsSerializerAndSoItsOneRegistryClient() {
        HeraldConfig config = HeraldConfig.load(Map.of("HERALD_BOOTSTRAP_SERVERS", "kafka:9092",
                "HERALD_SCHEMA_REGISTRY_URL", "http://registry:8081", "HERALD_ADVERTISED_HOST", "herald-1"));

        StreamsConfig effective = new StreamsConfig(Herald.streamsProperties(config, topics, serdes));

        // Handlers are configured from the originals, objects included: the same instance reaches every one.
        assertThat(effective.originals().get(DeadLetterHandler.SERIALIZER_CONFIG))
                .isSameAs(serdes.deadLetter().serializer());
        assertThat(effective.originals()).doesNotContainKey(DeadLetterHandler.SCHEMA_REGISTRY_URL_CONFIG);
    }

    @Test
    void eachStreamThreadIsAStaticMemberNamedAfterTheAdvertisedAddress() {
        HeraldConfig config = HeraldConfig.load(Map.of("HERALD_BOOTSTRAP_SERVERS", "kafka:9092",
                "HERALD_SCHEMA_REGISTRY_URL", "http://registry:8081", "HERALD_ADVERTISED_HOST", "herald-1",
                "HERALD_HTTP_PORT", "8081"));

        StreamsConfig effective = new StreamsConfig(Herald.streamsProperties(config, topics, serdes));

        // Stable across restarts (a restarted instance takes its tasks back at once) and unique per instance.
        assertThat(effective.getMainConsumerConfigs("herald", "c", 0))
                .containsEntry(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG, "herald-herald-1_8081-0");
        assertThat(effective.getMainConsumerConfigs("herald", "c", 1))
                .containsEntry(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG, "herald-herald-1_8081-1");
        assertThat(effective.getRestoreConsumerConfigs("c")).doesNotContainKey(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG);
    }

    @Test
    void staticMembershipCanBeNamedOrTurnedOff() {
        Map<String, String> cluster = Map.of("HERALD_BOOTSTRAP_SERVERS", "kafka:9092",
                "HERALD_SCHEMA_REGISTRY_URL", "http://registry:8081", "HERALD_ADVERTISED_HOST", "herald-1");

        HeraldConfig named = HeraldConfig.load(cluster, "--instance.id=blue-1");
        HeraldConfig dynamic = HeraldConfig.load(cluster, "--instance.id=none");

        assertThat(new StreamsConfig(Herald.streamsProperties(named, topics, serdes))
                .getMainConsumerConfigs("herald", "c", 0))
                .containsEntry(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG, "blue-1-0");
        assertThat(new StreamsConfig(Herald.streamsProperties(dynamic, topics, serdes))
                .getMainConsumerConfigs("herald", "c", 0))
                .doesNotContainKey(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG);
        assertThatThrownBy(() -> HeraldConfig.load(cluster, "--instance.id=herald 1"))
                .isInstanceOf(HeraldConfig.ConfigException.class)
                .hasMessageContaining("herald.instance.id");
    }
}

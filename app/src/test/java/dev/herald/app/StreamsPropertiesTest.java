package dev.herald.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.herald.serdes.InMemorySchemaRegistry;
import dev.herald.topology.HeraldSerdes;
import dev.herald.topology.HeraldTopics;
import java.util.Map;
import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.Test;

/** The Streams configuration Herald starts with, as Kafka Streams itself reads it. */
class StreamsPropertiesTest {
    private final HeraldTopics topics = HeraldTopics.of("herald.", HeraldSerdes.using(new InMemorySchemaRegistry()));

    @Test
    void applicationRunsExactlyOnceV2WhateverElseTheOperatorTunes() {
        HeraldConfig config = HeraldConfig.load(Map.of("HERALD_BOOTSTRAP_SERVERS", "kafka:9092",
                "HERALD_SCHEMA_REGISTRY_URL", "http://registry:8081", "HERALD_ADVERTISED_HOST", "herald-1",
                "KAFKA_NUM_STREAM_THREADS", "2"));

        StreamsConfig effective = new StreamsConfig(Herald.streamsProperties(config, topics));

        assertThat(effective.getString(StreamsConfig.PROCESSING_GUARANTEE_CONFIG))
                .isEqualTo(StreamsConfig.EXACTLY_ONCE_V2);
        assertThat(effective.getInt(StreamsConfig.NUM_STREAM_THREADS_CONFIG)).isEqualTo(2);
        // Under exactly-once Kafka Streams reads its inputs read_committed: what the outbox consumers rely on.
        assertThat(effective.getMainConsumerConfigs("herald", "c", 0))
                .containsEntry("isolation.level", "read_committed");
        assertThat(effective.getString(StreamsConfig.APPLICATION_SERVER_CONFIG)).isEqualTo(config.advertised());
    }
}

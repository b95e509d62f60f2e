package dev.herald.topology;

import dev.herald.topology.errors.DeadLetterHandler;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.streams.StreamsConfig;

/** The Kafka Streams settings Herald's topology relies on; callers layer their own (servers, state dir) on top. */
public final class HeraldStreamsConfig {

    private HeraldStreamsConfig() {
    }

    /**
     * A fresh map each call, so no caller's settings are mutated or shared. The dead-letter handlers get the
     * DeadLetter serializer of {@code serdes}, and so the application's one registry client.
     */
    public static Map<String, Object> defaults(HeraldTopics topics, HeraldSerdes serdes) {
        Map<String, Object> config = new HashMap<>();
        config.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        // Changelog and repartition topic names are part of the contract: refuse to start with a generated one.
        config.put(StreamsConfig.ENSURE_EXPLICIT_INTERNAL_RESOURCE_NAMING_CONFIG, true);
        config.put(StreamsConfig.DESERIALIZATION_EXCEPTION_HANDLER_CLASS_CONFIG, DeadLetterHandler.class);
        config.put(StreamsConfig.PROCESSING_EXCEPTION_HANDLER_CLASS_CONFIG, DeadLetterHandler.class);
        config.put(StreamsConfig.PROCESSING_EXCEPTION_HANDLER_GLOBAL_ENABLED_CONFIG, true);
        config.put(StreamsConfig.PRODUCTION_EXCEPTION_HANDLER_CLASS_CONFIG, DeadLetterHandler.class);
        config.put(DeadLetterHandler.TOPIC_CONFIG, topics.deadLetters().name());
        config.put(DeadLetterHandler.SERIALIZER_CONFIG, serdes.deadLetter().serializer());
        return config;
    }
}

package dev.herald.app;

import dev.herald.devstack.DemoData;
import dev.herald.devstack.EmbeddedKafka;
import dev.herald.devstack.EmbeddedSchemaRegistry;
import dev.herald.serdes.SchemaRegistryClient;
import dev.herald.serdes.SchemaRegistryClients;
import dev.herald.topology.HeraldSerdes;
import dev.herald.topology.HeraldStreamsConfig;
import dev.herald.topology.HeraldTopics;
import dev.herald.topology.HeraldTopology;
import dev.herald.topology.InvalidParameterException;
import dev.herald.topology.errors.ThreadFailurePolicy;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.streams.CloseOptions;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.Topology;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A running Herald instance: (in the embedded default, its own broker and schema registry,) the topics, the topology
 * in Kafka Streams and the HTTP API. {@link #main} only wires configuration, start and one shutdown hook.
 */
public final class Herald implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Herald.class);

    private final HeraldConfig config;
    private final EmbeddedKafka kafka;
    private final EmbeddedSchemaRegistry registry;
    private final KafkaStreams streams;
    private final HttpEndpoint http;
    private final boolean demoLoaded;
    private volatile boolean closed;

    private Herald(HeraldConfig config, EmbeddedKafka kafka, EmbeddedSchemaRegistry registry, KafkaStreams streams,
            HttpEndpoint http, boolean demoLoaded) {
        this.config = config;
        this.kafka = kafka;
        this.registry = registry;
        this.streams = streams;
        this.http = http;
        this.demoLoaded = demoLoaded;
    }

    public static void main(String[] args) {
        HeraldConfig config;
        try {
            config = HeraldConfig.load(System.getenv(), args);
        } catch (HeraldConfig.ConfigException e) {
            System.err.println("Herald cannot start: " + e.getMessage());
            System.exit(2);
            return;
        }
        Herald herald;
        try {
            herald = start(config);
        } catch (RuntimeException e) {
            log.error("Herald failed to start", e);
            System.err.println("Herald cannot start: " + e.getMessage());
            System.exit(1);
            return;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            herald.close();
            stopped.countDown();
        }, "herald-shutdown"));
        System.out.println(banner(herald.config, herald.kafka != null, herald.httpPort(), herald.demoLoaded));
        try {
            stopped.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Starts everything the configuration asks for; on failure, stops what was started and rethrows. */
    public static Herald start(HeraldConfig config) {
        EmbeddedKafka kafka = null;
        EmbeddedSchemaRegistry registry = null;
        KafkaStreams streams = null;
        HttpEndpoint http = null;
        try {
            if (config.embedded()) {
                kafka = EmbeddedKafka.start(config.dataDir().resolve("kafka"), config.embeddedKafkaPort());
                registry = EmbeddedSchemaRegistry.start(kafka.bootstrapServers(), EmbeddedSchemaRegistry.DEFAULT_TOPIC,
                        "127.0.0.1", config.embeddedRegistryPort());
                config = config.withServers(kafka.bootstrapServers(), registry.url());
            }
            SchemaRegistryClient registryClient = SchemaRegistryClients.fromUrl(config.schemaRegistryUrl());
            HeraldSerdes serdes = HeraldSerdes.using(registryClient);
            HeraldTopics topics = HeraldTopics.of(config.topicPrefix(), serdes);
            Map<String, Object> clientConfig = clientConfig(config);
            boolean demoLoaded;
            try (Admin admin = Admin.create(clientConfig)) {
                TopicSetup.ensure(admin, topics, config.campaignPartitions(), config.topology().recipientsPartitions());
                demoLoaded = config.demo() && DemoData.ensureLoaded(admin, clientConfig, topics, serdes,
                        config.demoRecipients(), Clock.systemUTC().instant());
            } catch (InvalidParameterException e) {
                throw HeraldConfig.settingError(e);
            } catch (IllegalStateException e) {
                throw e;
            } catch (Exception e) {
                throw new IllegalStateException("could not prepare topics and demo data: " + e.getMessage(), e);
            }
            Topology topology = HeraldTopology.build(config.topology(), topics, serdes);
            streams = new KafkaStreams(topology, streamsProperties(config, topics));
            streams.setUncaughtExceptionHandler(new ThreadFailurePolicy(3, Duration.ofMinutes(10)));
            http = HttpEndpoint.start(config, streams, serdes, topics.deadLetters().name());
            streams.setStateListener(http.stateListener(
                    (now, before) -> log.info("Kafka Streams state {} -> {}", before, now)));
            streams.start();
            return new Herald(config, kafka, registry, streams, http, demoLoaded);
        } catch (RuntimeException e) {
            stop(http, streams, CloseOptions.timeout(Duration.ofSeconds(10)), registry, kafka);
            throw e;
        }
    }

    static Map<String, Object> clientConfig(HeraldConfig config) {
        Map<String, Object> client = new HashMap<>(config.kafka());
        client.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, config.bootstrapServers());
        return client;
    }

    static Properties streamsProperties(HeraldConfig config, HeraldTopics topics) {
        Properties props = new Properties();
        props.putAll(HeraldStreamsConfig.defaults(topics, config.schemaRegistryUrl()));
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, config.applicationId());
        props.put(StreamsConfig.STATE_DIR_CONFIG, config.stateDir().toAbsolutePath().toString());
        props.put(StreamsConfig.APPLICATION_SERVER_CONFIG, config.advertised());
        props.put(StreamsConfig.NUM_STREAM_THREADS_CONFIG, config.streamThreads());
        // Settings given as kafka.* win over Herald's defaults: they are the operator's explicit choice.
        props.putAll(clientConfig(config));
        return props;
    }

    public KafkaStreams streams() {
        return streams;
    }

    public int httpPort() {
        return http.port();
    }

    public HeraldConfig config() {
        return config;
    }

    /** What a start prints; the demo's links only when the demo data set is loaded, as they lead nowhere otherwise. */
    static String banner(HeraldConfig config, boolean embedded, int httpPort, boolean demoLoaded) {
        String base = "http://" + config.advertisedHost() + ":" + httpPort;
        StringBuilder b = new StringBuilder("\nHerald is running.\n");
        if (embedded) {
            b.append("  Embedded Kafka:     ").append(config.bootstrapServers()).append(" (data in ")
                    .append(config.dataDir().toAbsolutePath()).append(")\n");
        } else {
            b.append("  Kafka:              ").append(config.bootstrapServers()).append('\n');
        }
        b.append("  Schema registry:    ").append(config.schemaRegistryUrl()).append('\n');
        b.append("  Campaigns:          ").append(base).append("/api/campaigns\n");
        if (demoLoaded) {
            b.append("  A run's progress:   ").append(base).append("/api/campaigns/").append(DemoData.FEATURED_CAMPAIGN)
                    .append("/runs\n");
        }
        b.append("  Summary (all):      ").append(base).append("/api/summary\n");
        b.append("  Instances:          ").append(base).append("/api/instances\n");
        b.append("  Health, metrics:    ").append(base).append("/health/ready, ").append(base).append("/metrics\n");
        b.append("Press Ctrl-C to stop; data and state are kept for the next start.\n");
        return b.toString();
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        log.info("Herald shutting down");
        // A deliberate stop leaves the group, so its tasks move at once instead of after the session timeout.
        stop(http, streams, CloseOptions.groupMembershipOperation(CloseOptions.GroupMembershipOperation.LEAVE_GROUP)
                .withTimeout(Duration.ofSeconds(30)), registry, kafka);
        log.info("Herald stopped");
    }

    /** Stops HTTP first (no answers from closing stores), then the streams, then the embedded servers (if started). */
    private static void stop(HttpEndpoint http, KafkaStreams streams, CloseOptions streamsClose,
            EmbeddedSchemaRegistry registry, EmbeddedKafka kafka) {
        if (http != null) {
            http.close();
        }
        if (streams != null && !streams.close(streamsClose)) {
            log.warn("Kafka Streams did not stop in time; stopping the rest anyway (uncommitted work is redone)");
        }
        if (registry != null) {
            registry.close();
        }
        if (kafka != null) {
            kafka.close();
        }
    }
}

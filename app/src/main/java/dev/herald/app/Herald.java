package dev.herald.app;

import dev.herald.app.cli.HeraldCli;
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
import dev.herald.query.ApiPaths;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.streams.CloseOptions;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.Topology;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A running Herald instance: (in the embedded default, its own broker and schema registry,) the topics, the topology
 * in Kafka Streams and the HTTP API. {@link #main} only wires configuration, start and one shutdown hook; given a
 * command ({@code campaign}, {@code recipients}, ...) it runs the command line instead of the server.
 */
public final class Herald implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Herald.class);
    /** How long the banner waits for the demo data; past it the banner appears anyway, with a warning logged. */
    private static final Duration DEMO_VISIBLE_WITHIN = Duration.ofMinutes(2);

    private final HeraldConfig config;
    private final EmbeddedKafka kafka;
    private final EmbeddedSchemaRegistry registry;
    private final KafkaStreams streams;
    private final HttpEndpoint http;
    private final Senders senders;
    private final boolean demoLoaded;
    private volatile boolean closed;

    private Herald(HeraldConfig config, EmbeddedKafka kafka, EmbeddedSchemaRegistry registry, KafkaStreams streams,
            HttpEndpoint http, Senders senders, boolean demoLoaded) {
        this.config = config;
        this.kafka = kafka;
        this.registry = registry;
        this.streams = streams;
        this.http = http;
        this.senders = senders;
        this.demoLoaded = demoLoaded;
    }

    public static void main(String[] args) {
        if (HeraldCli.isCommand(args)) {
            System.exit(HeraldCli.run(System.getenv(), args));
            return;
        }
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
        if (herald.demoLoaded) {
            herald.awaitDemoVisible(DEMO_VISIBLE_WITHIN);
        }
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
        Senders senders = null;
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
                TopicSetup.registerInputSchemas(registryClient, topics);
                demoLoaded = config.demo() && DemoData.ensureLoaded(admin, clientConfig, topics, serdes,
                        config.demoRecipients(), Clock.systemUTC().instant());
            } catch (InvalidParameterException e) {
                throw HeraldConfig.settingError(e);
            } catch (IllegalStateException e) {
                throw e;
            } catch (Exception e) {
                throw new IllegalStateException("could not prepare topics and demo data: " + e.getMessage(), e);
            }
            http = HttpEndpoint.bind(config);
            if (config.advertisedPort() == 0) {
                config = config.withAdvertisedPort(http.port());
            }
            Topology topology = HeraldTopology.build(config.topology(), topics, serdes);
            streams = new KafkaStreams(topology, streamsProperties(config, topics, serdes));
            streams.setUncaughtExceptionHandler(new ThreadFailurePolicy(3, Duration.ofMinutes(10)));
            http.attach(config, streams, serdes, topics.deadLetters().name());
            streams.setStateListener(http.stateListener(
                    (now, before) -> log.info("Kafka Streams state {} -> {}", before, now)));
            streams.start();
            if (config.sender().enabled()) {
                // After the streams: the senders read what the topology writes, on threads of their own.
                senders = Senders.start(config, topics, false);
                http.bindSenders(senders);
            }
            return new Herald(config, kafka, registry, streams, http, senders, demoLoaded);
        } catch (RuntimeException e) {
            stop(http, senders, streams, CloseOptions.timeout(Duration.ofSeconds(10)), registry, kafka);
            throw e;
        }
    }

    static Map<String, Object> clientConfig(HeraldConfig config) {
        Map<String, Object> client = new HashMap<>(config.kafka());
        client.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, config.bootstrapServers());
        return client;
    }

    static Properties streamsProperties(HeraldConfig config, HeraldTopics topics, HeraldSerdes serdes) {
        Properties props = new Properties();
        props.putAll(HeraldStreamsConfig.defaults(topics, serdes));
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, config.applicationId());
        props.put(StreamsConfig.STATE_DIR_CONFIG, config.stateDir().toAbsolutePath().toString());
        props.put(StreamsConfig.APPLICATION_SERVER_CONFIG, config.advertised());
        // Standbys let keyed queries answer (flagged stale) while an instance is down, and make its tasks
        // restore from a warm copy instead of the whole changelog.
        props.put(StreamsConfig.NUM_STANDBY_REPLICAS_CONFIG, config.standbyReplicas());
        props.put(StreamsConfig.NUM_STREAM_THREADS_CONFIG, config.streamThreads());
        // Static membership: after a crash the instance takes its tasks back as soon as it rejoins.
        config.groupInstanceId().ifPresent(id ->
                props.put(StreamsConfig.mainConsumerPrefix(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG), id));
        // Settings given as kafka.* win over Herald's defaults: they are the operator's explicit choice.
        props.putAll(clientConfig(config));
        return props;
    }

    /**
     * Waits until the demo's featured campaign answers 200 over this instance's own HTTP API, for at most
     * {@code timeout}; true when it did. Kafka Streams is RUNNING (and /health/ready 200) a few seconds before the
     * campaigns table has read the demo records, and the banner's links should lead somewhere when it appears.
     */
    public boolean awaitDemoVisible(Duration timeout) {
        String host = config.httpHost().equals("0.0.0.0") || config.httpHost().equals("::") ? "127.0.0.1"
                : config.httpHost();
        URI uri = URI.create("http://" + (host.contains(":") ? "[" + host + "]" : host) + ":" + httpPort()
                + ApiPaths.campaign(DemoData.FEATURED_CAMPAIGN));
        HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            try {
                HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(5)).GET();
                config.apiToken().authorization().ifPresent(value -> request.header("Authorization", value));
                HttpResponse<Void> response = client.send(request.build(), HttpResponse.BodyHandlers.discarding());
                if (response.statusCode() == 200) {
                    return true;
                }
            } catch (IOException e) {
                log.debug("Demo campaign not answering yet: {}", e.toString());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
            try {
                Thread.sleep(200);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        log.warn("The demo campaign {} did not become visible within {}", DemoData.FEATURED_CAMPAIGN, timeout);
        return false;
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

    /** The senders running in this process, or null when {@code herald.sender.enabled} is off. */
    public Senders senders() {
        return senders;
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
        if (config.sender().enabled()) {
            HeraldConfig.Sender sender = config.sender();
            b.append("  Delivery:           mail via ").append(sender.mailTransport()).append(", push via ")
                    .append(sender.pushTransport());
            if (sender.mailTransport().equals("log") || sender.pushTransport().equals("log")) {
                b.append(" (log: ").append(config.dataDir().resolve("sent").toAbsolutePath()).append(")");
            }
            b.append("; receipts on ").append(config.topicPrefix()).append("receipts\n");
        }
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
        stop(http, senders, streams, CloseOptions.groupMembershipOperation(CloseOptions.GroupMembershipOperation.LEAVE_GROUP)
                .withTimeout(Duration.ofSeconds(30)), registry, kafka);
        log.info("Herald stopped");
    }

    /**
     * Stops HTTP first (no answers from closing stores), then the senders (each finishes and commits its batch),
     * then the streams, then the embedded servers (if started).
     */
    private static void stop(HttpEndpoint http, Senders senders, KafkaStreams streams, CloseOptions streamsClose,
            EmbeddedSchemaRegistry registry, EmbeddedKafka kafka) {
        if (http != null) {
            http.close();
        }
        if (senders != null) {
            senders.close();
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

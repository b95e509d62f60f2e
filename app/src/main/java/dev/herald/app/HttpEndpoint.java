package dev.herald.app;

import dev.herald.query.HeraldQueryService;
import dev.herald.query.http.HttpApi;
import dev.herald.query.routing.KafkaStreamsCluster;
import dev.herald.query.routing.Router;
import dev.herald.query.store.ChangelogReplica;
import dev.herald.query.store.KafkaStreamsStoreSource;
import dev.herald.query.store.LocalQueries;
import dev.herald.topology.HeraldSerdes;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.kafka.KafkaStreamsMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Clock;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.state.HostInfo;

/**
 * Wires the HTTP API of one instance: queries over its Kafka Streams stores, routing by its metadata, the replicated
 * lists, metrics.
 */
final class HttpEndpoint implements AutoCloseable {
    private final HttpApi api;
    private final PrometheusMeterRegistry metrics;
    private final JvmGcMetrics gcMetrics;
    private ChangelogReplica replica;
    private KafkaStreamsCluster cluster;
    private KafkaStreamsMetrics streamsMetrics;
    private HeraldMeters heraldMeters;

    private HttpEndpoint(HttpApi api, PrometheusMeterRegistry metrics, JvmGcMetrics gcMetrics) {
        this.api = api;
        this.metrics = metrics;
        this.gcMetrics = gcMetrics;
    }

    /**
     * Binds the configured address (port 0: any free port) before Kafka Streams exists, so the port actually bound
     * can be advertised; queries answer 503 until {@link #attach}.
     */
    static HttpEndpoint bind(HeraldConfig config) {
        PrometheusMeterRegistry metrics = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        // Herald's own sensors are published by HeraldMeters under herald_*; keep the generic binder's copy out.
        metrics.config().meterFilter(MeterFilter.denyNameStartsWith("kafka.herald."));
        JvmGcMetrics gc = new JvmGcMetrics();
        gc.bindTo(metrics);
        new JvmMemoryMetrics().bindTo(metrics);
        new JvmThreadMetrics().bindTo(metrics);
        new ProcessorMetrics().bindTo(metrics);
        HttpApi api = HttpApi.bind(config.httpHost(), config.httpPort(), metrics,
                new HttpApi.Access(config.apiToken(), config.metricsNeedToken()),
                config.topology().summaryRetention(), Clock.systemUTC());
        return new HttpEndpoint(api, metrics, gc);
    }

    /** Starts answering queries over {@code streams}' stores, routed by its metadata, with the replicated lists. */
    void attach(HeraldConfig config, KafkaStreams streams, HeraldSerdes serdes, String deadLetterTopic) {
        streamsMetrics = new KafkaStreamsMetrics(streams);
        streamsMetrics.bindTo(metrics);
        heraldMeters = new HeraldMeters(streams, deadLetterTopic, metrics);
        cluster = new KafkaStreamsCluster(streams, new HostInfo(config.advertisedHost(), config.advertisedPort()));
        replica = ChangelogReplica.start(Herald.clientConfig(config), config.applicationId(),
                serdes.campaign().deserializer(), serdes.schedulerState().deserializer(),
                serdes.runSummary().deserializer());
        api.attach(new HeraldQueryService(new LocalQueries(new KafkaStreamsStoreSource(streams)), cluster,
                Router.DEFAULT_PEER_TIMEOUT, replica, config.apiToken()));
    }

    /** Publishes the in-process senders' meters next to Herald's own. */
    void bindSenders(Senders senders) {
        senders.bindTo(metrics);
    }

    /** {@code next}, after the query routing has dropped what it knew of the previous rebalance's metadata. */
    KafkaStreams.StateListener stateListener(KafkaStreams.StateListener next) {
        return cluster.stateListener(next);
    }

    int port() {
        return api.port();
    }

    @Override
    public void close() {
        api.close();
        if (replica != null) {
            replica.close();
        }
        if (heraldMeters != null) {
            heraldMeters.close();
        }
        if (streamsMetrics != null) {
            streamsMetrics.close();
        }
        gcMetrics.close();
        metrics.close();
    }
}

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
    private final ChangelogReplica replica;
    private final KafkaStreamsCluster cluster;
    private final KafkaStreamsMetrics streamsMetrics;
    private final JvmGcMetrics gcMetrics;
    private final HeraldMeters heraldMeters;

    private HttpEndpoint(HttpApi api, ChangelogReplica replica, KafkaStreamsCluster cluster,
            KafkaStreamsMetrics streamsMetrics, JvmGcMetrics gcMetrics, HeraldMeters heraldMeters) {
        this.api = api;
        this.replica = replica;
        this.cluster = cluster;
        this.streamsMetrics = streamsMetrics;
        this.gcMetrics = gcMetrics;
        this.heraldMeters = heraldMeters;
    }

    static HttpEndpoint start(HeraldConfig config, KafkaStreams streams, HeraldSerdes serdes,
            String deadLetterTopic) {
        PrometheusMeterRegistry metrics = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        // Herald's own sensors are published by HeraldMeters under herald_*; keep the generic binder's copy out.
        metrics.config().meterFilter(MeterFilter.denyNameStartsWith("kafka.herald."));
        KafkaStreamsMetrics streamsMetrics = new KafkaStreamsMetrics(streams);
        streamsMetrics.bindTo(metrics);
        HeraldMeters heraldMeters = new HeraldMeters(streams, deadLetterTopic, metrics);
        JvmGcMetrics gc = new JvmGcMetrics();
        gc.bindTo(metrics);
        new JvmMemoryMetrics().bindTo(metrics);
        new JvmThreadMetrics().bindTo(metrics);
        new ProcessorMetrics().bindTo(metrics);
        HostInfo self = new HostInfo(config.advertisedHost(), config.advertisedPort());
        KafkaStreamsCluster cluster = new KafkaStreamsCluster(streams, self);
        ChangelogReplica replica = ChangelogReplica.start(Herald.clientConfig(config), config.applicationId(),
                serdes.campaign().deserializer(), serdes.schedulerState().deserializer(),
                serdes.runSummary().deserializer());
        HttpApi api;
        try {
            HeraldQueryService service = new HeraldQueryService(
                    new LocalQueries(new KafkaStreamsStoreSource(streams)), cluster, Router.DEFAULT_PEER_TIMEOUT,
                    replica);
            api = HttpApi.start(config.httpHost(), config.httpPort(), service, metrics,
                    config.topology().summaryRetention(), Clock.systemUTC());
        } catch (RuntimeException e) {
            replica.close();
            throw e;
        }
        return new HttpEndpoint(api, replica, cluster, streamsMetrics, gc, heraldMeters);
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
        replica.close();
        heraldMeters.close();
        streamsMetrics.close();
        gcMetrics.close();
    }
}

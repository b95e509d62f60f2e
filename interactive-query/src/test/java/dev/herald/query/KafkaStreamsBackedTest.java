package dev.herald.query;

import static dev.herald.query.HttpApiContractTest.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.herald.query.http.HttpApi;
import dev.herald.query.routing.Cluster;
import dev.herald.query.routing.KafkaStreamsCluster;
import dev.herald.query.store.KafkaStreamsStoreSource;
import dev.herald.query.store.LocalQueries;
import dev.herald.topology.StoreNames;
import io.micrometer.core.instrument.binder.kafka.KafkaStreamsMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Properties;
import java.util.UUID;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Materialized;
import org.apache.kafka.streams.state.HostInfo;
import org.apache.kafka.streams.state.KeyValueStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The Kafka Streams Cluster and StoreSource on an instance created but never started: nothing ready, all 503. */
class KafkaStreamsBackedTest {
    private final HttpCalls http = new HttpCalls();
    private final PrometheusMeterRegistry metrics = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final HostInfo self = new HostInfo("127.0.0.1", 7070);
    private KafkaStreams streams;
    private KafkaStreamsMetrics streamsMetrics;
    private HttpApi api;

    @BeforeEach
    void create() {
        StreamsBuilder builder = new StreamsBuilder();
        builder.table("herald.campaigns", Consumed.with(Serdes.String(), Serdes.String()),
                Materialized.<String, String, KeyValueStore<Bytes, byte[]>>as(StoreNames.CAMPAIGNS));
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, "herald-query-test");
        // Never contacted: the instance is created, not started.
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "127.0.0.1:9");
        props.put(StreamsConfig.APPLICATION_SERVER_CONFIG, Cluster.address(self));
        props.put(StreamsConfig.PROCESSING_EXCEPTION_HANDLER_GLOBAL_ENABLED_CONFIG, true);
        props.put(StreamsConfig.STATE_DIR_CONFIG,
                Path.of("target", "kafka-streams", UUID.randomUUID().toString()).toAbsolutePath().toString());
        streams = new KafkaStreams(builder.build(), props);
        streamsMetrics = new KafkaStreamsMetrics(streams);
        streamsMetrics.bindTo(metrics);
    }

    @AfterEach
    void close() {
        if (api != null) {
            api.close();
        }
        streamsMetrics.close();
        streams.close(Duration.ofSeconds(10));
        metrics.close();
    }

    @Test
    void anInstanceThatHasNotStartedIsNotReadyAndOwnsNothing() {
        KafkaStreamsCluster cluster = new KafkaStreamsCluster(streams, self);

        assertThat(cluster.ready()).isFalse();
        assertThat(cluster.state()).isEqualTo("CREATED");
        assertThat(cluster.ownerOf(StoreNames.CAMPAIGNS, "spring-sale")).isEmpty();
        assertThat(cluster.instances()).containsExactly(self);
        assertThatThrownBy(() -> new KafkaStreamsStoreSource(streams).keyValue(StoreNames.CAMPAIGNS))
                .isInstanceOf(InvalidStateStoreException.class);
    }

    @Test
    void itsHttpApiAnswersUnavailableButIsLiveAndExposesKafkaStreamsMetrics() {
        HeraldQueryService service = new HeraldQueryService(new LocalQueries(new KafkaStreamsStoreSource(streams)),
                new KafkaStreamsCluster(streams, self));
        api = HttpApi.start("127.0.0.1", 0, service, metrics, Duration.ofDays(7), Clock.systemUTC());

        HttpCalls.Reply campaigns = http.get(api.port(), "/api/campaigns");
        assertProblem(campaigns, 503, "/api/campaigns");
        assertThat(campaigns.json().get("detail").asText()).contains("CREATED");
        assertProblem(http.get(api.port(), "/api/runs/a@2026-05-01T10:00:00Z"), 503,
                "/api/runs/a@2026-05-01T10:00:00Z");
        assertProblem(http.get(api.port(), "/health/ready"), 503, "/health/ready");
        assertThat(http.get(api.port(), "/health/live").status()).isEqualTo(200);
        HttpCalls.Reply instances = http.get(api.port(), "/api/instances");
        assertThat(instances.json().get("state").asText()).isEqualTo("CREATED");
        assertThat(instances.json().get("instances").get(0).get("address").asText()).isEqualTo("127.0.0.1:7070");
        assertThat(http.get(api.port(), "/metrics").body()).contains("kafka_stream_");
    }
}

package dev.herald.query;

import static dev.herald.query.HttpApiContractTest.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

import dev.herald.query.http.HttpApi;
import dev.herald.query.store.LocalQueries;
import dev.herald.query.store.StoreSource;
import dev.herald.topology.HeraldTestDriver;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;
import org.apache.kafka.streams.state.ReadOnlyWindowStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** During a rebalance or before startup, queries get 503 with Retry-After rather than a wrong answer. */
class NotReadyTest {
    private final HttpCalls http = new HttpCalls();
    private final PrometheusMeterRegistry metrics = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final FakeCluster.Directory directory = new FakeCluster.Directory("A");
    private HeraldTestDriver herald;
    private HttpApi api;

    @AfterEach
    void stop() {
        if (api != null) {
            api.close();
        }
        if (herald != null) {
            herald.close();
        }
        metrics.close();
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"/api/campaigns", "/api/campaigns/spring-sale", "/api/campaigns/spring-sale/summary",
        "/api/campaigns/spring-sale/runs", "/api/runs/spring-sale@2026-05-01T10:00:00Z", "/api/summary"})
    void queriesOnAnInstanceThatIsNotReadyAreUnavailableWithRetryAfter(String path) {
        FakeCluster cluster = startOver(storesOfTheScenario());
        cluster.ready(false);

        HttpCalls.Reply reply = http.get(api.port(), path);

        assertProblem(reply, 503, path);
        assertThat(reply.retryAfter()).isEqualTo("1");
        assertThat(reply.json().get("detail").asText()).contains("REBALANCING");
    }

    @Test
    void readinessFollowsTheClusterWhileLivenessStaysUp() {
        FakeCluster cluster = startOver(storesOfTheScenario());
        cluster.ready(false);

        HttpCalls.Reply ready = http.get(api.port(), "/health/ready");
        assertProblem(ready, 503, "/health/ready");
        assertThat(ready.retryAfter()).isEqualTo("1");
        assertThat(http.get(api.port(), "/health/live").status()).isEqualTo(200);

        cluster.ready(true);
        assertThat(http.get(api.port(), "/health/ready").status()).isEqualTo(200);
    }

    @Test
    void livenessFailsOnceTheInstanceCannotRecover() {
        FakeCluster cluster = startOver(storesOfTheScenario());
        cluster.ready(false);
        cluster.alive(false);

        assertProblem(http.get(api.port(), "/health/live"), 503, "/health/live");
    }

    @Test
    void storesThatBecomeUnqueryableMidRequestAreUnavailable() {
        startOver(new StoreSource() {
            @Override
            public <K, V> ReadOnlyKeyValueStore<K, V> keyValue(String name) {
                throw new InvalidStateStoreException("store " + name + " is migrating");
            }

            @Override
            public <K, V> ReadOnlyWindowStore<K, V> window(String name) {
                throw new InvalidStateStoreException("store " + name + " is migrating");
            }
        });

        HttpCalls.Reply keyed = http.get(api.port(), "/api/runs/x@2026-05-01T10:00:00Z");
        assertProblem(keyed, 503, "/api/runs/x@2026-05-01T10:00:00Z");
        assertThat(keyed.retryAfter()).isEqualTo("1");
        assertThat(keyed.json().get("detail").asText()).contains("migrating");
        assertProblem(http.get(api.port(), "/api/campaigns"), 503, "/api/campaigns");
    }

    @Test
    void unexpectedErrorsAreInternalServerErrorProblemsWithoutInternals() {
        startOver(new StoreSource() {
            @Override
            public <K, V> ReadOnlyKeyValueStore<K, V> keyValue(String name) {
                throw new IllegalStateException("secret internals of " + name);
            }

            @Override
            public <K, V> ReadOnlyWindowStore<K, V> window(String name) {
                throw new IllegalStateException("secret internals of " + name);
            }
        });

        HttpCalls.Reply reply = http.get(api.port(), "/api/campaigns/x");

        assertProblem(reply, 500, "/api/campaigns/x");
        assertThat(reply.body()).doesNotContain("secret").doesNotContain("IllegalStateException");
    }

    private StoreSource storesOfTheScenario() {
        herald = HeraldTestDriver.start(Scenario.START);
        Scenario.load(herald);
        return new DriverStoreSource(herald.driver());
    }

    private FakeCluster startOver(StoreSource stores) {
        FakeCluster cluster = new FakeCluster(directory, "A");
        HeraldQueryService service = new HeraldQueryService(new LocalQueries(stores), cluster);
        api = HttpApi.start("127.0.0.1", 0, service, metrics, Duration.ofDays(7),
                Clock.fixed(Instant.parse("2026-05-01T10:00:35Z"), ZoneOffset.UTC));
        directory.listen("A", api.port());
        return cluster;
    }
}

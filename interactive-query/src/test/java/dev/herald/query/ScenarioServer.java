package dev.herald.query;

import dev.herald.query.http.HttpApi;
import dev.herald.query.routing.SingleInstanceCluster;
import dev.herald.query.store.LocalQueries;
import dev.herald.topology.HeraldTestDriver;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneOffset;
import org.apache.kafka.streams.state.HostInfo;

/** One instance's HTTP API over the {@link Scenario} in a TopologyTestDriver, on any free port, open access. */
final class ScenarioServer implements AutoCloseable {
    final HeraldTestDriver herald = HeraldTestDriver.start(Scenario.START);
    final PrometheusMeterRegistry metrics = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    final HttpApi api;

    ScenarioServer() {
        Scenario.load(herald);
        api = HttpApi.bind("127.0.0.1", 0, metrics, HttpApi.Access.OPEN, Duration.ofDays(7),
                Clock.fixed(Scenario.NOW, ZoneOffset.UTC));
        api.attach(new HeraldQueryService(new LocalQueries(new DriverStoreSource(herald.driver())),
                new SingleInstanceCluster(new HostInfo("127.0.0.1", api.port()))));
    }

    int port() {
        return api.port();
    }

    @Override
    public void close() {
        api.close();
        herald.close();
        metrics.close();
    }
}

package dev.herald.query;

import static dev.herald.query.HttpApiContractTest.assertProblem;
import static dev.herald.topology.TestRecords.campaign;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.herald.query.http.HttpApi;
import dev.herald.query.routing.ApiToken;
import dev.herald.query.routing.Router;
import dev.herald.query.store.LocalQueries;
import dev.herald.query.store.ReplicatedLists;
import dev.herald.topology.HeraldTestDriver;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Who may ask: the optional bearer token on /api (and /metrics if asked), open health, and an instance starting. */
class AccessTest {
    private static final Instant NOW = Instant.parse("2026-05-01T10:00:00Z");
    private static final String TOKEN = "s3cret-t0ken_for.tests";
    private static final String BEARER = "Bearer " + TOKEN;

    private final HttpCalls http = new HttpCalls();
    private final FakeCluster.Directory directory = new FakeCluster.Directory("A");
    private final List<AutoCloseable> closing = new ArrayList<>();

    @AfterEach
    void stop() throws Exception {
        for (int i = closing.size() - 1; i >= 0; i--) {
            closing.get(i).close();
        }
    }

    @Test
    void withATokenEveryApiRouteNeedsItAndHealthStaysOpen() {
        HttpApi api = start("A", new HttpApi.Access(ApiToken.of(TOKEN), false), "alpha");

        for (String path : List.of("/api/campaigns", "/api/campaigns/alpha", "/api/summary", "/api/instances",
                "/api/nothing-here")) {
            HttpCalls.Reply anonymous = http.get(api.port(), path);
            assertProblem(anonymous, 401, path);
            assertThat(anonymous.body()).contains("urn:herald:problem:unauthorized");
            assertProblem(http.get(api.port(), path, "Authorization", "Bearer wrong"), 401, path);
            assertProblem(http.get(api.port(), path, "Authorization", TOKEN), 401, path);
            assertProblem(http.get(api.port(), path, "Authorization", BEARER + "x"), 401, path);
        }
        assertThat(http.get(api.port(), "/api/campaigns").body()).doesNotContain(TOKEN);
        assertThat(http.get(api.port(), "/api/campaigns/alpha", "Authorization", BEARER).status()).isEqualTo(200);
        assertThat(http.get(api.port(), "/api/campaigns", "Authorization", BEARER).status()).isEqualTo(200);
        assertThat(http.get(api.port(), "/health/live").status()).isEqualTo(200);
        assertThat(http.get(api.port(), "/health/ready").status()).isEqualTo(200);
        assertThat(http.get(api.port(), "/metrics").status()).as("metrics open unless asked").isEqualTo(200);
    }

    @Test
    void metricsCanBeProtectedToo() {
        HttpApi api = start("A", new HttpApi.Access(ApiToken.of(TOKEN), true), "alpha");

        assertProblem(http.get(api.port(), "/metrics"), 401, "/metrics");
        assertThat(http.get(api.port(), "/metrics", "Authorization", BEARER).status()).isEqualTo(200);
    }

    @Test
    void forwardedCallsCarryTheTokenToTheOwner() {
        HttpApi a = start("A", new HttpApi.Access(ApiToken.of(TOKEN), false), "alpha");
        HttpApi b = start("B", new HttpApi.Access(ApiToken.of(TOKEN), false), "beta");
        directory.own("beta", "B");

        HttpCalls.Reply viaA = http.get(a.port(), "/api/campaigns/beta", "Authorization", BEARER);
        assertThat(viaA.status()).as(viaA.body()).isEqualTo(200);
        assertThat(viaA.json().get("servedBy").asText()).isEqualTo("127.0.0.1:" + b.port());
        HttpCalls.Reply gathered = http.get(a.port(), "/api/campaigns", "Authorization", BEARER);
        assertThat(gathered.json().get("partial").asBoolean()).isFalse();
        assertThat(gathered.json().get("campaigns").findValuesAsText("id")).containsExactly("alpha", "beta");
    }

    @Test
    void anInstanceStillStartingAnswersUnavailableButLive() {
        PrometheusMeterRegistry metrics = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        closing.add(metrics::close);
        HttpApi api = HttpApi.bind("127.0.0.1", 0, metrics, HttpApi.Access.OPEN, Duration.ofDays(7),
                Clock.fixed(NOW, ZoneOffset.UTC));
        closing.add(api);

        HttpCalls.Reply starting = http.get(api.port(), "/api/campaigns");
        assertProblem(starting, 503, "/api/campaigns");
        assertThat(starting.retryAfter()).isNotNull();
        assertProblem(http.get(api.port(), "/health/ready"), 503, "/health/ready");
        assertThat(http.get(api.port(), "/health/live").status()).isEqualTo(200);

        directory.listen("A", api.port());
        api.attach(service("A", "alpha"));
        assertThat(http.get(api.port(), "/api/campaigns").status()).isEqualTo(200);
    }

    @Test
    void theTokenIsNeverPrintedAndMustBeUsable() {
        assertThat(ApiToken.of(TOKEN).toString()).doesNotContain(TOKEN);
        assertThat(ApiToken.NONE.admits(null)).isTrue();
        assertThat(ApiToken.of(TOKEN).admits(null)).isFalse();
        assertThat(ApiToken.of(TOKEN).authorization()).contains(BEARER);
        for (String bad : List.of("", "   ", "with space", "tab\there", "caf\u00e9")) {
            assertThatThrownBy(() -> ApiToken.of(bad)).as(bad).isInstanceOf(IllegalArgumentException.class);
        }
    }

    private HttpApi start(String name, HttpApi.Access access, String campaignId) {
        PrometheusMeterRegistry metrics = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        closing.add(metrics::close);
        HttpApi api = HttpApi.bind("127.0.0.1", 0, metrics, access, Duration.ofDays(7),
                Clock.fixed(NOW, ZoneOffset.UTC));
        closing.add(api);
        directory.listen(name, api.port());
        api.attach(new HeraldQueryService(new LocalQueries(new DriverStoreSource(driver(campaignId).driver())),
                new FakeCluster(directory, name), Router.DEFAULT_PEER_TIMEOUT, ReplicatedLists.NONE,
                access.token()));
        return api;
    }

    private HeraldQueryService service(String name, String campaignId) {
        return new HeraldQueryService(new LocalQueries(new DriverStoreSource(driver(campaignId).driver())),
                new FakeCluster(directory, name));
    }

    private HeraldTestDriver driver(String campaignId) {
        HeraldTestDriver driver = HeraldTestDriver.start(NOW);
        closing.add(driver);
        driver.campaigns().pipeInput(campaignId, campaign(campaignId).build(), NOW);
        return driver;
    }
}

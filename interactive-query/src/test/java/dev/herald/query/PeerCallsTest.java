package dev.herald.query;

import static dev.herald.query.HttpApiContractTest.assertProblem;
import static dev.herald.topology.TestRecords.campaign;
import static dev.herald.topology.TestRecords.manualTick;
import static dev.herald.topology.TestRecords.recipient;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.herald.query.http.HttpApi;
import dev.herald.query.store.LocalQueries;
import dev.herald.query.store.StoreSource;
import dev.herald.topology.HeraldTestDriver;
import dev.herald.topology.RunIds;
import com.sun.net.httpserver.HttpServer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;
import org.apache.kafka.streams.state.ReadOnlyWindowStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * How instances call each other: over connections kept and reused, with the owner's answer relayed as it is, every
 * peer of a gather asked at once under one deadline, and no way for instances that disagree to bounce a request.
 */
class PeerCallsTest {
    private static final Instant START = Instant.parse("2026-05-01T10:00:30Z");
    private static final Instant NOW = START.plusSeconds(5);
    private static final Instant SLOT = Instant.parse("2026-05-01T10:00:00Z");
    private static final String BETA_RUN = RunIds.of("beta", SLOT);
    private static final Duration PEER_TIMEOUT = Duration.ofSeconds(1);

    private final HttpCalls http = new HttpCalls();
    private final FakeCluster.Directory directory = new FakeCluster.Directory("A");
    private final List<HttpApi> apis = new ArrayList<>();
    private final List<HeraldTestDriver> drivers = new ArrayList<>();
    private final List<PrometheusMeterRegistry> registries = new ArrayList<>();

    @AfterEach
    void stop() {
        apis.forEach(HttpApi::close);
        drivers.forEach(HeraldTestDriver::close);
        registries.forEach(PrometheusMeterRegistry::close);
    }

    @Test
    void forwardedAndGatheredCallsReuseTheConnectionsTheyOpened() throws Exception {
        HttpApi a = start("A", stores(List.of("r1"), "alpha"), new PrometheusMeterRegistry(PrometheusConfig.DEFAULT));
        PrometheusMeterRegistry metricsB = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        start("B", stores(List.of("r2", "r3", "r4"), "beta"), metricsB);
        directory.own("beta", "B");
        directory.own(BETA_RUN, "B");

        assertThat(http.get(a.port(), "/api/runs/" + BETA_RUN).status()).isEqualTo(200);
        double first = opened(metricsB);
        assertThat(first).as("connections B accepted for the first call").isEqualTo(1);
        for (int i = 0; i < 30; i++) {
            assertThat(http.get(a.port(), "/api/runs/" + BETA_RUN).status()).isEqualTo(200);
            assertThat(http.get(a.port(), "/api/campaigns/beta").status()).isEqualTo(200);
            assertThat(http.get(a.port(), "/api/campaigns").json().get("partial").asBoolean()).isFalse();
        }
        assertThat(opened(metricsB)).as("90 calls one after another, over the first connection").isEqualTo(first);

        int concurrency = 4;
        ExecutorService clients = Executors.newFixedThreadPool(concurrency);
        try {
            List<Future<Integer>> calls = new ArrayList<>();
            for (int i = 0; i < 40; i++) {
                calls.add(clients.submit(() -> http.get(a.port(), "/api/runs/" + BETA_RUN).status()));
            }
            for (Future<Integer> call : calls) {
                assertThat(call.get()).isEqualTo(200);
            }
        } finally {
            clients.shutdownNow();
        }
        assertThat(opened(metricsB)).as("at most one connection per call in flight at once")
                .isLessThanOrEqualTo(first + concurrency);
    }

    @Test
    void theOwnersAnswerIsRelayedByteForByte() {
        HttpApi a = start("A", stores(List.of("r1"), "alpha"), new PrometheusMeterRegistry(PrometheusConfig.DEFAULT));
        HttpApi b = start("B", stores(List.of("r2", "r3"), "beta"),
                new PrometheusMeterRegistry(PrometheusConfig.DEFAULT));
        directory.own("beta", "B");
        directory.own(BETA_RUN, "B");

        for (String path : List.of("/api/runs/" + BETA_RUN, "/api/campaigns/beta",
                "/api/campaigns/beta/summary?window=1m&from=2026-05-01T10:00:00Z&to=2026-05-01T11:00:00Z")) {
            HttpCalls.Reply viaA = http.get(a.port(), path);
            HttpCalls.Reply atB = http.get(b.port(), path);
            assertThat(viaA.status()).as(path).isEqualTo(200);
            assertThat(viaA.contentType()).as(path).startsWith("application/json");
            assertThat(viaA.body()).as(path).isEqualTo(atB.body());
            assertThat(viaA.json().get("servedBy").asText()).isEqualTo("127.0.0.1:" + b.port());
        }
    }

    @Test
    void aGatherAsksEveryPeerAtOnceAndWaitsOneDeadline() {
        HttpApi a = start("A", stores(List.of("r1"), "alpha"), new PrometheusMeterRegistry(PrometheusConfig.DEFAULT));
        List<String> slow = new ArrayList<>();
        for (String name : List.of("B", "C", "D")) {
            // Each takes three deadlines to fail: asked one after another, the gather would take nine.
            HttpApi peer = start(name, new SlowStores(PEER_TIMEOUT.multipliedBy(3)),
                    new PrometheusMeterRegistry(PrometheusConfig.DEFAULT));
            slow.add("127.0.0.1:" + peer.port());
        }

        long started = System.nanoTime();
        HttpCalls.Reply campaigns = http.get(a.port(), "/api/campaigns");
        Duration took = Duration.ofNanos(System.nanoTime() - started);

        assertThat(campaigns.status()).isEqualTo(200);
        assertThat(campaigns.json().get("partial").asBoolean()).isTrue();
        assertThat(texts(campaigns.json().get("missing"))).containsExactlyInAnyOrderElementsOf(slow);
        assertThat(texts(campaigns.json().get("servedBy"))).containsExactly("127.0.0.1:" + a.port());
        assertThat(campaigns.json().get("campaigns").findValuesAsText("id")).containsExactly("alpha");
        assertThat(took).as("one deadline for all three peers").isGreaterThanOrEqualTo(PEER_TIMEOUT)
                .isLessThan(PEER_TIMEOUT.multipliedBy(2).plusMillis(500));
    }

    @Test
    void peersAnsweringErrorsOrGarbageMakeGathersPartialAndTheirKeysUnavailable() throws Exception {
        HttpApi a = start("A", stores(List.of("r1"), "alpha"), new PrometheusMeterRegistry(PrometheusConfig.DEFAULT));
        HttpServer failing = broken("B", 500, "text/html", "<html>Internal Server Error</html>");
        HttpServer garbled = broken("C", 200, "application/json", "{\"campaigns\": [tru");
        directory.own("beta", "B");
        directory.own("gamma", "C");
        try {
            HttpCalls.Reply campaigns = http.get(a.port(), "/api/campaigns");

            assertThat(campaigns.status()).isEqualTo(200);
            assertThat(campaigns.json().get("partial").asBoolean()).isTrue();
            assertThat(texts(campaigns.json().get("missing"))).containsExactlyInAnyOrder(
                    "127.0.0.1:" + failing.getAddress().getPort(), "127.0.0.1:" + garbled.getAddress().getPort());
            assertThat(campaigns.json().get("campaigns").findValuesAsText("id")).containsExactly("alpha");
            // A key whose owner answers nonsense is unavailable (retry), never a 500 or the peer's body passed on.
            assertProblem(http.get(a.port(), "/api/campaigns/beta"), 503, "/api/campaigns/beta");
            assertProblem(http.get(a.port(), "/api/campaigns/gamma"), 503, "/api/campaigns/gamma");
        } finally {
            failing.stop(0);
            garbled.stop(0);
        }
    }

    @Test
    void whenTheOwnerIsDownAStandbyOnAnotherInstanceAnswersFlaggedStaleWithinMaxLag() throws Exception {
        HttpApi a = start("A", stores(List.of("r1"), "alpha"), new PrometheusMeterRegistry(PrometheusConfig.DEFAULT));
        // B's active stores do not hold beta; its standby copy of beta's partition does, 3 records behind.
        StoreSource active = stores(List.of("r2"), "gamma");
        StoreSource standbyCopy = stores(List.of("r3"), "beta");
        HttpApi b = start("B", new StoreSource() {
            @Override
            public <K, V> ReadOnlyKeyValueStore<K, V> keyValue(String name) {
                return active.keyValue(name);
            }

            @Override
            public <K, V> ReadOnlyWindowStore<K, V> window(String name) {
                return active.window(name);
            }

            @Override
            public StoreSource replicaOf(int partition) {
                return standbyCopy;
            }
        }, new PrometheusMeterRegistry(PrometheusConfig.DEFAULT));
        int down;
        try (java.net.ServerSocket socket = new java.net.ServerSocket(0)) {
            down = socket.getLocalPort();
        }
        directory.listen("C", down); // the owner, not answering: nothing listens there any more
        directory.own("beta", "C");
        directory.standby("beta", "B", 3);

        HttpCalls.Reply reply = http.get(a.port(), "/api/campaigns/beta");
        assertThat(reply.status()).as(reply.body()).isEqualTo(200);
        assertThat(reply.json().get("id").asText()).isEqualTo("beta");
        assertThat(reply.json().get("servedBy").asText()).isEqualTo("127.0.0.1:" + b.port());
        assertThat(reply.json().get("stale").asBoolean()).isTrue();
        assertThat(reply.json().get("lag").asLong()).isEqualTo(3);
        assertThat(http.get(a.port(), "/api/campaigns/beta?maxLag=3").status()).isEqualTo(200);
        assertProblem(http.get(a.port(), "/api/campaigns/beta?maxLag=2"), 503, "/api/campaigns/beta");
        // B asked directly: it is not the owner and its plain stores lack beta, so it answers from its copy too.
        HttpCalls.Reply direct = http.get(b.port(), "/api/campaigns/beta");
        assertThat(direct.status()).as(direct.body()).isEqualTo(200);
        assertThat(direct.json().get("stale").asBoolean()).isTrue();
    }

    /** A peer at {@code name}'s address that answers every request with {@code status} and {@code body}. */
    private HttpServer broken(String name, int status, String contentType, String body) throws Exception {
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        server.createContext("/", exchange -> {
            exchange.getResponseHeaders().add("Content-Type", contentType);
            exchange.sendResponseHeaders(status, bytes.length);
            exchange.getResponseBody().write(bytes);
            exchange.close();
        });
        server.start();
        directory.listen(name, server.getAddress().getPort());
        return server;
    }

    @Test
    void instancesThatEachThinkTheOtherOwnsAKeyCannotBounceARequest() {
        HttpApi a = start("A", stores(List.of("r1"), "alpha"), new PrometheusMeterRegistry(PrometheusConfig.DEFAULT));
        HttpApi b = start("B", stores(List.of("r2"), "beta"), new PrometheusMeterRegistry(PrometheusConfig.DEFAULT));
        directory.ownAsSeenBy("A", "moving", "B");
        directory.ownAsSeenBy("B", "moving", "A");

        long started = System.nanoTime();
        HttpCalls.Reply reply = http.get(a.port(), "/api/campaigns/moving");
        Duration took = Duration.ofNanos(System.nanoTime() - started);

        // A forwards to B once; B answers from its own stores (nothing, and not the owner in its view): 503.
        assertProblem(reply, 503, "/api/campaigns/moving");
        assertThat(reply.json().get("detail").asText()).contains("127.0.0.1:" + b.port())
                .contains("does not own it");
        assertThat(took).as("answered, not bounced until a timeout").isLessThan(PEER_TIMEOUT);
        assertThat(http.get(b.port(), "/api/campaigns/moving").status()).as("and the other way round")
                .isEqualTo(503);
    }

    private StoreSource stores(List<String> recipients, String pushCampaign) {
        HeraldTestDriver driver = HeraldTestDriver.start(START);
        drivers.add(driver);
        for (String id : recipients) {
            driver.recipients().pipeInput(id, recipient(id).build(), START);
        }
        driver.campaigns().pipeInput(pushCampaign, campaign(pushCampaign).build(), START);
        driver.ticks().pipeInput(pushCampaign, manualTick(pushCampaign, SLOT), START);
        driver.advance(Duration.between(START, NOW));
        return new DriverStoreSource(driver.driver());
    }

    private HttpApi start(String name, StoreSource stores, PrometheusMeterRegistry metrics) {
        registries.add(metrics);
        HeraldQueryService service = new HeraldQueryService(new LocalQueries(stores),
                new FakeCluster(directory, name), PEER_TIMEOUT);
        HttpApi api = HttpApi.start("127.0.0.1", 0, service, metrics, Duration.ofDays(7),
                Clock.fixed(NOW, ZoneOffset.UTC));
        apis.add(api);
        directory.listen(name, api.port());
        return api;
    }

    private static double opened(PrometheusMeterRegistry metrics) {
        return metrics.get(HttpApi.CONNECTIONS_OPENED).functionCounter().count();
    }

    private static List<String> texts(JsonNode array) {
        List<String> texts = new ArrayList<>();
        array.forEach(node -> texts.add(node.asText()));
        return texts;
    }

    /** Stores that take {@code delay} to turn out not queryable, like an instance stuck in a long restore. */
    private static final class SlowStores implements StoreSource {
        private final Duration delay;

        SlowStores(Duration delay) {
            this.delay = delay;
        }

        @Override
        public <K, V> ReadOnlyKeyValueStore<K, V> keyValue(String name) {
            throw slowly(name);
        }

        @Override
        public <K, V> ReadOnlyWindowStore<K, V> window(String name) {
            throw slowly(name);
        }

        private InvalidStateStoreException slowly(String name) {
            try {
                Thread.sleep(delay.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return new InvalidStateStoreException(name + " is still restoring");
        }
    }
}

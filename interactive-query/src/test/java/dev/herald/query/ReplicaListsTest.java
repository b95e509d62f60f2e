package dev.herald.query;

import static dev.herald.query.HttpApiContractTest.assertProblem;
import static dev.herald.topology.TestRecords.campaign;
import static dev.herald.topology.TestRecords.manualTick;
import static dev.herald.topology.TestRecords.recipient;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.herald.query.http.HttpApi;
import dev.herald.query.model.CampaignItem;
import dev.herald.query.model.ChannelTotals;
import dev.herald.query.model.RunProgress;
import dev.herald.query.routing.ForwardedHeader;
import dev.herald.query.store.LocalQueries;
import dev.herald.query.store.ReplicatedLists;
import dev.herald.topology.HeraldTestDriver;
import dev.herald.topology.RunIds;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Lists answered from the replicated lists: only when the client accepts a lag ({@code maxLag}) and the replica is
 * within it, flagged {@code stale} with its {@code lag}; otherwise gathered from the instances as always.
 */
class ReplicaListsTest {
    private static final Instant START = Instant.parse("2026-05-01T10:00:30Z");
    private static final Instant NOW = START.plusSeconds(5);
    private static final Instant SLOT = Instant.parse("2026-05-01T10:00:00Z");
    /** Only the replica knows it: an answer listing it came from the replica. */
    private static final String REPLICATED = "zeta";
    private static final String REPLICATED_RUN = RunIds.of(REPLICATED, SLOT);

    private final HttpCalls http = new HttpCalls();
    private final FakeCluster.Directory directory = new FakeCluster.Directory("A");
    private final PrometheusMeterRegistry metrics = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final FakeReplica replica = new FakeReplica();
    private HeraldTestDriver driverA;
    private HeraldTestDriver driverB;
    private FakeCluster clusterA;
    private HttpApi a;
    private HttpApi b;
    private String addressA;

    @BeforeEach
    void start() {
        driverA = driver(List.of("r1", "r2"), "alpha");
        driverB = driver(List.of("r3"), "beta");
        clusterA = new FakeCluster(directory, "A");
        a = start("A", driverA, clusterA, replica);
        b = start("B", driverB, new FakeCluster(directory, "B"), ReplicatedLists.NONE);
        addressA = "127.0.0.1:" + a.port();
        directory.own("beta", "B");
    }

    @AfterEach
    void stop() {
        a.close();
        b.close();
        driverA.close();
        driverB.close();
        metrics.close();
    }

    @Test
    void withoutMaxLagListsAreGatheredAsAlways() {
        replica.lag = OptionalLong.of(0);

        JsonNode campaigns = http.get(a.port(), "/api/campaigns").json();

        assertThat(campaigns.get("campaigns").findValuesAsText("id")).containsExactly("alpha", "beta");
        assertThat(campaigns.get("servedBy")).hasSize(2);
        assertThat(campaigns.has("stale")).isFalse();
        assertThat(campaigns.has("lag")).isFalse();
    }

    @Test
    void withinMaxLagTheReplicaAnswersAndSaysHowFarBehindItIs() {
        replica.lag = OptionalLong.of(0);
        JsonNode fresh = http.get(a.port(), "/api/campaigns?maxLag=0").json();
        assertThat(fresh.get("campaigns").findValuesAsText("id")).containsExactly(REPLICATED);
        assertThat(texts(fresh.get("servedBy"))).containsExactly(addressA);
        assertThat(fresh.get("partial").asBoolean()).isFalse();
        assertThat(fresh.get("stale").asBoolean()).isFalse();
        assertThat(fresh.get("lag").asLong()).isZero();

        replica.lag = OptionalLong.of(5);
        JsonNode behind = http.get(a.port(), "/api/campaigns?maxLag=5").json();
        assertThat(behind.get("campaigns").findValuesAsText("id")).containsExactly(REPLICATED);
        assertThat(behind.get("stale").asBoolean()).isTrue();
        assertThat(behind.get("lag").asLong()).isEqualTo(5);
    }

    @Test
    void aReplicaBeyondMaxLagOrUnsureOfItsLagDoesNotAnswer() {
        replica.lag = OptionalLong.of(5);
        JsonNode tooFarBehind = http.get(a.port(), "/api/campaigns?maxLag=4").json();
        assertThat(tooFarBehind.get("campaigns").findValuesAsText("id")).containsExactly("alpha", "beta");
        assertThat(tooFarBehind.has("stale")).isFalse();

        replica.lag = OptionalLong.empty();
        JsonNode unsure = http.get(a.port(), "/api/campaigns/beta/runs?maxLag=1000000").json();
        assertThat(unsure.get("runs").findValuesAsText("runId")).containsExactly(RunIds.of("beta", SLOT));
        assertThat(unsure.get("servedBy")).hasSize(2);
        assertThat(unsure.has("lag")).isFalse();
    }

    @Test
    void aForwardedListRequestGetsThisInstancesPartNotTheReplica() {
        replica.lag = OptionalLong.of(0);

        JsonNode part = http.get(a.port(), "/api/campaigns?maxLag=0", ForwardedHeader.NAME, "127.0.0.1:1").json();

        assertThat(part.get("campaigns").findValuesAsText("id")).containsExactly("alpha");
        assertThat(part.has("stale")).isFalse();
    }

    @Test
    void runsFromTheReplicaAnd404ForACampaignItDoesNotKnow() {
        replica.lag = OptionalLong.of(0);

        JsonNode runs = http.get(a.port(), "/api/campaigns/" + REPLICATED + "/runs?maxLag=0").json();
        assertThat(runs.get("runs").findValuesAsText("runId")).containsExactly(REPLICATED_RUN);
        assertThat(runs.get("campaignId").asText()).isEqualTo(REPLICATED);
        assertThat(texts(runs.get("servedBy"))).containsExactly(addressA);
        assertThat(runs.get("stale").asBoolean()).isFalse();

        replica.campaigns.add(item("no-runs-yet"));
        HttpCalls.Reply none = http.get(a.port(), "/api/campaigns/no-runs-yet/runs?maxLag=0");
        assertThat(none.status()).isEqualTo(200);
        assertThat(none.json().get("runs")).isEmpty();

        assertProblem(http.get(a.port(), "/api/campaigns/ghost/runs?maxLag=0"), 404,
                "/api/campaigns/ghost/runs");
    }

    @Test
    void theReplicaAnswersWhileThisInstancesStoresCannot() {
        replica.lag = OptionalLong.of(0);
        clusterA.ready(false);

        assertThat(http.get(a.port(), "/api/campaigns").status()).isEqualTo(503);
        HttpCalls.Reply fromReplica = http.get(a.port(), "/api/campaigns?maxLag=0");
        assertThat(fromReplica.status()).isEqualTo(200);
        assertThat(fromReplica.json().get("campaigns").findValuesAsText("id")).containsExactly(REPLICATED);
    }

    @Test
    void maxLagIsACountOfRecordsZeroOrMore() {
        for (String bad : List.of("-1", "soon", "1.5")) {
            HttpCalls.Reply reply = http.get(a.port(), "/api/campaigns?maxLag=" + bad);
            assertProblem(reply, 400, "/api/campaigns");
            assertThat(reply.json().get("detail").asText()).contains("maxLag").contains(bad);
        }
    }

    private HeraldTestDriver driver(List<String> recipients, String pushCampaign) {
        HeraldTestDriver driver = HeraldTestDriver.start(START);
        for (String id : recipients) {
            driver.recipients().pipeInput(id, recipient(id).build(), START);
        }
        driver.campaigns().pipeInput(pushCampaign, campaign(pushCampaign).build(), START);
        driver.ticks().pipeInput(pushCampaign, manualTick(pushCampaign, SLOT), START);
        driver.advance(Duration.between(START, NOW));
        return driver;
    }

    private HttpApi start(String name, HeraldTestDriver driver, FakeCluster cluster, ReplicatedLists lists) {
        HeraldQueryService service = new HeraldQueryService(new LocalQueries(new DriverStoreSource(driver.driver())),
                cluster, Duration.ofSeconds(2), lists);
        HttpApi api = HttpApi.start("127.0.0.1", 0, service, metrics, Duration.ofDays(7),
                Clock.fixed(NOW, ZoneOffset.UTC));
        directory.listen(name, api.port());
        return api;
    }

    private static CampaignItem item(String id) {
        return new CampaignItem(id, "Campaign " + id, "SCHEDULED", List.of("PUSH"), null, null);
    }

    private static List<String> texts(JsonNode array) {
        List<String> texts = new ArrayList<>();
        array.forEach(node -> texts.add(node.asText()));
        return texts;
    }

    /** Replicated lists whose content and lag the test sets. */
    private static final class FakeReplica implements ReplicatedLists {
        volatile OptionalLong lag = OptionalLong.empty();
        final List<CampaignItem> campaigns = new ArrayList<>(List.of(item(REPLICATED)));

        @Override
        public OptionalLong lag() {
            return lag;
        }

        @Override
        public List<CampaignItem> campaigns() {
            return List.copyOf(campaigns);
        }

        @Override
        public boolean hasCampaign(String campaignId) {
            return campaigns.stream().anyMatch(c -> c.id().equals(campaignId));
        }

        @Override
        public List<RunProgress> runs(String campaignId) {
            if (!campaignId.equals(REPLICATED)) {
                return List.of();
            }
            return List.of(new RunProgress(REPLICATED_RUN, REPLICATED, SLOT, "RUNNING", 4, false, 1, null, 0, 1, 2,
                    0, false, ChannelTotals.ZERO, ChannelTotals.ZERO, Map.of(), null, null, null, SLOT, SLOT, null,
                    null, null, 0, null));
        }
    }
}

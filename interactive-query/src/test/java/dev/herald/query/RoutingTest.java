package dev.herald.query;

import static dev.herald.query.HttpApiContractTest.assertCounts;
import static dev.herald.query.HttpApiContractTest.assertProblem;
import static dev.herald.topology.TestRecords.campaign;
import static dev.herald.topology.TestRecords.manualTick;
import static dev.herald.topology.TestRecords.recipient;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.herald.avro.Channel;
import dev.herald.query.http.HttpApi;
import dev.herald.query.routing.ForwardedHeader;
import dev.herald.query.store.LocalQueries;
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
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Two instances with different data and a cluster view the test controls: forwarding, gathering, missing peers. */
class RoutingTest {
    private static final Instant START = Instant.parse("2026-05-01T10:00:30Z");
    private static final Instant NOW = START.plusSeconds(5);
    private static final Instant SLOT_A = Instant.parse("2026-05-01T10:00:00Z");
    private static final Instant SLOT_B = Instant.parse("2026-05-01T10:00:10Z");
    private static final String ALPHA_RUN = RunIds.of("alpha", SLOT_A);
    private static final String BETA_RUN = RunIds.of("beta", SLOT_A);
    private static final String SHARED_RUN_A = RunIds.of("shared", SLOT_A);
    private static final String SHARED_RUN_B = RunIds.of("shared", SLOT_B);

    private final HttpCalls http = new HttpCalls();
    private final FakeCluster.Directory directory = new FakeCluster.Directory("A");
    private final PrometheusMeterRegistry metrics = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private HeraldTestDriver driverA;
    private HeraldTestDriver driverB;
    private HttpApi a;
    private HttpApi b;
    private String addressA;
    private String addressB;

    @BeforeEach
    void start() {
        driverA = HeraldTestDriver.start(START);
        driverB = HeraldTestDriver.start(START);
        // A: recipients r1, r2; campaigns alpha (push) and shared (mail), one run each.
        load(driverA, List.of("r1", "r2"), "alpha", SLOT_A);
        // B: recipients r3, r4, r5; campaigns beta (push) and shared (mail), whose run here is a later one.
        load(driverB, List.of("r3", "r4", "r5"), "beta", SLOT_B);

        a = start("A", driverA);
        b = start("B", driverB);
        addressA = "127.0.0.1:" + a.port();
        addressB = "127.0.0.1:" + b.port();
        directory.own("beta", "B");
        directory.own(BETA_RUN, "B");
        directory.own(SHARED_RUN_B, "B");
    }

    @AfterEach
    void stop() {
        if (a != null) {
            a.close();
        }
        if (b != null) {
            b.close();
        }
        driverA.close();
        driverB.close();
        metrics.close();
    }

    @Test
    void keyedRequestForAKeyOwnedByTheOtherInstanceIsForwardedAndServedByIt() {
        HttpCalls.Reply campaign = http.get(a.port(), "/api/campaigns/beta");
        assertThat(campaign.status()).isEqualTo(200);
        assertThat(campaign.json().get("id").asText()).isEqualTo("beta");
        assertThat(campaign.json().get("servedBy").asText()).isEqualTo(addressB);

        HttpCalls.Reply run = http.get(a.port(), "/api/runs/" + BETA_RUN);
        assertThat(run.status()).isEqualTo(200);
        assertThat(run.json().get("expected").asLong()).isEqualTo(3);
        assertThat(run.json().get("servedBy").asText()).isEqualTo(addressB);

        HttpCalls.Reply summary = http.get(a.port(), "/api/campaigns/beta/summary?window=1m");
        assertThat(summary.status()).isEqualTo(200);
        assertCounts(summary.json().get("totals").get("push"), 3, 0, 0, 0, 3);
        assertThat(summary.json().get("servedBy").asText()).isEqualTo(addressB);
        assertThat(summary.json().get("window").asText()).isEqualTo("1m");
    }

    @Test
    void keyedRequestForALocalKeyIsServedLocally() {
        HttpCalls.Reply reply = http.get(a.port(), "/api/campaigns/alpha");

        assertThat(reply.status()).isEqualTo(200);
        assertThat(reply.json().get("servedBy").asText()).isEqualTo(addressA);
    }

    @Test
    void notFoundAtTheOwnerIsNotFoundForTheClient() {
        directory.own("ghost", "B");

        assertProblem(http.get(a.port(), "/api/campaigns/ghost"), 404, "/api/campaigns/ghost");
        assertProblem(http.get(a.port(), "/api/campaigns/ghost/summary"), 404, "/api/campaigns/ghost/summary");
    }

    @Test
    void forwardedRequestIsAnsweredLocallyEvenWhenThisInstanceThinksAnotherOwnsTheKey() {
        // B's view of the cluster says A owns beta, yet a forwarded request must not bounce back to A.
        directory.own("beta", "A");

        HttpCalls.Reply forwarded = http.get(b.port(), "/api/campaigns/beta",
                ForwardedHeader.NAME, addressA);
        assertThat(forwarded.status()).isEqualTo(200);
        assertThat(forwarded.json().get("servedBy").asText()).isEqualTo(addressB);

        // Without the header B does forward, to A, which has no beta.
        assertThat(http.get(b.port(), "/api/campaigns/beta").status()).isEqualTo(404);
    }

    @Test
    void forwardedRequestForAKeyNeitherHeldNorOwnedHereIsUnavailableNotNotFound() {
        HttpCalls.Reply reply = http.get(a.port(), "/api/runs/" + BETA_RUN,
                ForwardedHeader.NAME, addressB);

        assertProblem(reply, 503, "/api/runs/" + BETA_RUN);
        assertThat(reply.retryAfter()).isEqualTo("1");
    }

    @Test
    void listsAreGatheredFromEveryInstance() {
        HttpCalls.Reply campaigns = http.get(a.port(), "/api/campaigns");
        assertThat(campaigns.status()).isEqualTo(200);
        assertThat(campaigns.json().get("campaigns").findValuesAsText("id")).containsExactly("alpha", "beta",
                "shared");
        assertThat(campaigns.json().get("partial").asBoolean()).isFalse();
        assertThat(texts(campaigns.json().get("servedBy"))).containsExactlyInAnyOrder(addressA, addressB);

        HttpCalls.Reply runs = http.get(b.port(), "/api/campaigns/shared/runs");
        assertThat(runs.status()).isEqualTo(200);
        assertThat(runs.json().get("runs").findValuesAsText("runId")).containsExactly(SHARED_RUN_A, SHARED_RUN_B);
        assertThat(texts(runs.json().get("servedBy"))).containsExactlyInAnyOrder(addressA, addressB);

        HttpCalls.Reply summary = http.get(a.port(), "/api/summary");
        assertThat(summary.status()).isEqualTo(200);
        assertThat(summary.json().get("campaigns").findValuesAsText("campaignId"))
                .containsExactly("alpha", "beta", "shared");
        // shared ran on both instances: its counts are summed.
        assertCounts(summary.json().get("campaigns").get(2).get("mail"), 5, 0, 0, 0, 5);
        assertCounts(summary.json().get("totals").get("push"), 5, 0, 0, 0, 5);
        assertThat(summary.json().get("partial").asBoolean()).isFalse();
    }

    @Test
    void forwardedListRequestAnswersOnlyTheLocalPart() {
        HttpCalls.Reply reply = http.get(b.port(), "/api/campaigns", ForwardedHeader.NAME, addressA);

        assertThat(reply.json().get("campaigns").findValuesAsText("id")).containsExactly("beta", "shared");
        assertThat(texts(reply.json().get("servedBy"))).containsExactly(addressB);
    }

    @Test
    void whenAnInstanceIsDownListsArePartialAndItsKeysUnavailable() {
        b.close();
        b = null;

        HttpCalls.Reply campaigns = http.get(a.port(), "/api/campaigns");
        assertThat(campaigns.status()).isEqualTo(200);
        assertThat(campaigns.json().get("partial").asBoolean()).isTrue();
        assertThat(texts(campaigns.json().get("missing"))).containsExactly(addressB);
        assertThat(texts(campaigns.json().get("servedBy"))).containsExactly(addressA);
        assertThat(campaigns.json().get("campaigns").findValuesAsText("id")).containsExactly("alpha", "shared");

        HttpCalls.Reply summary = http.get(a.port(), "/api/summary");
        assertThat(summary.json().get("partial").asBoolean()).isTrue();
        assertThat(texts(summary.json().get("missing"))).containsExactly(addressB);

        HttpCalls.Reply runs = http.get(a.port(), "/api/campaigns/beta/runs");
        assertThat(runs.status()).as("a partial empty list is not a 404").isEqualTo(200);
        assertThat(runs.json().get("partial").asBoolean()).isTrue();

        HttpCalls.Reply campaign = http.get(a.port(), "/api/campaigns/beta");
        assertProblem(campaign, 503, "/api/campaigns/beta");
        assertThat(campaign.retryAfter()).isEqualTo("1");
        assertThat(campaign.json().get("detail").asText()).contains(addressB);
        assertProblem(http.get(a.port(), "/api/runs/" + BETA_RUN), 503, "/api/runs/" + BETA_RUN);
    }

    private HttpApi start(String name, HeraldTestDriver driver) {
        HeraldQueryService service = new HeraldQueryService(new LocalQueries(new DriverStoreSource(driver.driver())),
                new FakeCluster(directory, name), Duration.ofSeconds(2));
        HttpApi api = HttpApi.start("127.0.0.1", 0, service, metrics, Duration.ofDays(7),
                Clock.fixed(NOW, ZoneOffset.UTC));
        directory.listen(name, api.port());
        return api;
    }

    private static void load(HeraldTestDriver herald, List<String> recipients, String pushCampaign,
            Instant sharedSlot) {
        for (String id : recipients) {
            herald.recipients().pipeInput(id, recipient(id).build(), START);
        }
        herald.campaigns().pipeInput(pushCampaign, campaign(pushCampaign).build(), START);
        herald.campaigns().pipeInput("shared", campaign("shared").setChannels(List.of(Channel.MAIL)).build(), START);
        herald.ticks().pipeInput(pushCampaign, manualTick(pushCampaign, SLOT_A), START);
        herald.ticks().pipeInput("shared", manualTick("shared", sharedSlot), START);
        herald.advance(Duration.between(START, NOW));
    }

    private static List<String> texts(JsonNode array) {
        List<String> texts = new ArrayList<>();
        array.forEach(node -> texts.add(node.asText()));
        return texts;
    }
}

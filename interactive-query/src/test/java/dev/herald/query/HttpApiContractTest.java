package dev.herald.query;

import static dev.herald.query.Scenario.DIGEST;
import static dev.herald.query.Scenario.NOW;
import static dev.herald.query.Scenario.PAUSED;
import static dev.herald.query.Scenario.SPRING;
import static dev.herald.query.Scenario.SPRING_RUN;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.herald.avro.Channel;
import dev.herald.avro.FanoutReport;
import dev.herald.avro.Outcome;
import dev.herald.avro.Result;
import dev.herald.avro.RunEvent;
import dev.herald.avro.RunSummary;
import dev.herald.avro.Summary;
import dev.herald.query.http.HttpApi;
import dev.herald.query.routing.SingleInstanceCluster;
import dev.herald.query.store.LocalQueries;
import dev.herald.topology.HeraldTestDriver;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.HostInfo;
import org.apache.kafka.streams.state.ValueAndTimestamp;
import org.apache.kafka.streams.state.WindowStoreIterator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The HTTP contract, over the stores of the real topology in a TopologyTestDriver: no broker, real HTTP. */
class HttpApiContractTest {
    private static final Duration RETENTION = Duration.ofDays(7);

    private final HttpCalls http = new HttpCalls();
    private HeraldTestDriver herald;
    private PrometheusMeterRegistry metrics;
    private HttpApi api;
    private String self;

    @BeforeEach
    void start() throws IOException {
        herald = HeraldTestDriver.start(Scenario.START);
        Scenario.load(herald);
        metrics = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        // Bound first on any free port, so the cluster can be told the address actually bound.
        api = HttpApi.bind("127.0.0.1", 0, metrics, HttpApi.Access.OPEN, RETENTION, Clock.fixed(NOW, ZoneOffset.UTC));
        self = "127.0.0.1:" + api.port();
        api.attach(new HeraldQueryService(new LocalQueries(new DriverStoreSource(herald.driver())),
                new SingleInstanceCluster(new HostInfo("127.0.0.1", api.port()))));
    }

    @AfterEach
    void stop() {
        if (api != null) {
            api.close();
        }
        herald.close();
        metrics.close();
    }

    @Test
    void campaignListShowsEveryCampaignSortedByIdWithScheduleAndNextFire() {
        HttpCalls.Reply reply = get("/api/campaigns");

        assertThat(reply.status()).isEqualTo(200);
        assertThat(reply.contentType()).startsWith("application/json");
        JsonNode campaigns = reply.json().get("campaigns");
        assertThat(campaigns.findValuesAsText("id")).containsExactly(PAUSED, SPRING, DIGEST);
        JsonNode digest = campaigns.get(2);
        assertThat(digest.get("name").asText()).isEqualTo("Weekly digest");
        assertThat(digest.get("status").asText()).isEqualTo("SCHEDULED");
        assertThat(digest.get("channels").toString()).isEqualTo("[\"MAIL\"]");
        assertThat(digest.get("schedule").get("type").asText()).isEqualTo("CRON");
        assertThat(digest.get("schedule").get("cron").asText()).isEqualTo("0 9 * * MON");
        assertThat(digest.get("schedule").get("timeZone").asText()).isEqualTo("Europe/Paris");
        // Monday 09:00 in Paris (CEST) after Friday 1 May 2026.
        assertThat(digest.get("nextFireAt").asText()).isEqualTo("2026-05-04T07:00:00Z");
        JsonNode spring = campaigns.get(1);
        assertThat(spring.get("schedule").get("sendAt").asText()).isEqualTo("2099-01-01T00:00:00Z");
        assertThat(spring.get("nextFireAt").asText()).isEqualTo("2099-01-01T00:00:00Z");
        assertThat(campaigns.get(0).get("status").asText()).isEqualTo("PAUSED");
        assertThat(reply.json().get("partial").asBoolean()).isFalse();
        assertThat(reply.json().get("missing").isEmpty()).isTrue();
        assertThat(reply.json().get("servedBy").toString()).isEqualTo("[\"" + self + "\"]");
    }

    @Test
    void campaignDetailShowsTheWholeDefinitionAndTheSchedulersView() {
        HttpCalls.Reply reply = get("/api/campaigns/" + SPRING);

        assertThat(reply.status()).isEqualTo(200);
        assertThat(reply.contentType()).startsWith("application/json");
        JsonNode c = reply.json();
        assertThat(c.get("id").asText()).isEqualTo(SPRING);
        assertThat(c.get("description").asText()).isEqualTo("Twenty percent off everything");
        assertThat(c.get("owner").asText()).isEqualTo("marketing");
        assertThat(c.get("status").asText()).isEqualTo("SCHEDULED");
        assertThat(c.get("channels").toString()).isEqualTo("[\"PUSH\",\"MAIL\"]");
        assertThat(c.get("audience").get("segments").toString()).isEqualTo("[\"all\"]");
        assertThat(c.get("push").get("title").asText()).isEqualTo("Hi {{firstName}}");
        assertThat(c.get("push").get("data").get("campaign").asText()).isEqualTo("{{campaign.id}}");
        assertThat(c.get("mail").get("subject").asText()).isEqualTo("Hello {{firstName}}");
        assertThat(c.get("limits").get("messagesPerSecond").asInt()).isEqualTo(500);
        assertThat(c.get("limits").get("quietHours").get("start").asText()).isEqualTo("22:00");
        assertThat(c.get("createdAt").asText()).isEqualTo("2026-01-01T00:00:00Z");
        assertThat(c.get("nextFireAt").asText()).isEqualTo("2099-01-01T00:00:00Z");
        assertThat(c.has("lastScheduledFor")).isTrue();
        assertThat(c.get("servedBy").asText()).isEqualTo(self);
    }

    @Test
    void unknownCampaignIsANotFoundProblem() {
        HttpCalls.Reply reply = get("/api/campaigns/nope");

        assertProblem(reply, 404, "/api/campaigns/nope");
        assertThat(reply.json().get("detail").asText()).contains("nope");
    }

    @Test
    void minuteSummaryCountsWhatTheTopologyCounted() {
        HttpCalls.Reply reply = get("/api/campaigns/" + SPRING
                + "/summary?window=1m&from=2026-05-01T09:00:00Z&to=2026-05-01T11:00:00Z");

        assertThat(reply.status()).isEqualTo(200);
        JsonNode s = reply.json();
        assertThat(s.get("campaignId").asText()).isEqualTo(SPRING);
        assertThat(s.get("window").asText()).isEqualTo("1m");
        assertThat(s.get("from").asText()).isEqualTo("2026-05-01T09:00:00Z");
        assertThat(s.get("to").asText()).isEqualTo("2026-05-01T11:00:00Z");
        assertThat(s.get("servedBy").asText()).isEqualTo(self);
        List<KeyValue<Long, ValueAndTimestamp<Summary>>> stored = new ArrayList<>();
        try (WindowStoreIterator<ValueAndTimestamp<Summary>> it = herald.minuteSummaries().fetch(SPRING,
                Instant.parse("2026-05-01T09:00:00Z"), Instant.parse("2026-05-01T11:00:00Z"))) {
            it.forEachRemaining(stored::add);
        }
        assertThat(stored).hasSize(1);
        Summary minute = stored.get(0).value.value();
        JsonNode window = s.get("windows").get(0);
        assertThat(s.get("windows")).hasSize(1);
        assertThat(window.get("start").asText()).isEqualTo(Instant.ofEpochMilli(stored.get(0).key).toString());
        assertThat(window.get("start").asText()).isEqualTo("2026-05-01T10:00:00Z");
        assertThat(window.get("end").asText()).isEqualTo("2026-05-01T10:01:00Z");
        assertCounts(window.get("push"), minute.getPush().getSuccess(), minute.getPush().getError(),
                minute.getPush().getMissing(), minute.getPush().getFiltered(), minute.getPush().getMessages());
        assertCounts(window.get("push"), 4, 0, 1, 1, 4);
        assertCounts(window.get("mail"), 5, 0, 0, 1, 5);
        assertThat(window.get("reasons").toString()).isEqualTo("{\"no_push_token\":1,\"opt_out\":2}");
        assertThat(s.get("totals").get("push")).isEqualTo(window.get("push"));
        assertThat(s.get("totals").get("mail")).isEqualTo(window.get("mail"));
        assertThat(s.get("totals").get("reasons")).isEqualTo(window.get("reasons"));
    }

    @Test
    void summaryDefaultsToHourlyWindowsOverTheLastDay() {
        HttpCalls.Reply reply = get("/api/campaigns/" + DIGEST + "/summary");

        assertThat(reply.status()).isEqualTo(200);
        JsonNode s = reply.json();
        assertThat(s.get("window").asText()).isEqualTo("1h");
        assertThat(s.get("to").asText()).isEqualTo(NOW.toString());
        assertThat(s.get("from").asText()).isEqualTo(NOW.minus(Duration.ofHours(24)).toString());
        assertThat(s.get("windows")).hasSize(1);
        assertThat(s.get("windows").get(0).get("start").asText()).isEqualTo("2026-05-01T10:00:00Z");
        assertThat(s.get("windows").get(0).get("end").asText()).isEqualTo("2026-05-01T11:00:00Z");
        assertCounts(s.get("totals").get("push"), 0, 0, 0, 0, 0);
        assertCounts(s.get("totals").get("mail"), 5, 0, 0, 1, 5);
        assertThat(s.get("totals").get("reasons").toString()).isEqualTo("{\"opt_out\":1}");
    }

    @Test
    void summaryOfAKnownCampaignWithoutOutcomesIsEmptyAndOfAnUnknownOneIsNotFound() {
        HttpCalls.Reply paused = get("/api/campaigns/" + PAUSED + "/summary");
        assertThat(paused.status()).isEqualTo(200);
        assertThat(paused.json().get("windows").isEmpty()).isTrue();
        assertCounts(paused.json().get("totals").get("push"), 0, 0, 0, 0, 0);

        assertProblem(get("/api/campaigns/nope/summary"), 404, "/api/campaigns/nope/summary");
    }

    @ParameterizedTest(name = "{0} -> 400 mentioning {1}")
    @CsvSource(delimiter = '|', value = {
        "from=yesterday                                          | 'from'",
        "to=2026-13-01T00:00:00Z                                 | 'to'",
        "from=2026-05-01T11:00:00Z&to=2026-05-01T10:00:00Z       | is after to",
        "window=5m                                               | 'window' must be 1m or 1h (was '5m')",
        "to=2026-04-20T00:00:00Z                                 | beyond retention of P7D",
    })
    void invalidSummaryParametersAreBadRequestProblemsThatSayWhy(String query, String detail) {
        HttpCalls.Reply reply = get("/api/campaigns/" + SPRING + "/summary?" + query);

        assertProblem(reply, 400, "/api/campaigns/" + SPRING + "/summary");
        assertThat(reply.json().get("detail").asText()).contains(detail);
    }

    @Test
    void allCampaignSummaryRejectsTheSameParameters() {
        assertProblem(get("/api/summary?from=2026-05-01T10:00:00"), 400, "/api/summary");
        assertProblem(get("/api/summary?to=2026-04-01T00:00:00Z"), 400, "/api/summary");
        assertThat(get("/api/summary?to=2026-04-01T00:00:00Z").json().get("detail").asText())
                .contains("beyond retention of P7D");
    }

    @Test
    void aFromOlderThanTheRetentionIsClampedToTheOldestRetainedInstantAndTheAnswerSaysSo() {
        Instant oldest = NOW.minus(RETENTION);
        HttpCalls.Reply campaign = get("/api/campaigns/" + SPRING + "/summary?window=1m&from=2026-04-01T00:00:00Z");
        HttpCalls.Reply all = get("/api/summary?from=2026-04-01T00:00:00Z");
        HttpCalls.Reply within = get("/api/campaigns/" + SPRING + "/summary?window=1m&from=" + oldest);

        assertThat(campaign.status()).isEqualTo(200);
        assertThat(campaign.json().get("retainedFrom").asText()).isEqualTo(oldest.toString());
        assertThat(campaign.json().get("from").asText()).isEqualTo(oldest.toString());
        assertThat(campaign.json().get("windows")).isNotEmpty();
        assertThat(all.status()).isEqualTo(200);
        assertThat(all.json().get("retainedFrom").asText()).isEqualTo(oldest.toString());
        assertThat(all.json().get("campaigns")).isNotEmpty();
        assertThat(within.json().has("retainedFrom")).isFalse();
    }

    @Test
    void campaignRunsListTheCompletedRun() {
        HttpCalls.Reply reply = get("/api/campaigns/" + SPRING + "/runs");

        assertThat(reply.status()).isEqualTo(200);
        JsonNode runs = reply.json().get("runs");
        assertThat(runs).hasSize(1);
        assertThat(runs.get(0).get("runId").asText()).isEqualTo(SPRING_RUN);
        assertThat(runs.get(0).get("scheduledFor").asText()).isEqualTo("2026-05-01T10:00:00Z");
        assertThat(runs.get(0).get("status").asText()).isEqualTo("COMPLETED");
        assertThat(reply.json().get("campaignId").asText()).isEqualTo(SPRING);
        assertThat(reply.json().get("partial").asBoolean()).isFalse();
        assertThat(reply.json().get("servedBy").toString()).isEqualTo("[\"" + self + "\"]");
    }

    @Test
    void runsOfAKnownCampaignThatNeverRanAreEmptyAndOfAnUnknownOneNotFound() {
        HttpCalls.Reply paused = get("/api/campaigns/" + PAUSED + "/runs");
        assertThat(paused.status()).isEqualTo(200);
        assertThat(paused.json().get("runs").isEmpty()).isTrue();

        assertProblem(get("/api/campaigns/nope/runs"), 404, "/api/campaigns/nope/runs");
    }

    @Test
    void runShowsCompletedProgressWithCountsEqualToTheOutbox() {
        HttpCalls.Reply reply = get("/api/runs/" + SPRING_RUN);

        assertThat(reply.status()).isEqualTo(200);
        assertThat(reply.contentType()).startsWith("application/json");
        JsonNode run = reply.json();
        RunSummary stored = herald.runStore().get(SPRING_RUN);
        assertThat(run.get("runId").asText()).isEqualTo(SPRING_RUN);
        assertThat(run.get("campaignId").asText()).isEqualTo(SPRING);
        assertThat(run.get("status").asText()).isEqualTo("COMPLETED");
        assertThat(run.get("complete").asBoolean()).isTrue();
        assertThat(run.get("expected").asLong()).isEqualTo(stored.getExpected()).isEqualTo(12);
        assertThat(run.get("counted").asLong()).isEqualTo(12);
        assertThat(run.get("percent").asDouble()).isEqualTo(100.0);
        assertThat(run.get("partitionsReported").asInt()).isEqualTo(1);
        assertThat(run.get("partitionCount").asInt()).isEqualTo(1);
        assertCounts(run.get("push"), 4, 0, 1, 1, herald.pushOutbox().getQueueSize());
        assertCounts(run.get("mail"), 5, 0, 0, 1, herald.mailOutbox().readValuesToList().stream()
                .filter(m -> m.getCampaignId().equals(SPRING)).count());
        assertThat(run.get("reasons").toString()).isEqualTo("{\"no_push_token\":1,\"opt_out\":2}");
        assertThat(run.get("startedAt").asText()).isEqualTo(stored.getStartedAt().toString());
        assertThat(run.get("completedAt").asText()).isEqualTo(stored.getCompletedAt().toString());
        assertThat(run.get("updatedAt").asText()).isEqualTo(stored.getUpdatedAt().toString());
        assertThat(run.get("servedBy").asText()).isEqualTo(self);
    }

    @Test
    void runPercentIsUnknownUntilEveryPartitionHasReported() {
        String runId = "multi@2026-05-01T10:00:00Z";
        var events = herald.runEvents();
        events.pipeInput(runId, report(runId, 0, 2), Scenario.NOW);
        events.pipeInput(runId, outcome(runId, "r1", Result.SUCCESS, null), Scenario.NOW);
        events.pipeInput(runId, outcome(runId, "r2", Result.FILTERED, "opt_out"), Scenario.NOW);
        events.pipeInput(runId, report(runId, 1, 1), Scenario.NOW);

        JsonNode running = get("/api/runs/" + runId).json();
        assertThat(running.get("status").asText()).isEqualTo("RUNNING");
        assertThat(running.get("complete").asBoolean()).isFalse();
        assertThat(running.get("expected").asLong()).isEqualTo(3);
        assertThat(running.get("counted").asLong()).isEqualTo(2);
        assertThat(running.get("partitionsReported").asInt()).isEqualTo(2);
        assertThat(running.get("partitionCount").asInt()).isEqualTo(3);
        assertThat(running.get("percent").isNull()).as("total not known yet").isTrue();
        assertThat(running.get("completedAt").isNull()).isTrue();

        events.pipeInput(runId, report(runId, 2, 0), Scenario.NOW);
        JsonNode waiting = get("/api/runs/" + runId).json();
        assertThat(waiting.get("status").asText()).isEqualTo("RUNNING");
        assertThat(waiting.get("percent").asDouble()).isEqualTo(66.6);

        events.pipeInput(runId, outcome(runId, "r3", Result.ERROR, "template_error"), Scenario.NOW);
        JsonNode done = get("/api/runs/" + runId).json();
        assertThat(done.get("status").asText()).isEqualTo("COMPLETED");
        assertThat(done.get("complete").asBoolean()).isTrue();
        assertThat(done.get("percent").asDouble()).isEqualTo(100.0);
    }

    @Test
    void defaultFromIsClampedToTheRetention() {
        HttpCalls.Reply reply = get("/api/campaigns/" + SPRING + "/summary?to=2026-04-25T00:00:00Z");

        assertThat(reply.status()).isEqualTo(200);
        assertThat(reply.json().get("from").asText()).isEqualTo(NOW.minus(RETENTION).toString());
        assertThat(reply.json().get("to").asText()).isEqualTo("2026-04-25T00:00:00Z");
    }

    @Test
    void unknownRunIsANotFoundProblem() {
        assertProblem(get("/api/runs/" + SPRING + "@2026-05-01T11:00:00Z"), 404,
                "/api/runs/" + SPRING + "@2026-05-01T11:00:00Z");
    }

    @Test
    void allCampaignSummaryTotalsEachCampaignAndEverything() {
        HttpCalls.Reply reply = get("/api/summary");

        assertThat(reply.status()).isEqualTo(200);
        JsonNode s = reply.json();
        assertThat(s.get("window").asText()).isEqualTo("1h");
        assertThat(s.get("to").asText()).isEqualTo(NOW.toString());
        assertThat(s.get("campaigns").findValuesAsText("campaignId")).containsExactly(SPRING, DIGEST);
        assertCounts(s.get("campaigns").get(0).get("push"), 4, 0, 1, 1, 4);
        assertCounts(s.get("campaigns").get(1).get("mail"), 5, 0, 0, 1, 5);
        assertCounts(s.get("totals").get("push"), 4, 0, 1, 1, 4);
        assertCounts(s.get("totals").get("mail"), 10, 0, 0, 2, 10);
        assertThat(s.get("totals").get("reasons").toString()).isEqualTo("{\"no_push_token\":1,\"opt_out\":3}");
        assertThat(s.get("partial").asBoolean()).isFalse();
        assertThat(s.get("servedBy").toString()).isEqualTo("[\"" + self + "\"]");
    }

    @Test
    void allCampaignSummaryOutsideTheRangeIsEmpty() {
        HttpCalls.Reply reply = get("/api/summary?from=2026-04-30T00:00:00Z&to=2026-04-30T12:00:00Z");

        assertThat(reply.status()).isEqualTo(200);
        assertThat(reply.json().get("campaigns").isEmpty()).isTrue();
        assertCounts(reply.json().get("totals").get("mail"), 0, 0, 0, 0, 0);
    }

    @Test
    void instancesListThisInstanceAndItsState() {
        HttpCalls.Reply reply = get("/api/instances");

        assertThat(reply.status()).isEqualTo(200);
        assertThat(reply.json().get("instances")).hasSize(1);
        assertThat(reply.json().get("instances").get(0).get("address").asText()).isEqualTo(self);
        assertThat(reply.json().get("instances").get(0).get("self").asBoolean()).isTrue();
        assertThat(reply.json().get("state").asText()).isEqualTo("RUNNING");
        assertThat(reply.json().get("servedBy").asText()).isEqualTo(self);
    }

    @Test
    void healthIsLiveAndReady() {
        HttpCalls.Reply live = get("/health/live");
        assertThat(live.status()).isEqualTo(200);
        assertThat(live.json().get("status").asText()).isEqualTo("UP");

        HttpCalls.Reply ready = get("/health/ready");
        assertThat(ready.status()).isEqualTo(200);
        assertThat(ready.json().get("status").asText()).isEqualTo("UP");
    }

    @Test
    void metricsArePrometheusTextWithWhatIsBoundToTheRegistry() {
        new JvmMemoryMetrics().bindTo(metrics);
        Counter.builder("herald.test.requests").register(metrics).increment(3);

        HttpCalls.Reply reply = get("/metrics");

        assertThat(reply.status()).isEqualTo(200);
        assertThat(reply.contentType()).startsWith("text/plain").contains("version=0.0.4");
        assertThat(reply.body()).contains("herald_test_requests_total 3.0").contains("jvm_memory_used_bytes");
    }

    @Test
    void keyedAnswersAreTheValuesOwnFieldsWithOneServedByAndGatheredOnesListTheirServers() {
        for (String keyed : List.of("/api/campaigns/" + SPRING, "/api/campaigns/" + SPRING + "/summary",
                "/api/runs/" + SPRING_RUN)) {
            JsonNode body = get(keyed).json();
            assertThat(body.has("value")).as(keyed).isFalse();
            assertThat(body.get("servedBy").isTextual()).as(keyed).isTrue();
        }
        for (String gathered : List.of("/api/campaigns", "/api/campaigns/" + SPRING + "/runs", "/api/summary")) {
            JsonNode body = get(gathered).json();
            assertThat(body.has("value")).as(gathered).isFalse();
            assertThat(body.get("servedBy").isArray()).as(gathered).isTrue();
            assertThat(body.get("missing").isArray()).as(gathered).isTrue();
            assertThat(body.get("partial").isBoolean()).as(gathered).isTrue();
        }
    }

    @Test
    void unknownRouteIsANotFoundProblem() {
        assertProblem(get("/api/nothing-here"), 404, "/api/nothing-here");
    }

    private HttpCalls.Reply get(String pathAndQuery) {
        return http.get(api.port(), pathAndQuery);
    }

    static void assertProblem(HttpCalls.Reply reply, int status, String instance) {
        assertThat(reply.status()).as(reply.body()).isEqualTo(status);
        assertThat(reply.contentType()).startsWith("application/problem+json");
        JsonNode problem = reply.json();
        assertThat(problem.get("status").asInt()).isEqualTo(status);
        assertThat(problem.get("type").asText()).isNotBlank();
        assertThat(problem.get("title").asText()).isNotBlank();
        assertThat(problem.get("detail").asText()).isNotBlank();
        assertThat(problem.get("instance").asText()).isEqualTo(instance);
        assertThat(reply.body()).doesNotContain("\tat ").doesNotContain("Exception");
    }

    static void assertCounts(JsonNode counts, long success, long error, long missing, long filtered, long messages) {
        assertThat(counts.get("success").asLong()).as("success in %s", counts).isEqualTo(success);
        assertThat(counts.get("error").asLong()).as("error in %s", counts).isEqualTo(error);
        assertThat(counts.get("missing").asLong()).as("missing in %s", counts).isEqualTo(missing);
        assertThat(counts.get("filtered").asLong()).as("filtered in %s", counts).isEqualTo(filtered);
        assertThat(counts.get("messages").asLong()).as("messages in %s", counts).isEqualTo(messages);
    }

    private static RunEvent report(String runId, int partition, long deliveries) {
        return new RunEvent(FanoutReport.newBuilder().setRunId(runId).setCampaignId("multi").setPartition(partition)
                .setPartitionCount(3).setDeliveries(deliveries).build());
    }

    private static RunEvent outcome(String runId, String recipient, Result result, String reason) {
        return new RunEvent(Outcome.newBuilder().setCampaignId("multi").setRunId(runId).setRecipientId(recipient)
                .setChannel(Channel.PUSH).setResult(result).setReason(reason)
                .setMessages(result == Result.SUCCESS ? 1 : 0).build());
    }

}

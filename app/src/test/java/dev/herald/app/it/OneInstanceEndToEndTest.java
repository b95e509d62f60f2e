package dev.herald.app.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.herald.app.Herald;
import dev.herald.avro.MailMessage;
import dev.herald.avro.PushMessage;
import dev.herald.avro.RunSummary;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.TransactionListing;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

/** One Herald instance on a real broker: the outboxes hold exactly the expected messages and HTTP agrees with them. */
class OneInstanceEndToEndTest {
    private static final int RECIPIENTS = 300;

    @Test
    void outboxesHoldExactlyTheExpectedMessagesAndHttpSummariesMatchThem() throws Exception {
        try (HeraldFixture fixture = new HeraldFixture();
             Herald herald = fixture.start(fixture.settings("one", 2))) {
            HeraldFixture.awaitRunning(herald);
            fixture.produce(fixture.topics.recipients(), Population.recipients(RECIPIENTS));
            fixture.produce(fixture.topics.campaigns(), Map.of("news", Population.campaign("news", null)));
            HeraldFixture.await("campaign visible over HTTP",
                    () -> fixture.getRaw(herald, "/api/campaigns/news").statusCode() == 200);

            Instant slot = Population.SLOT;
            String runId = "news@" + slot;
            fixture.produce(fixture.topics.scheduleTicks(), Map.of("news", Population.tick("news", slot)));
            String runPath = "/api/runs/" + URLEncoder.encode(runId, StandardCharsets.UTF_8);
            HeraldFixture.await("run completed", () -> fixture.getRaw(herald, runPath).statusCode() == 200
                    && "COMPLETED".equals(fixture.get(herald, runPath).path("status").asText()));

            HeraldFixture.Outboxes outboxes = fixture.assertOutboxesMatchRun(herald, runPath, RECIPIENTS);
            List<ConsumerRecord<String, PushMessage>> push = outboxes.push();
            List<ConsumerRecord<String, MailMessage>> mail = outboxes.mail();
            assertThat(push).allSatisfy(r -> assertThat(r.key()).isEqualTo(r.value().getRecipientId()));
            assertThat(outboxes.run().path("percent").asDouble()).isEqualTo(100.0);

            JsonNode summary = fixture.get(herald, "/api/campaigns/news/summary?window=1h");
            assertThat(summary.path("totals").path("push").path("messages").asLong()).isEqualTo(push.size());
            assertThat(summary.path("totals").path("mail").path("messages").asLong()).isEqualTo(mail.size());
            // Opt-outs (filtered) and recipients without a token (missing) are different people: each rule shows.
            assertThat(summary.path("totals").path("push").path("filtered").asLong())
                    .isEqualTo(Population.expectedPushFiltered(RECIPIENTS)).isPositive();
            assertThat(summary.path("totals").path("push").path("missing").asLong())
                    .isEqualTo(Population.expectedPushMissing(RECIPIENTS)).isPositive();

            List<ConsumerRecord<String, RunSummary>> completions = fixture.readCommitted(fixture.topics.runSummaries(), 1);
            assertThat(completions).singleElement().satisfies(c -> {
                assertThat(c.key()).isEqualTo(runId);
                assertThat(c.value().getExpected()).isEqualTo(2L * RECIPIENTS);
                assertThat(c.value().getReportedPartitions()).containsExactlyInAnyOrder(0, 1);
            });
            // Bound on port 0: the port actually bound is the one advertised to the other instances.
            assertThat(fixture.get(herald, "/api/instances").path("instances").findValuesAsText("address"))
                    .containsExactly("127.0.0.1:" + herald.httpPort());
            // exactly_once_v2 is what the running application does, not only what a default says: its producers
            // are transactional, with ids derived from the application id (at_least_once has none).
            try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
                    fixture.kafka.bootstrapServers()))) {
                assertThat(admin.listTransactions().all().get())
                        .extracting(TransactionListing::transactionalId)
                        .anyMatch(id -> id.startsWith(fixture.applicationId + "-"));
            }
            // Counters are bound a few seconds after their first count (HeraldMeters' refresh): wait for the ones read.
            HeraldFixture.await("Herald counters in /metrics", () -> fixture.getRaw(herald, "/metrics").body()
                    .contains("herald_channels_outcomes_total{channel=\"PUSH\",result=\"SUCCESS\""));
            String metrics = fixture.getRaw(herald, "/metrics").body();
            assertThat(metrics).contains("herald_channels_outcomes_total{channel=\"PUSH\",result=\"SUCCESS\"")
                    .contains("herald_jobs_runs_started_total").contains("kafka_stream_");
        }
    }
}

package dev.herald.app.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.herald.app.Herald;
import dev.herald.avro.MailMessage;
import dev.herald.avro.PushMessage;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

/** An instance stopped in the middle of a run resumes it after a restart: complete, nothing duplicated, counts equal. */
class RestartTest {
    private static final int RECIPIENTS = 3_000;

    @Test
    void runInterruptedByAStopCompletesAfterRestartWithoutDuplicates() throws Exception {
        try (HeraldFixture fixture = new HeraldFixture()) {
            Map<String, String> settings = fixture.settings("restart", 2);
            Instant slot = Population.SLOT;
            String runPath = "/api/runs/" + URLEncoder.encode("slow@" + slot, StandardCharsets.UTF_8);

            try (Herald first = fixture.start(settings)) {
                HeraldFixture.awaitRunning(first);
                fixture.produce(fixture.topics.recipients(), Population.recipients(RECIPIENTS));
                // 200 deliveries a second: the run's 6,000 deliveries take about thirty seconds, so the stop lands
                // mid-run even when a loaded machine notices "under way" late (at 1,500/s and at 500/s it sometimes did not).
                fixture.produce(fixture.topics.campaigns(), Map.of("slow", Population.campaign("slow", 200)));
                HeraldFixture.await("campaign visible",
                        () -> fixture.getRaw(first, "/api/campaigns/slow").statusCode() == 200);
                fixture.produce(fixture.topics.scheduleTicks(), Map.of("slow", Population.tick("slow", slot)));
                HeraldFixture.await("run under way", () -> fixture.getRaw(first, runPath).statusCode() == 200
                        && fixture.get(first, runPath).path("counted").asLong() > 500);
            }
            assertThat(fixture.readCommitted(fixture.topics.runSummaries())).as("not complete when stopped").isEmpty();
            long sentBeforeRestart = fixture.readCommitted(fixture.topics.pushOutbox()).size();
            assertThat(sentBeforeRestart).isPositive().isLessThan(Population.expectedPushMessages(RECIPIENTS));

            try (Herald second = fixture.start(settings)) {
                HeraldFixture.await("run completed after restart", () -> fixture.getRaw(second, runPath)
                        .statusCode() == 200 && "COMPLETED".equals(fixture.get(second, runPath).path("status").asText()));

                HeraldFixture.Outboxes outboxes = fixture.assertOutboxesMatchRun(second, runPath, RECIPIENTS);
                List<ConsumerRecord<String, PushMessage>> push = outboxes.push();
                List<ConsumerRecord<String, MailMessage>> mail = outboxes.mail();
                JsonNode summary = fixture.get(second, "/api/campaigns/slow/summary?window=1m");
                assertThat(summary.path("totals").path("push").path("messages").asLong()).isEqualTo(push.size());
                assertThat(summary.path("totals").path("mail").path("messages").asLong()).isEqualTo(mail.size());
                assertThat(fixture.readCommitted(fixture.topics.runSummaries(), 1)).hasSize(1);
            }
        }
    }
}

package dev.herald.app.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.herald.app.Herald;
import dev.herald.avro.Campaign;
import dev.herald.avro.CampaignStatus;
import dev.herald.avro.ChannelCounts;
import dev.herald.avro.MailMessage;
import dev.herald.avro.PushMessage;
import dev.herald.avro.RunAction;
import dev.herald.avro.RunControl;
import dev.herald.avro.RunState;
import dev.herald.avro.RunStatus;
import dev.herald.avro.RunSummary;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

/**
 * On a real broker, runs obey their operator in flight: a paused run produces nothing more, stays paused across a
 * restart and, resumed, completes with exactly one outbox message per delivery; a cancelled campaign ends its run
 * CANCELLED once, with what was not produced counted as not sent and the outboxes holding only what was.
 */
class RunControlOnBrokerTest {
    private static final int RECIPIENTS = 1_500;
    /** Population's campaigns reach every recipient (segment "all", no attribute filter) on push and mail. */
    private static final long DELIVERIES = 2L * RECIPIENTS;
    /** 200 deliveries a second: the run's 3,000 deliveries take about fifteen seconds, so controls land mid-run. */
    private static final int RATE = 200;

    @Test
    void pausedRunSurvivesARestartAndResumesWithoutDuplicates() throws Exception {
        try (HeraldFixture fixture = new HeraldFixture()) {
            Map<String, String> settings = fixture.settings("paused", 2);
            String campaignId = "paced";
            String runId = campaignId + "@" + Population.SLOT;
            String runPath = runPath(runId);

            Sent paused;
            long countedWhenPaused;
            try (Herald first = fixture.start(settings)) {
                HeraldFixture.awaitRunning(first);
                startRun(fixture, first, campaignId, runPath);

                fixture.produce(fixture.topics.runControls(), Map.of(campaignId, control(runId, RunAction.PAUSE)));
                HeraldFixture.await("run PAUSED", () -> "PAUSED".equals(status(fixture, first, runPath)));
                // The ledger is PAUSED once both partitions reported it, after their last deliveries: the committed
                // outboxes are final then, and the outcomes of the last steps reach the ledger soon after.
                HeraldFixture.await("outcomes of the deliveries before the pause counted",
                        () -> sent(fixture).matches(fixture.get(first, runPath)));
                paused = sent(fixture);
                JsonNode run = fixture.get(first, runPath);
                countedWhenPaused = run.path("counted").asLong();
                assertThat(hasValue(run, "pausedAt")).as("pausedAt of " + run).isTrue();
                assertThat(run.path("partitionsPaused").asInt()).isEqualTo(2);
                assertThat(paused.total()).isPositive()
                        .isLessThan(Population.expectedPushMessages(RECIPIENTS)
                                + Population.expectedMailMessages(RECIPIENTS));

                Thread.sleep(3_000);
                assertStillPaused(fixture, first, runPath, paused, countedWhenPaused);
            }
            assertThat(fixture.readCommitted(fixture.topics.runSummaries())).as("not complete while paused").isEmpty();
            assertThat(sent(fixture)).as("nothing sent while stopped").isEqualTo(paused);

            try (Herald second = fixture.start(settings)) {
                HeraldFixture.awaitRunning(second);
                HeraldFixture.await("run view after restart", () -> fixture.getRaw(second, runPath).statusCode() == 200);
                assertStillPaused(fixture, second, runPath, paused, countedWhenPaused);
                Thread.sleep(2_000);
                assertStillPaused(fixture, second, runPath, paused, countedWhenPaused);

                fixture.produce(fixture.topics.runControls(), Map.of(campaignId, control(runId, RunAction.RESUME)));
                HeraldFixture.await("run completed after resume",
                        () -> "COMPLETED".equals(status(fixture, second, runPath)));

                HeraldFixture.Outboxes outboxes = fixture.assertOutboxesMatchRun(second, runPath, RECIPIENTS);
                assertThat(outboxes.run().path("counted").asLong()).isEqualTo(DELIVERIES);
                assertThat(outboxes.run().path("notSent").asLong()).isZero();
                assertThat(hasValue(outboxes.run(), "pausedAt")).as("pausedAt once completed").isFalse();
                List<ConsumerRecord<String, RunSummary>> summaries =
                        fixture.readCommitted(fixture.topics.runSummaries(), 1);
                assertThat(summaries).hasSize(1);
                assertThat(summaries.get(0).value().getStatus()).isEqualTo(RunStatus.COMPLETED);
                assertThat(summaries.get(0).value().getRunId()).isEqualTo(runId);
                assertThat(fixture.readCommitted(fixture.topics.deadLetters())).as("dead letters").isEmpty();
            }
        }
    }

    @Test
    void cancelledCampaignEndsItsRunAsCancelledWithTheRestNotSent() throws Exception {
        try (HeraldFixture fixture = new HeraldFixture();
             Herald herald = fixture.start(fixture.settings("cancelled", 2))) {
            HeraldFixture.awaitRunning(herald);
            String campaignId = "doomed";
            String runId = campaignId + "@" + Population.SLOT;
            String runPath = runPath(runId);
            Campaign scheduled = startRun(fixture, herald, campaignId, runPath);
            // Segment "all" without attribute filters: each partition counts its members when the run starts, and
            // every member makes one delivery per channel, so the estimate (and with it notSent) is exact.
            HeraldFixture.await("every partition reported its share", () -> fixture.get(herald, runPath)
                    .path("expected").asLong() == DELIVERIES);

            Campaign cancelled = Campaign.newBuilder(scheduled).setStatus(CampaignStatus.CANCELLED)
                    .setUpdatedAt(scheduled.getUpdatedAt().plusSeconds(60)).build();
            fixture.produce(fixture.topics.campaigns(), Map.of(campaignId, cancelled));
            HeraldFixture.await("run CANCELLED", () -> "CANCELLED".equals(status(fixture, herald, runPath)));

            List<ConsumerRecord<String, RunSummary>> summaries = fixture.readCommitted(fixture.topics.runSummaries(), 1);
            assertThat(summaries).hasSize(1);
            RunSummary summary = summaries.get(0).value();
            assertThat(summary.getRunId()).isEqualTo(runId);
            assertThat(summary.getStatus()).isEqualTo(RunStatus.COMPLETED);
            assertThat(summary.getState()).isEqualTo(RunState.CANCELLED);
            assertThat(summary.getCancelledAt()).isNotNull();
            long summaryCounted = deliveries(summary.getPush()) + deliveries(summary.getMail());
            assertThat(summary.getNotSent()).isPositive();
            assertThat(summaryCounted).isPositive().isEqualTo(summary.getExpected());
            assertThat(summaryCounted + summary.getNotSent()).isEqualTo(DELIVERIES);

            JsonNode run = fixture.get(herald, runPath);
            assertThat(run.path("complete").asBoolean()).isTrue();
            assertThat(hasValue(run, "cancelledAt")).as("cancelledAt of " + run).isTrue();
            assertThat(run.path("counted").asLong()).isEqualTo(summaryCounted);
            assertThat(run.path("notSent").asLong()).isEqualTo(summary.getNotSent());

            // The outboxes hold what was delivered before the cancel, once each, and nothing after it.
            List<ConsumerRecord<String, PushMessage>> push = fixture.readCommitted(fixture.topics.pushOutbox(),
                    (int) summary.getPush().getMessages());
            List<ConsumerRecord<String, MailMessage>> mail = fixture.readCommitted(fixture.topics.mailOutbox(),
                    (int) summary.getMail().getMessages());
            assertThat(push).hasSize((int) summary.getPush().getMessages());
            assertThat(mail).hasSize((int) summary.getMail().getMessages());
            assertThat(push.stream().map(r -> r.value().getMessageId()).distinct()).hasSize(push.size());
            assertThat(mail.stream().map(r -> r.value().getMessageId()).distinct()).hasSize(mail.size());
            assertThat(run.path("push").path("messages").asLong()).isEqualTo(push.size());
            assertThat(run.path("mail").path("messages").asLong()).isEqualTo(mail.size());
            assertThat((long) push.size()).isLessThan(Population.expectedPushMessages(RECIPIENTS));
            assertThat((long) mail.size()).isLessThan(Population.expectedMailMessages(RECIPIENTS));

            Thread.sleep(1_000);
            assertThat(sent(fixture)).as("nothing sent after the cancel").isEqualTo(new Sent(push.size(), mail.size()));
            assertThat(fixture.readCommitted(fixture.topics.runSummaries())).hasSize(1);
            assertThat(fixture.readCommitted(fixture.topics.deadLetters())).as("dead letters").isEmpty();
        }
    }

    /** Loads the population, defines the rate-limited campaign, ticks it, and waits until its run is under way. */
    private static Campaign startRun(HeraldFixture fixture, Herald herald, String campaignId, String runPath) {
        fixture.produce(fixture.topics.recipients(), Population.recipients(RECIPIENTS));
        Campaign campaign = Population.campaign(campaignId, RATE);
        fixture.produce(fixture.topics.campaigns(), Map.of(campaignId, campaign));
        HeraldFixture.await("campaign visible",
                () -> fixture.getRaw(herald, "/api/campaigns/" + campaignId).statusCode() == 200);
        fixture.produce(fixture.topics.scheduleTicks(), Map.of(campaignId, Population.tick(campaignId, Population.SLOT)));
        HeraldFixture.await("run under way", () -> fixture.getRaw(herald, runPath).statusCode() == 200
                && fixture.get(herald, runPath).path("counted").asLong() > 300);
        return campaign;
    }

    private static void assertStillPaused(HeraldFixture fixture, Herald herald, String runPath, Sent paused,
            long counted) {
        JsonNode run = fixture.get(herald, runPath);
        assertThat(run.path("status").asText()).as("status of " + run).isEqualTo("PAUSED");
        assertThat(run.path("counted").asLong()).as("counted of " + run).isEqualTo(counted);
        assertThat(sent(fixture)).as("committed outboxes").isEqualTo(paused);
    }

    private static String status(HeraldFixture fixture, Herald herald, String runPath) {
        return fixture.getRaw(herald, runPath).statusCode() == 200
                ? fixture.get(herald, runPath).path("status").asText() : null;
    }

    private static RunControl control(String runId, RunAction action) {
        return RunControl.newBuilder()
                .setCampaignId(runId.substring(0, runId.indexOf('@')))
                .setRunId(runId)
                .setAction(action)
                .setRequestedAt(Instant.now())
                .setRequestedBy("RunControlOnBrokerTest")
                .build();
    }

    private static String runPath(String runId) {
        return "/api/runs/" + URLEncoder.encode(runId, StandardCharsets.UTF_8);
    }

    private static boolean hasValue(JsonNode node, String field) {
        return !node.path(field).isMissingNode() && !node.path(field).isNull();
    }

    private static long deliveries(ChannelCounts counts) {
        return counts.getSuccess() + counts.getError() + counts.getMissing() + counts.getFiltered();
    }

    private static Sent sent(HeraldFixture fixture) {
        return new Sent(fixture.readCommitted(fixture.topics.pushOutbox()).size(),
                fixture.readCommitted(fixture.topics.mailOutbox()).size());
    }

    /** Committed outbox messages, by channel. */
    private record Sent(long push, long mail) {
        long total() {
            return push + mail;
        }

        /** Whether the run view counted exactly these messages. */
        boolean matches(JsonNode run) {
            return run.path("push").path("messages").asLong() == push
                    && run.path("mail").path("messages").asLong() == mail;
        }
    }
}

package dev.herald.testkit;

import static dev.herald.testkit.HeraldAssertions.assertThat;
import static dev.herald.testkit.TestCampaign.campaign;
import static dev.herald.testkit.TestRecipient.recipient;

import dev.herald.avro.CampaignStatus;
import dev.herald.avro.Channel;
import dev.herald.avro.MailMessage;
import dev.herald.avro.PushMessage;
import dev.herald.avro.Receipt;
import dev.herald.avro.ReceiptStatus;
import dev.herald.avro.RunSummary;
import dev.herald.query.model.RunProgress;
import dev.herald.topology.Reasons;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * Runs obey their operator in flight, through the whole topology: the campaign's status and a run's own control
 * pause, resume and cancel it; the run keeps the campaign it started with, except status and rate; progress is known
 * from the start.
 */
class RunControlKitTest {
    private static final Instant NOW = Instant.parse("2026-05-01T10:00:00Z");
    private static final int RECIPIENTS = 200;
    /** Push and mail for every recipient. */
    private static final int DELIVERIES = 2 * RECIPIENTS;

    @Test
    void pausedCampaignStopsItsRunAndResumingCompletesItWithNothingSentTwice() {
        try (HeraldKit kit = started(100)) {
            String run = kit.runNow("promo");
            kit.advance(Duration.ofSeconds(1));
            kit.status("promo", CampaignStatus.PAUSED);
            int pushWhenPaused = kit.pushOutbox().size();
            assertThat(pushWhenPaused).isPositive().isLessThan(RECIPIENTS);
            assertThat(kit).run(run).paused();
            assertThat(kit.run(run).orElseThrow().pausedAt()).isEqualTo(kit.now());

            kit.advance(Duration.ofSeconds(10));
            assertThat(kit.pushOutbox()).as("nothing while paused").hasSize(pushWhenPaused);
            assertThat(kit).run(run).paused();

            kit.status("promo", CampaignStatus.SCHEDULED);
            RunProgress done = kit.awaitCompletion(run, Duration.ofMinutes(1));

            assertThat(kit).run(run).completed().withExpected(DELIVERIES).withPush(RECIPIENTS, 0, 0, 0);
            assertThat(done.pausedAt()).isNull();
            assertOnceEach(kit.pushOutbox(), kit.mailOutbox());
            assertThat(kit.completedRuns()).singleElement();
        }
    }

    @Test
    void cancelledRunEndsCancelledWithWhatItSentAndTheRestNotSent() {
        try (HeraldKit kit = started(100)) {
            String run = kit.runNow("promo");
            kit.advance(Duration.ofSeconds(1));
            kit.cancel(run);
            int sent = kit.pushOutbox().size() + kit.mailOutbox().size();
            kit.advance(Duration.ofSeconds(10));
            kit.resume(run); // cancelled is final

            RunProgress cancelled = kit.run(run).orElseThrow();
            assertThat(kit).run(run).cancelled().withExpected(sent).withNotSent(DELIVERIES - sent);
            assertThat(cancelled.counted()).isEqualTo(sent);
            assertThat(cancelled.reasons()).containsEntry(Reasons.CANCELLED, (long) DELIVERIES - sent);
            assertThat(cancelled.cancelledAt()).isEqualTo(NOW.plusSeconds(1));
            assertThat(kit.pushOutbox().size() + kit.mailOutbox().size()).isEqualTo(sent);
            List<RunSummary> completions = kit.completedRuns();
            assertThat(completions).singleElement()
                    .satisfies(summary -> assertThat(summary.getState().name()).isEqualTo("CANCELLED"));
        }
    }

    @Test
    void pausedRunResumesOnItsOwnControlWithoutTouchingItsCampaign() {
        try (HeraldKit kit = started(100)) {
            String run = kit.runNow("promo");
            kit.advance(Duration.ofSeconds(1));
            kit.pause(run);
            int pushWhenPaused = kit.pushOutbox().size();
            kit.advance(Duration.ofSeconds(5));

            assertThat(kit).run(run).paused();
            assertThat(kit.pushOutbox()).hasSize(pushWhenPaused);
            assertThat(kit.campaignDetail("promo").orElseThrow().status()).isEqualTo("SCHEDULED");

            kit.resume(run);
            kit.awaitCompletion(run, Duration.ofMinutes(1));
            assertThat(kit).run(run).completed().withExpected(DELIVERIES);
            assertOnceEach(kit.pushOutbox(), kit.mailOutbox());
        }
    }

    @Test
    void runKeepsTheTemplatesItStartedWithButFollowsALoweredRate() {
        try (HeraldKit kit = started(100)) {
            String run = kit.runNow("promo");
            kit.advance(Duration.ofSeconds(1));
            int before = kit.pushOutbox().size() + kit.mailOutbox().size();
            kit.campaign(promo(10).push("Changed {{firstName}}", "Changed"));
            kit.advance(Duration.ofSeconds(2));

            int atLoweredRate = kit.pushOutbox().size() + kit.mailOutbox().size() - before;
            assertThat(atLoweredRate).as("2 s at 10 deliveries/s").isBetween(18, 20);
            assertThat(kit.run(run).orElseThrow().messagesPerSecond()).isEqualTo(10);

            kit.campaign(promo(1_000).push("Changed {{firstName}}", "Changed"));
            kit.awaitCompletion(run, Duration.ofMinutes(1));
            assertThat(kit.pushOutbox()).hasSize(RECIPIENTS)
                    .allSatisfy(message -> assertThat(message.getTitle()).startsWith("Hello "));
        }
    }

    @Test
    void progressIsKnownFromTheStartAndTheEtaFromTheCurrentRate() {
        try (HeraldKit kit = started(20)) {
            String run = kit.runNow("promo");
            kit.advance(Duration.ofSeconds(1));

            RunProgress early = kit.run(run).orElseThrow();
            assertThat(early.expected()).as("the segment's members, counted at the start").isEqualTo(DELIVERIES);
            assertThat(early.expectedFinal()).isFalse();
            assertThat(early.percent()).isNotNull().isBetween(0.0, 10.0);

            kit.advance(Duration.ofSeconds(10));
            RunProgress later = kit.run(run).orElseThrow();
            assertThat(later.percent()).isGreaterThan(early.percent());
            assertThat(later.ratePerSecond()).as("20 deliveries a second").isBetween(18.0, 21.0);
            double secondsLeft = (DELIVERIES - later.counted()) / later.ratePerSecond();
            assertThat(Duration.between(later.updatedAt(), later.eta()).toMillis() / 1000.0)
                    .isCloseTo(secondsLeft, org.assertj.core.data.Offset.offset(1.0));
        }
    }

    @Test
    void recipientsInSeveralOfTheAudiencesSegmentsCountOnceSoACancelledRunAddsUp() {
        try (HeraldKit kit = HeraldKit.start(NOW)) {
            // Every recipient is in "news"; every other one in "vip" too.
            kit.recipients(IntStream.range(0, RECIPIENTS)
                    .mapToObj(i -> recipient("r" + i).attribute("firstName", "R" + i)
                            .segments(i % 2 == 0 ? new String[] {"news", "vip"} : new String[] {"news"}))
                    .toArray(TestRecipient[]::new));
            kit.campaign(campaign("promo").segments("vip", "news").push("Hello {{firstName}}", "News")
                    .mail("Hello {{firstName}}", "News").messagesPerSecond(100));
            String run = kit.runNow("promo");
            kit.advance(Duration.ofSeconds(1));

            assertThat(kit.run(run).orElseThrow().expected()).as("counted at the start, each recipient once")
                    .isEqualTo(DELIVERIES);
            kit.cancel(run);
            int sent = kit.pushOutbox().size() + kit.mailOutbox().size();
            assertThat(kit).run(run).cancelled().withExpected(sent).withNotSent(DELIVERIES - sent);
        }
    }

    @Test
    void runIsDeliveredOnceEveryMessageHasAFinalReceipt() {
        try (HeraldKit kit = started(1_000)) {
            RunProgress done = kit.runToCompletion("promo");
            assertThat(kit).run(done.runId()).completed();
            for (PushMessage push : kit.pushOutbox()) {
                kit.receipt(receipt(push.getMessageId(), push.getRunId(), push.getRecipientId(), Channel.PUSH,
                        ReceiptStatus.DELIVERED));
            }
            List<MailMessage> mail = kit.mailOutbox();
            for (MailMessage message : mail.subList(1, mail.size())) {
                kit.receipt(receipt(message.getMessageId(), message.getRunId(), message.getRecipientId(),
                        Channel.MAIL, ReceiptStatus.DELIVERED));
            }
            kit.advance(Duration.ofSeconds(1));
            assertThat(kit).run(done.runId()).completed();
            assertThat(kit.run(done.runId()).orElseThrow().receipted()).isEqualTo(DELIVERIES - 1);

            MailMessage last = mail.get(0);
            kit.receipt(receipt(last.getMessageId(), last.getRunId(), last.getRecipientId(), Channel.MAIL,
                    ReceiptStatus.REJECTED_TARGET));
            kit.advance(Duration.ofSeconds(1));
            assertThat(kit).run(done.runId()).delivered();
            RunProgress delivered = kit.run(done.runId()).orElseThrow();
            assertThat(delivered.mail().rejectedTarget()).isEqualTo(1);
            assertThat(delivered.push().delivered()).isEqualTo(RECIPIENTS);
        }
    }

    private Receipt receipt(String messageId, String runId, String recipientId, Channel channel,
            ReceiptStatus status) {
        return Receipt.newBuilder().setMessageId(messageId).setCampaignId("promo").setRunId(runId)
                .setRecipientId(recipientId).setChannel(channel).setStatus(status).setAttempt(1)
                .setAt(NOW.plusSeconds(60)).build();
    }

    /** A kit with the audience in segment "all" and a push + mail campaign at {@code rate} deliveries a second. */
    private static HeraldKit started(int rate) {
        HeraldKit kit = HeraldKit.start(NOW);
        kit.recipients(IntStream.range(0, RECIPIENTS)
                .mapToObj(i -> recipient("r" + i).attribute("firstName", "R" + i).segments("all"))
                .toArray(TestRecipient[]::new));
        kit.campaign(promo(rate));
        return kit;
    }

    private static TestCampaign promo(int rate) {
        return campaign("promo").segments("all").push("Hello {{firstName}}", "News")
                .mail("Hello {{firstName}}", "News").messagesPerSecond(rate);
    }

    private static void assertOnceEach(List<PushMessage> push, List<MailMessage> mail) {
        assertThat(push).hasSize(RECIPIENTS).extracting(PushMessage::getRecipientId).doesNotHaveDuplicates();
        assertThat(mail).hasSize(RECIPIENTS).extracting(MailMessage::getRecipientId).doesNotHaveDuplicates();
    }
}

package dev.herald.topology;

import static dev.herald.topology.TestRecords.campaign;
import static dev.herald.topology.TestRecords.manualTick;
import static dev.herald.topology.TestRecords.recipient;
import static org.assertj.core.api.Assertions.assertThat;

import dev.herald.avro.Channel;
import dev.herald.avro.DeadLetter;
import dev.herald.avro.MailMessage;
import dev.herald.avro.PushMessage;
import dev.herald.avro.PushPlatform;
import dev.herald.avro.PushToken;
import dev.herald.avro.Receipt;
import dev.herald.avro.Recipient;
import dev.herald.avro.RecipientChange;
import dev.herald.avro.RecipientUpdate;
import dev.herald.avro.ReceiptStatus;
import dev.herald.avro.RunState;
import dev.herald.avro.RunStatus;
import dev.herald.avro.RunSummary;
import dev.herald.avro.Summary;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.apache.kafka.streams.state.ValueAndTimestamp;
import org.apache.kafka.streams.state.WindowStoreIterator;
import org.junit.jupiter.api.Test;

/** Senders' receipts count in their run and their campaign's windows; a run is DELIVERED once all are final. */
class ReceiptsTopologyTest {
    private static final Instant NOW = Instant.parse("2026-05-01T10:00:30Z");
    private static final String RUN = "c1@2026-05-01T10:00:00Z";

    @Test
    void runBecomesDeliveredOnceEveryOutboxMessageHasAFinalReceipt() {
        try (HeraldTestDriver herald = HeraldTestDriver.start(NOW)) {
            for (String id : List.of("a", "b", "c")) {
                herald.recipients().pipeInput(id, recipient(id).build(), NOW);
            }
            herald.campaigns().pipeInput("c1", campaign("c1").setChannels(List.of(Channel.PUSH, Channel.MAIL))
                    .build(), NOW);
            herald.ticks().pipeInput("c1", manualTick("c1", Instant.parse("2026-05-01T10:00:00Z")), NOW);
            herald.advance(Duration.ofSeconds(2));
            List<PushMessage> push = herald.pushOutbox().readValuesToList();
            List<MailMessage> mail = herald.mailOutbox().readValuesToList();
            assertThat(push).hasSize(3);
            assertThat(mail).hasSize(3);
            assertThat(herald.runSummaries().readValuesToList()).singleElement()
                    .satisfies(run -> assertThat(run.getState()).isEqualTo(RunState.COMPLETED));

            Instant at = NOW.plusSeconds(3);
            send(herald, receipt(push.get(0).getMessageId(), "a", Channel.PUSH, ReceiptStatus.DELIVERED, 1), at);
            send(herald, receipt(push.get(1).getMessageId(), "b", Channel.PUSH, ReceiptStatus.REJECTED_TARGET, 1), at);
            send(herald, receipt(push.get(2).getMessageId(), "c", Channel.PUSH, ReceiptStatus.RETRYING, 1), at);
            send(herald, receipt(mail.get(0).getMessageId(), "a", Channel.MAIL, ReceiptStatus.DELIVERED, 1), at);
            send(herald, receipt(mail.get(1).getMessageId(), "b", Channel.MAIL, ReceiptStatus.DELIVERED, 1), at);
            send(herald, receipt(mail.get(2).getMessageId(), "c", Channel.MAIL, ReceiptStatus.FAILED, 3), at);
            herald.advance(Duration.ofSeconds(1));

            RunSummary waiting = herald.runStore().get(RUN);
            assertThat(waiting.getState()).as("one push message is still retrying").isEqualTo(RunState.COMPLETED);
            assertThat(waiting.getPush().getRetries()).isEqualTo(1);
            assertThat(herald.runSummaries().isEmpty()).isTrue();

            send(herald, receipt(push.get(2).getMessageId(), "c", Channel.PUSH, ReceiptStatus.DELIVERED, 2),
                    at.plusSeconds(1));
            herald.advance(Duration.ofSeconds(1));

            RunSummary delivered = herald.runSummaries().readValue();
            assertThat(delivered.getStatus()).isEqualTo(RunStatus.COMPLETED);
            assertThat(delivered.getState()).isEqualTo(RunState.DELIVERED);
            assertThat(delivered.getDeliveredAt()).isNotNull();
            assertThat(delivered.getPush().getDelivered()).isEqualTo(2);
            assertThat(delivered.getPush().getRejectedTarget()).isEqualTo(1);
            assertThat(delivered.getMail().getDelivered()).isEqualTo(2);
            assertThat(delivered.getMail().getFailed()).isEqualTo(1);
            assertThat(delivered.getPush().getSuccess()).as("outcomes untouched").isEqualTo(3);
            assertThat(herald.runSummaries().isEmpty()).as("DELIVERED is emitted once").isTrue();

            Summary minute = minute(herald, "c1", Instant.parse("2026-05-01T10:00:00Z"));
            assertThat(minute.getPush().getDelivered()).isEqualTo(2);
            assertThat(minute.getPush().getSuccess()).isEqualTo(3);
            assertThat(minute.getMail().getFailed()).isEqualTo(1);
            assertThat(herald.deadLetters().isEmpty()).isTrue();
        }
    }

    @Test
    void replayedParkedMessageReplacesItsFailedReceiptInTheRunAndCountsAsAnEventInItsMinute() {
        try (HeraldTestDriver herald = HeraldTestDriver.start(NOW)) {
            herald.recipients().pipeInput("a", recipient("a").build(), NOW);
            herald.campaigns().pipeInput("c1", campaign("c1").setChannels(List.of(Channel.MAIL)).build(), NOW);
            herald.ticks().pipeInput("c1", manualTick("c1", Instant.parse("2026-05-01T10:00:00Z")), NOW);
            herald.advance(Duration.ofSeconds(2));
            String message = herald.mailOutbox().readValue().getMessageId();
            herald.runSummaries().readValuesToList();

            send(herald, receipt(message, "a", Channel.MAIL, ReceiptStatus.FAILED, 4), NOW.plusSeconds(3));
            herald.advance(Duration.ofSeconds(1));
            RunSummary failed = herald.runSummaries().readValue();
            assertThat(failed.getState()).isEqualTo(RunState.DELIVERED);
            assertThat(failed.getMail().getFailed()).isEqualTo(1);

            // The operator replays it a minute later: it fails again once, then is delivered.
            Receipt replayedAgain = Receipt.newBuilder(receipt(message, "a", Channel.MAIL, ReceiptStatus.FAILED, 1))
                    .setReplay(true).setAt(NOW.plusSeconds(60)).build();
            Receipt replayed = Receipt.newBuilder(receipt(message, "a", Channel.MAIL, ReceiptStatus.DELIVERED, 1))
                    .setReplay(true).setAt(NOW.plusSeconds(61)).build();
            send(herald, replayedAgain, NOW.plusSeconds(60));
            herald.advance(Duration.ofSeconds(1));
            assertThat(herald.runStore().get(RUN).getMail().getFailed()).as("a failed replay changes nothing")
                    .isEqualTo(1);
            send(herald, replayed, NOW.plusSeconds(61));
            herald.advance(Duration.ofSeconds(1));

            RunSummary run = herald.runStore().get(RUN);
            assertThat(run.getMail().getDelivered()).isEqualTo(1);
            assertThat(run.getMail().getFailed()).isZero();
            assertThat(run.getMail().getDelivered() + run.getMail().getFailed()).as("one message, one final receipt")
                    .isEqualTo(run.getMail().getMessages());
            Summary later = minute(herald, "c1", Instant.parse("2026-05-01T10:01:00Z"));
            assertThat(later.getMail().getFailed()).as("the replay's events in their minute").isEqualTo(1);
            assertThat(later.getMail().getDelivered()).isEqualTo(1);
            assertThat(minute(herald, "c1", Instant.parse("2026-05-01T10:00:00Z")).getMail().getFailed())
                    .isEqualTo(1);
        }
    }

    @Test
    void receiptNamingNoRunOfItsCampaignIsDeadLetteredNotCounted() {
        try (HeraldTestDriver herald = HeraldTestDriver.start(NOW)) {
            Receipt stray = Receipt.newBuilder(receipt("m1", "a", Channel.PUSH, ReceiptStatus.DELIVERED, 1))
                    .setRunId("other@2026-05-01T10:00:00Z").build();
            send(herald, stray, NOW);
            herald.advance(Duration.ofSeconds(1));

            List<DeadLetter> dead = herald.deadLetters().readValuesToList();
            assertThat(dead).singleElement().satisfies(d -> {
                assertThat(d.getProcessorNode()).isEqualTo("receipts-validate");
                assertThat(d.getErrorMessage()).contains("is not a run of campaign 'c1'");
            });
            assertThat(herald.runStore().get("other@2026-05-01T10:00:00Z")).isNull();
        }
    }

    @Test
    void rejectedTargetIsReportedAndLeftInTheProfileByDefault() {
        try (HeraldTestDriver herald = HeraldTestDriver.start(NOW)) {
            herald.recipients().pipeInput("a", recipient("a").build(), NOW);
            send(herald, rejected(Channel.PUSH, "tok-a"), NOW);

            assertThat(herald.recipientUpdates().readValuesToList()).singleElement().satisfies(update -> {
                assertThat(update.getChange()).isEqualTo(RecipientChange.DEAD_PUSH_TOKEN);
                assertThat(update.getTarget()).isEqualTo("tok-a");
                assertThat(update.getApplied()).isFalse();
                assertThat(update.getProviderCode()).isEqualTo("410 Unregistered");
            });
            assertThat(herald.recipientStore().get("a").value().getPushTokens()).hasSize(1);
        }
    }

    @Test
    void droppingDeadTargetsRemovesTheTokenOrAddressFromTheProfileSoTheNextRunSkipsIt() {
        HeraldTopologyConfig config = HeraldTestDriver.testConfig().withDropDeadTargets(true);
        try (HeraldTestDriver herald = HeraldTestDriver.start(config, NOW)) {
            herald.recipients().pipeInput("a", recipient("a").setPushTokens(List.of(
                    PushToken.newBuilder().setPlatform(PushPlatform.IOS).setToken("tok-a").build(),
                    PushToken.newBuilder().setPlatform(PushPlatform.ANDROID).setToken("tok-a2").build())).build(),
                    NOW);
            send(herald, rejected(Channel.PUSH, "tok-a"), NOW);
            send(herald, rejected(Channel.MAIL, "a@example.com"), NOW);
            send(herald, rejected(Channel.PUSH, "tok-gone"), NOW); // not in the profile (any more)

            List<RecipientUpdate> updates = herald.recipientUpdates().readValuesToList();
            assertThat(updates).extracting(RecipientUpdate::getApplied).containsExactly(true, true, false);
            Recipient now = herald.recipientStore().get("a").value();
            assertThat(now.getPushTokens()).extracting(PushToken::getToken).containsExactly("tok-a2");
            assertThat(now.getEmail()).isNull();

            herald.campaigns().pipeInput("c1", campaign("c1").setChannels(List.of(Channel.PUSH, Channel.MAIL))
                    .build(), NOW);
            herald.ticks().pipeInput("c1", manualTick("c1", Instant.parse("2026-05-01T10:00:00Z")), NOW);
            herald.advance(Duration.ofSeconds(2));
            assertThat(herald.pushOutbox().readValuesToList()).extracting(PushMessage::getToken)
                    .containsExactly("tok-a2");
            assertThat(herald.mailOutbox().isEmpty()).as("no address left").isTrue();
        }
    }

    private static Receipt rejected(Channel channel, String target) {
        return Receipt.newBuilder(receipt("m-" + target, "a", channel, ReceiptStatus.REJECTED_TARGET, 1))
                .setTarget(target).setProviderCode("410 Unregistered").build();
    }

    private static void send(HeraldTestDriver herald, Receipt receipt, Instant at) {
        herald.receipts().pipeInput(receipt.getRecipientId(), receipt, at);
    }

    private static Receipt receipt(String messageId, String recipient, Channel channel, ReceiptStatus status,
            int attempt) {
        return Receipt.newBuilder().setMessageId(messageId).setCampaignId("c1").setRunId(RUN)
                .setRecipientId(recipient).setChannel(channel).setStatus(status).setAttempt(attempt)
                .setAt(NOW.plusSeconds(3)).build();
    }

    private static Summary minute(HeraldTestDriver herald, String campaignId, Instant start) {
        try (WindowStoreIterator<ValueAndTimestamp<Summary>> it =
                     herald.minuteSummaries().fetch(campaignId, start, start)) {
            return it.next().value.value();
        }
    }
}

package dev.herald.topology;

import static dev.herald.topology.TestRecords.campaign;
import static dev.herald.topology.TestRecords.manualTick;
import static dev.herald.topology.TestRecords.recipient;
import static org.assertj.core.api.Assertions.assertThat;

import dev.herald.avro.Channel;
import dev.herald.avro.Limits;
import dev.herald.avro.MailMessage;
import dev.herald.avro.PushMessage;
import dev.herald.avro.PushPlatform;
import dev.herald.avro.PushTemplate;
import dev.herald.avro.PushToken;
import dev.herald.avro.QuietHours;
import dev.herald.avro.RunSummary;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** Through the whole topology: filters and errors give their reasons, templates render, message ids are stable. */
class ChannelsTopologyTest {
    private static final Instant NOW = Instant.parse("2026-05-01T10:00:00Z"); // 19:00 in Seoul
    private static final Instant SLOT = Instant.parse("2026-05-01T09:00:00Z");
    private static final String RUN = "both@2026-05-01T09:00:00Z";

    @Test
    void everyFilterAndErrorGivesItsReasonAndOnlyReachableRecipientsGetMessages() {
        try (HeraldTestDriver herald = HeraldTestDriver.start(NOW)) {
            herald.recipients().pipeInput("ok", recipient("ok").build(), NOW);
            herald.recipients().pipeInput("optout", recipient("optout").setOptOuts(List.of(Channel.PUSH)).build(), NOW);
            herald.recipients().pipeInput("notoken", recipient("notoken").setPushTokens(List.of()).build(), NOW);
            herald.recipients().pipeInput("noemail", recipient("noemail").setEmail(null).build(), NOW);
            herald.recipients().pipeInput("bademail", recipient("bademail").setEmail("not-an-address").build(), NOW);
            herald.recipients().pipeInput("sleeping", recipient("sleeping").setTimeZone("Asia/Seoul").build(), NOW);
            herald.recipients().pipeInput("noname", recipient("noname").setAttributes(Map.of()).build(), NOW);
            herald.campaigns().pipeInput("both", campaign("both").setChannels(List.of(Channel.PUSH, Channel.MAIL))
                    .setLimits(Limits.newBuilder().setQuietHours(QuietHours.newBuilder().setStart("18:00")
                            .setEnd("08:00").build()).build()).build(), NOW);

            herald.ticks().pipeInput("both", manualTick("both", SLOT), NOW);

            assertThat(herald.pushOutbox().readValuesToList()).extracting(PushMessage::getRecipientId)
                    .containsExactlyInAnyOrder("ok", "noemail", "bademail");
            assertThat(herald.mailOutbox().readValuesToList()).extracting(MailMessage::getRecipientId)
                    .containsExactlyInAnyOrder("ok", "optout", "notoken");
            RunSummary run = herald.runStore().get(RUN);
            assertThat(run.getReasons()).containsExactlyInAnyOrderEntriesOf(Map.of(
                    "opt_out", 1L, "no_push_token", 1L, "no_email", 1L, "invalid_email", 1L,
                    "quiet_hours", 2L, "template_error", 2L));
            assertThat(run.getPush().getSuccess()).isEqualTo(3);
            assertThat(run.getPush().getFiltered()).isEqualTo(2);
            assertThat(run.getPush().getMissing()).isEqualTo(1);
            assertThat(run.getPush().getError()).isEqualTo(1);
            assertThat(run.getMail().getSuccess()).isEqualTo(3);
            assertThat(run.getMail().getFiltered()).isEqualTo(1);
            assertThat(run.getMail().getMissing()).isEqualTo(1);
            assertThat(run.getMail().getError()).isEqualTo(2);
            assertThat(run.getExpected()).isEqualTo(14);
            assertThat(herald.metric("channels-outcomes-total", "channel", "PUSH", "result", "SUCCESS"))
                    .isEqualTo(3.0);
        }
    }

    @Test
    void templatesRenderRecipientAttributes() {
        try (HeraldTestDriver herald = HeraldTestDriver.start(NOW)) {
            herald.recipients().pipeInput("kim", recipient("kim").setAttributes(Map.of("firstName", "Minji")).build(),
                    NOW);
            herald.campaigns().pipeInput("both", campaign("both").setChannels(List.of(Channel.PUSH, Channel.MAIL))
                    .setPush(PushTemplate.newBuilder().setTitle("Hi {{firstName}}")
                            .setBody("{{campaign.name}} for {{recipient.id}}")
                            .setData(Map.of("deeplink", "app://offers/{{run.id}}")).build())
                    .build(), NOW);

            herald.ticks().pipeInput("both", manualTick("both", SLOT), NOW);

            PushMessage push = herald.pushOutbox().readValue();
            assertThat(push.getTitle()).isEqualTo("Hi Minji");
            assertThat(push.getBody()).isEqualTo("Campaign both for kim");
            assertThat(push.getData()).containsEntry("deeplink", "app://offers/" + RUN);
            MailMessage mail = herald.mailOutbox().readValue();
            assertThat(mail.getSubject()).isEqualTo("Hello Minji");
            assertThat(mail.getHtml()).isEqualTo("<p>Dear Minji</p>");
            assertThat(mail.getTo()).isEqualTo("kim@example.com");
        }
    }

    @Test
    void pushGoesToEveryTokenOfTheRecipientAndCountsEachMessage() {
        try (HeraldTestDriver herald = HeraldTestDriver.start(NOW)) {
            herald.recipients().pipeInput("kim", recipient("kim").setPushTokens(List.of(
                    PushToken.newBuilder().setPlatform(PushPlatform.IOS).setToken("phone").build(),
                    PushToken.newBuilder().setPlatform(PushPlatform.ANDROID).setToken("tablet").build())).build(), NOW);
            herald.campaigns().pipeInput("push", campaign("push").build(), NOW);

            herald.ticks().pipeInput("push", manualTick("push", SLOT), NOW);

            assertThat(herald.pushOutbox().readValuesToList()).extracting(PushMessage::getToken)
                    .containsExactlyInAnyOrder("phone", "tablet");
            RunSummary run = herald.runStore().get("push@2026-05-01T09:00:00Z");
            assertThat(run.getPush().getSuccess()).isEqualTo(1);
            assertThat(run.getPush().getMessages()).isEqualTo(2);
        }
    }

    @Test
    void messageIdsAreTheSameWhenTheSameRunIsReplayed() {
        Set<String> first = messageIdsOf(SLOT);
        Set<String> replay = messageIdsOf(SLOT);
        Set<String> otherRun = messageIdsOf(SLOT.plusSeconds(3600));

        assertThat(first).hasSize(4).isEqualTo(replay);
        assertThat(otherRun).hasSize(4).doesNotContainAnyElementsOf(first);
    }

    private static Set<String> messageIdsOf(Instant slot) {
        try (HeraldTestDriver herald = HeraldTestDriver.start(NOW)) {
            herald.recipients().pipeInput("a", recipient("a").build(), NOW);
            herald.recipients().pipeInput("b", recipient("b").build(), NOW);
            herald.campaigns().pipeInput("both", campaign("both").setChannels(List.of(Channel.PUSH, Channel.MAIL))
                    .build(), NOW);
            herald.ticks().pipeInput("both", manualTick("both", slot), NOW);
            Set<String> ids = herald.pushOutbox().readValuesToList().stream().map(PushMessage::getMessageId)
                    .collect(Collectors.toSet());
            herald.mailOutbox().readValuesToList().forEach(m -> ids.add(m.getMessageId()));
            return ids;
        }
    }
}

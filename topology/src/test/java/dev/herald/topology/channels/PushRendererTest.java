package dev.herald.topology.channels;

import static dev.herald.topology.channels.Fixtures.CAMPAIGN_ID;
import static dev.herald.topology.channels.Fixtures.NOON;
import static dev.herald.topology.channels.Fixtures.RECIPIENT_ID;
import static dev.herald.topology.channels.Fixtures.RUN_ID;
import static dev.herald.topology.channels.Fixtures.assertStopped;
import static dev.herald.topology.channels.Fixtures.campaign;
import static dev.herald.topology.channels.Fixtures.push;
import static dev.herald.topology.channels.Fixtures.pushTemplate;
import static dev.herald.topology.channels.Fixtures.quietHours;
import static dev.herald.topology.channels.Fixtures.recipient;
import static dev.herald.topology.channels.Fixtures.token;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import dev.herald.avro.Channel;
import dev.herald.avro.Outcome;
import dev.herald.avro.PushMessage;
import dev.herald.avro.PushPlatform;
import dev.herald.avro.Result;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Push rendering: the rules that stop a delivery, in their order, and one message (and id) per token. */
class PushRendererTest {

    private final PushRenderer renderer = new PushRenderer(new Templates(16));

    @Test
    void unknownRecipientIsMissingUnknownRecipient() {
        ChannelResult<PushMessage> result = renderer.render(push(null, campaign()), NOON);

        assertStopped(result, Result.MISSING, "unknown_recipient");
        assertThat(result.outcome().getRecipientId()).isEqualTo(RECIPIENT_ID);
    }

    @Test
    void recipientOptedOutOfPushIsFilteredOptOut() {
        ChannelResult<PushMessage> result = renderer.render(
                push(recipient().setOptOuts(List.of(Channel.PUSH)), campaign()), NOON);

        assertStopped(result, Result.FILTERED, "opt_out");
    }

    @Test
    void optOutOfMailDoesNotStopPush() {
        ChannelResult<PushMessage> result = renderer.render(
                push(recipient().setOptOuts(List.of(Channel.MAIL)), campaign()), NOON);

        assertThat(result.outcome().getResult()).isEqualTo(Result.SUCCESS);
    }

    @Test
    void recipientWithoutTokensIsMissingNoPushToken() {
        ChannelResult<PushMessage> result = renderer.render(push(recipient().setPushTokens(List.of()), campaign()), NOON);

        assertStopped(result, Result.MISSING, "no_push_token");
    }

    @Test
    void blankTokensCountAsNoToken() {
        ChannelResult<PushMessage> result = renderer.render(
                push(recipient().setPushTokens(List.of(token(PushPlatform.IOS, " "))), campaign()), NOON);

        assertStopped(result, Result.MISSING, "no_push_token");
    }

    @Test
    void quietHoursFilterPushInTheRecipientsZone() {
        // 21:30 UTC is 22:30 in Berlin: inside 22:00-07:00 there, though not in UTC.
        ChannelResult<PushMessage> result = renderer.render(
                push(recipient().setTimeZone("Europe/Berlin"), campaign().setLimits(quietHours("22:00", "07:00"))),
                Instant.parse("2025-01-15T21:30:00Z"));

        assertStopped(result, Result.FILTERED, "quiet_hours");
    }

    @Test
    void campaignWithoutPushTemplateIsTemplateError() {
        ChannelResult<PushMessage> result = renderer.render(push(recipient(), campaign().setPush(null)), NOON);

        assertStopped(result, Result.ERROR, "template_error");
    }

    @Test
    void syntaxErrorInTitleIsTemplateError() {
        ChannelResult<PushMessage> result = renderer.render(
                push(recipient(), campaign().setPush(pushTemplate().setTitle("Hi {{#firstName}}").build())), NOON);

        assertStopped(result, Result.ERROR, "template_error");
    }

    @Test
    void missingVariableInBodyIsTemplateErrorNotAnEmptyString() {
        ChannelResult<PushMessage> result = renderer.render(
                push(recipient(), campaign().setPush(pushTemplate().setBody("Your code: {{couponCode}}").build())), NOON);

        assertStopped(result, Result.ERROR, "template_error");
    }

    @Test
    void missingVariableInDataValueIsTemplateError() {
        ChannelResult<PushMessage> result = renderer.render(
                push(recipient(), campaign().setPush(pushTemplate().setData(Map.of("coupon", "{{couponCode}}")).build())),
                NOON);

        assertStopped(result, Result.ERROR, "template_error");
    }

    @Test
    void successRendersAttributesIntoTitleBodyAndData() {
        ChannelResult<PushMessage> result = renderer.render(push(
                recipient().setAttributes(Map.of("firstName", "Ada & Bob", "tier", "<gold>")),
                campaign().setPush(pushTemplate()
                        .setTitle("Hi {{firstName}}")
                        .setBody("{{campaign.name}} for {{tier}} members, run {{run.id}}")
                        .setData(Map.of("url", "https://example.com/s?r={{recipient.id}}&t={{tier}}"))
                        .build())),
                NOON);

        assertThat(result.outcome().getResult()).isEqualTo(Result.SUCCESS);
        assertThat(result.outcome().getReason()).isNull();
        assertThat(result.outcome().getMessages()).isEqualTo(1);
        PushMessage message = result.messages().get(0);
        // Push content is plain text: no HTML escaping.
        assertThat(message.getTitle()).isEqualTo("Hi Ada & Bob");
        assertThat(message.getBody()).isEqualTo("Spring sale for <gold> members, run " + RUN_ID);
        assertThat(message.getData()).containsExactlyEntriesOf(Map.of("url", "https://example.com/s?r=r-1&t=<gold>"));
    }

    @Test
    void successFillsOutcomeAndMessageFields() {
        Instant at = Instant.parse("2025-01-15T12:34:56.789Z");

        ChannelResult<PushMessage> result = renderer.render(push(recipient(), campaign()), at);

        Outcome outcome = result.outcome();
        assertThat(outcome.getCampaignId()).isEqualTo(CAMPAIGN_ID);
        assertThat(outcome.getRunId()).isEqualTo(RUN_ID);
        assertThat(outcome.getRecipientId()).isEqualTo(RECIPIENT_ID);
        assertThat(outcome.getChannel()).isEqualTo(Channel.PUSH);
        PushMessage message = result.messages().get(0);
        assertThat(message.getMessageId()).isEqualTo(MessageIds.of(RUN_ID, RECIPIENT_ID, Channel.PUSH, "ios-token-1"));
        // Pinned literally (see MessageIdsTest): the renderer must feed run, recipient, channel and token unchanged.
        assertThat(message.getMessageId()).isEqualTo("a279845c-ae76-3a13-af35-3e1b9ece6a79");
        assertThat(message.getCampaignId()).isEqualTo(CAMPAIGN_ID);
        assertThat(message.getRunId()).isEqualTo(RUN_ID);
        assertThat(message.getRecipientId()).isEqualTo(RECIPIENT_ID);
        assertThat(message.getPlatform()).isEqualTo(PushPlatform.IOS);
        assertThat(message.getToken()).isEqualTo("ios-token-1");
        assertThat(message.getLocale()).isEqualTo("en-GB");
        assertThat(message.getCreatedAt()).isEqualTo(at);
    }

    @Test
    void emitsOneMessagePerTokenWithDistinctIds() {
        ChannelResult<PushMessage> result = renderer.render(push(
                recipient().setPushTokens(List.of(
                        token(PushPlatform.IOS, "ios-1"),
                        token(PushPlatform.ANDROID, "android-1"),
                        token(PushPlatform.WEB, "web-1"))),
                campaign()), NOON);

        assertThat(result.outcome().getMessages()).isEqualTo(3);
        assertThat(result.messages())
                .extracting(PushMessage::getPlatform, PushMessage::getToken)
                .containsExactly(
                        tuple(PushPlatform.IOS, "ios-1"),
                        tuple(PushPlatform.ANDROID, "android-1"),
                        tuple(PushPlatform.WEB, "web-1"));
        assertThat(result.messages()).extracting(PushMessage::getMessageId).doesNotHaveDuplicates();
        assertThat(result.messages()).extracting(PushMessage::getMessageId).containsExactly(
                "88cc11f0-9519-345d-be02-b1cc2bb834d1",
                "c00d4183-3372-39f6-b80a-7e72dac5dc3a",
                "8cbed2b8-0cd4-311b-abf8-0046cfe7626e");
        assertThat(result.messages()).extracting(PushMessage::getTitle).containsOnly("Hi Ada");
    }

    @Test
    void repeatedTokenGivesOneMessage() {
        ChannelResult<PushMessage> result = renderer.render(push(
                recipient().setPushTokens(List.of(token(PushPlatform.IOS, "t-1"), token(PushPlatform.IOS, "t-1"))),
                campaign()), NOON);

        assertThat(result.outcome().getMessages()).isEqualTo(1);
        assertThat(result.messages()).hasSize(1);
    }

    @Test
    void rendersOncePerRecipientWhateverTheNumberOfTokens() {
        ChannelResult<PushMessage> result = renderer.render(push(
                recipient().setPushTokens(List.of(token(PushPlatform.IOS, "a"), token(PushPlatform.ANDROID, "b"))),
                campaign()), NOON);

        // Every render produces a new String: the same instance in both messages means one render.
        PushMessage first = result.messages().get(0);
        PushMessage second = result.messages().get(1);
        assertThat(second.getTitle()).isSameAs(first.getTitle());
        assertThat(second.getBody()).isSameAs(first.getBody());
        assertThat(second.getData().get("url")).isSameAs(first.getData().get("url"));
    }

    @Test
    void messageIdsAreStableAcrossCalls() {
        ChannelResult<PushMessage> first = renderer.render(push(recipient(), campaign()), NOON);
        ChannelResult<PushMessage> again = new PushRenderer(new Templates(1))
                .render(push(recipient(), campaign()), NOON.plusSeconds(3600));

        assertThat(again.messages().get(0).getMessageId()).isEqualTo(first.messages().get(0).getMessageId());
        assertThat(first.messages().get(0).getMessageId()).isEqualTo("a279845c-ae76-3a13-af35-3e1b9ece6a79");
    }

    @Test
    void optOutIsCheckedBeforeTokens() {
        ChannelResult<PushMessage> result = renderer.render(
                push(recipient().setOptOuts(List.of(Channel.PUSH)).setPushTokens(List.of()), campaign()), NOON);

        assertStopped(result, Result.FILTERED, "opt_out");
    }

    @Test
    void missingTokenIsCheckedBeforeQuietHours() {
        ChannelResult<PushMessage> result = renderer.render(push(
                recipient().setPushTokens(List.of()), campaign().setLimits(quietHours("00:00", "23:59"))), NOON);

        assertStopped(result, Result.MISSING, "no_push_token");
    }

    @Test
    void rejectsAMailDelivery() {
        assertThatThrownBy(() -> renderer.render(Fixtures.mail(recipient(), campaign()), NOON))
                .isInstanceOf(IllegalArgumentException.class);
    }
}

package dev.herald.topology.channels;

import static dev.herald.topology.channels.Fixtures.CAMPAIGN_ID;
import static dev.herald.topology.channels.Fixtures.NOON;
import static dev.herald.topology.channels.Fixtures.RECIPIENT_ID;
import static dev.herald.topology.channels.Fixtures.RUN_ID;
import static dev.herald.topology.channels.Fixtures.SCHEDULED_FOR;
import static dev.herald.topology.channels.Fixtures.assertStopped;
import static dev.herald.topology.channels.Fixtures.campaign;
import static dev.herald.topology.channels.Fixtures.mail;
import static dev.herald.topology.channels.Fixtures.mailTemplate;
import static dev.herald.topology.channels.Fixtures.quietHours;
import static dev.herald.topology.channels.Fixtures.recipient;
import static org.assertj.core.api.Assertions.assertThat;

import dev.herald.avro.Channel;
import dev.herald.avro.MailMessage;
import dev.herald.avro.Outcome;
import dev.herald.avro.Result;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Mail rendering: the rules that stop a delivery, in their order, and the rendered message and its id. */
class MailRendererTest {

    private final MailRenderer renderer = new MailRenderer(new Templates(16));

    @Test
    void unknownRecipientIsMissingUnknownRecipient() {
        assertStopped(renderer.render(mail(null, campaign()), NOON), Result.MISSING, "unknown_recipient");
    }

    @Test
    void recipientOptedOutOfMailIsFilteredOptOut() {
        ChannelResult<MailMessage> result = renderer.render(
                mail(recipient().setOptOuts(List.of(Channel.MAIL)), campaign()), NOON);

        assertStopped(result, Result.FILTERED, "opt_out");
    }

    @Test
    void optOutOfPushDoesNotStopMail() {
        ChannelResult<MailMessage> result = renderer.render(
                mail(recipient().setOptOuts(List.of(Channel.PUSH)), campaign()), NOON);

        assertThat(result.outcome().getResult()).isEqualTo(Result.SUCCESS);
    }

    @Test
    void recipientWithoutEmailIsMissingNoEmail() {
        assertStopped(renderer.render(mail(recipient().setEmail(null), campaign()), NOON), Result.MISSING, "no_email");
    }

    @Test
    void blankEmailIsMissingNoEmail() {
        assertStopped(renderer.render(mail(recipient().setEmail("  "), campaign()), NOON), Result.MISSING, "no_email");
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "ada.example.com", "ada@@example.com", "ada@home@example.com", "@example.com",
        "ada@localhost", "ada@.com", "ada@example.", "ada lovelace@example.com", "ada@example.com "})
    void implausibleEmailIsErrorInvalidEmail(String email) {
        assertStopped(renderer.render(mail(recipient().setEmail(email), campaign()), NOON), Result.ERROR, "invalid_email");
    }

    @ParameterizedTest
    @ValueSource(strings = {"ada@example.com", "ada.lovelace+news@mail.example.co.uk", "a@b.c"})
    void plausibleEmailIsAccepted(String email) {
        assertThat(renderer.render(mail(recipient().setEmail(email), campaign()), NOON).outcome().getResult())
                .isEqualTo(Result.SUCCESS);
    }

    @Test
    void quietHoursOvernightInBerlinFilterAtHalfPastTenLocal() {
        // 21:30 UTC is 22:30 in Berlin (CET): inside 22:00-07:00 there, though not in UTC.
        ChannelResult<MailMessage> result = renderer.render(
                mail(recipient().setTimeZone("Europe/Berlin"), campaign().setLimits(quietHours("22:00", "07:00"))),
                Instant.parse("2025-01-15T21:30:00Z"));

        assertStopped(result, Result.FILTERED, "quiet_hours");
    }

    @Test
    void quietHoursOvernightInBerlinLetThroughAtHalfPastSevenLocal() {
        // 06:30 UTC is 07:30 in Berlin: after the window there, though inside it in UTC.
        ChannelResult<MailMessage> result = renderer.render(
                mail(recipient().setTimeZone("Europe/Berlin"), campaign().setLimits(quietHours("22:00", "07:00"))),
                Instant.parse("2025-01-15T06:30:00Z"));

        assertThat(result.outcome().getResult()).isEqualTo(Result.SUCCESS);
    }

    @Test
    void quietHoursUseUtcWhenTheRecipientHasNoZone() {
        var delivery = mail(recipient().setTimeZone(null), campaign().setLimits(quietHours("22:00", "07:00")));

        assertStopped(renderer.render(delivery, Instant.parse("2025-01-15T22:30:00Z")), Result.FILTERED, "quiet_hours");
        assertThat(renderer.render(delivery, Instant.parse("2025-01-15T21:30:00Z")).outcome().getResult())
                .isEqualTo(Result.SUCCESS);
    }

    @Test
    void quietHoursUseUtcWhenTheRecipientZoneIsNotAZone() {
        var delivery = mail(recipient().setTimeZone("Mars/Olympus_Mons"), campaign().setLimits(quietHours("22:00", "07:00")));

        assertStopped(renderer.render(delivery, Instant.parse("2025-01-15T22:30:00Z")), Result.FILTERED, "quiet_hours");
        assertThat(renderer.render(delivery, Instant.parse("2025-01-15T21:30:00Z")).outcome().getResult())
                .isEqualTo(Result.SUCCESS);
    }

    @Test
    void malformedQuietHoursAreErrorInvalidQuietHours() {
        ChannelResult<MailMessage> result = renderer.render(
                mail(recipient(), campaign().setLimits(quietHours("10pm", "07:00"))), NOON);

        assertStopped(result, Result.ERROR, "invalid_quiet_hours");
    }

    @Test
    void campaignWithoutMailTemplateIsTemplateError() {
        assertStopped(renderer.render(mail(recipient(), campaign().setMail(null)), NOON), Result.ERROR, "template_error");
    }

    @Test
    void syntaxErrorInSubjectIsTemplateError() {
        ChannelResult<MailMessage> result = renderer.render(
                mail(recipient(), campaign().setMail(mailTemplate().setSubject("Hi {{firstName").build())), NOON);

        assertStopped(result, Result.ERROR, "template_error");
    }

    @Test
    void missingVariableInHtmlIsTemplateError() {
        ChannelResult<MailMessage> result = renderer.render(
                mail(recipient(), campaign().setMail(mailTemplate().setHtml("<p>{{couponCode}}</p>").build())), NOON);

        assertStopped(result, Result.ERROR, "template_error");
    }

    @Test
    void referenceToAnAbsentRecipientFieldIsTemplateError() {
        ChannelResult<MailMessage> result = renderer.render(
                mail(recipient().setLocale(null), campaign().setMail(mailTemplate().setText("{{recipient.locale}}").build())),
                NOON);

        assertStopped(result, Result.ERROR, "template_error");
    }

    @Test
    void successRendersSubjectAndTextUnescapedAndHtmlEscaped() {
        ChannelResult<MailMessage> result = renderer.render(mail(
                recipient().setAttributes(Map.of("firstName", "Ada & <Bob>")),
                campaign().setMail(mailTemplate()
                        .setSubject("{{firstName}}: {{campaign.name}}")
                        .setText("Dear {{firstName}}, see you on {{run.scheduledFor}}")
                        .setHtml("<p>Dear {{firstName}}</p><p>{{{firstName}}}</p>")
                        .build())),
                NOON);

        assertThat(result.outcome().getResult()).isEqualTo(Result.SUCCESS);
        assertThat(result.outcome().getReason()).isNull();
        assertThat(result.outcome().getMessages()).isEqualTo(1);
        MailMessage message = result.messages().get(0);
        assertThat(message.getSubject()).isEqualTo("Ada & <Bob>: Spring sale");
        assertThat(message.getText()).isEqualTo("Dear Ada & <Bob>, see you on 2025-01-15T09:00:00Z");
        assertThat(message.getHtml()).isEqualTo("<p>Dear Ada &amp; &lt;Bob&gt;</p><p>Ada & <Bob></p>");
    }

    @Test
    void successWithoutHtmlTemplateSendsTextOnly() {
        ChannelResult<MailMessage> result = renderer.render(
                mail(recipient(), campaign().setMail(mailTemplate().setHtml(null).build())), NOON);

        assertThat(result.outcome().getResult()).isEqualTo(Result.SUCCESS);
        assertThat(result.messages().get(0).getHtml()).isNull();
        assertThat(result.messages().get(0).getText()).isEqualTo("Dear Ada");
    }

    @Test
    void successFillsOutcomeAndMessageFields() {
        Instant at = Instant.parse("2025-01-15T12:34:56.789Z");

        ChannelResult<MailMessage> result = renderer.render(mail(recipient(), campaign()), at);

        Outcome outcome = result.outcome();
        assertThat(outcome.getCampaignId()).isEqualTo(CAMPAIGN_ID);
        assertThat(outcome.getRunId()).isEqualTo(RUN_ID);
        assertThat(outcome.getRecipientId()).isEqualTo(RECIPIENT_ID);
        assertThat(outcome.getChannel()).isEqualTo(Channel.MAIL);
        MailMessage message = result.messages().get(0);
        assertThat(message.getMessageId()).isEqualTo(MessageIds.of(RUN_ID, RECIPIENT_ID, Channel.MAIL, "ada@example.com"));
        // Pinned literally (see MessageIdsTest): the renderer must feed run, recipient, channel and address unchanged.
        assertThat(message.getMessageId()).isEqualTo("7422e000-672b-3358-b843-c93f736700f2");
        assertThat(message.getCampaignId()).isEqualTo(CAMPAIGN_ID);
        assertThat(message.getRunId()).isEqualTo(RUN_ID);
        assertThat(message.getRecipientId()).isEqualTo(RECIPIENT_ID);
        assertThat(message.getTo()).isEqualTo("ada@example.com");
        assertThat(message.getLocale()).isEqualTo("en-GB");
        assertThat(message.getCreatedAt()).isEqualTo(at);
    }

    @Test
    void contextExposesRecipientCampaignAndRun() {
        ChannelResult<MailMessage> result = renderer.render(mail(recipient(), campaign().setMail(mailTemplate()
                .setText("{{recipient.id}}|{{recipient.email}}|{{recipient.locale}}|{{recipient.timeZone}}"
                        + "|{{campaign.id}}|{{campaign.name}}|{{run.id}}|{{run.scheduledFor}}")
                .build())), NOON);

        assertThat(result.messages().get(0).getText()).isEqualTo(String.join("|",
                RECIPIENT_ID, "ada@example.com", "en-GB", "Europe/Berlin",
                CAMPAIGN_ID, "Spring sale", RUN_ID, SCHEDULED_FOR.toString()));
    }

    @Test
    void attributesCannotShadowRecipientCampaignOrRun() {
        ChannelResult<MailMessage> result = renderer.render(mail(
                recipient().setAttributes(Map.of("firstName", "Ada", "recipient", "spoof", "campaign", "spoof", "run", "spoof")),
                campaign().setMail(mailTemplate().setText("{{recipient.id}} {{campaign.name}} {{run.id}}").build())),
                NOON);

        assertThat(result.messages().get(0).getText()).isEqualTo(RECIPIENT_ID + " Spring sale " + RUN_ID);
    }

    @Test
    void messageIdIsStableAcrossCallsAndFollowsTheAddress() {
        String first = renderer.render(mail(recipient(), campaign()), NOON).messages().get(0).getMessageId();
        String again = new MailRenderer(new Templates(1)).render(mail(recipient(), campaign()), NOON.plusSeconds(60))
                .messages().get(0).getMessageId();
        String otherAddress = renderer.render(mail(recipient().setEmail("ada@example.org"), campaign()), NOON)
                .messages().get(0).getMessageId();

        assertThat(again).isEqualTo(first);
        assertThat(otherAddress).isNotEqualTo(first);
        assertThat(first).isEqualTo("7422e000-672b-3358-b843-c93f736700f2");
        assertThat(otherAddress).isEqualTo("d88bc16a-150f-35f1-891f-ad4744b57624");
    }

    @Test
    void optedOutRecipientWithoutEmailIsFilteredOptOutNotMissing() {
        ChannelResult<MailMessage> result = renderer.render(
                mail(recipient().setOptOuts(List.of(Channel.MAIL)).setEmail(null), campaign()), NOON);

        assertStopped(result, Result.FILTERED, "opt_out");
    }

    @Test
    void invalidEmailIsCheckedBeforeQuietHours() {
        ChannelResult<MailMessage> result = renderer.render(mail(
                recipient().setEmail("not-an-address"), campaign().setLimits(quietHours("00:00", "23:59"))), NOON);

        assertStopped(result, Result.ERROR, "invalid_email");
    }

    @Test
    void quietHoursAreCheckedBeforeTheTemplate() {
        ChannelResult<MailMessage> result = renderer.render(mail(
                recipient(), campaign().setMail(null).setLimits(quietHours("00:00", "23:59"))), NOON);

        assertStopped(result, Result.FILTERED, "quiet_hours");
    }
}

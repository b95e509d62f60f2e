package dev.herald.topology.channels;

import dev.herald.avro.Channel;
import dev.herald.avro.Delivery;
import dev.herald.avro.MailMessage;
import dev.herald.avro.MailTemplate;
import dev.herald.avro.Recipient;
import dev.herald.avro.Result;
import dev.herald.topology.Reasons.OutcomeReason;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/** The mail branch: decides a mail delivery's outcome and renders its one e-mail. */
public final class MailRenderer {

    private final Templates templates;
    private final MessageIds messageIds = new MessageIds();

    public MailRenderer(Templates templates) {
        this.templates = Objects.requireNonNull(templates, "templates");
    }

    /** @param at the record's timestamp: quiet hours are judged and the message stamped with it */
    public ChannelResult<MailMessage> render(Delivery delivery, Instant at) {
        Rules.requireChannel(delivery, Channel.MAIL);
        Optional<Rules.Stop> stop = Rules.check(delivery, at, MailRenderer::contactRule);
        if (stop.isPresent()) {
            return Rules.stopped(delivery, stop.get());
        }
        MailTemplate template = delivery.getJob().getCampaign().getMail();
        if (template == null) {
            return Rules.templateError(delivery, "campaign has no mail template");
        }
        Map<String, Object> context = TemplateContext.of(delivery);
        String subject;
        String text;
        String html;
        try {
            subject = templates.render(template.getSubject(), context);
            text = templates.render(template.getText(), context);
            html = template.getHtml() == null ? null : templates.renderHtml(template.getHtml(), context);
        } catch (TemplateException e) {
            return Rules.templateError(delivery, e.getMessage());
        }
        Recipient recipient = delivery.getRecipient();
        String to = recipient.getEmail();
        MailMessage message = MailMessage.newBuilder()
                .setMessageId(messageIds.id(delivery.getRunId(), delivery.getRecipientId(), Channel.MAIL, to))
                .setCampaignId(delivery.getCampaignId())
                .setRunId(delivery.getRunId())
                .setRecipientId(delivery.getRecipientId())
                .setTo(to)
                .setSubject(subject)
                .setText(text)
                .setHtml(html)
                .setLocale(recipient.getLocale())
                .setCreatedAt(at)
                .build();
        return Rules.success(delivery, List.of(message));
    }

    private static Optional<Rules.Stop> contactRule(Recipient recipient) {
        String email = recipient.getEmail();
        if (email == null || email.isBlank()) {
            return Rules.stop(Result.MISSING, OutcomeReason.NO_EMAIL);
        }
        if (!isPlausibleAddress(email)) {
            return Rules.stop(Result.ERROR, OutcomeReason.INVALID_EMAIL);
        }
        return Optional.empty();
    }

    /**
     * One '@', a non-empty local part, a dotted domain, no whitespace. Deliberately loose: the mail
     * server is the judge of deliverability; this only catches data that is plainly not an address.
     */
    static boolean isPlausibleAddress(String email) {
        int at = email.indexOf('@');
        if (at <= 0 || at != email.lastIndexOf('@')) {
            return false;
        }
        for (int i = 0; i < email.length(); i++) {
            if (Character.isWhitespace(email.charAt(i))) {
                return false;
            }
        }
        String domain = email.substring(at + 1);
        return domain.indexOf('.') > 0 && !domain.endsWith(".");
    }
}

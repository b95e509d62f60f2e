package dev.herald.topology.channels;

import dev.herald.avro.Channel;
import dev.herald.avro.Delivery;
import dev.herald.avro.PushMessage;
import dev.herald.avro.PushTemplate;
import dev.herald.avro.PushToken;
import dev.herald.avro.Recipient;
import dev.herald.avro.Result;
import dev.herald.topology.Reasons.OutcomeReason;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/** The push branch: decides a push delivery's outcome and renders one message per device token. */
public final class PushRenderer {

    private final Templates templates;
    private final MessageIds messageIds = new MessageIds();

    public PushRenderer(Templates templates) {
        this.templates = Objects.requireNonNull(templates, "templates");
    }

    /** @param at the record's timestamp: quiet hours are judged and messages stamped with it */
    public ChannelResult<PushMessage> render(Delivery delivery, Instant at) {
        Rules.requireChannel(delivery, Channel.PUSH);
        Optional<Rules.Stop> stop = Rules.check(delivery, at, PushRenderer::contactRule);
        if (stop.isPresent()) {
            return Rules.stopped(delivery, stop.get());
        }
        PushTemplate template = delivery.getJob().getCampaign().getPush();
        if (template == null) {
            return Rules.templateError(delivery, "campaign has no push template");
        }
        Content content;
        try {
            content = render(template, TemplateContext.of(delivery));
        } catch (TemplateException e) {
            return Rules.templateError(delivery, e.getMessage());
        }
        Recipient recipient = delivery.getRecipient();
        List<PushMessage> messages = new ArrayList<>();
        for (PushToken token : usableTokens(recipient)) {
            messages.add(PushMessage.newBuilder()
                    .setMessageId(messageIds.id(delivery.getRunId(), delivery.getRecipientId(), Channel.PUSH,
                            token.getToken()))
                    .setCampaignId(delivery.getCampaignId())
                    .setRunId(delivery.getRunId())
                    .setRecipientId(delivery.getRecipientId())
                    .setPlatform(token.getPlatform())
                    .setToken(token.getToken())
                    .setTitle(content.title())
                    .setBody(content.body())
                    // A copy per message: Avro records are mutable and each message is serialized on its own.
                    .setData(new LinkedHashMap<>(content.data()))
                    .setLocale(recipient.getLocale())
                    .setCreatedAt(at)
                    .build());
        }
        return Rules.success(delivery, messages);
    }

    private static Optional<Rules.Stop> contactRule(Recipient recipient) {
        return usableTokens(recipient).isEmpty()
                ? Rules.stop(Result.MISSING, OutcomeReason.NO_PUSH_TOKEN)
                : Optional.empty();
    }

    /**
     * Non-blank tokens, each once: a blank token cannot be sent to, and a repeated one would give
     * two messages with the same id (the sender would drop one, and the counts would disagree with it).
     */
    private static Collection<PushToken> usableTokens(Recipient recipient) {
        Map<String, PushToken> byToken = new LinkedHashMap<>();
        if (recipient.getPushTokens() != null) {
            for (PushToken token : recipient.getPushTokens()) {
                if (token != null && token.getToken() != null && !token.getToken().isBlank()) {
                    byToken.putIfAbsent(token.getToken(), token);
                }
            }
        }
        return byToken.values();
    }

    // Once per recipient, however many tokens they have.
    private Content render(PushTemplate template, Map<String, Object> context) {
        Map<String, String> data = new LinkedHashMap<>();
        if (template.getData() != null) {
            template.getData().forEach((key, value) -> data.put(key, templates.render(value, context)));
        }
        return new Content(
                templates.render(template.getTitle(), context),
                templates.render(template.getBody(), context),
                data);
    }

    private record Content(String title, String body, Map<String, String> data) {
    }
}

package dev.herald.sender;

import dev.herald.avro.MailMessage;
import dev.herald.avro.PushMessage;
import dev.herald.avro.PushPlatform;
import java.time.Instant;
import java.util.Map;

/** Outbox messages for tests. */
final class Messages {
    private Messages() {
    }

    static MailMessage mail(String messageId, String recipientId, String to) {
        return MailMessage.newBuilder()
                .setMessageId(messageId)
                .setCampaignId("spring-sale")
                .setRunId("spring-sale@2026-12-03T12:00:00Z")
                .setRecipientId(recipientId)
                .setTo(to)
                .setSubject("Spring sale for " + recipientId)
                .setText("Hello " + recipientId)
                .setHtml(null)
                .setLocale("en")
                .setCreatedAt(Instant.parse("2026-12-03T12:00:00Z"))
                .build();
    }

    static PushMessage push(String messageId, String recipientId, String token) {
        return PushMessage.newBuilder()
                .setMessageId(messageId)
                .setCampaignId("spring-sale")
                .setRunId("spring-sale@2026-12-03T12:00:00Z")
                .setRecipientId(recipientId)
                .setPlatform(PushPlatform.values()[0])
                .setToken(token)
                .setTitle("Spring sale")
                .setBody("Hello " + recipientId)
                .setData(Map.of("k", "v"))
                .setLocale(null)
                .setCreatedAt(Instant.parse("2026-12-03T12:00:00Z"))
                .build();
    }
}

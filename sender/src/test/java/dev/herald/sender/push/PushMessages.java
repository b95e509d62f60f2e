package dev.herald.sender.push;

import dev.herald.avro.PushMessage;
import dev.herald.avro.PushPlatform;

import java.time.Instant;
import java.util.Map;

/** Push messages for the transports' tests. */
final class PushMessages {

    private PushMessages() {
    }

    static PushMessage push(String messageId, PushPlatform platform, String token) {
        return PushMessage.newBuilder()
                .setMessageId(messageId)
                .setCampaignId("spring-sale")
                .setRunId("run-1")
                .setRecipientId("r-42")
                .setPlatform(platform)
                .setToken(token)
                .setTitle("Spring sale")
                .setBody("20% off until Sunday")
                .setData(Map.of("deeplink", "herald://sale"))
                .setLocale("en")
                .setCreatedAt(Instant.parse("2026-12-03T12:00:00Z"))
                .build();
    }
}

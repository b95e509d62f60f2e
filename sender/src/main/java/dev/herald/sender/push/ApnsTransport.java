package dev.herald.sender.push;

import com.eatthepath.pushy.apns.ApnsClient;
import com.eatthepath.pushy.apns.ApnsClientBuilder;
import com.eatthepath.pushy.apns.DeliveryPriority;
import com.eatthepath.pushy.apns.PushNotificationResponse;
import com.eatthepath.pushy.apns.PushType;
import com.eatthepath.pushy.apns.auth.ApnsSigningKey;
import com.eatthepath.pushy.apns.util.ApnsPayloadBuilder;
import com.eatthepath.pushy.apns.util.SimpleApnsPayloadBuilder;
import com.eatthepath.pushy.apns.util.SimpleApnsPushNotification;
import dev.herald.avro.PushMessage;
import dev.herald.sender.SendResult;
import dev.herald.sender.Transport;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Sends push messages to iOS device tokens through Apple's APNs HTTP/2 API, with Pushy and token-based (.p8 key)
 * authentication.
 *
 * <p>One alert notification per message: topic the configured bundle id, {@code aps.alert} with the title and body,
 * the message's data as custom properties plus {@code herald_message_id}, priority 10, expiring a day after it is
 * sent. The {@code apns-id} is a name-based UUID of the messageId ({@link #apnsId}), so a retry carries the same id.
 *
 * <p>Classification (providerCode is {@code "<status> <reason>"}, e.g. {@code "410 Unregistered"}):
 * <table>
 *   <caption>APNs answers</caption>
 *   <tr><th>answer</th><th>result</th></tr>
 *   <tr><td>accepted (200)</td><td>DELIVERED, providerCode {@code "200"}, detail the apns-id</td></tr>
 *   <tr><td>{@code BadDeviceToken}, {@code Unregistered}, {@code DeviceTokenNotForTopic}</td><td>REJECTED_TARGET</td></tr>
 *   <tr><td>{@code TooManyRequests}, {@code ServiceUnavailable}, {@code InternalServerError}, {@code Shutdown}, any
 *       other 5xx</td><td>TRANSIENT</td></tr>
 *   <tr><td>{@code ExpiredProviderToken}, {@code TooManyProviderTokenUpdates}</td><td>TRANSIENT: Pushy signs a new
 *       provider token on its own, so the retry goes out with a fresh one</td></tr>
 *   <tr><td>any other rejection ({@code BadTopic}, {@code TopicDisallowed}, {@code PayloadTooLarge},
 *       {@code InvalidProviderToken}, {@code Forbidden}, …)</td><td>PERMANENT</td></tr>
 *   <tr><td>the notification could not be sent (connection refused, TLS, no connection, a timeout)</td><td>TRANSIENT,
 *       providerCode null</td></tr>
 * </table>
 * APNs sends no Retry-After, so retryAfter is always null: the error policy's own backoff applies.
 */
public final class ApnsTransport implements Transport<PushMessage> {

    public static final String MESSAGE_ID_KEY = "herald_message_id";
    public static final Duration EXPIRATION = Duration.ofDays(1);

    private static final Set<String> DEAD_TARGET = Set.of("BadDeviceToken", "Unregistered", "DeviceTokenNotForTopic");
    private static final Set<String> RETRYABLE = Set.of("TooManyRequests", "ServiceUnavailable", "InternalServerError",
            "Shutdown", "ExpiredProviderToken", "TooManyProviderTokenUpdates");

    private final ApnsClient client;
    private final String topic;
    private final Clock clock;
    private final Duration closeTimeout;

    /**
     * @param client       a Pushy client (see {@link #clientBuilder}); this transport owns it and closes it
     * @param topic        the app's bundle id, the notifications' {@code apns-topic}
     * @param clock        for the notifications' expiration
     * @param closeTimeout how long {@link #close()} waits for in-flight notifications
     */
    public ApnsTransport(ApnsClient client, String topic, Clock clock, Duration closeTimeout) {
        this.client = Objects.requireNonNull(client, "client");
        this.topic = Objects.requireNonNull(topic, "topic");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.closeTimeout = Objects.requireNonNull(closeTimeout, "closeTimeout");
    }

    public ApnsTransport(ApnsClient client, String topic) {
        this(client, topic, Clock.systemUTC(), Duration.ofSeconds(10));
    }

    /**
     * A client builder for token-based authentication, to finish with {@code build()} (or tune first).
     *
     * @param host       {@link ApnsClientBuilder#PRODUCTION_APNS_HOST} or {@link ApnsClientBuilder#DEVELOPMENT_APNS_HOST}
     * @param port       {@link ApnsClientBuilder#DEFAULT_APNS_PORT} (443) or 2197
     * @param p8Key      the .p8 signing key file from Apple's developer account
     * @param teamId     the Apple developer team id
     * @param keyId      the key's id
     */
    public static ApnsClientBuilder clientBuilder(String host, int port, Path p8Key, String teamId, String keyId)
            throws IOException {
        try {
            return new ApnsClientBuilder()
                    .setApnsServer(host, port)
                    .setSigningKey(ApnsSigningKey.loadFromPkcs8File(p8Key.toFile(), teamId, keyId))
                    .setConnectionTimeout(Duration.ofSeconds(10));
        } catch (GeneralSecurityException e) {
            throw new IOException("cannot load the APNs signing key " + p8Key + ": " + e, e);
        }
    }

    /** The apns-id for a message: a name-based (version 3) UUID of its messageId, the same on every retry. */
    public static UUID apnsId(String messageId) {
        return UUID.nameUUIDFromBytes(("herald:" + messageId).getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public String name() {
        return "apns";
    }

    @Override
    public CompletableFuture<SendResult> send(PushMessage message) {
        SimpleApnsPushNotification notification = new SimpleApnsPushNotification(message.getToken(), topic,
                payload(message), clock.instant().plus(EXPIRATION), DeliveryPriority.IMMEDIATE, PushType.ALERT, null,
                apnsId(message.getMessageId()));
        CompletableFuture<PushNotificationResponse<SimpleApnsPushNotification>> sent;
        try {
            sent = client.sendNotification(notification);
        } catch (RuntimeException e) {
            return CompletableFuture.completedFuture(sendFailure(e));
        }
        return sent.handle((response, failure) -> failure != null ? sendFailure(failure) : classify(response));
    }

    static String payload(PushMessage message) {
        ApnsPayloadBuilder payload = new SimpleApnsPayloadBuilder()
                .setAlertTitle(message.getTitle())
                .setAlertBody(message.getBody());
        if (message.getData() != null) {
            for (Map.Entry<String, String> entry : message.getData().entrySet()) {
                if (!entry.getKey().equals("aps")) {
                    payload.addCustomProperty(entry.getKey(), entry.getValue());
                }
            }
        }
        payload.addCustomProperty(MESSAGE_ID_KEY, message.getMessageId());
        return payload.build();
    }

    static SendResult classify(PushNotificationResponse<?> response) {
        if (response.isAccepted()) {
            return new SendResult(SendResult.Kind.DELIVERED, "200", String.valueOf(response.getApnsId()), null);
        }
        int status = response.getStatusCode();
        String reason = response.getRejectionReason().orElse(null);
        String code = reason == null ? String.valueOf(status) : status + " " + reason;
        String detail = "APNs rejected the notification" + (reason == null ? "" : ": " + reason)
                + response.getTokenInvalidationTimestamp().map(t -> " (token invalid since " + t + ")").orElse("");
        if (reason != null && DEAD_TARGET.contains(reason)) {
            return SendResult.rejectedTarget(code, detail);
        }
        if ((reason != null && RETRYABLE.contains(reason)) || status >= 500) {
            return SendResult.transientError(code, detail, null);
        }
        return SendResult.permanent(code, detail);
    }

    private static SendResult sendFailure(Throwable failure) {
        Throwable cause = failure;
        while (cause instanceof CompletionException && cause.getCause() != null) {
            cause = cause.getCause();
        }
        return SendResult.transientError(null, "not sent: " + cause.getClass().getSimpleName() + ": " + cause.getMessage(),
                null);
    }

    @Override
    public void close() {
        try {
            client.close().get(closeTimeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (java.util.concurrent.ExecutionException | TimeoutException e) {
            // Closing is best effort: in-flight notifications end as send failures.
        }
    }
}

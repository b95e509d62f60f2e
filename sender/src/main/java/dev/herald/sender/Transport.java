package dev.herald.sender;

import java.util.concurrent.CompletableFuture;

/**
 * Sends one outbox message through one provider. Asynchronous, so a sender keeps many messages in flight without a
 * thread each; a transport never throws for a provider's answer, it classifies it ({@link SendResult}).
 *
 * @param <M> the outbox message type (PushMessage or MailMessage)
 */
public interface Transport<M> extends AutoCloseable {

    /** Sends the message; the future completes with the provider's answer, classified, or exceptionally on a bug. */
    CompletableFuture<SendResult> send(M message);

    /** A short name for logs, metrics and receipts' detail: {@code smtp}, {@code fcm}, {@code apns}, {@code log}. */
    String name();

    @Override
    default void close() {
    }
}

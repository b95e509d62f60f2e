package dev.herald.sender;

import java.time.Duration;
import java.util.Objects;

/**
 * A provider's answer to one message, classified for the error policy.
 *
 * @param kind         what the answer means for the message
 * @param providerCode the provider's own code (HTTP status and error name, SMTP reply code), or null
 * @param detail       a human-readable explanation, or null
 * @param retryAfter   the provider's own delay before a retry (Retry-After), or null
 */
public record SendResult(Kind kind, String providerCode, String detail, Duration retryAfter) {

    /** The classes of answers the error policy tells apart. */
    public enum Kind {
        /** Accepted by the provider. */
        DELIVERED,
        /** Worth retrying: rate limited, unavailable, a timeout, a connection that failed. */
        TRANSIENT,
        /** The token or address is invalid or no longer registered: never retried, the target is dead. */
        REJECTED_TARGET,
        /** Refused for good for another reason (a malformed message, an authentication failure). */
        PERMANENT
    }

    public SendResult {
        Objects.requireNonNull(kind, "kind");
    }

    public static SendResult delivered(String providerCode) {
        return new SendResult(Kind.DELIVERED, providerCode, null, null);
    }

    public static SendResult transientError(String providerCode, String detail, Duration retryAfter) {
        return new SendResult(Kind.TRANSIENT, providerCode, detail, retryAfter);
    }

    public static SendResult rejectedTarget(String providerCode, String detail) {
        return new SendResult(Kind.REJECTED_TARGET, providerCode, detail, null);
    }

    public static SendResult permanent(String providerCode, String detail) {
        return new SendResult(Kind.PERMANENT, providerCode, detail, null);
    }
}

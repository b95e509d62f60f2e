package dev.herald.sender;

import dev.herald.avro.ReceiptStatus;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * What becomes of a message after one attempt, by the class of the provider's answer ({@link SendResult.Kind}).
 *
 * <ul>
 *   <li>DELIVERED: a DELIVERED receipt.
 *   <li>REJECTED_TARGET: a REJECTED_TARGET receipt, never retried, not parked (the target is dead, not the message).
 *   <li>TRANSIENT: while backoffs remain, a RETRYING receipt and the message again on the retry topic, due after
 *       {@code max(backoff[attempt - 1], Retry-After)}; after the last backoff, FAILED and parked.
 *   <li>PERMANENT: FAILED and parked.
 * </ul>
 *
 * @param backoffs the delay before retry 1, 2, ...; their number is the number of retries (empty: no retry)
 */
public record ErrorPolicy(List<Duration> backoffs) {

    /** 1 s, 5 s, 30 s: three retries, so four attempts in all. */
    public static final List<Duration> DEFAULT_BACKOFFS =
            List.of(Duration.ofSeconds(1), Duration.ofSeconds(5), Duration.ofSeconds(30));

    public ErrorPolicy {
        backoffs = List.copyOf(Objects.requireNonNull(backoffs, "backoffs"));
        for (Duration backoff : backoffs) {
            if (backoff.isNegative()) {
                throw new IllegalArgumentException("a backoff must not be negative: " + backoff);
            }
        }
    }

    public static ErrorPolicy defaults() {
        return new ErrorPolicy(DEFAULT_BACKOFFS);
    }

    /** What to do after attempt number {@code attempt} (1 for the first) ended in {@code result}. */
    public Decision decide(SendResult result, int attempt, Instant now) {
        Objects.requireNonNull(result, "result");
        if (attempt < 1) {
            throw new IllegalArgumentException("attempt must be 1 or more: " + attempt);
        }
        return switch (result.kind()) {
            case DELIVERED -> new Decision(ReceiptStatus.DELIVERED, null, false);
            case REJECTED_TARGET -> new Decision(ReceiptStatus.REJECTED_TARGET, null, false);
            case PERMANENT -> new Decision(ReceiptStatus.FAILED, null, true);
            case TRANSIENT -> {
                if (attempt > backoffs.size()) {
                    yield new Decision(ReceiptStatus.FAILED, null, true);
                }
                Duration delay = backoffs.get(attempt - 1);
                if (result.retryAfter() != null && result.retryAfter().compareTo(delay) > 0) {
                    delay = result.retryAfter();
                }
                yield new Decision(ReceiptStatus.RETRYING, now.plus(delay), false);
            }
        };
    }

    /**
     * @param status   the receipt's status for this attempt
     * @param retryAt  when the retry is due (RETRYING only), else null
     * @param park     whether the message goes to the parked topic
     */
    public record Decision(ReceiptStatus status, Instant retryAt, boolean park) {
        public boolean retry() {
            return retryAt != null;
        }
    }
}

package dev.herald.sender;

import java.nio.charset.StandardCharsets;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;

/**
 * The headers of a retry-topic record: which attempt it is, when it is due, and whether it is a replayed parked
 * message. Values are decimal strings.
 */
public final class SenderHeaders {
    /** The number of the attempt the record is for (2 for the first retry; a replay is 1). */
    public static final String ATTEMPT = "herald.attempt";
    /** When the attempt is due, epoch milliseconds. */
    public static final String NOT_BEFORE = "herald.not-before";
    /** Present ({@code 1}) on a parked message an operator replayed, and on its retries. */
    public static final String REPLAY = "herald.replay";

    private SenderHeaders() {
    }

    public static void set(Headers headers, int attempt, long notBeforeMillis) {
        headers.remove(ATTEMPT).remove(NOT_BEFORE);
        headers.add(ATTEMPT, Integer.toString(attempt).getBytes(StandardCharsets.UTF_8));
        headers.add(NOT_BEFORE, Long.toString(notBeforeMillis).getBytes(StandardCharsets.UTF_8));
    }

    /** Marks the record as a replayed parked message. */
    public static void markReplay(Headers headers) {
        headers.remove(REPLAY);
        headers.add(REPLAY, "1".getBytes(StandardCharsets.UTF_8));
    }

    /** Whether the record is a replayed parked message (or a retry of one). */
    public static boolean replay(Headers headers) {
        return number(headers, REPLAY, 0) == 1;
    }

    /** The attempt number in {@code headers}, or 1 when absent or unreadable (an outbox record). */
    public static int attempt(Headers headers) {
        long value = number(headers, ATTEMPT, 1);
        return value < 1 || value > Integer.MAX_VALUE ? 1 : (int) value;
    }

    /** When the record is due, or 0 (now) when absent or unreadable. */
    public static long notBefore(Headers headers) {
        return number(headers, NOT_BEFORE, 0);
    }

    private static long number(Headers headers, String name, long otherwise) {
        Header header = headers.lastHeader(name);
        if (header == null || header.value() == null) {
            return otherwise;
        }
        try {
            return Long.parseLong(new String(header.value(), StandardCharsets.UTF_8).trim());
        } catch (NumberFormatException e) {
            return otherwise;
        }
    }
}

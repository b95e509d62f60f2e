package dev.herald.topology.errors;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Replaces a failed stream thread (a registry outage, a refused send: the failures {@link DeadLetterHandler} leaves to
 * the task; exactly-once makes the retry safe), but stops the client after too many failures in a short time, so a
 * failure that will not pass shows as a dead instance on /health/live instead of an endless loop of rebalances.
 */
public final class ThreadFailurePolicy implements StreamsUncaughtExceptionHandler {
    private static final Logger log = LoggerFactory.getLogger(ThreadFailurePolicy.class);

    private final int maxReplacements;
    private final Duration window;
    private final Deque<Long> recent = new ArrayDeque<>();

    public ThreadFailurePolicy(int maxReplacements, Duration window) {
        this.maxReplacements = maxReplacements;
        this.window = window;
    }

    @Override
    public synchronized StreamThreadExceptionResponse handle(Throwable exception) {
        long now = System.nanoTime();
        while (!recent.isEmpty() && now - recent.peekFirst() > window.toNanos()) {
            recent.removeFirst();
        }
        if (recent.size() >= maxReplacements) {
            log.error("Stream thread failed {} times within {}; shutting Kafka Streams down", recent.size() + 1,
                    window, exception);
            return StreamThreadExceptionResponse.SHUTDOWN_CLIENT;
        }
        recent.addLast(now);
        log.error("Stream thread failed; replacing it ({} of {} within {})", recent.size(), maxReplacements, window,
                exception);
        return StreamThreadExceptionResponse.REPLACE_THREAD;
    }
}

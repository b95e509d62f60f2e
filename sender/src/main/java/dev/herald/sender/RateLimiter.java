package dev.herald.sender;

/**
 * A token bucket: {@code perSecond} permits a second, bursts up to one second's worth. {@code perSecond <= 0} is
 * unlimited. {@link #acquire()} blocks the calling thread (a sender's own thread, never a Kafka Streams thread).
 */
public final class RateLimiter {
    private final double perSecond;
    private final double capacity;
    private double tokens;
    private long last;

    public RateLimiter(double perSecond) {
        this.perSecond = perSecond;
        this.capacity = Math.max(1, perSecond);
        this.tokens = capacity;
        this.last = System.nanoTime();
    }

    public static RateLimiter unlimited() {
        return new RateLimiter(0);
    }

    public double perSecond() {
        return perSecond;
    }

    /** Takes one permit, waiting for it if the bucket is empty. */
    public synchronized void acquire() throws InterruptedException {
        if (perSecond <= 0) {
            return;
        }
        while (true) {
            long now = System.nanoTime();
            tokens = Math.min(capacity, tokens + (now - last) / 1e9 * perSecond);
            last = now;
            if (tokens >= 1) {
                tokens -= 1;
                return;
            }
            long waitNanos = (long) Math.ceil((1 - tokens) / perSecond * 1e9);
            wait(Math.max(1, waitNanos / 1_000_000), (int) (waitNanos % 1_000_000));
        }
    }
}

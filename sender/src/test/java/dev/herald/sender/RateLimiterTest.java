package dev.herald.sender;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.junit.jupiter.api.Test;

class RateLimiterTest {

    @Test
    void holdsTheRateAfterABurstOfOneSecond() throws Exception {
        RateLimiter limiter = new RateLimiter(20);
        long started = System.nanoTime();
        for (int i = 0; i < 30; i++) {
            limiter.acquire();
        }
        long millis = (System.nanoTime() - started) / 1_000_000;
        // 20 at once (the burst), then 10 at 20/s: about 500 ms.
        assertThat(millis).isBetween(400L, 1500L);
    }

    @Test
    void unlimitedNeverWaits() throws Exception {
        RateLimiter limiter = RateLimiter.unlimited();
        long started = System.nanoTime();
        for (int i = 0; i < 100_000; i++) {
            limiter.acquire();
        }
        assertThat((System.nanoTime() - started) / 1_000_000).isLessThan(500);
    }

    @Test
    void retryHeadersRoundTripAndDefault() {
        RecordHeaders headers = new RecordHeaders();
        assertThat(SenderHeaders.attempt(headers)).isEqualTo(1);
        assertThat(SenderHeaders.notBefore(headers)).isZero();
        SenderHeaders.set(headers, 3, 1_700_000_000_000L);
        SenderHeaders.set(headers, 4, 1_700_000_000_500L);
        assertThat(SenderHeaders.attempt(headers)).isEqualTo(4);
        assertThat(SenderHeaders.notBefore(headers)).isEqualTo(1_700_000_000_500L);
        assertThat(new String(headers.lastHeader(SenderHeaders.ATTEMPT).value(), StandardCharsets.UTF_8)).isEqualTo("4");
        headers.remove(SenderHeaders.ATTEMPT).add(SenderHeaders.ATTEMPT, "x".getBytes(StandardCharsets.UTF_8));
        assertThat(SenderHeaders.attempt(headers)).isEqualTo(1);
    }
}

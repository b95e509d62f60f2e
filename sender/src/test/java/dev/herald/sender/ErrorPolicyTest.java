package dev.herald.sender;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.herald.avro.ReceiptStatus;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class ErrorPolicyTest {
    private static final Instant NOW = Instant.parse("2026-12-03T12:00:00Z");
    private final ErrorPolicy policy = ErrorPolicy.defaults();

    @Test
    void defaultBackoffsAreOneFiveThirtySeconds() {
        assertThat(policy.backoffs()).containsExactly(Duration.ofSeconds(1), Duration.ofSeconds(5), Duration.ofSeconds(30));
    }

    @Test
    void deliveredIsAReceiptOnly() {
        var d = policy.decide(SendResult.delivered("250"), 1, NOW);
        assertThat(d.status()).isEqualTo(ReceiptStatus.DELIVERED);
        assertThat(d.retry()).isFalse();
        assertThat(d.park()).isFalse();
    }

    @Test
    void rejectedTargetIsNeitherRetriedNorParked() {
        for (int attempt = 1; attempt <= 4; attempt++) {
            var d = policy.decide(SendResult.rejectedTarget("550", "no such user"), attempt, NOW);
            assertThat(d.status()).isEqualTo(ReceiptStatus.REJECTED_TARGET);
            assertThat(d.retry()).isFalse();
            assertThat(d.park()).isFalse();
        }
    }

    @Test
    void permanentIsFailedAndParkedAtOnce() {
        var d = policy.decide(SendResult.permanent("554", "refused"), 1, NOW);
        assertThat(d.status()).isEqualTo(ReceiptStatus.FAILED);
        assertThat(d.retry()).isFalse();
        assertThat(d.park()).isTrue();
    }

    @Test
    void transientRetriesWithEachBackoffThenFailsAndParks() {
        SendResult busy = SendResult.transientError("421", "busy", null);
        assertThat(policy.decide(busy, 1, NOW).retryAt()).isEqualTo(NOW.plusSeconds(1));
        assertThat(policy.decide(busy, 2, NOW).retryAt()).isEqualTo(NOW.plusSeconds(5));
        var third = policy.decide(busy, 3, NOW);
        assertThat(third.status()).isEqualTo(ReceiptStatus.RETRYING);
        assertThat(third.retryAt()).isEqualTo(NOW.plusSeconds(30));
        assertThat(third.park()).isFalse();
        var last = policy.decide(busy, 4, NOW);
        assertThat(last.status()).isEqualTo(ReceiptStatus.FAILED);
        assertThat(last.retry()).isFalse();
        assertThat(last.park()).isTrue();
    }

    @Test
    void retryAfterLongerThanTheBackoffWins() {
        var d = policy.decide(SendResult.transientError("429", "slow down", Duration.ofSeconds(12)), 1, NOW);
        assertThat(d.retryAt()).isEqualTo(NOW.plusSeconds(12));
    }

    @Test
    void retryAfterShorterThanTheBackoffIsNotEarlier() {
        var d = policy.decide(SendResult.transientError("429", "slow down", Duration.ofSeconds(2)), 2, NOW);
        assertThat(d.retryAt()).isEqualTo(NOW.plusSeconds(5));
    }

    @Test
    void noBackoffsMeansNoRetry() {
        var d = new ErrorPolicy(List.of()).decide(SendResult.transientError("421", null, null), 1, NOW);
        assertThat(d.status()).isEqualTo(ReceiptStatus.FAILED);
        assertThat(d.park()).isTrue();
    }

    @Test
    void rejectsNegativeBackoffsAndAttemptZero() {
        assertThatThrownBy(() -> new ErrorPolicy(List.of(Duration.ofSeconds(-1))))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> policy.decide(SendResult.delivered(null), 0, NOW))
                .isInstanceOf(IllegalArgumentException.class);
    }
}

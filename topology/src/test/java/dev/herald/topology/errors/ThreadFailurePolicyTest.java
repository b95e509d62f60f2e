package dev.herald.topology.errors;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse;
import org.junit.jupiter.api.Test;

/** Failed threads are replaced a few times, then the client stops instead of looping. */
class ThreadFailurePolicyTest {

    @Test
    void replacesFailedThreadsThenShutsDownWhenFailuresKeepComing() {
        ThreadFailurePolicy policy = new ThreadFailurePolicy(2, Duration.ofMinutes(10));
        RuntimeException failure = new RuntimeException("registry down");

        assertThat(policy.handle(failure)).isEqualTo(StreamThreadExceptionResponse.REPLACE_THREAD);
        assertThat(policy.handle(failure)).isEqualTo(StreamThreadExceptionResponse.REPLACE_THREAD);
        assertThat(policy.handle(failure)).isEqualTo(StreamThreadExceptionResponse.SHUTDOWN_CLIENT);
    }

    @Test
    void failuresOutsideTheWindowAreForgiven() throws InterruptedException {
        ThreadFailurePolicy policy = new ThreadFailurePolicy(1, Duration.ofMillis(50));
        RuntimeException failure = new RuntimeException("blip");

        assertThat(policy.handle(failure)).isEqualTo(StreamThreadExceptionResponse.REPLACE_THREAD);
        Thread.sleep(80);
        assertThat(policy.handle(failure)).isEqualTo(StreamThreadExceptionResponse.REPLACE_THREAD);
    }
}

package dev.herald.topology;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The topology names a bad value by its own parameter, never by an application's setting name. */
class HeraldTopologyConfigTest {

    @Test
    void badValuesNameTheParameterAndTheValue() {
        HeraldTopologyConfig d = HeraldTopologyConfig.defaults();

        assertThatThrownBy(() -> d.withRecipientsPartitions(0))
                .isInstanceOfSatisfying(InvalidParameterException.class, e -> {
                    assertThat(e.parameter()).isEqualTo("recipientsPartitions");
                    assertThat(e.problem()).isEqualTo("must be at least 1 (was 0)");
                })
                .hasMessage("recipientsPartitions must be at least 1 (was 0)");
        assertThatThrownBy(() -> d.withFanoutChunkSize(-1)).hasMessage("fanoutChunkSize must be at least 1 (was -1)");
        assertThatThrownBy(() -> new HeraldTopologyConfig(1, Duration.ofSeconds(1), Duration.ZERO,
                Duration.ofMillis(100), 1, Duration.ofMinutes(30), Duration.ZERO))
                .hasMessage("summaryRetention must cover the hourly window plus grace (PT1H) (was PT30M)");
        assertThatThrownBy(() -> new HeraldTopologyConfig(1, Duration.ZERO, Duration.ZERO,
                Duration.ofMillis(100), 1, Duration.ofDays(1), Duration.ZERO))
                .hasMessage("schedulerInterval must be positive (was PT0S)");
        assertThatThrownBy(() -> d.withRunsRetention(Duration.ofMinutes(10)))
                .hasMessage("runsRetention must be at least PT1H (was PT10M)");
    }
}

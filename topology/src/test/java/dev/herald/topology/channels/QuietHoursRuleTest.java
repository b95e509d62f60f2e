package dev.herald.topology.channels;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.herald.avro.QuietHours;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class QuietHoursRuleTest {

    private static final ZoneId BERLIN = ZoneId.of("Europe/Berlin");

    private static QuietHours quiet(String start, String end) {
        return QuietHours.newBuilder().setStart(start).setEnd(end).build();
    }

    @Test
    void sameDayWindowIncludesStartAndExcludesEnd() {
        QuietHours q = quiet("09:00", "17:00");

        assertThat(QuietHoursRule.isQuiet(q, ZoneOffset.UTC, Instant.parse("2025-01-15T08:59:59Z"))).isFalse();
        assertThat(QuietHoursRule.isQuiet(q, ZoneOffset.UTC, Instant.parse("2025-01-15T09:00:00Z"))).isTrue();
        assertThat(QuietHoursRule.isQuiet(q, ZoneOffset.UTC, Instant.parse("2025-01-15T16:59:59Z"))).isTrue();
        assertThat(QuietHoursRule.isQuiet(q, ZoneOffset.UTC, Instant.parse("2025-01-15T17:00:00Z"))).isFalse();
    }

    @Test
    void overnightWindowSpansMidnightInTheGivenZone() {
        QuietHours q = quiet("22:00", "07:00");

        // Berlin is UTC+1 in January.
        assertThat(QuietHoursRule.isQuiet(q, BERLIN, Instant.parse("2025-01-15T20:59:59Z"))).isFalse();
        assertThat(QuietHoursRule.isQuiet(q, BERLIN, Instant.parse("2025-01-15T21:00:00Z"))).isTrue();
        assertThat(QuietHoursRule.isQuiet(q, BERLIN, Instant.parse("2025-01-15T23:30:00Z"))).isTrue();
        assertThat(QuietHoursRule.isQuiet(q, BERLIN, Instant.parse("2025-01-16T05:59:59Z"))).isTrue();
        assertThat(QuietHoursRule.isQuiet(q, BERLIN, Instant.parse("2025-01-16T06:00:00Z"))).isFalse();
        assertThat(QuietHoursRule.isQuiet(q, BERLIN, Instant.parse("2025-01-16T11:00:00Z"))).isFalse();
    }

    @Test
    void followsDaylightSavingTime() {
        QuietHours q = quiet("22:00", "07:00");

        // 20:30 UTC is 21:30 in Berlin in winter (CET) but 22:30 in summer (CEST).
        assertThat(QuietHoursRule.isQuiet(q, BERLIN, Instant.parse("2025-01-15T20:30:00Z"))).isFalse();
        assertThat(QuietHoursRule.isQuiet(q, BERLIN, Instant.parse("2025-07-15T20:30:00Z"))).isTrue();
    }

    @Test
    void equalStartAndEndIsNeverQuiet() {
        QuietHours q = quiet("08:00", "08:00");

        assertThat(QuietHoursRule.isQuiet(q, ZoneOffset.UTC, Instant.parse("2025-01-15T08:00:00Z"))).isFalse();
        assertThat(QuietHoursRule.isQuiet(q, ZoneOffset.UTC, Instant.parse("2025-01-15T20:00:00Z"))).isFalse();
    }

    @Test
    void malformedTimesAreRejected() {
        Instant at = Instant.parse("2025-01-15T08:00:00Z");

        assertThatThrownBy(() -> QuietHoursRule.isQuiet(quiet("7:00", "08:00"), ZoneOffset.UTC, at))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> QuietHoursRule.isQuiet(quiet("22:00", "24:00"), ZoneOffset.UTC, at))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> QuietHoursRule.isQuiet(quiet("22:00", "late"), ZoneOffset.UTC, at))
                .isInstanceOf(IllegalArgumentException.class);
    }
}

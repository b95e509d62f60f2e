package dev.herald.topology.channels;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.herald.avro.QuietHours;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

/** Quiet hours on the recipient's local wall clock, including across daylight-saving changes. */
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

    // Berlin springs forward on 2025-03-30 at 01:00 UTC (02:00 CET becomes 03:00 CEST: 02:00-02:59 never happen)
    // and falls back on 2025-10-26 at 01:00 UTC (03:00 CEST becomes 02:00 CET: 02:00-02:59 happen twice).
    // The rule reads the local wall clock, so the window holds whatever real time that clock spends inside it.

    @Test
    void aWindowStartingInTheSpringGapStartsWhenTheClockJumpsOverIt() {
        QuietHours q = quiet("02:30", "06:00");

        assertThat(QuietHoursRule.isQuiet(q, BERLIN, Instant.parse("2025-03-30T00:59:59Z"))).isFalse(); // 01:59:59 CET
        assertThat(QuietHoursRule.isQuiet(q, BERLIN, Instant.parse("2025-03-30T01:00:00Z"))).isTrue(); // 03:00 CEST
        assertThat(QuietHoursRule.isQuiet(q, BERLIN, Instant.parse("2025-03-30T03:59:59Z"))).isTrue(); // 05:59:59 CEST
        assertThat(QuietHoursRule.isQuiet(q, BERLIN, Instant.parse("2025-03-30T04:00:00Z"))).isFalse(); // 06:00 CEST
    }

    @Test
    void aWindowEndingInTheSpringGapEndsWhenTheClockJumpsOverIt() {
        QuietHours q = quiet("23:00", "02:30");

        assertThat(QuietHoursRule.isQuiet(q, BERLIN, Instant.parse("2025-03-29T21:59:59Z"))).isFalse(); // 22:59:59 CET
        assertThat(QuietHoursRule.isQuiet(q, BERLIN, Instant.parse("2025-03-29T22:00:00Z"))).isTrue(); // 23:00 CET
        assertThat(QuietHoursRule.isQuiet(q, BERLIN, Instant.parse("2025-03-30T00:59:59Z"))).isTrue(); // 01:59:59 CET
        assertThat(QuietHoursRule.isQuiet(q, BERLIN, Instant.parse("2025-03-30T01:00:00Z"))).isFalse(); // 03:00 CEST
    }

    @Test
    void anOvernightWindowAcrossTheSpringGapIsAnHourShorter() {
        QuietHours q = quiet("22:00", "07:00");

        // 22:00 CET to 07:00 CEST: eight real hours, not nine.
        assertThat(QuietHoursRule.isQuiet(q, BERLIN, Instant.parse("2025-03-29T20:59:59Z"))).isFalse();
        assertThat(QuietHoursRule.isQuiet(q, BERLIN, Instant.parse("2025-03-29T21:00:00Z"))).isTrue();
        assertThat(QuietHoursRule.isQuiet(q, BERLIN, Instant.parse("2025-03-30T04:59:59Z"))).isTrue();
        assertThat(QuietHoursRule.isQuiet(q, BERLIN, Instant.parse("2025-03-30T05:00:00Z"))).isFalse();
    }

    @Test
    void aWindowInsideTheRepeatedAutumnHourIsQuietBothTimesTheClockShowsIt() {
        QuietHours q = quiet("02:00", "03:00");

        assertThat(QuietHoursRule.isQuiet(q, BERLIN, Instant.parse("2025-10-25T23:59:59Z"))).isFalse(); // 01:59:59 CEST
        assertThat(QuietHoursRule.isQuiet(q, BERLIN, Instant.parse("2025-10-26T00:00:00Z"))).isTrue(); // 02:00 CEST
        assertThat(QuietHoursRule.isQuiet(q, BERLIN, Instant.parse("2025-10-26T00:59:59Z"))).isTrue(); // 02:59:59 CEST
        assertThat(QuietHoursRule.isQuiet(q, BERLIN, Instant.parse("2025-10-26T01:00:00Z"))).isTrue(); // 02:00 CET
        assertThat(QuietHoursRule.isQuiet(q, BERLIN, Instant.parse("2025-10-26T01:59:59Z"))).isTrue(); // 02:59:59 CET
        assertThat(QuietHoursRule.isQuiet(q, BERLIN, Instant.parse("2025-10-26T02:00:00Z"))).isFalse(); // 03:00 CET
    }

    @Test
    void aWindowEndingInTheRepeatedAutumnHourReopensWhenTheClockGoesBack() {
        QuietHours q = quiet("23:00", "02:30");

        assertThat(QuietHoursRule.isQuiet(q, BERLIN, Instant.parse("2025-10-26T00:29:59Z"))).isTrue(); // 02:29:59 CEST
        assertThat(QuietHoursRule.isQuiet(q, BERLIN, Instant.parse("2025-10-26T00:30:00Z"))).isFalse(); // 02:30 CEST
        assertThat(QuietHoursRule.isQuiet(q, BERLIN, Instant.parse("2025-10-26T01:00:00Z"))).isTrue(); // 02:00 CET
        assertThat(QuietHoursRule.isQuiet(q, BERLIN, Instant.parse("2025-10-26T01:29:59Z"))).isTrue(); // 02:29:59 CET
        assertThat(QuietHoursRule.isQuiet(q, BERLIN, Instant.parse("2025-10-26T01:30:00Z"))).isFalse(); // 02:30 CET
    }

    @Test
    void anOvernightWindowAcrossTheAutumnOverlapIsAnHourLonger() {
        QuietHours q = quiet("22:00", "07:00");

        // 22:00 CEST to 07:00 CET: ten real hours, not nine.
        assertThat(QuietHoursRule.isQuiet(q, BERLIN, Instant.parse("2025-10-25T19:59:59Z"))).isFalse();
        assertThat(QuietHoursRule.isQuiet(q, BERLIN, Instant.parse("2025-10-25T20:00:00Z"))).isTrue();
        assertThat(QuietHoursRule.isQuiet(q, BERLIN, Instant.parse("2025-10-26T05:59:59Z"))).isTrue();
        assertThat(QuietHoursRule.isQuiet(q, BERLIN, Instant.parse("2025-10-26T06:00:00Z"))).isFalse();
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

package dev.herald.app.cli;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Instants as operators type them: ISO-8601 ({@code 2026-05-01T10:00:00Z}) or an age ({@code 30m}, {@code 2h}, {@code 7d} ago). */
final class TimeArgs {
    private static final Pattern AGE = Pattern.compile("(\\d+)(s|m|h|d)");

    private TimeArgs() {
    }

    static Instant parse(String option, String value, Clock clock) {
        if (value == null) {
            return null;
        }
        Matcher age = AGE.matcher(value.trim());
        if (age.matches()) {
            long n = Long.parseLong(age.group(1));
            Duration d = switch (age.group(2)) {
                case "s" -> Duration.ofSeconds(n);
                case "m" -> Duration.ofMinutes(n);
                case "h" -> Duration.ofHours(n);
                default -> Duration.ofDays(n);
            };
            // To the second: the instant is shown back in answers, and nobody meant the nanoseconds.
            return clock.instant().truncatedTo(ChronoUnit.SECONDS).minus(d);
        }
        try {
            return Instant.parse(value.trim());
        } catch (DateTimeParseException e) {
            try {
                return OffsetDateTime.parse(value.trim()).toInstant();
            } catch (DateTimeParseException again) {
                throw new CliException(ExitCodes.USAGE, option + " must be an ISO-8601 instant such as "
                        + "2026-05-01T10:00:00Z or an age such as 30m, 2h or 7d (was '" + value + "')");
            }
        }
    }
}

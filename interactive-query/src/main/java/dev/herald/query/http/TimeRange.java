package dev.herald.query.http;

import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;

/**
 * The from/to of a summary request, parsed, defaulted and fitted to what the stores still hold.
 *
 * @param retainedFrom the oldest retained instant when {@code from} asked for older windows and was clamped to it
 *                     (the answer says so); null otherwise
 */
record TimeRange(Instant from, Instant to, Instant retainedFrom) {
    static final Duration DEFAULT_SPAN = Duration.ofHours(24);
    /**
     * The latest instant a range may name: later ones (ISO-8601 allows year 999999999) would overflow the
     * milliseconds of a window fetch; nothing is stored that late, so the answer is the same.
     */
    static final Instant LATEST = Instant.parse("9999-12-31T23:59:59.999Z");

    /**
     * Defaults: {@code to} now, {@code from} 24 hours before {@code to} but not before the retention limit. A
     * {@code from} older than the retention is clamped to the oldest retained instant (a dashboard asking for the
     * last 30 days gets what there is, told so by {@code retainedFrom}); a {@code to} older than it is an error, as
     * nothing at all is left of that range.
     *
     * @param checkRetention false for a forwarded request, whose range the first instance already checked with its
     *                       own clock: re-checking with this one's could reject a range clamped to the limit
     */
    static TimeRange parse(String fromParam, String toParam, Instant now, Duration retention,
            boolean checkRetention) {
        Instant oldest = now.minus(retention);
        Instant to = instant("to", toParam);
        if (to == null) {
            to = now;
        } else if (to.isAfter(LATEST)) {
            to = LATEST;
        }
        if (checkRetention && to.isBefore(oldest)) {
            throw new BadRequestException("to (" + to + ") is beyond retention of " + iso(retention)
                    + ": the oldest queryable instant is " + oldest);
        }
        Instant from = instant("from", fromParam);
        if (from != null && from.isAfter(LATEST)) {
            from = LATEST;
        }
        if (from == null) {
            from = to.minus(DEFAULT_SPAN);
            if (from.isBefore(oldest)) {
                from = oldest;
            }
        }
        if (from.isAfter(to)) {
            throw new BadRequestException("from (" + from + ") is after to (" + to + ")");
        }
        if (checkRetention && from.isBefore(oldest)) {
            return new TimeRange(oldest, to, oldest);
        }
        return new TimeRange(from, to, null);
    }

    private static Instant instant(String name, String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            return Instant.parse(value);
        } catch (DateTimeParseException e) {
            try {
                return OffsetDateTime.parse(value).toInstant();
            } catch (DateTimeParseException again) {
                throw new BadRequestException("query parameter '" + name + "' is not an ISO-8601 instant such as "
                        + "2026-05-01T10:00:00Z (was '" + value + "')");
            }
        }
    }

    /** P7D rather than Duration's PT168H, as operators configure it. */
    static String iso(Duration d) {
        if (!d.isZero() && d.toSeconds() % 86_400 == 0 && d.toNanosPart() == 0) {
            return "P" + d.toDays() + "D";
        }
        return d.toString();
    }
}

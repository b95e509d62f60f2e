package dev.herald.topology.channels;

import dev.herald.avro.QuietHours;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;
import java.util.Objects;

/** Decides whether an instant falls in a campaign's quiet hours on the recipient's local clock. */
public final class QuietHoursRule {

    private QuietHoursRule() {
    }

    /**
     * True when {@code at} falls in [start, end) local time in {@code zone}; end before start spans
     * midnight; equal start and end is never quiet.
     *
     * @throws IllegalArgumentException when start or end is not an ISO local time (HH:mm)
     */
    public static boolean isQuiet(QuietHours q, ZoneId zone, Instant at) {
        Objects.requireNonNull(q, "quietHours");
        LocalTime start = parse(q.getStart(), "start");
        LocalTime end = parse(q.getEnd(), "end");
        // The local wall clock, so the window follows the zone's daylight-saving changes.
        LocalTime now = at.atZone(zone).toLocalTime();
        if (start.equals(end)) {
            return false;
        }
        if (start.isBefore(end)) {
            return !now.isBefore(start) && now.isBefore(end);
        }
        return !now.isBefore(start) || now.isBefore(end);
    }

    private static LocalTime parse(String value, String field) {
        if (value == null) {
            throw new IllegalArgumentException("quiet hours " + field + " is missing");
        }
        try {
            // ISO local time, as CampaignValidator accepts it: HH:mm, optionally with seconds.
            return LocalTime.parse(value);
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("quiet hours " + field + " is not HH:mm: '" + value + "'", e);
        }
    }
}

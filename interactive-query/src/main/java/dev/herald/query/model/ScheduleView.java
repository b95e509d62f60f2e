package dev.herald.query.model;

import java.time.Instant;

/** A campaign's schedule as JSON shows it (ONCE at sendAt, or CRON in timeZone between startAt and endAt). */
public record ScheduleView(String type, Instant sendAt, String cron, String timeZone, Instant startAt, Instant endAt,
        String misfirePolicy) {
}

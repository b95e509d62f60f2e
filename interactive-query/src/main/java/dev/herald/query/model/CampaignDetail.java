package dev.herald.query.model;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/** A campaign's whole definition plus what the scheduler knows of it (next and last fire, fires so far). */
public record CampaignDetail(String id, String name, String description, String owner, String status,
        List<String> channels, ScheduleView schedule, AudienceView audience, PushTemplateView push,
        MailTemplateView mail, LimitsView limits, Instant createdAt, Instant updatedAt, Instant nextFireAt,
        Instant lastScheduledFor, long fires) {

    /** Who the campaign reaches; every given criterion must hold, none means everyone. */
    public record AudienceView(List<String> segments, Map<String, String> attributes, List<String> recipientIds) {
    }

    /** Mustache templates of the push notification. */
    public record PushTemplateView(String title, String body, Map<String, String> data) {
    }

    /** Mustache templates of the e-mail. */
    public record MailTemplateView(String subject, String text, String html) {
    }

    /** Delivery rate and the recipients' quiet hours (HH:mm in their own time zone). */
    public record LimitsView(Integer messagesPerSecond, QuietHoursView quietHours) {
    }

    /** Start and end of quiet hours; an end before the start spans midnight. */
    public record QuietHoursView(String start, String end) {
    }
}

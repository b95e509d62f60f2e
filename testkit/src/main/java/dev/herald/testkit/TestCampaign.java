package dev.herald.testkit;

import dev.herald.avro.Audience;
import dev.herald.avro.Campaign;
import dev.herald.avro.CampaignStatus;
import dev.herald.avro.Channel;
import dev.herald.avro.Limits;
import dev.herald.avro.MailTemplate;
import dev.herald.avro.MisfirePolicy;
import dev.herald.avro.PushTemplate;
import dev.herald.avro.QuietHours;
import dev.herald.avro.Schedule;
import dev.herald.avro.ScheduleType;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A campaign built in a test: {@code campaign("welcome").push("Hi {{firstName}}", "…").quietHours("22:00",
 * "08:00")}. Starts as a SCHEDULED campaign to everyone that fires only when ticked (its ONCE schedule is in 2099);
 * channels follow the templates given (a plain push when none is). The kit stamps createdAt and updatedAt with its
 * clock when it applies the campaign.
 */
public final class TestCampaign {
    /** The default schedule's instant: far enough away never to fire in a test by itself. */
    public static final Instant NEVER = Instant.parse("2099-01-01T00:00:00Z");

    private final String id;
    private String name;
    private String description;
    private String owner;
    private CampaignStatus status = CampaignStatus.SCHEDULED;
    private List<Channel> channels;
    private Schedule schedule = Schedule.newBuilder().setType(ScheduleType.ONCE).setSendAt(NEVER).build();
    private final List<String> segments = new ArrayList<>();
    private final Map<String, String> attributes = new LinkedHashMap<>();
    private final List<String> recipientIds = new ArrayList<>();
    private PushTemplate push;
    private MailTemplate mail;
    private Integer messagesPerSecond;
    private QuietHours quietHours;

    private TestCampaign(String id) {
        this.id = Objects.requireNonNull(id, "id");
        this.name = "Campaign " + id;
    }

    /** A SCHEDULED push campaign to everyone that fires only when ticked. */
    public static TestCampaign campaign(String id) {
        return new TestCampaign(id);
    }

    public TestCampaign name(String name) {
        this.name = name;
        return this;
    }

    public TestCampaign description(String description) {
        this.description = description;
        return this;
    }

    public TestCampaign owner(String owner) {
        this.owner = owner;
        return this;
    }

    public TestCampaign status(CampaignStatus status) {
        this.status = status;
        return this;
    }

    /** The push template (Mustache), and PUSH among the channels. */
    public TestCampaign push(String title, String body) {
        return push(title, body, Map.of());
    }

    /** The push template with data values (each a Mustache template), and PUSH among the channels. */
    public TestCampaign push(String title, String body, Map<String, String> data) {
        this.push = PushTemplate.newBuilder().setTitle(title).setBody(body).setData(new LinkedHashMap<>(data)).build();
        return this;
    }

    /** The plain-text mail template (Mustache), and MAIL among the channels. */
    public TestCampaign mail(String subject, String text) {
        return mail(subject, text, null);
    }

    /** The mail template with an HTML part, and MAIL among the channels. */
    public TestCampaign mail(String subject, String text, String html) {
        this.mail = MailTemplate.newBuilder().setSubject(subject).setText(text).setHtml(html).build();
        return this;
    }

    /** Exactly these channels, whatever templates are given (to test a channel without its template, say). */
    public TestCampaign channels(Channel... channels) {
        this.channels = List.of(channels);
        return this;
    }

    /** Fires once at {@code sendAt}. */
    public TestCampaign once(Instant sendAt) {
        this.schedule = Schedule.newBuilder().setType(ScheduleType.ONCE).setSendAt(sendAt).build();
        return this;
    }

    /** Fires on a five-field Unix cron expression read in an IANA zone; missed fires run once. */
    public TestCampaign cron(String expression, String timeZone) {
        return cron(expression, timeZone, MisfirePolicy.FIRE_ONCE);
    }

    /** Fires on a five-field Unix cron expression read in an IANA zone, with a misfire policy. */
    public TestCampaign cron(String expression, String timeZone, MisfirePolicy misfirePolicy) {
        this.schedule = Schedule.newBuilder().setType(ScheduleType.CRON).setCron(expression).setTimeZone(timeZone)
                .setMisfirePolicy(misfirePolicy).build();
        return this;
    }

    /** Any schedule, as the Avro record has it. */
    public TestCampaign schedule(Schedule schedule) {
        this.schedule = schedule;
        return this;
    }

    /** Recipients in at least one of these segments. */
    public TestCampaign segments(String... segments) {
        this.segments.addAll(Arrays.asList(segments));
        return this;
    }

    /** Recipients whose attribute has this value. */
    public TestCampaign attribute(String name, String value) {
        this.attributes.put(name, value);
        return this;
    }

    /** Exactly these recipients (looked up by id; unknown ids count as MISSING). */
    public TestCampaign recipientIds(String... ids) {
        this.recipientIds.addAll(Arrays.asList(ids));
        return this;
    }

    /** At most this many deliveries per second for the whole run. */
    public TestCampaign messagesPerSecond(int rate) {
        this.messagesPerSecond = rate;
        return this;
    }

    /** No delivery between start and end (HH:mm) in each recipient's own time zone. */
    public TestCampaign quietHours(String start, String end) {
        this.quietHours = QuietHours.newBuilder().setStart(start).setEnd(end).build();
        return this;
    }

    public String id() {
        return id;
    }

    /** The Avro record, created and updated at {@code at} (milliseconds, as Avro keeps them). */
    public Campaign build(Instant at) {
        Instant stamp = at.truncatedTo(ChronoUnit.MILLIS);
        PushTemplate pushTemplate = push;
        if (pushTemplate == null && mail == null && channels == null) {
            pushTemplate = PushTemplate.newBuilder().setTitle(name).setBody("Hello").build();
        }
        List<Channel> chosen = channels;
        if (chosen == null) {
            chosen = new ArrayList<>();
            if (pushTemplate != null) {
                chosen.add(Channel.PUSH);
            }
            if (mail != null) {
                chosen.add(Channel.MAIL);
            }
        }
        Limits limits = messagesPerSecond == null && quietHours == null ? null
                : Limits.newBuilder().setMessagesPerSecond(messagesPerSecond).setQuietHours(quietHours).build();
        return Campaign.newBuilder()
                .setId(id)
                .setName(name)
                .setDescription(description)
                .setOwner(owner)
                .setStatus(status)
                .setChannels(new ArrayList<>(chosen))
                .setSchedule(Schedule.newBuilder(schedule).build())
                .setAudience(Audience.newBuilder().setSegments(new ArrayList<>(segments))
                        .setAttributes(new LinkedHashMap<>(attributes))
                        .setRecipientIds(new ArrayList<>(recipientIds)).build())
                .setPush(pushTemplate == null ? null : PushTemplate.newBuilder(pushTemplate).build())
                .setMail(mail == null ? null : MailTemplate.newBuilder(mail).build())
                .setLimits(limits)
                .setCreatedAt(stamp)
                .setUpdatedAt(stamp)
                .build();
    }
}

package dev.herald.bench;

import dev.herald.avro.Audience;
import dev.herald.avro.Campaign;
import dev.herald.avro.CampaignStatus;
import dev.herald.avro.Channel;
import dev.herald.avro.Limits;
import dev.herald.avro.MailMessage;
import dev.herald.avro.MailTemplate;
import dev.herald.avro.MisfirePolicy;
import dev.herald.avro.PushMessage;
import dev.herald.avro.PushPlatform;
import dev.herald.avro.PushTemplate;
import dev.herald.avro.PushToken;
import dev.herald.avro.Recipient;
import dev.herald.avro.Schedule;
import dev.herald.avro.ScheduleTick;
import dev.herald.avro.ScheduleType;
import dev.herald.avro.Trigger;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.UUID;

/**
 * The benchmark's recipients and campaigns. Every recipient is reachable on both channels (an address, one push
 * token, no opt-out, no quiet hours), so a run over N recipients writes exactly N push and N mail messages, and the
 * baseline can write the same records. Recipient {@code i} depends only on the seed and {@code i}, so a segment
 * loaded alone is the very same records as inside the big table.
 */
final class BenchData {
    static final String SEGMENT = "bench-segment";
    static final String PUSH_TITLE = "{{firstName}}, the bench sale is on";
    static final String PUSH_BODY = "Everything in your {{plan}} plan is 20% off until Sunday.";
    static final Map<String, String> PUSH_DATA = Map.of("link", "https://example.com/sale?utm=push");
    static final String MAIL_SUBJECT = "{{firstName}}, the bench sale is on";
    static final String MAIL_TEXT = "Hello {{firstName}},\n\neverything in your {{plan}} plan is 20% off until Sunday."
            + "\n\nThe bench team";

    private static final String[] NAMES = {"Ada", "Grace", "Linus", "Minji", "Jisoo", "Hana", "Noah", "Emma", "Lucas",
        "Mia", "Yuki", "Ravi", "Sofia", "Mateo", "Chloe", "Omar"};
    private static final String[] LOCALES = {"en", "de", "ko", "ja", "fr", "es"};
    private static final String[] PLANS = {"free", "pro", "team"};
    private static final PushPlatform[] PLATFORMS = {PushPlatform.IOS, PushPlatform.ANDROID};
    private static final Instant CREATED = Instant.parse("2026-01-01T00:00:00Z");

    private final long seed;

    BenchData(long seed) {
        this.seed = seed;
    }

    static String id(int i) {
        return String.format("r%07d", i);
    }

    /** The index {@link #id} encoded, or -1 for an id the harness did not make. */
    static int index(String id) {
        if (id == null || id.length() != 8 || id.charAt(0) != 'r') {
            return -1;
        }
        try {
            return Integer.parseInt(id, 1, 8, 10);
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    /** Recipient {@code i}; in {@link #SEGMENT} when {@code i} is a multiple of {@code stride}. */
    Recipient recipient(int i, int stride) {
        SplittableRandom random = new SplittableRandom(seed * 0x9E3779B97F4A7C15L + i);
        String name = NAMES[random.nextInt(NAMES.length)];
        String id = id(i);
        String token = Long.toHexString(random.nextLong()) + Long.toHexString(random.nextLong())
                + Long.toHexString(random.nextLong()) + Long.toHexString(random.nextLong());
        List<String> segments = i % stride == 0 ? List.of("all", SEGMENT) : List.of("all");
        return Recipient.newBuilder()
                .setId(id)
                .setEmail(name.toLowerCase() + "." + i + "@example.com")
                .setPushTokens(List.of(PushToken.newBuilder()
                        .setPlatform(PLATFORMS[random.nextInt(PLATFORMS.length)]).setToken(token).build()))
                .setLocale(LOCALES[random.nextInt(LOCALES.length)])
                .setTimeZone("UTC")
                .setAttributes(Map.of("firstName", name, "plan", PLANS[random.nextInt(PLANS.length)]))
                .setSegments(segments)
                .setOptOuts(List.of())
                .build();
    }

    /** Push + mail to everyone, or to {@code segment} when given; {@code rate} deliveries/s when positive. */
    static Campaign campaign(String id, String segment, int rate) {
        return Campaign.newBuilder()
                .setId(id)
                .setName("Benchmark " + id)
                .setStatus(CampaignStatus.SCHEDULED)
                .setChannels(List.of(Channel.PUSH, Channel.MAIL))
                // Never due by itself: runs are manual ticks only.
                .setSchedule(Schedule.newBuilder().setType(ScheduleType.ONCE)
                        .setSendAt(Instant.parse("2099-01-01T00:00:00Z")).setMisfirePolicy(MisfirePolicy.SKIP).build())
                .setAudience(segment == null ? Audience.newBuilder().build()
                        : Audience.newBuilder().setSegments(List.of(segment)).build())
                .setPush(PushTemplate.newBuilder().setTitle(PUSH_TITLE).setBody(PUSH_BODY).setData(PUSH_DATA).build())
                .setMail(MailTemplate.newBuilder().setSubject(MAIL_SUBJECT).setText(MAIL_TEXT).build())
                .setLimits(rate > 0 ? Limits.newBuilder().setMessagesPerSecond(rate).build() : null)
                .setCreatedAt(CREATED)
                .setUpdatedAt(CREATED)
                .build();
    }

    /** A campaign listing {@code ids} explicitly: tiny runs whose only purpose is to exist somewhere. */
    static Campaign probe(String id, List<String> ids) {
        Campaign c = campaign(id, null, 0);
        c.setAudience(Audience.newBuilder().setRecipientIds(ids).build());
        return c;
    }

    static ScheduleTick tick(String campaignId, Instant scheduledFor) {
        return ScheduleTick.newBuilder().setCampaignId(campaignId).setScheduledFor(scheduledFor)
                .setTrigger(Trigger.MANUAL).build();
    }

    /** The push message Herald renders for recipient {@code r} in run {@code runId}, field for field. */
    static PushMessage push(String campaignId, String runId, Recipient r, long seq, Instant at) {
        PushToken token = r.getPushTokens().get(0);
        return PushMessage.newBuilder()
                .setMessageId(new UUID(seq, ~seq).toString())
                .setCampaignId(campaignId)
                .setRunId(runId)
                .setRecipientId(r.getId())
                .setPlatform(token.getPlatform())
                .setToken(token.getToken())
                .setTitle(render(PUSH_TITLE, r))
                .setBody(render(PUSH_BODY, r))
                .setData(PUSH_DATA)
                .setLocale(r.getLocale())
                .setCreatedAt(at)
                .build();
    }

    /** The mail message Herald renders for recipient {@code r} in run {@code runId}, field for field. */
    static MailMessage mail(String campaignId, String runId, Recipient r, long seq, Instant at) {
        return MailMessage.newBuilder()
                .setMessageId(new UUID(seq, ~seq).toString())
                .setCampaignId(campaignId)
                .setRunId(runId)
                .setRecipientId(r.getId())
                .setTo(r.getEmail())
                .setSubject(render(MAIL_SUBJECT, r))
                .setText(render(MAIL_TEXT, r))
                .setLocale(r.getLocale())
                .setCreatedAt(at)
                .build();
    }

    private static String render(String template, Recipient r) {
        return template.replace("{{firstName}}", r.getAttributes().get("firstName"))
                .replace("{{plan}}", r.getAttributes().get("plan"));
    }
}

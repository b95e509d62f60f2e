package dev.herald.app.it;

import dev.herald.avro.Audience;
import dev.herald.avro.Campaign;
import dev.herald.avro.CampaignStatus;
import dev.herald.avro.Channel;
import dev.herald.avro.Limits;
import dev.herald.avro.MailTemplate;
import dev.herald.avro.MisfirePolicy;
import dev.herald.avro.PushPlatform;
import dev.herald.avro.PushTemplate;
import dev.herald.avro.PushToken;
import dev.herald.avro.Recipient;
import dev.herald.avro.Schedule;
import dev.herald.avro.ScheduleTick;
import dev.herald.avro.ScheduleType;
import dev.herald.avro.Trigger;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Recipients whose reachability follows simple rules, so a test knows exactly which messages a run must produce.
 * The rules overlap nowhere that would hide one behind another: push opt-outs ({@code i % 10 == 1}) all have
 * tokens, recipients without tokens ({@code i % 5 == 0}) never opted out, and mail opt-outs ({@code i % 11 == 2})
 * are counted apart from missing addresses ({@code i % 7 == 0}) except where both hold.
 */
final class Population {
    /**
     * The slot runs are ticked for: recent, as a tick scheduled before the runs retention (30 days) is refused;
     * whole minutes, so run ids are stable within a test.
     */
    static final Instant SLOT = Instant.now().truncatedTo(ChronoUnit.MINUTES).minus(Duration.ofHours(1));

    private Population() {
    }

    static Map<String, Recipient> recipients(int count) {
        Map<String, Recipient> out = new LinkedHashMap<>();
        for (int i = 0; i < count; i++) {
            String id = String.format("r%05d", i);
            List<PushToken> tokens = new ArrayList<>();
            for (int t = 0; t < tokensOf(i); t++) {
                tokens.add(PushToken.newBuilder().setPlatform(PushPlatform.ANDROID).setToken(id + "-t" + t).build());
            }
            out.put(id, Recipient.newBuilder()
                    .setId(id)
                    .setEmail(hasEmail(i) ? id + "@example.com" : null)
                    .setPushTokens(tokens)
                    .setTimeZone("UTC")
                    .setAttributes(Map.of("firstName", "N" + i))
                    .setSegments(List.of("all"))
                    .setOptOuts(optOuts(i))
                    .build());
        }
        return out;
    }

    private static List<Channel> optOuts(int i) {
        List<Channel> out = new ArrayList<>();
        if (pushOptOut(i)) {
            out.add(Channel.PUSH);
        }
        if (mailOptOut(i)) {
            out.add(Channel.MAIL);
        }
        return out;
    }

    private static boolean pushOptOut(int i) {
        return i % 10 == 1;
    }

    private static boolean mailOptOut(int i) {
        return i % 11 == 2;
    }

    private static boolean hasEmail(int i) {
        return i % 7 != 0;
    }

    /** Push deliveries that find no token (and did not opt out): {@code missing} in the summaries. */
    static long expectedPushMissing(int count) {
        long n = 0;
        for (int i = 0; i < count; i++) {
            n += !pushOptOut(i) && tokensOf(i) == 0 ? 1 : 0;
        }
        return n;
    }

    /** Push deliveries of recipients who opted out: {@code filtered} in the summaries. */
    static long expectedPushFiltered(int count) {
        long n = 0;
        for (int i = 0; i < count; i++) {
            n += pushOptOut(i) ? 1 : 0;
        }
        return n;
    }

    private static int tokensOf(int i) {
        return i % 5 == 0 ? 0 : i % 3 == 0 ? 2 : 1;
    }

    static long expectedPushMessages(int count) {
        long n = 0;
        for (int i = 0; i < count; i++) {
            n += pushOptOut(i) ? 0 : tokensOf(i);
        }
        return n;
    }

    static long expectedMailMessages(int count) {
        long n = 0;
        for (int i = 0; i < count; i++) {
            n += hasEmail(i) && !mailOptOut(i) ? 1 : 0;
        }
        return n;
    }

    static Campaign campaign(String id, Integer messagesPerSecond) {
        Instant created = Instant.parse("2026-01-01T00:00:00Z");
        return Campaign.newBuilder()
                .setId(id)
                .setName("Campaign " + id)
                .setStatus(CampaignStatus.SCHEDULED)
                .setChannels(List.of(Channel.PUSH, Channel.MAIL))
                .setSchedule(Schedule.newBuilder().setType(ScheduleType.ONCE)
                        .setSendAt(Instant.parse("2099-01-01T00:00:00Z")).setMisfirePolicy(MisfirePolicy.SKIP).build())
                .setAudience(Audience.newBuilder().setSegments(List.of("all")).build())
                .setPush(PushTemplate.newBuilder().setTitle("Hi {{firstName}}").setBody("News").build())
                .setMail(MailTemplate.newBuilder().setSubject("Hello {{firstName}}").setText("News").build())
                .setLimits(messagesPerSecond == null ? null
                        : Limits.newBuilder().setMessagesPerSecond(messagesPerSecond).build())
                .setCreatedAt(created)
                .setUpdatedAt(created)
                .build();
    }

    static ScheduleTick tick(String campaignId, Instant scheduledFor) {
        return ScheduleTick.newBuilder().setCampaignId(campaignId).setScheduledFor(scheduledFor)
                .setTrigger(Trigger.MANUAL).build();
    }
}

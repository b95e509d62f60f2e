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
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Recipients whose reachability follows simple rules, so a test knows exactly which messages a run must produce. */
final class Population {
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
                    .setEmail(i % 7 == 0 ? null : id + "@example.com")
                    .setPushTokens(tokens)
                    .setTimeZone("UTC")
                    .setAttributes(Map.of("firstName", "N" + i))
                    .setSegments(List.of("all"))
                    .setOptOuts(i % 10 == 0 ? List.of(Channel.PUSH) : List.of())
                    .build());
        }
        return out;
    }

    private static int tokensOf(int i) {
        return i % 5 == 0 ? 0 : i % 3 == 0 ? 2 : 1;
    }

    static long expectedPushMessages(int count) {
        long n = 0;
        for (int i = 0; i < count; i++) {
            n += i % 10 == 0 ? 0 : tokensOf(i);
        }
        return n;
    }

    static long expectedMailMessages(int count) {
        long n = 0;
        for (int i = 0; i < count; i++) {
            n += i % 7 == 0 ? 0 : 1;
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

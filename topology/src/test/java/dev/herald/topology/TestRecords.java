package dev.herald.topology;

import dev.herald.avro.Audience;
import dev.herald.avro.Campaign;
import dev.herald.avro.CampaignStatus;
import dev.herald.avro.Channel;
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
import java.util.List;
import java.util.Map;

/** Builders for valid records that tests then change in the one respect they are about. */
public final class TestRecords {
    public static final Instant CREATED = Instant.parse("2026-01-01T00:00:00Z");

    private TestRecords() {
    }

    public static Schedule once(Instant sendAt) {
        return Schedule.newBuilder().setType(ScheduleType.ONCE).setSendAt(sendAt).build();
    }

    public static Schedule cron(String expression, String zone, MisfirePolicy policy) {
        return Schedule.newBuilder().setType(ScheduleType.CRON).setCron(expression).setTimeZone(zone)
                .setMisfirePolicy(policy).build();
    }

    public static Audience everyone() {
        return Audience.newBuilder().build();
    }

    /** A SCHEDULED push campaign to everyone, far in the future unless the test changes its schedule. */
    public static Campaign.Builder campaign(String id) {
        return Campaign.newBuilder()
                .setId(id)
                .setName("Campaign " + id)
                .setStatus(CampaignStatus.SCHEDULED)
                .setChannels(List.of(Channel.PUSH))
                .setSchedule(once(Instant.parse("2099-01-01T00:00:00Z")))
                .setAudience(everyone())
                .setPush(PushTemplate.newBuilder().setTitle("Hi {{firstName}}").setBody("News for {{recipient.id}}")
                        .setData(Map.of("campaign", "{{campaign.id}}")).build())
                .setMail(MailTemplate.newBuilder().setSubject("Hello {{firstName}}").setText("Dear {{firstName}}")
                        .setHtml("<p>Dear {{firstName}}</p>").build())
                .setCreatedAt(CREATED)
                .setUpdatedAt(CREATED);
    }

    /** A recipient reachable on both channels, in segment "all", with attribute firstName. */
    public static Recipient.Builder recipient(String id) {
        return Recipient.newBuilder()
                .setId(id)
                .setEmail(id + "@example.com")
                .setPushTokens(List.of(PushToken.newBuilder().setPlatform(PushPlatform.IOS).setToken("tok-" + id)
                        .build()))
                .setLocale("en")
                .setTimeZone("UTC")
                .setAttributes(Map.of("firstName", "Name" + id))
                .setSegments(List.of("all"));
    }

    public static ScheduleTick manualTick(String campaignId, Instant scheduledFor) {
        return ScheduleTick.newBuilder().setCampaignId(campaignId).setScheduledFor(scheduledFor)
                .setTrigger(Trigger.MANUAL).build();
    }
}

package dev.herald.topology.channels;

import static org.assertj.core.api.Assertions.assertThat;

import dev.herald.avro.Audience;
import dev.herald.avro.Campaign;
import dev.herald.avro.CampaignStatus;
import dev.herald.avro.Channel;
import dev.herald.avro.Delivery;
import dev.herald.avro.Job;
import dev.herald.avro.Limits;
import dev.herald.avro.MailTemplate;
import dev.herald.avro.MisfirePolicy;
import dev.herald.avro.PushPlatform;
import dev.herald.avro.PushTemplate;
import dev.herald.avro.PushToken;
import dev.herald.avro.QuietHours;
import dev.herald.avro.Recipient;
import dev.herald.avro.Result;
import dev.herald.avro.Schedule;
import dev.herald.avro.ScheduleType;
import dev.herald.avro.Trigger;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/** Test records built with the generated builders; each call returns a fresh builder to adjust. */
final class Fixtures {

    static final String CAMPAIGN_ID = "spring-sale";
    static final Instant SCHEDULED_FOR = Instant.parse("2025-01-15T09:00:00Z");
    static final String RUN_ID = CAMPAIGN_ID + "@" + SCHEDULED_FOR;
    static final String RECIPIENT_ID = "r-1";
    /** Midday in UTC and in Europe/Berlin: outside any overnight quiet hours. */
    static final Instant NOON = Instant.parse("2025-01-15T12:00:00Z");

    private Fixtures() {
    }

    static Recipient.Builder recipient() {
        return Recipient.newBuilder()
                .setId(RECIPIENT_ID)
                .setEmail("ada@example.com")
                .setPushTokens(List.of(token(PushPlatform.IOS, "ios-token-1")))
                .setLocale("en-GB")
                .setTimeZone("Europe/Berlin")
                .setAttributes(Map.of("firstName", "Ada"))
                .setSegments(List.of("vip"))
                .setOptOuts(List.of());
    }

    static PushToken token(PushPlatform platform, String token) {
        return PushToken.newBuilder().setPlatform(platform).setToken(token).build();
    }

    static PushTemplate.Builder pushTemplate() {
        return PushTemplate.newBuilder()
                .setTitle("Hi {{firstName}}")
                .setBody("{{campaign.name}} starts now")
                .setData(Map.of("url", "https://example.com/sale?r={{recipient.id}}"));
    }

    static MailTemplate.Builder mailTemplate() {
        return MailTemplate.newBuilder()
                .setSubject("{{firstName}}, {{campaign.name}}")
                .setText("Dear {{firstName}}")
                .setHtml("<p>Dear {{firstName}}</p>");
    }

    static Campaign.Builder campaign() {
        return Campaign.newBuilder()
                .setId(CAMPAIGN_ID)
                .setName("Spring sale")
                .setStatus(CampaignStatus.SCHEDULED)
                .setChannels(List.of(Channel.PUSH, Channel.MAIL))
                // Set although it has a default: Avro 1.12 would load the enum class by name to fill
                // the default, which it refuses unless dev.herald.avro is trusted (see AvroTrust).
                .setSchedule(Schedule.newBuilder()
                        .setType(ScheduleType.ONCE)
                        .setSendAt(SCHEDULED_FOR)
                        .setMisfirePolicy(MisfirePolicy.FIRE_ONCE)
                        .build())
                .setAudience(Audience.newBuilder().build())
                .setPush(pushTemplate().build())
                .setMail(mailTemplate().build())
                .setLimits(null)
                .setCreatedAt(Instant.parse("2025-01-01T00:00:00Z"))
                .setUpdatedAt(Instant.parse("2025-01-02T00:00:00Z"));
    }

    static Limits quietHours(String start, String end) {
        return Limits.newBuilder()
                .setQuietHours(QuietHours.newBuilder().setStart(start).setEnd(end).build())
                .build();
    }

    static Delivery delivery(Channel channel, Recipient recipient, Campaign campaign) {
        Job job = Job.newBuilder()
                .setRunId(RUN_ID)
                .setCampaignId(campaign.getId())
                .setScheduledFor(SCHEDULED_FOR)
                .setTrigger(Trigger.SCHEDULE)
                .setCampaign(campaign)
                .build();
        return Delivery.newBuilder()
                .setRunId(RUN_ID)
                .setCampaignId(campaign.getId())
                .setChannel(channel)
                .setRecipientId(recipient == null ? RECIPIENT_ID : recipient.getId())
                .setRecipient(recipient)
                .setJob(job)
                .build();
    }

    static Delivery push(Recipient.Builder recipient, Campaign.Builder campaign) {
        return delivery(Channel.PUSH, recipient == null ? null : recipient.build(), campaign.build());
    }

    static Delivery mail(Recipient.Builder recipient, Campaign.Builder campaign) {
        return delivery(Channel.MAIL, recipient == null ? null : recipient.build(), campaign.build());
    }

    /** A rule stopped the delivery: this result and reason, no message. */
    static <M> void assertStopped(ChannelResult<M> result, Result expected, String reason) {
        assertThat(result.outcome().getResult()).isEqualTo(expected);
        assertThat(result.outcome().getReason()).isEqualTo(reason);
        assertThat(result.outcome().getMessages()).isZero();
        assertThat(result.messages()).isEmpty();
    }
}

package dev.herald.serdes;

import dev.herald.avro.Audience;
import dev.herald.avro.Campaign;
import dev.herald.avro.CampaignStatus;
import dev.herald.avro.Channel;
import dev.herald.avro.Limits;
import dev.herald.avro.MailTemplate;
import dev.herald.avro.MisfirePolicy;
import dev.herald.avro.Outcome;
import dev.herald.avro.PushPlatform;
import dev.herald.avro.PushTemplate;
import dev.herald.avro.PushToken;
import dev.herald.avro.QuietHours;
import dev.herald.avro.Recipient;
import dev.herald.avro.Result;
import dev.herald.avro.Schedule;
import dev.herald.avro.ScheduleType;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.avro.Schema;

/** Sample records and registry doubles shared by the serde tests. */
final class TestRecords {
    private TestRecords() {
    }

    // Every field is set explicitly: builders that fill enum/record defaults need AvroTrust, and a
    // test's data must not depend on which test happened to register it first.
    static Campaign richCampaign() {
        return Campaign.newBuilder()
                .setId("spring-sale_2025")
                .setName("Spring sale")
                .setDescription(null)
                .setOwner("growth-team")
                .setStatus(CampaignStatus.SCHEDULED)
                .setChannels(List.of(Channel.PUSH, Channel.MAIL))
                .setSchedule(new Schedule(ScheduleType.CRON, null, "0 9 * * MON", "Europe/Berlin",
                        Instant.parse("2025-03-01T00:00:00.123Z"), Instant.parse("2025-06-01T00:00:00Z"),
                        MisfirePolicy.SKIP))
                .setAudience(new Audience(List.of("vip", "beta"), Map.of("country", "DE", "tier", "gold"),
                        List.of()))
                .setPush(new PushTemplate("Hi {{name}}", "Sale starts now", Map.of("deeplink", "app://sale/{{id}}")))
                .setMail(new MailTemplate("Spring sale", "Plain text body, ünïcødé ✓", null))
                .setLimits(new Limits(50, new QuietHours("22:00", "07:30")))
                .setCreatedAt(Instant.parse("2025-02-01T10:15:30.456Z"))
                .setUpdatedAt(Instant.parse("2025-02-02T11:00:00Z"))
                .build();
    }

    static Campaign minimalCampaign() {
        return Campaign.newBuilder()
                .setId("c1").setName("n").setDescription(null).setOwner(null)
                .setStatus(CampaignStatus.DRAFT)
                .setChannels(List.of(Channel.MAIL))
                .setSchedule(new Schedule(ScheduleType.ONCE, Instant.ofEpochMilli(0), null, "UTC", null, null,
                        MisfirePolicy.FIRE_ONCE))
                .setAudience(new Audience(List.of(), Map.of(), List.of("r1", "r2")))
                .setPush(null).setMail(null).setLimits(new Limits(null, null))
                .setCreatedAt(Instant.ofEpochMilli(-1))
                .setUpdatedAt(Instant.ofEpochMilli(Long.MAX_VALUE))
                .build();
    }

    static Recipient recipient() {
        return new Recipient("r-42", "ada@example.com",
                List.of(new PushToken(PushPlatform.IOS, "tok-1"), new PushToken(PushPlatform.WEB, "tok-2")),
                "de-DE", "Europe/Berlin", Map.of("name", "Ada", "plan", ""), List.of("vip"), List.of(Channel.MAIL));
    }

    static Outcome outcome() {
        return new Outcome("c", "r", "u", Channel.MAIL, Result.FILTERED, "opt_out", 0);
    }

    static byte[] bytes(int... values) {
        byte[] out = new byte[values.length];
        for (int i = 0; i < values.length; i++) {
            out[i] = (byte) values[i];
        }
        return out;
    }

    /** Wraps a registry and counts the calls the serdes make to it. */
    static final class CountingRegistry implements SchemaRegistryClient {
        final SchemaRegistryClient delegate;
        final AtomicInteger registers = new AtomicInteger();
        final AtomicInteger lookups = new AtomicInteger();

        CountingRegistry(SchemaRegistryClient delegate) {
            this.delegate = delegate;
        }

        @Override
        public int register(String subject, Schema schema) {
            registers.incrementAndGet();
            return delegate.register(subject, schema);
        }

        @Override
        public Schema schemaById(int id) {
            lookups.incrementAndGet();
            return delegate.schemaById(id);
        }
    }
}

package dev.herald.query;

import static dev.herald.topology.TestRecords.campaign;
import static dev.herald.topology.TestRecords.cron;
import static dev.herald.topology.TestRecords.manualTick;
import static dev.herald.topology.TestRecords.recipient;

import dev.herald.avro.Audience;
import dev.herald.avro.CampaignStatus;
import dev.herald.avro.Channel;
import dev.herald.avro.Limits;
import dev.herald.avro.MisfirePolicy;
import dev.herald.avro.QuietHours;
import dev.herald.topology.HeraldTestDriver;
import dev.herald.topology.RunIds;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/** A realistic morning: opted-out and unreachable recipients, two campaigns run by hand, a paused one rejected. */
final class Scenario {
    static final Instant START = Instant.parse("2026-05-01T10:00:30Z");
    /** The driver's wall clock once the runs are done, and the API's clock. */
    static final Instant NOW = START.plusSeconds(5);
    static final Instant SLOT = Instant.parse("2026-05-01T10:00:00Z");

    static final String SPRING = "spring-sale";
    static final String DIGEST = "weekly-digest";
    static final String PAUSED = "paused-promo";
    static final String SPRING_RUN = RunIds.of(SPRING, SLOT);

    private Scenario() {
    }

    static void load(HeraldTestDriver herald) {
        for (String id : List.of("r1", "r2", "r3")) {
            herald.recipients().pipeInput(id, recipient(id).build(), START);
        }
        herald.recipients().pipeInput("r4", recipient("r4").setOptOuts(List.of(Channel.PUSH)).build(), START);
        herald.recipients().pipeInput("r5", recipient("r5").setPushTokens(List.of()).build(), START);
        herald.recipients().pipeInput("r6", recipient("r6").setOptOuts(List.of(Channel.MAIL)).build(), START);

        herald.campaigns().pipeInput(SPRING, campaign(SPRING)
                .setName("Spring sale")
                .setDescription("Twenty percent off everything")
                .setOwner("marketing")
                .setChannels(List.of(Channel.PUSH, Channel.MAIL))
                .setAudience(Audience.newBuilder().setSegments(List.of("all")).build())
                .setLimits(Limits.newBuilder().setMessagesPerSecond(500)
                        .setQuietHours(QuietHours.newBuilder().setStart("22:00").setEnd("07:00").build()).build())
                .build(), START);
        herald.campaigns().pipeInput(DIGEST, campaign(DIGEST)
                .setName("Weekly digest")
                .setChannels(List.of(Channel.MAIL))
                .setPush(null)
                .setSchedule(cron("0 9 * * MON", "Europe/Paris", MisfirePolicy.SKIP))
                .build(), START);
        herald.campaigns().pipeInput(PAUSED, campaign(PAUSED)
                .setName("Paused promo")
                .setStatus(CampaignStatus.PAUSED)
                .setAudience(Audience.newBuilder().setAttributes(Map.of("firstName", "Namer1")).build())
                .build(), START);

        herald.ticks().pipeInput(SPRING, manualTick(SPRING, SLOT), START);
        herald.ticks().pipeInput(DIGEST, manualTick(DIGEST, SLOT), START);
        herald.ticks().pipeInput(PAUSED, manualTick(PAUSED, SLOT), START);
        herald.advance(Duration.between(START, NOW));
    }
}

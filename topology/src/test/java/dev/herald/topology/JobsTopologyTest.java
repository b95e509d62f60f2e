package dev.herald.topology;

import static dev.herald.topology.TestRecords.campaign;
import static dev.herald.topology.TestRecords.manualTick;
import static dev.herald.topology.TestRecords.recipient;
import static org.assertj.core.api.Assertions.assertThat;

import dev.herald.avro.CampaignStatus;
import dev.herald.avro.PushMessage;
import dev.herald.avro.RunStatus;
import dev.herald.avro.ScheduleTick;
import dev.herald.avro.Trigger;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Ticks become runs only for runnable campaigns, and each run id runs once. */
class JobsTopologyTest {
    private static final Instant NOW = Instant.parse("2026-05-01T10:00:00Z");
    private static final Instant SLOT = Instant.parse("2026-05-01T09:00:00Z");

    @Test
    void manualTickRunsTheCampaignForEveryRecipient() {
        try (HeraldTestDriver herald = HeraldTestDriver.start(NOW)) {
            herald.recipients().pipeInput("r1", recipient("r1").build(), NOW);
            herald.recipients().pipeInput("r2", recipient("r2").build(), NOW);
            herald.campaigns().pipeInput("promo", campaign("promo").build(), NOW);

            herald.ticks().pipeInput("promo", manualTick("promo", SLOT), NOW);

            assertThat(herald.pushOutbox().readValuesToList()).extracting(PushMessage::getRecipientId)
                    .containsExactlyInAnyOrder("r1", "r2");
            assertThat(herald.runStore().get("promo@2026-05-01T09:00:00Z").getStatus())
                    .isEqualTo(RunStatus.COMPLETED);
            assertThat(herald.metric("jobs-runs-started-total")).isEqualTo(1.0);
        }
    }

    @Test
    void duplicateTickRunsOnce() {
        try (HeraldTestDriver herald = HeraldTestDriver.start(NOW)) {
            herald.recipients().pipeInput("r1", recipient("r1").build(), NOW);
            herald.campaigns().pipeInput("promo", campaign("promo").build(), NOW);

            herald.ticks().pipeInput("promo", manualTick("promo", SLOT), NOW);
            herald.ticks().pipeInput("promo", manualTick("promo", SLOT), NOW);
            ScheduleTick sameRunFromScheduler = ScheduleTick.newBuilder(manualTick("promo", SLOT))
                    .setTrigger(Trigger.SCHEDULE).setRunId("promo@2026-05-01T09:00:00Z").build();
            herald.ticks().pipeInput("promo", sameRunFromScheduler, NOW);

            assertThat(herald.pushOutbox().readValuesToList()).hasSize(1);
            assertThat(herald.runSummaries().readValuesToList()).hasSize(1);
            assertThat(herald.metric("jobs-ticks-duplicate-total")).isEqualTo(2.0);
        }
    }

    @Test
    void tickForUnknownCampaignDoesNotRun() {
        try (HeraldTestDriver herald = HeraldTestDriver.start(NOW)) {
            herald.recipients().pipeInput("r1", recipient("r1").build(), NOW);

            herald.ticks().pipeInput("ghost", manualTick("ghost", SLOT), NOW);

            assertThat(herald.pushOutbox().isEmpty()).isTrue();
            assertThat(herald.metric("jobs-ticks-rejected-total", "reason", "unknown_campaign")).isEqualTo(1.0);
        }
    }

    @Test
    void tickForDeletedCampaignDoesNotRun() {
        try (HeraldTestDriver herald = HeraldTestDriver.start(NOW)) {
            herald.recipients().pipeInput("r1", recipient("r1").build(), NOW);
            herald.campaigns().pipeInput("promo", campaign("promo").build(), NOW);
            herald.campaigns().pipeInput("promo", null, NOW);

            herald.ticks().pipeInput("promo", manualTick("promo", SLOT), NOW);

            assertThat(herald.pushOutbox().isEmpty()).isTrue();
            assertThat(herald.campaignStore().get("promo")).isNull();
            assertThat(herald.metric("jobs-ticks-rejected-total", "reason", "unknown_campaign")).isEqualTo(1.0);
        }
    }

    @ParameterizedTest
    @EnumSource(value = CampaignStatus.class, names = {"PAUSED", "CANCELLED", "DRAFT"})
    void tickForCampaignThatIsNotRunnableDoesNotRun(CampaignStatus status) {
        try (HeraldTestDriver herald = HeraldTestDriver.start(NOW)) {
            herald.recipients().pipeInput("r1", recipient("r1").build(), NOW);
            herald.campaigns().pipeInput("promo", campaign("promo").setStatus(status).build(), NOW);

            herald.ticks().pipeInput("promo", manualTick("promo", SLOT), NOW);

            assertThat(herald.pushOutbox().isEmpty()).isTrue();
            assertThat(herald.runStore().get("promo@2026-05-01T09:00:00Z")).isNull();
            assertThat(herald.metric("jobs-ticks-rejected-total", "reason", status.name().toLowerCase()))
                    .isEqualTo(1.0);
        }
    }

    @Test
    void pausedThenResumedCampaignRunsAgainOnManualTick() {
        try (HeraldTestDriver herald = HeraldTestDriver.start(NOW)) {
            herald.recipients().pipeInput("r1", recipient("r1").build(), NOW);
            herald.campaigns().pipeInput("promo", campaign("promo").setStatus(CampaignStatus.PAUSED).build(), NOW);
            herald.ticks().pipeInput("promo", manualTick("promo", SLOT), NOW);
            herald.campaigns().pipeInput("promo", campaign("promo").build(), NOW);

            herald.ticks().pipeInput("promo", manualTick("promo", SLOT.plusSeconds(60)), NOW);

            List<PushMessage> sent = herald.pushOutbox().readValuesToList();
            assertThat(sent).extracting(PushMessage::getRunId).containsExactly("promo@2026-05-01T09:01:00Z");
        }
    }
}

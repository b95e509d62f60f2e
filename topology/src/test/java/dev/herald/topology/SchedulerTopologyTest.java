package dev.herald.topology;

import static dev.herald.topology.TestRecords.campaign;
import static dev.herald.topology.TestRecords.cron;
import static dev.herald.topology.TestRecords.once;
import static org.assertj.core.api.Assertions.assertThat;

import dev.herald.avro.CampaignStatus;
import dev.herald.avro.MisfirePolicy;
import dev.herald.avro.ScheduleTick;
import dev.herald.avro.Trigger;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The scheduler fires on wall-clock time, in the campaign's zone, and honours pauses and misfire policies. */
class SchedulerTopologyTest {

    @Test
    void onceCampaignFiresAtItsTimeAndNotBefore() {
        Instant start = Instant.parse("2026-05-01T10:00:00Z");
        Instant sendAt = start.plusSeconds(10);
        try (HeraldTestDriver herald = HeraldTestDriver.start(start)) {
            herald.campaigns().pipeInput("launch", campaign("launch").setSchedule(once(sendAt))
                    .setUpdatedAt(start).build(), start);

            herald.advance(Duration.ofSeconds(9));
            assertThat(herald.emittedTicks().readValuesToList()).isEmpty();

            herald.advance(Duration.ofSeconds(2));
            List<ScheduleTick> ticks = herald.emittedTicks().readValuesToList();
            assertThat(ticks).singleElement().satisfies(tick -> {
                assertThat(tick.getScheduledFor()).isEqualTo(sendAt);
                assertThat(tick.getRunId()).isEqualTo("launch@2026-05-01T10:00:10Z");
                assertThat(tick.getTrigger()).isEqualTo(Trigger.SCHEDULE);
            });

            herald.advance(Duration.ofDays(1));
            assertThat(herald.emittedTicks().readValuesToList()).as("a ONCE campaign fires once").isEmpty();
            assertThat(herald.schedulerStore().get("launch").getNextFireAt()).isNull();
        }
    }

    @Test
    void cronCampaignFiresAtNineInTheMorningSeoulTime() {
        Instant start = Instant.parse("2026-03-01T23:59:00Z"); // 08:59 in Seoul
        try (HeraldTestDriver herald = HeraldTestDriver.start(start)) {
            herald.campaigns().pipeInput("seoul", campaign("seoul")
                    .setSchedule(cron("0 9 * * *", "Asia/Seoul", MisfirePolicy.SKIP)).setUpdatedAt(start).build(),
                    start);

            herald.advance(Duration.ofSeconds(30));
            assertThat(herald.emittedTicks().readValuesToList()).isEmpty();
            herald.advance(Duration.ofSeconds(31));
            herald.advance(Duration.ofDays(1));

            assertThat(scheduledFor(herald)).containsExactly(
                    Instant.parse("2026-03-02T00:00:00Z"), Instant.parse("2026-03-03T00:00:00Z"));
        }
    }

    @Test
    void cronCampaignKeepsNineLocalAcrossTheNewYorkDaylightSavingChange() {
        Instant start = Instant.parse("2026-03-07T13:59:00Z"); // 08:59 EST, the day before clocks spring forward
        try (HeraldTestDriver herald = HeraldTestDriver.start(start)) {
            herald.campaigns().pipeInput("nyc", campaign("nyc")
                    .setSchedule(cron("0 9 * * *", "America/New_York", MisfirePolicy.SKIP)).setUpdatedAt(start)
                    .build(), start);

            herald.advance(Duration.ofSeconds(61)); // 14:00:01Z = 09:00:01 EST
            herald.advance(Duration.ofHours(23)); // 13:00:01Z on March 8 = 09:00:01 EDT

            assertThat(scheduledFor(herald)).containsExactly(
                    Instant.parse("2026-03-07T14:00:00Z"), Instant.parse("2026-03-08T13:00:00Z"));
        }
    }

    @Test
    void pausedCampaignDoesNotFire() {
        Instant start = Instant.parse("2026-05-01T09:59:00Z");
        try (HeraldTestDriver herald = HeraldTestDriver.start(start)) {
            herald.campaigns().pipeInput("hourly", campaign("hourly")
                    .setSchedule(cron("0 * * * *", "UTC", MisfirePolicy.FIRE_ONCE)).setStatus(CampaignStatus.PAUSED)
                    .setUpdatedAt(start).build(), start);

            for (int hour = 0; hour < 3; hour++) {
                herald.advance(Duration.ofHours(1));
            }

            assertThat(herald.emittedTicks().readValuesToList()).isEmpty();
        }
    }

    @Test
    void resumedCampaignWithFireOnceFiresItsLatestMissedRunOnceThenKeepsSchedule() {
        Instant start = Instant.parse("2026-05-01T09:59:00Z");
        try (HeraldTestDriver herald = HeraldTestDriver.start(start)) {
            pauseAndResumeHourly(herald, start, MisfirePolicy.FIRE_ONCE);

            assertThat(scheduledFor(herald)).containsExactly(
                    Instant.parse("2026-05-01T10:00:00Z"),  // before the pause
                    Instant.parse("2026-05-01T13:00:00Z"),  // 11:00-13:00 missed while paused: the latest, once
                    Instant.parse("2026-05-01T14:00:00Z")); // back on schedule
        }
    }

    @Test
    void resumedCampaignWithSkipDropsMissedRunsAndKeepsSchedule() {
        Instant start = Instant.parse("2026-05-01T09:59:00Z");
        try (HeraldTestDriver herald = HeraldTestDriver.start(start)) {
            pauseAndResumeHourly(herald, start, MisfirePolicy.SKIP);

            assertThat(scheduledFor(herald)).containsExactly(
                    Instant.parse("2026-05-01T10:00:00Z"), Instant.parse("2026-05-01T14:00:00Z"));
        }
    }

    @Test
    void publishedDraftStartsItsScheduleWhenPublishedInsteadOfFiringMissedInstants() {
        Instant created = Instant.parse("2026-01-01T08:00:00Z");
        try (HeraldTestDriver herald = HeraldTestDriver.start(created)) {
            var daily = campaign("daily").setSchedule(cron("0 9 * * *", "UTC", MisfirePolicy.FIRE_ONCE))
                    .setStatus(CampaignStatus.DRAFT).setUpdatedAt(created);
            herald.campaigns().pipeInput("daily", daily.build(), created);
            herald.advance(Duration.ofDays(2).plusHours(7)); // 2026-01-03T15:00

            herald.campaigns().pipeInput("daily", daily.setStatus(CampaignStatus.SCHEDULED).build());
            herald.advance(Duration.ofSeconds(1));
            assertThat(herald.emittedTicks().readValuesToList()).as("time spent as a draft is not missed").isEmpty();

            herald.advance(Duration.ofHours(18)); // 2026-01-04T09:00:01
            assertThat(scheduledFor(herald)).containsExactly(Instant.parse("2026-01-04T09:00:00Z"));
        }
    }

    /** Hourly campaign: fires at 10:00, paused from 10:29 to 13:29, then runs to 14:00:02. */
    private static void pauseAndResumeHourly(HeraldTestDriver herald, Instant start, MisfirePolicy policy) {
        var hourly = campaign("hourly").setSchedule(cron("0 * * * *", "UTC", policy)).setUpdatedAt(start);
        herald.campaigns().pipeInput("hourly", hourly.build(), start);
        herald.advance(Duration.ofSeconds(61));
        herald.advance(Duration.ofMinutes(29));
        herald.campaigns().pipeInput("hourly", hourly.setStatus(CampaignStatus.PAUSED).build());
        for (int i = 0; i < 3; i++) {
            herald.advance(Duration.ofHours(1)); // 11:30, 12:30, 13:30
        }
        herald.campaigns().pipeInput("hourly", hourly.setStatus(CampaignStatus.SCHEDULED).build());
        herald.advance(Duration.ofSeconds(1));
        herald.advance(Duration.ofMinutes(31)); // 14:00:02
    }

    private static List<Instant> scheduledFor(HeraldTestDriver herald) {
        return herald.emittedTicks().readValuesToList().stream().map(ScheduleTick::getScheduledFor).toList();
    }
}

package dev.herald.topology.scheduler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.cronutils.model.CronType;
import com.cronutils.model.definition.CronDefinitionBuilder;
import com.cronutils.model.time.ExecutionTime;
import com.cronutils.parser.CronParser;
import dev.herald.avro.MisfirePolicy;
import dev.herald.avro.Schedule;
import dev.herald.avro.ScheduleType;
import dev.herald.topology.scheduler.FirePlanner.Plan;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.time.zone.ZoneOffsetTransition;
import java.time.zone.ZoneRules;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class FirePlannerTest {

    private static final Duration THRESHOLD = Duration.ofMinutes(1);
    private final FirePlanner planner = new FirePlanner(THRESHOLD);

    // --- ONCE -------------------------------------------------------------------------------------------------------

    @Test
    void onceFiresAtSendAtAndNotBefore() {
        Instant sendAt = t("2026-05-04T10:15:00Z");
        Schedule once = once(sendAt, MisfirePolicy.FIRE_ONCE);

        assertThat(planner.firstFireAtOrAfter(once, t("2026-05-01T00:00:00Z"))).contains(sendAt);
        assertThat(planner.plan(once, sendAt, sendAt.minusMillis(1)))
                .isEqualTo(new Plan(Optional.empty(), Optional.of(sendAt), 0));
        assertThat(planner.plan(once, sendAt, sendAt))
                .isEqualTo(new Plan(Optional.of(sendAt), Optional.empty(), 0));
        assertThat(planner.nextFireAfter(once, sendAt.minusSeconds(1))).contains(sendAt);
        assertThat(planner.nextFireAfter(once, sendAt)).isEmpty();
    }

    @Test
    void onceCreatedAfterSendAtStillHasItsSingleFireDue() {
        Instant sendAt = t("2026-05-04T10:15:00Z");
        Instant later = t("2026-05-04T12:00:00Z");

        assertThat(planner.firstFireAtOrAfter(once(sendAt, MisfirePolicy.FIRE_ONCE), later)).contains(sendAt);
        assertThat(planner.plan(once(sendAt, MisfirePolicy.FIRE_ONCE), sendAt, later))
                .isEqualTo(new Plan(Optional.of(sendAt), Optional.empty(), 0));
        assertThat(planner.plan(once(sendAt, MisfirePolicy.SKIP), sendAt, later))
                .isEqualTo(new Plan(Optional.empty(), Optional.empty(), 1));
    }

    @Test
    void onceSlightlyLateWithSkipStillFiresWithinThreshold() {
        Instant sendAt = t("2026-05-04T10:15:00Z");
        assertThat(planner.plan(once(sendAt, MisfirePolicy.SKIP), sendAt, sendAt.plus(THRESHOLD)))
                .isEqualTo(new Plan(Optional.of(sendAt), Optional.empty(), 0));
        assertThat(planner.plan(once(sendAt, MisfirePolicy.SKIP), sendAt, sendAt.plus(THRESHOLD).plusMillis(1)))
                .isEqualTo(new Plan(Optional.empty(), Optional.empty(), 1));
    }

    @Test
    void onceMovedLaterAfterDueWasStoredWaitsForTheNewSendAt() {
        Instant newSendAt = t("2026-05-05T09:00:00Z");
        Plan plan = planner.plan(once(newSendAt, MisfirePolicy.FIRE_ONCE), t("2026-05-04T09:00:00Z"), t("2026-05-04T09:00:01Z"));
        assertThat(plan).isEqualTo(new Plan(Optional.empty(), Optional.of(newSendAt), 0));
    }

    // --- CRON, time zones -------------------------------------------------------------------------------------------

    @Test
    void cronInSeoulFiresAtNineLocal() {
        Schedule daily = cron("0 9 * * *", "Asia/Seoul");
        assertThat(walk(daily, t("2026-03-01T00:00:00Z"), 3)).containsExactly(
                t("2026-03-01T00:00:00Z"), t("2026-03-02T00:00:00Z"), t("2026-03-03T00:00:00Z"));
        assertThat(planner.nextFireAfter(daily, t("2026-03-01T00:00:00Z"))).contains(t("2026-03-02T00:00:00Z"));
    }

    @Test
    void cronInSeoulWithDayOfWeekFiresOnMondaysOnly() {
        List<Instant> fires = walk(cron("0 9 * * 1", "Asia/Seoul"), t("2026-03-01T00:00:00Z"), 4);
        assertThat(fires).containsExactly(t("2026-03-02T00:00:00Z"), t("2026-03-09T00:00:00Z"),
                t("2026-03-16T00:00:00Z"), t("2026-03-23T00:00:00Z"));
        assertThat(fires).allSatisfy(f ->
                assertThat(f.atZone(ZoneId.of("Asia/Seoul")).getDayOfWeek()).isEqualTo(DayOfWeek.MONDAY));
    }

    @Test
    void leapDayCronWaitsForTheNextLeapYear() {
        Schedule s = cron("0 0 29 2 *", "UTC");
        assertThat(walk(s, t("2026-01-01T00:00:00Z"), 2))
                .containsExactly(t("2028-02-29T00:00:00Z"), t("2032-02-29T00:00:00Z"));
        assertThat(planner.latestFireIn(s, t("2024-01-01T00:00:00Z"), t("2027-12-31T00:00:00Z")))
                .contains(t("2024-02-29T00:00:00Z"));
    }

    @Test
    void firstFireAtOrAfterIncludesAFireExactlyAtFrom() {
        Schedule hourly = cron("0 * * * *", "UTC");
        assertThat(planner.firstFireAtOrAfter(hourly, t("2026-03-01T10:00:00Z"))).contains(t("2026-03-01T10:00:00Z"));
        assertThat(planner.firstFireAtOrAfter(hourly, t("2026-03-01T10:00:00.001Z"))).contains(t("2026-03-01T11:00:00Z"));
        assertThat(planner.nextFireAfter(hourly, t("2026-03-01T10:00:00Z"))).contains(t("2026-03-01T11:00:00Z"));
        assertThat(planner.nextFireAfter(hourly, t("2026-03-01T09:59:59.999Z"))).contains(t("2026-03-01T10:00:00Z"));
    }

    // --- CRON, daylight saving time (America/New_York: 2026-03-08 02:00 EST -> 03:00 EDT, 2026-11-01 02:00 EDT -> 01:00 EST)

    @Test
    void nineAmInNewYorkFollowsSpringForward() {
        assertThat(walk(cron("0 9 * * *", "America/New_York"), t("2026-03-07T00:00:00Z"), 3)).containsExactly(
                t("2026-03-07T14:00:00Z"), // 09:00 EST
                t("2026-03-08T13:00:00Z"), // 09:00 EDT, the day of the change
                t("2026-03-09T13:00:00Z"));
    }

    @Test
    void nineAmInNewYorkFollowsFallBack() {
        assertThat(walk(cron("0 9 * * *", "America/New_York"), t("2026-10-31T00:00:00Z"), 3)).containsExactly(
                t("2026-10-31T13:00:00Z"), // 09:00 EDT
                t("2026-11-01T14:00:00Z"), // 09:00 EST, the day of the change
                t("2026-11-02T14:00:00Z"));
    }

    @Test
    void springForwardSkippedTimeFiresOnce() {
        Schedule s = cron("30 2 * * *", "America/New_York");
        // 02:30 does not exist on 2026-03-08; it fires at 03:30 EDT, the instant 02:30 EST would have been.
        assertThat(walk(s, t("2026-03-07T00:00:00Z"), 3)).containsExactly(
                t("2026-03-07T07:30:00Z"), // 02:30 EST
                t("2026-03-08T07:30:00Z"), // 03:30 EDT
                t("2026-03-09T06:30:00Z")); // 02:30 EDT
        assertThat(planner.countFiresIn(s, t("2026-03-08T05:00:00Z"), t("2026-03-09T03:59:59Z"))).isEqualTo(1);
        assertThat(planner.latestFireIn(s, t("2026-03-08T05:00:00Z"), t("2026-03-09T03:59:59Z")))
                .contains(t("2026-03-08T07:30:00Z"));
        assertThat(planner.plan(s, t("2026-03-08T07:30:00Z"), t("2026-03-08T07:30:02Z")))
                .isEqualTo(new Plan(Optional.of(t("2026-03-08T07:30:00Z")), Optional.of(t("2026-03-09T06:30:00Z")), 0));
        // Asked from inside the jump (07:00Z-08:00Z) the answer does not change.
        assertThat(planner.nextFireAfter(s, t("2026-03-08T07:00:00Z"))).contains(t("2026-03-08T07:30:00Z"));
        assertThat(planner.nextFireAfter(s, t("2026-03-08T07:30:00Z"))).contains(t("2026-03-09T06:30:00Z"));
    }

    @Test
    void springForwardDoesNotDuplicateAnHourlyFire() {
        // 02:00 shifted by the gap is 03:00 EDT, which is a fire anyway: one fire, and the cadence stays hourly.
        assertThat(walk(cron("0 * * * *", "America/New_York"), t("2026-03-08T05:30:00Z"), 4)).containsExactly(
                t("2026-03-08T06:00:00Z"), // 01:00 EST
                t("2026-03-08T07:00:00Z"), // 03:00 EDT
                t("2026-03-08T08:00:00Z"),
                t("2026-03-08T09:00:00Z"));
    }

    @Test
    void fallBackRepeatedTimeFiresOnce() {
        Schedule s = cron("30 1 * * *", "America/New_York");
        assertThat(walk(s, t("2026-10-31T00:00:00Z"), 3)).containsExactly(
                t("2026-10-31T05:30:00Z"), // 01:30 EDT
                t("2026-11-01T05:30:00Z"), // 01:30 EDT, first occurrence; not 06:30Z (01:30 EST)
                t("2026-11-02T06:30:00Z")); // 01:30 EST
        assertThat(planner.countFiresIn(s, t("2026-11-01T04:00:00Z"), t("2026-11-02T04:59:59Z"))).isEqualTo(1);
        // Asked between the two occurrences, it must not offer the second one.
        assertThat(planner.nextFireAfter(s, t("2026-11-01T05:31:00Z"))).contains(t("2026-11-02T06:30:00Z"));
        assertThat(planner.nextFireAfter(s, t("2026-11-01T06:29:00Z"))).contains(t("2026-11-02T06:30:00Z"));
        assertThat(planner.latestFireIn(s, t("2026-11-01T05:31:00Z"), t("2026-11-01T12:00:00Z"))).isEmpty();
        assertThat(planner.plan(s, t("2026-11-01T05:30:00Z"), t("2026-11-01T05:30:01Z")))
                .isEqualTo(new Plan(Optional.of(t("2026-11-01T05:30:00Z")), Optional.of(t("2026-11-02T06:30:00Z")), 0));
        assertThat(planner.latestFireIn(s, t("2026-11-01T00:00:00Z"), t("2026-11-01T12:00:00Z")))
                .contains(t("2026-11-01T05:30:00Z"));
    }

    @Test
    void fallBackKeepsTheCadenceOfEveryHourExpressions() {
        assertThat(walk(cron("*/20 * * * *", "America/New_York"), t("2026-11-01T04:50:00Z"), 7)).containsExactly(
                t("2026-11-01T05:00:00Z"), t("2026-11-01T05:20:00Z"), t("2026-11-01T05:40:00Z"), // 01:xx EDT
                t("2026-11-01T06:00:00Z"), t("2026-11-01T06:20:00Z"), t("2026-11-01T06:40:00Z"), // 01:xx EST
                t("2026-11-01T07:00:00Z"));
        assertThat(walk(cron("*/20 1 * * *", "America/New_York"), t("2026-11-01T04:50:00Z"), 4)).containsExactly(
                t("2026-11-01T05:00:00Z"), t("2026-11-01T05:20:00Z"), t("2026-11-01T05:40:00Z"),
                t("2026-11-02T06:00:00Z"));
    }

    @Test
    void midnightThatDoesNotExistFiresOnceAtOneAm() {
        // America/Santiago springs forward at 24:00: 2026-09-06 00:00 does not exist, the day starts at 01:00 -03.
        assertThat(walk(cron("0 0 * * *", "America/Santiago"), t("2026-09-05T00:00:00Z"), 3)).containsExactly(
                t("2026-09-05T04:00:00Z"), t("2026-09-06T04:00:00Z"), t("2026-09-07T03:00:00Z"));
    }

    // --- CRON, misfires ---------------------------------------------------------------------------------------------

    @Test
    void pausedCronWithFireOnceFiresLatestMissedOnce() {
        Plan plan = planner.plan(cron("0 * * * *", "UTC"), t("2026-04-01T10:00:00Z"), t("2026-04-01T15:30:00Z"));
        assertThat(plan).isEqualTo(new Plan(Optional.of(t("2026-04-01T15:00:00Z")), Optional.of(t("2026-04-01T16:00:00Z")), 5));
    }

    @Test
    void pausedCronWithSkipFiresNothingAndResumesNext() {
        Schedule s = cron("0 * * * *", "UTC", MisfirePolicy.SKIP);
        Plan plan = planner.plan(s, t("2026-04-01T10:00:00Z"), t("2026-04-01T15:30:00Z"));
        assertThat(plan).isEqualTo(new Plan(Optional.empty(), Optional.of(t("2026-04-01T16:00:00Z")), 6));
        assertThat(planner.plan(s, plan.next().orElseThrow(), t("2026-04-01T16:00:00.200Z")))
                .isEqualTo(new Plan(Optional.of(t("2026-04-01T16:00:00Z")), Optional.of(t("2026-04-01T17:00:00Z")), 0));
    }

    @Test
    void onTimeFireCollapsesEarlierMisses() {
        for (MisfirePolicy policy : MisfirePolicy.values()) {
            Plan plan = planner.plan(cron("0 * * * *", "UTC", policy), t("2026-04-01T10:00:00Z"), t("2026-04-01T15:00:30Z"));
            assertThat(plan).as(policy.name())
                    .isEqualTo(new Plan(Optional.of(t("2026-04-01T15:00:00Z")), Optional.of(t("2026-04-01T16:00:00Z")), 5));
        }
    }

    @Test
    void fireExactlyAtTheThresholdIsOnTime() {
        Schedule s = cron("0 * * * *", "UTC", MisfirePolicy.SKIP);
        assertThat(planner.plan(s, t("2026-04-01T10:00:00Z"), t("2026-04-01T10:01:00Z")).fire())
                .contains(t("2026-04-01T10:00:00Z"));
        assertThat(planner.plan(s, t("2026-04-01T10:00:00Z"), t("2026-04-01T10:01:00.001Z")).fire()).isEmpty();
    }

    @Test
    void dueInTheFutureFiresNothing() {
        Instant due = t("2026-04-01T10:00:00Z");
        assertThat(planner.plan(cron("0 * * * *", "UTC"), due, due.minusMillis(1)))
                .isEqualTo(new Plan(Optional.empty(), Optional.of(due), 0));
    }

    @Test
    void dueThatIsNoLongerAFireFiresNothingAndMovesOn() {
        // The stored due came from an earlier version of the schedule: nothing of the current one fell in [due, now].
        Plan plan = planner.plan(cron("0 12 * * *", "UTC"), t("2026-04-01T10:00:00Z"), t("2026-04-01T10:00:01Z"));
        assertThat(plan).isEqualTo(new Plan(Optional.empty(), Optional.of(t("2026-04-01T12:00:00Z")), 0));
    }

    @Test
    void weekOfMissedMinutelyFiresIsCheap() {
        Instant due = t("2026-01-01T00:00:00Z");
        Instant now = t("2026-01-08T00:00:30Z"); // 30 s after the latest fire: a misfire with a 10 s threshold
        Plan fireOnce = new FirePlanner(Duration.ofSeconds(10)).plan(cron("* * * * *", "Europe/Paris"), due, now);
        assertThat(fireOnce).isEqualTo(new Plan(Optional.of(t("2026-01-08T00:00:00Z")), Optional.of(t("2026-01-08T00:01:00Z")), 7 * 1440));
        Plan skip = new FirePlanner(Duration.ofSeconds(10)).plan(cron("* * * * *", "Europe/Paris", MisfirePolicy.SKIP), due, now);
        assertThat(skip).isEqualTo(new Plan(Optional.empty(), Optional.of(t("2026-01-08T00:01:00Z")), 7 * 1440 + 1));
    }

    @Test
    void missedCountStopsAtTheCap() {
        Plan plan = new FirePlanner(Duration.ofSeconds(10))
                .plan(cron("* * * * *", "UTC", MisfirePolicy.SKIP), t("2025-01-01T00:00:00Z"), t("2026-01-01T00:00:30Z"));
        assertThat(plan.fire()).isEmpty();
        assertThat(plan.missed()).isEqualTo(FirePlanner.MISSED_COUNT_CAP);
    }

    @Test
    void missedCountRespectsStartAtAndEndAt() {
        Schedule s = bounded(cron("* * * * *", "UTC"), t("2026-01-01T12:00:30Z"), t("2026-01-05T06:00:00Z"));
        // 12:01-23:59 on the 1st, three whole days, 00:00-06:00 on the 5th
        assertThat(planner.countFiresIn(s, t("2026-01-01T00:00:00Z"), t("2026-01-10T00:00:00Z")))
                .isEqualTo(719 + 3 * 1440 + 361);
        Plan plan = planner.plan(s, t("2026-01-01T12:01:00Z"), t("2026-01-10T00:00:00Z"));
        assertThat(plan).isEqualTo(new Plan(Optional.of(t("2026-01-05T06:00:00Z")), Optional.empty(), 719 + 3 * 1440 + 360));
    }

    // --- CRON, bounds -----------------------------------------------------------------------------------------------

    @Test
    void endAtStopsFiring() {
        Schedule s = bounded(cron("0 * * * *", "UTC"), null, t("2026-04-01T12:00:00Z"));
        assertThat(planner.nextFireAfter(s, t("2026-04-01T11:00:00Z"))).contains(t("2026-04-01T12:00:00Z"));
        assertThat(planner.nextFireAfter(s, t("2026-04-01T12:00:00Z"))).isEmpty();
        assertThat(planner.firstFireAtOrAfter(s, t("2026-04-01T12:00:01Z"))).isEmpty();
        assertThat(planner.plan(s, t("2026-04-01T12:00:00Z"), t("2026-04-01T12:00:05Z")))
                .isEqualTo(new Plan(Optional.of(t("2026-04-01T12:00:00Z")), Optional.empty(), 0));
        // Paused past the end: the last fire within the window is the latest, and nothing follows.
        assertThat(planner.plan(s, t("2026-04-01T10:00:00Z"), t("2026-04-02T00:00:00Z")))
                .isEqualTo(new Plan(Optional.of(t("2026-04-01T12:00:00Z")), Optional.empty(), 2));
    }

    @Test
    void startAtDelaysFirstFire() {
        Schedule s = bounded(cron("0 * * * *", "UTC"), t("2026-04-01T10:30:00Z"), null);
        assertThat(planner.firstFireAtOrAfter(s, t("2026-04-01T08:00:00Z"))).contains(t("2026-04-01T11:00:00Z"));
        assertThat(planner.nextFireAfter(s, t("2026-04-01T08:00:00Z"))).contains(t("2026-04-01T11:00:00Z"));
        assertThat(planner.firstFireAtOrAfter(s, t("2026-04-01T12:00:00Z"))).contains(t("2026-04-01T12:00:00Z"));
        assertThat(planner.plan(s, t("2026-04-01T08:00:00Z"), t("2026-04-01T10:45:00Z")))
                .isEqualTo(new Plan(Optional.empty(), Optional.of(t("2026-04-01T11:00:00Z")), 0));

        Schedule onAFire = bounded(cron("0 * * * *", "UTC"), t("2026-04-01T11:00:00Z"), null);
        assertThat(planner.firstFireAtOrAfter(onAFire, t("2026-04-01T08:00:00Z"))).contains(t("2026-04-01T11:00:00Z"));
    }

    // --- validation -------------------------------------------------------------------------------------------------

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "61 * * * *",
            "0 9 * *",
            "not a cron",
            "0 0 9 * * *",
    })
    void invalidCronIsRejectedNamingTheField(String expression) {
        Schedule s = cron(expression, "UTC");
        assertThatThrownBy(() -> planner.validate(s))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("cron: invalid expression '" + expression + "': ")
                .message().hasSizeGreaterThan(("cron: invalid expression '" + expression + "': ").length());
        // Evaluating it fails the same way, every time (the failure is cached, not the exception).
        assertThatThrownBy(() -> planner.nextFireAfter(s, t("2026-01-01T00:00:00Z"))).hasMessageStartingWith("cron:");
        assertThatThrownBy(() -> planner.nextFireAfter(s, t("2026-01-01T00:00:00Z"))).hasMessageStartingWith("cron:");
    }

    @Test
    void libraryReasonIsIncludedForAnOutOfRangeMinute() {
        assertThatThrownBy(() -> planner.validate(cron("61 * * * *", "UTC"))).hasMessageContaining("61");
    }

    @Test
    void cronThatNeverFiresIsRejected() {
        assertThatThrownBy(() -> planner.validate(cron("0 0 31 2 *", "UTC")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("cron:").hasMessageContaining("never fires");
    }

    @Test
    void cronScheduleWithoutExpressionIsRejected() {
        assertThatThrownBy(() -> planner.validate(cron(null, "UTC"))).hasMessageStartingWith("cron:");
        assertThatThrownBy(() -> planner.validate(cron("  ", "UTC"))).hasMessageStartingWith("cron:");
    }

    @Test
    void unknownTimeZoneIsRejected() {
        assertThatThrownBy(() -> planner.validate(cron("0 9 * * *", "Mars/Olympus_Mons")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("timeZone:").hasMessageContaining("Mars/Olympus_Mons");
        assertThatThrownBy(() -> planner.validate(cron("0 9 * * *", "")))
                .hasMessageStartingWith("timeZone:");
        assertThatThrownBy(() -> planner.validate(cron("0 9 * * *", null)))
                .hasMessageStartingWith("timeZone:");
        assertThatThrownBy(() -> planner.firstFireAtOrAfter(cron("0 9 * * *", "Mars/Olympus_Mons"), t("2026-01-01T00:00:00Z")))
                .hasMessageStartingWith("timeZone:");
    }

    @Test
    void onceWithoutSendAtIsRejected() {
        Schedule s = new Schedule(ScheduleType.ONCE, null, null, "UTC", null, null, MisfirePolicy.FIRE_ONCE);
        assertThatThrownBy(() -> planner.validate(s)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("sendAt:");
        assertThatThrownBy(() -> planner.firstFireAtOrAfter(s, t("2026-01-01T00:00:00Z"))).hasMessageStartingWith("sendAt:");
    }

    @Test
    void endAtBeforeStartAtIsRejected() {
        Schedule s = bounded(cron("0 9 * * *", "UTC"), t("2026-02-01T00:00:00Z"), t("2026-01-01T00:00:00Z"));
        assertThatThrownBy(() -> planner.validate(s)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("endAt:");
    }

    @Test
    void wellFormedSchedulesAreAccepted() {
        assertThatCode(() -> {
            planner.validate(once(t("2026-01-01T00:00:00Z"), MisfirePolicy.SKIP));
            planner.validate(cron("*/5 9-17 * * 1-5", "Europe/Paris"));
            planner.validate(bounded(cron("0 9 * * *", "Asia/Seoul"), t("2026-01-01T00:00:00Z"), t("2026-01-01T00:00:00Z")));
        }).doesNotThrowAnyException();
    }

    @Test
    void negativeThresholdIsRejected() {
        assertThatThrownBy(() -> new FirePlanner(Duration.ofSeconds(-1))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("misfireThreshold:");
    }

    // --- consistency ------------------------------------------------------------------------------------------------

    /**
     * Walks a year forward, minute by minute around every offset transition, and checks the result against the
     * DST rules stated at the top of FirePlanner, written per instant instead of per offset segment; then checks that the
     * backward search ({@code latestFireIn}) agrees with the forward one from arbitrary points.
     */
    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "30 2 * * * | America/New_York",
            "30 1 * * * | America/New_York",
            "*/20 * * * * | America/New_York",
            "0 * * * * | America/New_York",
            "*/15 1-3 * * * | America/New_York",
            "45 2 * * 0 | America/New_York",
            "0 0 * * * | America/Santiago",
            "15 2 * * * | Australia/Lord_Howe",
            "*/10 * * * * | Australia/Lord_Howe",
            "30 1 * * * | Europe/London",
            "0 9 * * 1 | Asia/Seoul",
            "7 */3 1,15 * * | Europe/Paris",
            "0 9 * * 1-5 | Europe/Berlin",
            "0 9 1 * 1 | UTC",
    })
    void cronFiresFollowTheDaylightSavingRulesInBothDirections(String expression, String zoneId) {
        Schedule s = cron(expression, zoneId);
        ZoneRules rules = ZoneId.of(zoneId).getRules();
        Instant start = t("2026-01-01T00:00:00Z");
        Instant end = t("2027-01-01T00:00:00Z");

        List<Instant> fires = new ArrayList<>();
        for (Optional<Instant> f = planner.firstFireAtOrAfter(s, start); f.isPresent() && f.get().isBefore(end);
             f = planner.nextFireAfter(s, f.get())) {
            fires.add(f.get());
        }
        assertThat(fires).isSorted().doesNotHaveDuplicates().isNotEmpty();

        ExecutionTime oracle = ExecutionTime.forCron(
                new CronParser(CronDefinitionBuilder.instanceDefinitionFor(CronType.UNIX)).parse(expression));
        boolean everyHour = expression.split(" ")[1].equals("*");
        for (ZoneOffsetTransition tr = rules.nextTransition(start); tr != null && tr.getInstant().isBefore(end);
             tr = rules.nextTransition(tr.getInstant())) {
            Instant from = tr.getInstant().minus(Duration.ofDays(1));
            Instant to = tr.getInstant().plus(Duration.ofDays(1));
            List<Instant> expected = new ArrayList<>();
            for (Instant i = from; i.isBefore(to); i = i.plus(1, ChronoUnit.MINUTES)) {
                if (firesPerInstantRule(oracle, everyHour, rules, i)) {
                    expected.add(i);
                }
            }
            Instant windowFrom = from;
            assertThat(fires.stream().filter(f -> !f.isBefore(windowFrom) && f.isBefore(to)).toList())
                    .as("around %s", tr).isEqualTo(expected);
        }

        Random random = new Random(expression.hashCode() * 31L + zoneId.hashCode());
        List<Instant> probes = new ArrayList<>();
        IntStream.range(0, 300).forEach(n -> probes.add(start.plusMillis((long) (random.nextDouble() * 365 * 86_400_000L))));
        for (ZoneOffsetTransition tr = rules.nextTransition(start); tr != null && tr.getInstant().isBefore(end);
             tr = rules.nextTransition(tr.getInstant())) {
            for (long minutes = -70; minutes <= 70; minutes += 5) {
                probes.add(tr.getInstant().plus(Duration.ofMinutes(minutes)));
                probes.add(tr.getInstant().plus(Duration.ofMinutes(minutes)).minusNanos(1));
            }
        }
        for (int n = 0; n < 40; n++) {
            Instant a = probes.get(random.nextInt(probes.size()));
            Instant b = probes.get(random.nextInt(probes.size()));
            Instant lo = a.isBefore(b) ? a : b;
            Instant hi = a.isBefore(b) ? b : a;
            long walked = fires.stream().filter(f -> !f.isBefore(lo) && !f.isAfter(hi)).count();
            if (walked < FirePlanner.MISSED_COUNT_CAP) {
                assertThat(planner.countFiresIn(s, lo, hi)).as("fires in [%s, %s]", lo, hi).isEqualTo(walked);
            }
        }
        for (Instant probe : probes) {
            Optional<Instant> latest = fires.stream().filter(f -> !f.isAfter(probe)).reduce((a, b) -> b);
            Optional<Instant> next = fires.stream().filter(f -> f.isAfter(probe)).findFirst();
            assertThat(planner.latestFireIn(s, start, probe)).as("latest at or before %s", probe).isEqualTo(latest);
            if (next.isPresent()) {
                assertThat(planner.nextFireAfter(s, probe)).as("next after %s", probe).isEqualTo(next);
            }
        }
    }

    /** FirePlanner's DST rules, per instant: a regular match unless it repeats a fixed time, or a shifted gap time. */
    private static boolean firesPerInstantRule(ExecutionTime cron, boolean everyHour, ZoneRules rules, Instant i) {
        ZoneOffsetTransition last = rules.previousTransition(i.plusNanos(1));
        boolean secondPass = last != null && last.isOverlap() && i.isBefore(last.getInstant().minus(last.getDuration()));
        boolean regular = matches(cron, i, rules.getOffset(i)) && (everyHour || !secondPass);
        boolean inJump = last != null && last.isGap() && i.isBefore(last.getInstant().plus(last.getDuration()));
        return regular || (inJump && matches(cron, i, last.getOffsetBefore()));
    }

    private static boolean matches(ExecutionTime cron, Instant i, ZoneOffset offset) {
        return cron.isMatch(LocalDateTime.ofInstant(i, offset).atZone(ZoneOffset.UTC));
    }

    @Test
    void concurrentCallersGetTheSameAnswers() throws Exception {
        FirePlanner shared = new FirePlanner(THRESHOLD);
        List<Schedule> schedules = IntStream.range(0, 1_200) // more distinct expressions than the cache holds
                .mapToObj(n -> cron((n % 60) + " " + (n / 60 % 24) + " * * *", n % 2 == 0 ? "America/New_York" : "Asia/Seoul"))
                .toList();
        Instant from = t("2026-03-07T00:00:00Z");
        List<Optional<Instant>> expected = schedules.stream().map(s -> planner.firstFireAtOrAfter(s, from)).toList();
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<List<Optional<Instant>>>> results = new ArrayList<>();
            for (int n = 0; n < 4; n++) {
                results.add(pool.submit(() -> schedules.stream().map(s -> shared.firstFireAtOrAfter(s, from)).toList()));
            }
            for (Future<List<Optional<Instant>>> result : results) {
                assertThat(result.get()).isEqualTo(expected);
            }
        } finally {
            pool.shutdownNow();
        }
    }

    // --- fixtures ---------------------------------------------------------------------------------------------------

    private List<Instant> walk(Schedule schedule, Instant from, int count) {
        List<Instant> fires = new ArrayList<>();
        Optional<Instant> fire = planner.firstFireAtOrAfter(schedule, from);
        while (fire.isPresent() && fires.size() < count) {
            fires.add(fire.get());
            fire = planner.nextFireAfter(schedule, fire.get());
        }
        return fires;
    }

    private static Instant t(String instant) {
        return Instant.parse(instant);
    }

    // All-args constructors rather than builders: a builder copies defaults through Avro, which refuses the
    // generated enums unless the process trusts dev.herald.avro (the application does; this test does not need to).
    private static Schedule once(Instant sendAt, MisfirePolicy policy) {
        return new Schedule(ScheduleType.ONCE, sendAt, null, "UTC", null, null, policy);
    }

    private static Schedule cron(String expression, String zone) {
        return cron(expression, zone, MisfirePolicy.FIRE_ONCE);
    }

    private static Schedule cron(String expression, String zone, MisfirePolicy policy) {
        return new Schedule(ScheduleType.CRON, null, expression, zone, null, null, policy);
    }

    private static Schedule bounded(Schedule schedule, Instant startAt, Instant endAt) {
        return new Schedule(schedule.getType(), schedule.getSendAt(), schedule.getCron(), schedule.getTimeZone(),
                startAt, endAt, schedule.getMisfirePolicy());
    }
}

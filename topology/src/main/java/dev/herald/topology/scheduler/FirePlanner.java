package dev.herald.topology.scheduler;

import com.cronutils.model.Cron;
import com.cronutils.model.CronType;
import com.cronutils.model.definition.CronDefinitionBuilder;
import com.cronutils.model.field.CronFieldName;
import com.cronutils.model.time.ExecutionTime;
import com.cronutils.model.time.generator.FieldValueGenerator;
import com.cronutils.model.time.generator.FieldValueGeneratorFactory;
import com.cronutils.parser.CronParser;
import dev.herald.avro.MisfirePolicy;
import dev.herald.avro.Schedule;
import dev.herald.avro.ScheduleType;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.time.zone.ZoneOffsetTransition;
import java.time.zone.ZoneRules;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.IntStream;

/** Pure schedule arithmetic for the scheduler processor: when a campaign fires and what to do about missed fires. */
public final class FirePlanner {

    /*
     * Fire instants. ONCE fires at sendAt (startAt/endAt are CRON-only and ignored). CRON fires at every instant whose
     * wall-clock time in timeZone matches the expression, within [startAt, endAt]. Campaigns are written in local time
     * ("9 am in Seoul"), so daylight-saving changes must neither drop a fire nor send one twice:
     *
     * - Skipped time (spring forward): a time in the gap fires at the instant it would have been without the jump,
     *   i.e. shifted forward by the gap, the way LocalDateTime.atZone resolves it. "30 2 * * *" in America/New_York
     *   fires on 2026-03-08 at 03:30 EDT = 07:30Z, the next day at 02:30 EDT = 06:30Z. cron-utils alone skips that
     *   day. When the shifted instant is a fire anyway ("0 * * * *": 02:00 becomes 03:00) it is one fire, not two.
     * - Repeated time (fall back): a time in the overlap fires at its first occurrence only. "30 1 * * *" in
     *   America/New_York fires on 2026-11-01 at 01:30 EDT = 05:30Z and not at 01:30 EST = 06:30Z. The exception is
     *   an expression whose hour field matches every hour ("0 * * * *", or every 20 minutes): that is a cadence, not
     *   a time of day, and pausing it for the repeated hour would leave a hole of an hour or more, so it fires in both
     *   passes.
     *
     * Thread-safe: the only mutable state is the parse cache, behind its own lock.
     */

    /** Counting missed fires is for logs and metrics only, so it stops here rather than scanning years of minutes. */
    public static final long MISSED_COUNT_CAP = 100_000;

    static final int CACHE_SIZE = 1_000;

    private final Duration misfireThreshold;
    private final CronParser parser = new CronParser(CronDefinitionBuilder.instanceDefinitionFor(CronType.UNIX));
    // Guarded by itself; also guards the parser, whose thread-safety cron-utils does not document.
    private final Map<String, Compiled> cache = new LinkedHashMap<>(64, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Compiled> eldest) {
            return size() > CACHE_SIZE;
        }
    };

    /**
     * @param misfireThreshold how late a fire may be and still count as on time; later than this it is a misfire,
     *                         handled by the schedule's {@link MisfirePolicy}
     */
    public FirePlanner(Duration misfireThreshold) {
        Objects.requireNonNull(misfireThreshold, "misfireThreshold");
        if (misfireThreshold.isNegative()) {
            throw new IllegalArgumentException("misfireThreshold: must not be negative, was " + misfireThreshold);
        }
        this.misfireThreshold = misfireThreshold;
    }

    /**
     * Throws IllegalArgumentException whose message starts with the offending field: ONCE without sendAt, CRON
     * without a cron expression or with one that does not parse (with the library's reason) or never fires, unknown
     * time zone, endAt before startAt.
     */
    public void validate(Schedule schedule) {
        if (schedule == null) {
            throw new IllegalArgumentException("schedule: must not be null");
        }
        if (schedule.getType() == null) {
            throw new IllegalArgumentException("type: must not be null");
        }
        zone(schedule);
        if (schedule.getStartAt() != null && schedule.getEndAt() != null
                && schedule.getEndAt().isBefore(schedule.getStartAt())) {
            throw new IllegalArgumentException(
                    "endAt: " + schedule.getEndAt() + " is before startAt " + schedule.getStartAt());
        }
        switch (schedule.getType()) {
            case ONCE -> sendAt(schedule);
            case CRON -> compiled(schedule);
        }
    }

    /**
     * The first fire at or after {@code from}.
     *
     * <p>ONCE: always {@code sendAt}, even when it is before {@code from}: a ONCE campaign created (or resumed) after
     * its send time still has its single fire due, and {@link #plan} then decides by the misfire policy whether it
     * goes out late or is skipped. CRON: the first execution at or after {@code max(from, startAt)}; empty when that
     * is after {@code endAt} or the expression has no further execution.
     */
    public Optional<Instant> firstFireAtOrAfter(Schedule schedule, Instant from) {
        Objects.requireNonNull(from, "from");
        if (isOnce(schedule)) {
            return Optional.of(sendAt(schedule));
        }
        // Fires fall on whole minutes, so "strictly after from - 1ns" is "at or after from".
        return nextFireAfter(schedule, from.minusNanos(1));
    }

    /**
     * The first fire strictly after {@code after}. ONCE: {@code sendAt} if it is after {@code after}, so empty once
     * it has fired. CRON: the next execution no earlier than {@code startAt} and no later than {@code endAt}.
     */
    public Optional<Instant> nextFireAfter(Schedule schedule, Instant after) {
        Objects.requireNonNull(after, "after");
        if (isOnce(schedule)) {
            Instant sendAt = sendAt(schedule);
            return sendAt.isAfter(after) ? Optional.of(sendAt) : Optional.empty();
        }
        Instant startAt = schedule.getStartAt();
        Instant cursor = startAt != null && !startAt.minusNanos(1).isBefore(after) ? startAt.minusNanos(1) : after;
        return cronNextAfter(compiled(schedule), zone(schedule).getRules(), cursor, schedule.getEndAt());
    }

    /**
     * What to fire at wall-clock {@code now}, given {@code due}, the next fire instant the scheduler stored.
     *
     * <p>Nothing is due before {@code due}. Otherwise the latest fire instant in {@code [due, now]} fires if it is at
     * most the misfire threshold late (earlier fires in that range collapse into it, whatever the policy); if it is
     * later than that, FIRE_ONCE fires it once and SKIP fires nothing. Every other fire in {@code [due, now]} is
     * counted as missed (up to {@link #MISSED_COUNT_CAP}); {@code next} is the first fire after {@code now}.
     */
    public Plan plan(Schedule schedule, Instant due, Instant now) {
        Objects.requireNonNull(due, "due");
        Objects.requireNonNull(now, "now");
        if (due.isAfter(now)) {
            return new Plan(Optional.empty(), Optional.of(due), 0);
        }
        Optional<Instant> latest = latestFireIn(schedule, due, now);
        Optional<Instant> fire = latest.filter(l -> onTime(l, now) || policy(schedule) == MisfirePolicy.FIRE_ONCE);
        long missed = latest.isEmpty() ? 0 : countFiresIn(schedule, due, now) - (fire.isPresent() ? 1 : 0);
        return new Plan(fire, nextFireAfter(schedule, now), missed);
    }

    /**
     * @param fire   the instant to fire now (the run's scheduled-for time), if any
     * @param next   the next fire instant to wait for; empty when the schedule has no further fire
     * @param missed fire instants in {@code [due, now]} that do not fire (capped at {@link #MISSED_COUNT_CAP})
     */
    public record Plan(Optional<Instant> fire, Optional<Instant> next, long missed) {
        public Plan {
            Objects.requireNonNull(fire, "fire");
            Objects.requireNonNull(next, "next");
        }
    }

    /** The latest fire instant in {@code [from, to]}. */
    Optional<Instant> latestFireIn(Schedule schedule, Instant from, Instant to) {
        if (isOnce(schedule)) {
            Instant sendAt = sendAt(schedule);
            return !sendAt.isBefore(from) && !sendAt.isAfter(to) ? Optional.of(sendAt) : Optional.empty();
        }
        Instant lower = max(from, schedule.getStartAt());
        Instant upper = min(to, schedule.getEndAt());
        if (upper.isBefore(lower)) {
            return Optional.empty();
        }
        return cronLastAtOrBefore(compiled(schedule), zone(schedule).getRules(), upper, lower);
    }

    /** The number of fire instants in {@code [from, to]}, stopping at {@link #MISSED_COUNT_CAP}. */
    long countFiresIn(Schedule schedule, Instant from, Instant to) {
        if (isOnce(schedule)) {
            return latestFireIn(schedule, from, to).isPresent() ? 1 : 0;
        }
        Compiled cron = compiled(schedule);
        ZoneRules rules = zone(schedule).getRules();
        Instant upper = min(to, schedule.getEndAt());
        long count = 0;
        Instant counted = max(from, schedule.getStartAt()).minusNanos(1); // everything up to here is counted
        Optional<Instant> fire = firstFireAtOrAfter(schedule, from);
        while (fire.isPresent() && !fire.get().isAfter(upper) && count < MISSED_COUNT_CAP) {
            Instant f = fire.get();
            // A whole local day far from any offset transition has hours x minutes fires, so a week of minutely
            // fires costs a handful of steps instead of ten thousand.
            ZoneOffset offset = rules.getOffset(f);
            Instant dayStart = LocalDate.ofInstant(f, offset).atStartOfDay().toInstant(offset);
            Instant nextDayStart = dayStart.plus(Duration.ofDays(1));
            ZoneOffsetTransition transition = rules.nextTransition(dayStart.minus(Duration.ofDays(1)));
            boolean plainDay = transition == null
                    || transition.getInstant().isAfter(nextDayStart.plus(Duration.ofDays(1)));
            if (plainDay && counted.isBefore(dayStart) && nextDayStart.isBefore(upper)) {
                count += cron.firesPerDay();
                counted = nextDayStart.minusNanos(1);
                fire = cronNextAfter(cron, rules, counted, schedule.getEndAt());
            } else {
                count++;
                counted = f;
                fire = cronNextAfter(cron, rules, f, schedule.getEndAt());
            }
        }
        return Math.min(count, MISSED_COUNT_CAP);
    }

    // ---------------------------------------------------------------------------------------------------------------
    // CRON on the real time line.
    //
    // cron-utils evaluates the expression over ZonedDateTime, but with a DST zone its answers are not ours: it skips a
    // time in the gap altogether (no fire on 2026-03-08 for "30 2 * * *" in New York), and in the overlap it fires the
    // repeated time once or twice depending on the direction of the search and on where the search starts
    // (nextExecution from 01:31 EDT on 2026-11-01 returns 01:30 EST). So the time line is cut at the zone's offset
    // transitions and cron-utils is asked only about fixed offsets, where local time is unambiguous; the rules in the
    // comment at the top of the class are applied at the cuts.
    // ---------------------------------------------------------------------------------------------------------------

    private static Optional<Instant> cronNextAfter(Compiled cron, ZoneRules rules, Instant after, Instant endAt) {
        Instant cursor = after;
        while (endAt == null || cursor.isBefore(endAt)) {
            Instant probe = cursor.plusNanos(1); // the first instant of interest decides which offset applies
            ZoneOffset offset = rules.getOffset(probe);
            ZoneOffsetTransition started = rules.previousTransition(probe.plusNanos(1));
            ZoneOffsetTransition ends = rules.nextTransition(probe);
            Instant segmentEnd = ends == null ? null : ends.getInstant();

            Optional<Instant> regular = nextMatch(cron, offset, cursor);
            if (regular.isPresent() && started != null && started.isOverlap() && !cron.everyHour()) {
                Instant secondPassEnd = started.getInstant().minus(started.getDuration()); // duration is negative
                if (regular.get().isBefore(secondPassEnd)) {
                    regular = nextMatch(cron, offset, secondPassEnd.minusNanos(1));
                }
            }
            Instant best = regular.filter(r -> segmentEnd == null || r.isBefore(segmentEnd)).orElse(null);
            if (started != null && started.isGap()) {
                Instant gapEnd = started.getInstant().plus(started.getDuration());
                if (cursor.isBefore(gapEnd)) {
                    Instant from = max(cursor, started.getInstant().minusNanos(1));
                    Optional<Instant> shifted = nextMatch(cron, started.getOffsetBefore(), from)
                            .filter(s -> s.isBefore(gapEnd) && (segmentEnd == null || s.isBefore(segmentEnd)));
                    if (shifted.isPresent() && (best == null || shifted.get().isBefore(best))) {
                        best = shifted.get();
                    }
                }
            }
            if (best != null) {
                return endAt != null && best.isAfter(endAt) ? Optional.empty() : Optional.of(best);
            }
            if (segmentEnd == null || regular.isEmpty()) {
                return Optional.empty(); // no further execution at this offset means none at any offset
            }
            cursor = segmentEnd.minusNanos(1);
        }
        return Optional.empty();
    }

    private static Optional<Instant> cronLastAtOrBefore(
            Compiled cron, ZoneRules rules, Instant atOrBefore, Instant lower) {
        Instant cursor = atOrBefore;
        while (!cursor.isBefore(lower)) {
            ZoneOffset offset = rules.getOffset(cursor);
            ZoneOffsetTransition started = rules.previousTransition(cursor.plusNanos(1));
            Instant segmentStart = started == null ? null : started.getInstant();

            Optional<Instant> regular = lastMatch(cron, offset, cursor);
            if (regular.isPresent() && started != null && started.isOverlap() && !cron.everyHour()) {
                Instant secondPassEnd = started.getInstant().minus(started.getDuration());
                if (regular.get().isBefore(secondPassEnd)) {
                    regular = lastMatch(cron, offset, started.getInstant().minusNanos(1));
                }
            }
            Instant best = regular.filter(r -> segmentStart == null || !r.isBefore(segmentStart)).orElse(null);
            if (started != null && started.isGap()) {
                Instant upper = min(cursor, started.getInstant().plus(started.getDuration()).minusNanos(1));
                if (!upper.isBefore(segmentStart)) {
                    Optional<Instant> shifted = lastMatch(cron, started.getOffsetBefore(), upper)
                            .filter(s -> !s.isBefore(segmentStart));
                    if (shifted.isPresent() && (best == null || shifted.get().isAfter(best))) {
                        best = shifted.get();
                    }
                }
            }
            if (best != null) {
                return best.isBefore(lower) ? Optional.empty() : Optional.of(best);
            }
            if (segmentStart == null || regular.isEmpty()) {
                return Optional.empty();
            }
            cursor = segmentStart.minusNanos(1);
        }
        return Optional.empty();
    }

    /** The first execution strictly after {@code after}, reading local time at a fixed offset. */
    private static Optional<Instant> nextMatch(Compiled cron, ZoneOffset offset, Instant after) {
        // Truncating keeps cron-utils on whole minutes (it can echo sub-second inputs back); executions are whole
        // minutes, so strictly after the truncated time is strictly after `after`.
        ZonedDateTime base = after.atZone(offset).truncatedTo(ChronoUnit.MINUTES);
        return cron.executionTime().nextExecution(base).map(ZonedDateTime::toInstant);
    }

    /** The last execution at or before {@code atOrBefore}, reading local time at a fixed offset. */
    private static Optional<Instant> lastMatch(Compiled cron, ZoneOffset offset, Instant atOrBefore) {
        ZonedDateTime base = atOrBefore.atZone(offset).truncatedTo(ChronoUnit.MINUTES).plusMinutes(1);
        return cron.executionTime().lastExecution(base).map(ZonedDateTime::toInstant);
    }

    // ---------------------------------------------------------------------------------------------------------------

    private boolean onTime(Instant fire, Instant now) {
        return Duration.between(fire, now).compareTo(misfireThreshold) <= 0;
    }

    private static MisfirePolicy policy(Schedule schedule) {
        return schedule.getMisfirePolicy() == null ? MisfirePolicy.FIRE_ONCE : schedule.getMisfirePolicy();
    }

    private static boolean isOnce(Schedule schedule) {
        Objects.requireNonNull(schedule, "schedule");
        if (schedule.getType() == null) {
            throw new IllegalArgumentException("type: must not be null");
        }
        return schedule.getType() == ScheduleType.ONCE;
    }

    private static Instant sendAt(Schedule schedule) {
        if (schedule.getSendAt() == null) {
            throw new IllegalArgumentException("sendAt: required for a ONCE schedule");
        }
        return schedule.getSendAt();
    }

    private static ZoneId zone(Schedule schedule) {
        String id = schedule.getTimeZone();
        if (id == null || id.isBlank()) {
            throw new IllegalArgumentException("timeZone: required (an IANA zone id such as Europe/Paris)");
        }
        try {
            return ZoneId.of(id);
        } catch (DateTimeException e) {
            throw new IllegalArgumentException("timeZone: unknown time zone '" + id + "': " + e.getMessage(), e);
        }
    }

    private Compiled compiled(Schedule schedule) {
        String expression = schedule.getCron();
        if (expression == null || expression.isBlank()) {
            throw new IllegalArgumentException("cron: required for a CRON schedule");
        }
        Compiled compiled;
        synchronized (cache) {
            // Invalid expressions are cached too: a broken campaign is evaluated every second like any other.
            compiled = cache.computeIfAbsent(expression, this::compile);
        }
        if (compiled.error() != null) {
            throw new IllegalArgumentException(compiled.error());
        }
        return compiled;
    }

    private Compiled compile(String expression) {
        Cron cron;
        try {
            cron = parser.parse(expression).validate();
        } catch (IllegalArgumentException e) {
            return Compiled.invalid("cron: invalid expression '" + expression + "': " + e.getMessage());
        }
        ExecutionTime executionTime = ExecutionTime.forCron(cron);
        // Day-of-month and month can combine into a date that never comes ("0 0 31 2 *"); say so now rather than
        // store a campaign that silently never fires.
        if (executionTime.nextExecution(ZonedDateTime.of(2000, 1, 1, 0, 0, 0, 0, ZoneOffset.UTC)).isEmpty()) {
            return Compiled.invalid("cron: expression '" + expression + "' never fires");
        }
        FieldValueGenerator hours = FieldValueGeneratorFactory.forCronField(cron.retrieve(CronFieldName.HOUR));
        FieldValueGenerator minutes = FieldValueGeneratorFactory.forCronField(cron.retrieve(CronFieldName.MINUTE));
        long hoursMatched = IntStream.range(0, 24).filter(hours::isMatch).count();
        long minutesMatched = IntStream.range(0, 60).filter(minutes::isMatch).count();
        return new Compiled(executionTime, hoursMatched == 24, hoursMatched * minutesMatched, null);
    }

    /**
     * @param everyHour   the hour field matches all 24 hours (a cadence rather than a time of day)
     * @param firesPerDay fires on a day the expression matches, with no offset transition that day
     */
    private record Compiled(ExecutionTime executionTime, boolean everyHour, long firesPerDay, String error) {
        static Compiled invalid(String error) {
            return new Compiled(null, false, 0, error);
        }
    }

    private static Instant max(Instant a, Instant bOrNull) {
        return bOrNull != null && bOrNull.isAfter(a) ? bOrNull : a;
    }

    private static Instant min(Instant a, Instant bOrNull) {
        return bOrNull != null && bOrNull.isBefore(a) ? bOrNull : a;
    }
}

package dev.herald.query.store;

import dev.herald.avro.Audience;
import dev.herald.avro.Campaign;
import dev.herald.avro.ChannelCounts;
import dev.herald.avro.FanoutState;
import dev.herald.avro.Limits;
import dev.herald.avro.MailTemplate;
import dev.herald.avro.PartitionProgress;
import dev.herald.avro.PushTemplate;
import dev.herald.avro.RunState;
import dev.herald.avro.RunStatus;
import dev.herald.avro.RunSummary;
import dev.herald.avro.Schedule;
import dev.herald.avro.SchedulerState;
import dev.herald.query.model.CampaignDetail;
import dev.herald.query.model.CampaignDetail.AudienceView;
import dev.herald.query.model.CampaignDetail.LimitsView;
import dev.herald.query.model.CampaignDetail.MailTemplateView;
import dev.herald.query.model.CampaignDetail.PushTemplateView;
import dev.herald.query.model.CampaignDetail.QuietHoursView;
import dev.herald.query.model.CampaignItem;
import dev.herald.query.model.ChannelTotals;
import dev.herald.query.model.RunProgress;
import dev.herald.query.model.ScheduleView;
import dev.herald.topology.RunIds;
import dev.herald.topology.summary.Counts;
import dev.herald.topology.summary.RunCompletion;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Maps Avro records to the JSON views; Avro objects never reach Jackson (their getSchema() recurses). */
final class AvroViews {
    private AvroViews() {
    }

    static CampaignItem item(Campaign c, SchedulerState state) {
        return new CampaignItem(c.getId(), c.getName(), c.getStatus().name(), channels(c), schedule(c.getSchedule()),
                state == null ? null : state.getNextFireAt());
    }

    static CampaignDetail detail(Campaign c, SchedulerState state) {
        return new CampaignDetail(c.getId(), c.getName(), c.getDescription(), c.getOwner(), c.getStatus().name(),
                channels(c), schedule(c.getSchedule()), audience(c.getAudience()), push(c.getPush()),
                mail(c.getMail()), limits(c.getLimits()), c.getCreatedAt(), c.getUpdatedAt(),
                state == null ? null : state.getNextFireAt(), state == null ? null : state.getLastScheduledFor(),
                state == null ? 0 : state.getFires());
    }

    static ChannelTotals counts(ChannelCounts c) {
        return c == null ? ChannelTotals.ZERO
                : new ChannelTotals(c.getSuccess(), c.getError(), c.getMissing(), c.getFiltered(), c.getMessages(),
                        c.getDelivered(), c.getFailed(), c.getRejectedTarget(), c.getRetries());
    }

    static Map<String, Long> reasons(Map<String, Long> reasons) {
        return reasons == null ? Map.of() : new TreeMap<>(reasons);
    }

    static RunProgress run(RunSummary run) {
        ChannelTotals push = counts(run.getPush());
        ChannelTotals mail = counts(run.getMail());
        long counted = RunCompletion.counted(run);
        RunState state = RunCompletion.state(run);
        boolean complete = run.getStatus() == RunStatus.COMPLETED;
        boolean expectedFinal = RunCompletion.allPartitionsReported(run);
        Map<String, PartitionProgress> partitions = run.getPartitions() == null ? Map.of() : run.getPartitions();
        // Every partition reports its share when the run starts there: once each has, the run's estimate is an
        // estimate of the whole. Runs written before partitions reported progress have no such map: their
        // expected only grows until the last partition reported, and a percentage of it would mislead.
        boolean everyPartitionKnown = run.getPartitionCount() > 0 && partitions.size() == run.getPartitionCount();
        long expected;
        if (expectedFinal) {
            expected = run.getExpected();
        } else if (everyPartitionKnown) {
            expected = Math.max(run.getEstimate(), counted);
        } else {
            expected = run.getExpected();
        }
        boolean expectedKnown = expectedFinal || everyPartitionKnown;
        Double percent = null;
        if (complete) {
            percent = 100.0;
        } else if (expectedKnown && expected > 0) {
            percent = Math.min(percent(counted, expected), 99.9);
        }
        Double rate = run.getRatePerSecond() > 0 ? run.getRatePerSecond() : null;
        Instant eta = null;
        if (state == RunState.RUNNING && rate != null && expectedKnown && run.getUpdatedAt() != null) {
            long remaining = Math.max(0, expected - counted);
            eta = run.getUpdatedAt().plusMillis(Math.round(remaining * 1000.0 / rate));
        }
        int paused = (int) partitions.values().stream().filter(p -> p.getState() == FanoutState.PAUSED).count();
        return new RunProgress(run.getRunId(), run.getCampaignId(), scheduledFor(run.getRunId()),
                state.name(), expected, expectedFinal, counted, percent, run.getNotSent(),
                run.getReportedPartitions().size(), run.getPartitionCount(), paused, complete, push, mail,
                reasons(run.getReasons()), run.getMessagesPerSecond(), rate, eta, run.getStartedAt(),
                run.getUpdatedAt(), run.getPausedAt(), run.getCancelledAt(), run.getCompletedAt(),
                Counts.receipted(run.getPush(), run.getMail()), run.getDeliveredAt());
    }

    /** Rounded down to a tenth, so a run never shows 100 before its last outcome is counted. */
    static double percent(long counted, long expected) {
        if (expected <= 0) {
            return 100.0;
        }
        return Math.floor(counted * 1000.0 / expected) / 10.0;
    }

    /** The slot the run was scheduled for, or null when the id is not a well-formed run id. */
    static Instant scheduledFor(String runId) {
        return RunIds.parse(runId).map(RunIds.RunId::scheduledFor).orElse(null);
    }

    private static List<String> channels(Campaign c) {
        return c.getChannels().stream().map(Enum::name).toList();
    }

    private static ScheduleView schedule(Schedule s) {
        if (s == null) {
            return null;
        }
        return new ScheduleView(s.getType().name(), s.getSendAt(), s.getCron(), s.getTimeZone(), s.getStartAt(),
                s.getEndAt(), s.getMisfirePolicy() == null ? null : s.getMisfirePolicy().name());
    }

    private static AudienceView audience(Audience a) {
        if (a == null) {
            return new AudienceView(List.of(), Map.of(), List.of());
        }
        return new AudienceView(List.copyOf(a.getSegments()), new TreeMap<>(a.getAttributes()),
                List.copyOf(a.getRecipientIds()));
    }

    private static PushTemplateView push(PushTemplate p) {
        return p == null ? null : new PushTemplateView(p.getTitle(), p.getBody(), new TreeMap<>(p.getData()));
    }

    private static MailTemplateView mail(MailTemplate m) {
        return m == null ? null : new MailTemplateView(m.getSubject(), m.getText(), m.getHtml());
    }

    private static LimitsView limits(Limits l) {
        if (l == null) {
            return null;
        }
        QuietHoursView quiet = l.getQuietHours() == null ? null
                : new QuietHoursView(l.getQuietHours().getStart(), l.getQuietHours().getEnd());
        return new LimitsView(l.getMessagesPerSecond(), quiet);
    }
}

package dev.herald.topology.fanout;

import static org.assertj.core.api.Assertions.assertThat;

import dev.herald.avro.Campaign;
import dev.herald.avro.CampaignState;
import dev.herald.avro.CampaignStatus;
import dev.herald.avro.Channel;
import dev.herald.avro.Delivery;
import dev.herald.avro.FanoutControl;
import dev.herald.avro.FanoutReport;
import dev.herald.avro.FanoutState;
import dev.herald.avro.Job;
import dev.herald.avro.Limits;
import dev.herald.avro.RunAction;
import dev.herald.avro.RunControl;
import dev.herald.serdes.AvroTrust;
import dev.herald.topology.TestRecords;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Pause, resume, cancel and rate changes of a run in flight, on every partition of its fan-out side by side: what
 * each partition delivers and reports, to the delivery.
 */
class RunControlAcrossPartitionsTest {
    private static final Instant NOW = Instant.parse("2026-05-01T10:00:00Z");
    private static final int PARTITIONS = 3;
    private static final int RECIPIENTS = 600;
    private static final int CHUNK = 20;
    private static final List<Channel> CHANNELS = List.of(Channel.PUSH, Channel.MAIL);
    private static final int DELIVERIES = RECIPIENTS * CHANNELS.size();

    static {
        // The campaign below is built before any serde has told Avro to trust Herald's generated classes.
        AvroTrust.trustPackageOf(Campaign.class);
    }

    private final Campaign campaign = TestRecords.campaign("promo").setChannels(CHANNELS).build();
    private final Job job = FanoutPartition.job(campaign, NOW);

    @Test
    void pausedCampaignStopsEveryPartitionWithinOneStepAndResumeSendsNothingTwice() {
        List<FanoutPartition> tasks = partitions();
        tasks.forEach(task -> task.process(job));
        tick(tasks, 2);
        long before = delivered(tasks);
        assertThat(before).isPositive().isLessThan(DELIVERIES);

        control(tasks, state(CampaignStatus.PAUSED, 1, null));
        tick(tasks, 10);

        assertThat(delivered(tasks)).as("nothing after the pause").isEqualTo(before);
        assertThat(tasks).allSatisfy(task -> assertThat(last(task).getState()).isEqualTo(FanoutState.PAUSED));

        control(tasks, state(CampaignStatus.SCHEDULED, 2, null));
        assertThat(tasks).allSatisfy(task -> assertThat(last(task).getState()).isEqualTo(FanoutState.RUNNING));
        tasks.forEach(task -> task.runToCompletion(1_000));

        assertEveryRecipientOnceOnEveryChannel(tasks);
        assertThat(tasks).allSatisfy(task -> assertThat(task.reports()).singleElement()
                .satisfies(r -> assertThat(r.getState()).isEqualTo(FanoutState.DONE)));
    }

    @Test
    void cancelledRunReportsWhatEachPartitionDeliveredAndTheRestAsNotSent() {
        List<FanoutPartition> tasks = partitions();
        tasks.forEach(task -> task.process(job));
        tick(tasks, 3);
        long before = delivered(tasks);

        control(tasks, order(RunAction.CANCEL, 1));
        tick(tasks, 10);

        assertThat(delivered(tasks)).as("nothing after the cancel").isEqualTo(before);
        long notSent = 0;
        for (FanoutPartition task : tasks) {
            FanoutReport report = task.reports().get(0);
            assertThat(task.reports()).hasSize(1);
            assertThat(report.getState()).isEqualTo(FanoutState.CANCELLED);
            assertThat(report.getDeliveries()).isEqualTo(task.deliveries().size());
            notSent += report.getNotSent();
        }
        assertThat(before + notSent).as("delivered and not sent make up the whole audience").isEqualTo(DELIVERIES);
    }

    @Test
    void controlThatOvertakesItsJobAppliesWhenTheJobArrives() {
        List<FanoutPartition> tasks = partitions();
        control(tasks, order(RunAction.PAUSE, 1));
        tasks.forEach(task -> task.process(job));
        tick(tasks, 10);

        assertThat(delivered(tasks)).isZero();
        assertThat(tasks).allSatisfy(task -> {
            assertThat(task.allReports()).singleElement().satisfies(r -> {
                assertThat(r.getState()).isEqualTo(FanoutState.PAUSED);
                assertThat(r.getEstimate()).as("its share, counted at the start").isEqualTo(2L * r.getCandidates());
            });
        });
        assertThat(tasks.stream().mapToLong(task -> task.allReports().get(0).getCandidates()).sum())
                .isEqualTo(RECIPIENTS);

        control(tasks, order(RunAction.RESUME, 2));
        tasks.forEach(task -> task.runToCompletion(1_000));
        assertEveryRecipientOnceOnEveryChannel(tasks);
    }

    @Test
    void cancelBeforeTheJobEndsItAtOnceAndALaterResumeDoesNotRevive() {
        List<FanoutPartition> tasks = partitions();
        control(tasks, order(RunAction.CANCEL, 1));
        control(tasks, order(RunAction.RESUME, 2));
        tasks.forEach(task -> task.process(job));
        tick(tasks, 5);

        assertThat(delivered(tasks)).isZero();
        assertThat(tasks.stream().mapToLong(task -> task.reports().get(0).getNotSent()).sum()).isEqualTo(DELIVERIES);
        assertThat(tasks).allSatisfy(task -> assertThat(task.reports()).singleElement()
                .satisfies(r -> assertThat(r.getState()).isEqualTo(FanoutState.CANCELLED)));
    }

    @Test
    void runResumeDoesNotResumeARunWhoseCampaignIsPaused() {
        List<FanoutPartition> tasks = partitions();
        tasks.forEach(task -> task.process(job));
        tick(tasks, 1);
        control(tasks, state(CampaignStatus.PAUSED, 1, null));
        control(tasks, order(RunAction.PAUSE, 2));
        control(tasks, order(RunAction.RESUME, 3));
        long paused = delivered(tasks);
        tick(tasks, 10);

        assertThat(delivered(tasks)).as("the campaign is still paused").isEqualTo(paused);

        control(tasks, state(CampaignStatus.SCHEDULED, 4, null));
        tasks.forEach(task -> task.runToCompletion(1_000));
        assertEveryRecipientOnceOnEveryChannel(tasks);
    }

    @Test
    void campaignStateOlderThanTheRunsDefinitionIsIgnored() {
        Campaign newer = TestRecords.campaign("promo").setChannels(CHANNELS)
                .setUpdatedAt(TestRecords.CREATED.plusSeconds(100)).build();
        List<FanoutPartition> tasks = partitions();
        tasks.forEach(task -> task.process(FanoutPartition.job(newer, NOW)));
        control(tasks, state(CampaignStatus.PAUSED, 50, null));
        tasks.forEach(task -> task.runToCompletion(1_000));

        assertEveryRecipientOnceOnEveryChannel(tasks);
    }

    @Test
    void loweredRateTakesEffectWithinAStep() {
        Campaign limited = TestRecords.campaign("promo").setChannels(List.of(Channel.PUSH))
                .setLimits(Limits.newBuilder().setMessagesPerSecond(300).build()).build();
        List<FanoutPartition> tasks = partitions();
        tasks.forEach(task -> task.process(FanoutPartition.job(limited, NOW)));
        tick(tasks, 10);
        long atFullRate = delivered(tasks);
        assertThat(atFullRate).as("1 s at 300/s").isBetween(300L - PARTITIONS, 300L);

        control(tasks, state(CampaignStatus.SCHEDULED, 1, 30));
        tick(tasks, 20);

        assertThat(delivered(tasks) - atFullRate).as("2 s at 30/s").isBetween(60L - PARTITIONS, 60L);
        assertThat(tasks).allSatisfy(task -> assertThat(last(task).getMessagesPerSecond()).isEqualTo(30));
    }

    private static List<FanoutPartition> partitions() {
        List<FanoutPartition> tasks = new ArrayList<>();
        for (int p = 0; p < PARTITIONS; p++) {
            tasks.add(new FanoutPartition(p, PARTITIONS, CHUNK, NOW));
        }
        for (int i = 0; i < RECIPIENTS; i++) {
            String id = "r-" + i;
            tasks.get(FanoutPartition.kafkaPartition(id, PARTITIONS)).holding(TestRecords.recipient(id).build());
        }
        return tasks;
    }

    private static void tick(List<FanoutPartition> tasks, int times) {
        for (int i = 0; i < times; i++) {
            tasks.forEach(FanoutPartition::tick);
        }
    }

    private static void control(List<FanoutPartition> tasks, FanoutControl control) {
        tasks.forEach(task -> task.control(control));
    }

    private static FanoutControl state(CampaignStatus status, int secondsAfterCreation, Integer rate) {
        return new FanoutControl(CampaignState.newBuilder().setCampaignId("promo").setStatus(status)
                .setMessagesPerSecond(rate).setUpdatedAt(TestRecords.CREATED.plusSeconds(secondsAfterCreation))
                .build());
    }

    private FanoutControl order(RunAction action, int secondsAfterStart) {
        return new FanoutControl(RunControl.newBuilder().setCampaignId("promo").setRunId(job.getRunId())
                .setAction(action).setRequestedAt(NOW.plusSeconds(secondsAfterStart)).build());
    }

    private static long delivered(List<FanoutPartition> tasks) {
        return tasks.stream().mapToLong(task -> task.deliveries().size()).sum();
    }

    private static FanoutReport last(FanoutPartition task) {
        List<FanoutReport> reports = task.allReports();
        return reports.get(reports.size() - 1);
    }

    private static void assertEveryRecipientOnceOnEveryChannel(List<FanoutPartition> tasks) {
        Set<String> seen = new HashSet<>();
        for (FanoutPartition task : tasks) {
            for (Delivery delivery : task.deliveries()) {
                assertThat(seen.add(delivery.getRecipientId() + "/" + delivery.getChannel()))
                        .as("delivered once: %s on %s", delivery.getRecipientId(), delivery.getChannel()).isTrue();
            }
        }
        assertThat(seen).hasSize(DELIVERIES);
    }
}

package dev.herald.topology.scheduler;

import dev.herald.avro.Campaign;
import dev.herald.avro.CampaignStatus;
import dev.herald.avro.ScheduleTick;
import dev.herald.avro.ScheduleType;
import dev.herald.avro.SchedulerState;
import dev.herald.avro.Trigger;
import dev.herald.topology.Counters;
import dev.herald.topology.RunIds;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Fires SCHEDULED campaigns at their scheduled instants: keeps each campaign's next fire time in a store and, on
 * wall-clock punctuation, emits a ScheduleTick for each that is due.
 */
public final class SchedulerProcessor implements Processor<String, Campaign, String, ScheduleTick> {

    private static final Logger log = LoggerFactory.getLogger(SchedulerProcessor.class);

    private final String storeName;
    private final FirePlanner planner;
    private final Duration interval;
    private ProcessorContext<String, ScheduleTick> context;
    private KeyValueStore<String, SchedulerState> store;
    private Counters counters;

    public SchedulerProcessor(String storeName, FirePlanner planner, Duration interval) {
        this.storeName = storeName;
        this.planner = planner;
        this.interval = interval;
    }

    @Override
    public void init(ProcessorContext<String, ScheduleTick> context) {
        this.context = context;
        this.store = context.getStateStore(storeName);
        this.counters = new Counters(context.metrics(), "scheduler", context.taskId());
        context.schedule(interval, PunctuationType.WALL_CLOCK_TIME, this::fireDue);
    }

    @Override
    public void process(Record<String, Campaign> record) {
        String id = record.key();
        Campaign campaign = record.value();
        SchedulerState existing = store.get(id);
        if (campaign == null) {
            store.delete(id);
            return;
        }
        if (existing != null && existing.getSchedule().equals(campaign.getSchedule())
                && keepsDueInstant(existing.getStatus(), campaign.getStatus())) {
            // A pause keeps the due instant, so a resume meets it as a misfire and the policy decides.
            existing.setStatus(campaign.getStatus());
            store.put(id, existing);
            return;
        }
        Instant lastScheduledFor = existing == null ? null : existing.getLastScheduledFor();
        Instant notBefore = campaign.getUpdatedAt();
        if (existing != null && existing.getSchedule().equals(campaign.getSchedule())) {
            // Same schedule, leaving draft/cancelled/completed: nothing was missed before this moment.
            Instant now = Instant.ofEpochMilli(context.currentSystemTimeMs());
            notBefore = now.isAfter(notBefore) ? now : notBefore;
        }
        store.put(id, SchedulerState.newBuilder()
                .setCampaignId(id)
                .setStatus(campaign.getStatus())
                .setSchedule(campaign.getSchedule())
                .setNextFireAt(firstFire(campaign, lastScheduledFor, notBefore).orElse(null))
                .setLastScheduledFor(lastScheduledFor)
                .setFires(existing == null ? 0 : existing.getFires())
                .build());
    }

    /**
     * Fires missed while paused are misfires (the policy decides); time spent as a draft, cancelled or completed is
     * not, so leaving those states starts the schedule afresh from the update.
     */
    private static boolean keepsDueInstant(CampaignStatus before, CampaignStatus after) {
        boolean wasLive = before == CampaignStatus.SCHEDULED || before == CampaignStatus.PAUSED;
        return wasLive || after != CampaignStatus.SCHEDULED;
    }

    /** A new or changed schedule starts from its last update, and never repeats an instant already fired. */
    private Optional<Instant> firstFire(Campaign campaign, Instant lastScheduledFor, Instant notBefore) {
        if (campaign.getSchedule().getType() == ScheduleType.ONCE) {
            Instant sendAt = campaign.getSchedule().getSendAt();
            boolean alreadyFired = lastScheduledFor != null && !sendAt.isAfter(lastScheduledFor);
            return alreadyFired ? Optional.empty() : Optional.of(sendAt);
        }
        Instant from = notBefore;
        if (lastScheduledFor != null && !from.isAfter(lastScheduledFor)) {
            from = lastScheduledFor.plusMillis(1);
        }
        return planner.firstFireAtOrAfter(campaign.getSchedule(), from);
    }

    private void fireDue(long wallClockMs) {
        Instant now = Instant.ofEpochMilli(wallClockMs);
        List<KeyValue<String, SchedulerState>> updates = new ArrayList<>();
        try (KeyValueIterator<String, SchedulerState> all = store.all()) {
            while (all.hasNext()) {
                SchedulerState state = all.next().value;
                if (state.getStatus() != CampaignStatus.SCHEDULED || state.getNextFireAt() == null
                        || state.getNextFireAt().isAfter(now)) {
                    continue;
                }
                FirePlanner.Plan plan;
                try {
                    plan = planner.plan(state.getSchedule(), state.getNextFireAt(), now);
                } catch (RuntimeException e) {
                    // Validated on the way in, so this is a schedule an older version accepted; park it, keep going.
                    log.error("Campaign {}: schedule cannot be evaluated; it will not fire until updated",
                            state.getCampaignId(), e);
                    counters.count("schedule-errors");
                    state.setNextFireAt(null);
                    updates.add(KeyValue.pair(state.getCampaignId(), state));
                    continue;
                }
                plan.fire().ifPresent(scheduledFor -> {
                    context.forward(new Record<>(state.getCampaignId(), ScheduleTick.newBuilder()
                            .setCampaignId(state.getCampaignId())
                            .setRunId(RunIds.of(state.getCampaignId(), scheduledFor))
                            .setScheduledFor(scheduledFor)
                            .setTrigger(Trigger.SCHEDULE)
                            .build(), wallClockMs));
                    state.setLastScheduledFor(scheduledFor);
                    state.setFires(state.getFires() + 1);
                });
                if (plan.missed() > 0) {
                    log.info("Campaign {} missed {} fire(s) up to {} ({}); policy {}", state.getCampaignId(),
                            plan.missed(), now, plan.fire().map(f -> "fired " + f).orElse("none fired"),
                            state.getSchedule().getMisfirePolicy());
                }
                state.setNextFireAt(plan.next().orElse(null));
                updates.add(KeyValue.pair(state.getCampaignId(), state));
            }
        }
        store.putAll(updates);
    }
}

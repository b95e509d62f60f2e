package dev.herald.topology.jobs;

import dev.herald.avro.Campaign;
import dev.herald.avro.Job;
import dev.herald.avro.ScheduleTick;
import dev.herald.topology.Reasons.TickRejection;

/** A tick joined with its campaign: either a Job to run or the reason it does not run. Lives only inside a task. */
public record JobDecision(ScheduleTick tick, Job job, TickRejection rejection) {

    public static JobDecision of(ScheduleTick tick, Campaign campaign) {
        if (campaign == null) {
            return new JobDecision(tick, null, TickRejection.UNKNOWN_CAMPAIGN);
        }
        TickRejection rejection = switch (campaign.getStatus()) {
            case PAUSED -> TickRejection.PAUSED;
            case CANCELLED -> TickRejection.CANCELLED;
            case DRAFT -> TickRejection.DRAFT;
            case SCHEDULED, COMPLETED -> null;
        };
        if (rejection != null) {
            return new JobDecision(tick, null, rejection);
        }
        return new JobDecision(tick, Job.newBuilder()
                .setRunId(tick.getRunId())
                .setCampaignId(tick.getCampaignId())
                .setScheduledFor(tick.getScheduledFor())
                .setTrigger(tick.getTrigger())
                .setCampaign(campaign)
                .build(), null);
    }
}

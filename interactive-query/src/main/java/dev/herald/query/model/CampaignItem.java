package dev.herald.query.model;

import java.time.Instant;
import java.util.List;

/** A campaign as /api/campaigns lists it: enough to pick one, with when it fires next (null: no more fires). */
public record CampaignItem(String id, String name, String status, List<String> channels, ScheduleView schedule,
        Instant nextFireAt) {
}

package dev.herald.query.model;

import java.util.List;

/** Campaigns gathered from every instance, sorted by id; partial when some instances did not answer. */
public record CampaignList(List<CampaignItem> campaigns, boolean partial, List<String> missing,
        List<String> servedBy) implements GatheredAnswer {
}

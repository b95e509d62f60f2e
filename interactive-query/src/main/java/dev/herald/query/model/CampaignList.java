package dev.herald.query.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonInclude.Include;
import java.util.List;

/**
 * Campaigns sorted by id: gathered from every instance (partial when some did not answer), or read from this
 * instance's replica, which says how far behind it is ({@code stale}, {@code lag}; absent on gathered lists).
 */
public record CampaignList(List<CampaignItem> campaigns, boolean partial, List<String> missing,
        List<String> servedBy, @JsonInclude(Include.NON_NULL) Boolean stale,
        @JsonInclude(Include.NON_NULL) Long lag) implements GatheredAnswer {

    /** A list gathered from the instances. */
    public CampaignList(List<CampaignItem> campaigns, boolean partial, List<String> missing, List<String> servedBy) {
        this(campaigns, partial, missing, servedBy, null, null);
    }
}

package dev.herald.query.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonInclude.Include;
import java.util.List;

/**
 * A campaign's runs, oldest scheduled first: gathered from every instance (partial when some did not answer), or
 * read from this instance's replica, which says how far behind it is ({@code stale}, {@code lag}; absent on
 * gathered lists).
 */
public record RunList(String campaignId, List<RunProgress> runs, boolean partial, List<String> missing,
        List<String> servedBy, @JsonInclude(Include.NON_NULL) Boolean stale,
        @JsonInclude(Include.NON_NULL) Long lag) implements GatheredAnswer {

    /** A list gathered from the instances. */
    public RunList(String campaignId, List<RunProgress> runs, boolean partial, List<String> missing,
            List<String> servedBy) {
        this(campaignId, runs, partial, missing, servedBy, null, null);
    }
}

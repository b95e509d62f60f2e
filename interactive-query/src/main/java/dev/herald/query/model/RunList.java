package dev.herald.query.model;

import java.util.List;

/** A campaign's runs gathered from every instance, oldest scheduled first; partial when some did not answer. */
public record RunList(String campaignId, List<RunProgress> runs, boolean partial, List<String> missing,
        List<String> servedBy) implements GatheredAnswer {
}

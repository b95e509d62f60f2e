package dev.herald.query.model;

/** A keyed answer with the {@code host:port} of the instance whose stores produced it. */
public record Served<T>(T value, String servedBy) {
}

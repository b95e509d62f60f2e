package dev.herald.query.model;

/** A keyed answer read from this instance's stores, with the {@code host:port} of the instance that read it. */
public record Served<T>(T value, String servedBy) implements Keyed<T> {
}

package dev.herald.query.model;

/**
 * A keyed answer and the {@code host:port} of the instance whose stores produced it: either a value read here
 * ({@link Served}) or the owner's answer relayed as it came ({@link Relayed}).
 */
public sealed interface Keyed<T> permits Served, Relayed {

    /** The value; for a relayed answer read from its JSON on first use. */
    T value();

    /** The {@code host:port} of the instance that answered from its stores. */
    String servedBy();
}

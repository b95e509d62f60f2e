package dev.herald.query.model;

import java.util.List;

/**
 * An answer gathered from every instance. It lists who served it and who is missing itself, so its JSON is the value
 * as it is; a keyed answer instead is a {@link Served} value, written as one object with a single servedBy.
 */
public interface GatheredAnswer {

    /** Whether some instance did not answer, so the answer may lack what only it holds. */
    boolean partial();

    /** The {@code host:port} of every instance that did not answer. */
    List<String> missing();

    /** The {@code host:port} of every instance that did, this one included. */
    List<String> servedBy();
}

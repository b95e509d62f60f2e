package dev.herald.query.model;

import com.fasterxml.jackson.annotation.JsonIgnore;

/**
 * A keyed answer read from this instance's stores, with the {@code host:port} of the instance that read it, and
 * its lag when it came from a replica that may be behind (a standby or a restoring copy) instead of the active one.
 *
 * @param lag records the replica is behind the changelog's end, or null for an answer from the active copy
 */
public record Served<T>(T value, String servedBy, Long lag) implements Keyed<T> {

    public Served(T value, String servedBy) {
        this(value, servedBy, null);
    }

    /** Whether this answer came from a replica rather than the active copy: it says so in its JSON. */
    @JsonIgnore
    public boolean stale() {
        return lag != null;
    }
}

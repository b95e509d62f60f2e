package dev.herald.query.model;

import java.util.Objects;

/**
 * The owner's answer to a forwarded keyed request, kept as the JSON body it sent: relayed to the client byte for
 * byte, and read into a value only if something here needs to look inside it.
 */
public final class Relayed<T> implements Keyed<T> {
    private final byte[] body;
    private final String servedBy;
    private final Class<T> type;
    private final Json json;
    private volatile T value;

    /** @param body the owner's JSON, written by {@link Json#writeServed}; not copied, so never change it */
    public Relayed(byte[] body, String servedBy, Class<T> type, Json json) {
        this.body = Objects.requireNonNull(body, "body");
        this.servedBy = Objects.requireNonNull(servedBy, "servedBy");
        this.type = Objects.requireNonNull(type, "type");
        this.json = Objects.requireNonNull(json, "json");
    }

    /** The JSON body as the owner sent it; callers must not change it. */
    public byte[] body() {
        return body;
    }

    /** @throws java.io.UncheckedIOException when the body is not the JSON of a {@code T} */
    @Override
    public T value() {
        T read = value;
        if (read == null) {
            read = json.readServed(body, type).value();
            value = read;
        }
        return read;
    }

    @Override
    public String servedBy() {
        return servedBy;
    }
}

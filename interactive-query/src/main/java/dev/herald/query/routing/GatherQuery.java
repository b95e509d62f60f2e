package dev.herald.query.routing;

import java.util.Objects;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * A list query scattered to every instance: the request that asks the others, this instance's part, and how to take
 * the part out of another instance's answer (of type {@code R}, read from its JSON).
 */
public record GatherQuery<P, R>(PeerRequest request, Supplier<P> local, Class<R> remoteType,
        Function<R, P> remotePart) {

    public GatherQuery {
        Objects.requireNonNull(request, "request");
        Objects.requireNonNull(local, "local");
        Objects.requireNonNull(remoteType, "remoteType");
        Objects.requireNonNull(remotePart, "remotePart");
    }
}

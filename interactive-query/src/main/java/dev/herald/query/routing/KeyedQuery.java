package dev.herald.query.routing;

import java.util.Objects;
import java.util.Optional;
import java.util.function.Predicate;
import java.util.function.IntFunction;
import java.util.function.Supplier;

/**
 * A query for one key, as the Router needs it: the store key that decides the owner, the request that asks the owner,
 * the answer's type, this instance's local answer, and the detail of a 404.
 *
 * @param hasData tells a real local answer from "nothing here" (e.g. a summary without windows): on an instance that
 *                does not own the key, the latter is not trusted (see {@link Router#keyed})
 */
public record KeyedQuery<T>(StoreKey key, PeerRequest request, Class<T> type, Supplier<Optional<T>> local,
        Predicate<T> hasData, String notFound, IntFunction<Optional<T>> replica) {

    public KeyedQuery {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(request, "request");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(local, "local");
        Objects.requireNonNull(hasData, "hasData");
        Objects.requireNonNull(notFound, "notFound");
        Objects.requireNonNull(replica, "replica");
    }

    /** A query whose every local value is a real answer. */
    public static <T> KeyedQuery<T> of(StoreKey key, PeerRequest request, Class<T> type, Supplier<Optional<T>> local,
            String notFound) {
        return new KeyedQuery<>(key, request, type, local, value -> true, notFound, partition -> Optional.empty());
    }

    /**
     * This query, able to read any local copy of the key's partition (a standby, a restoring active) when the
     * active copy cannot answer: {@code replica} reads it from the given partition, stale stores allowed.
     */
    public KeyedQuery<T> withReplica(IntFunction<Optional<T>> replica) {
        return new KeyedQuery<>(key, request, type, local, hasData, notFound, replica);
    }

    /** This query, asking other instances with {@code request} instead. */
    public KeyedQuery<T> withRequest(PeerRequest request) {
        return new KeyedQuery<>(key, request, type, local, hasData, notFound, replica);
    }

    /** This query, with local values that fail {@code hasData} counting as "nothing here". */
    public KeyedQuery<T> hasDataWhen(Predicate<T> hasData) {
        return new KeyedQuery<>(key, request, type, local, hasData, notFound, replica);
    }
}

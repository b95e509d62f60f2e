package dev.herald.query.routing;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import org.apache.kafka.streams.state.HostInfo;

/**
 * What the cluster metadata said during one rebalance generation: key owners and instances, each looked up once.
 * A new generation starts empty; values looked up for an older one land in that one and are never seen again, so a
 * lookup racing a rebalance cannot leave a stale owner behind.
 */
final class Generation {
    private final int maxOwners;
    private final long startedNanos = System.nanoTime();
    private final Map<StoreKey, HostInfo> owners = new ConcurrentHashMap<>();
    private final AtomicReference<List<HostInfo>> instances = new AtomicReference<>();

    /** @param maxOwners owners kept at most; beyond, all are dropped (a full cache is rare: one entry per key asked) */
    Generation(int maxOwners) {
        this.maxOwners = maxOwners;
    }

    /** The owner of {@code key}, looked up once; an unknown owner (empty) is asked again next time. */
    Optional<HostInfo> owner(StoreKey key, Supplier<Optional<HostInfo>> lookUp) {
        HostInfo known = owners.get(key);
        if (known != null) {
            return Optional.of(known);
        }
        Optional<HostInfo> owner = lookUp.get();
        if (owner.isPresent()) {
            if (owners.size() >= maxOwners) {
                owners.clear();
            }
            owners.put(key, owner.get());
        }
        return owner;
    }

    /** Every instance, looked up once. */
    List<HostInfo> instances(Supplier<List<HostInfo>> lookUp) {
        List<HostInfo> known = instances.get();
        if (known != null) {
            return known;
        }
        List<HostInfo> all = List.copyOf(lookUp.get());
        instances.compareAndSet(null, all);
        return all;
    }

    /** How long ago this generation started, in nanoseconds. */
    long ageNanos() {
        return System.nanoTime() - startedNanos;
    }
}

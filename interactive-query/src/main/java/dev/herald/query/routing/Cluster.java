package dev.herald.query.routing;

import java.util.List;
import java.util.Optional;
import org.apache.kafka.streams.state.HostInfo;

/** Which Herald instances exist and which one owns the active copy of a key, as the Router routes by it. */
public interface Cluster {

    /** This instance's HTTP address, as the others reach it. */
    HostInfo self();

    /** The instance holding the active copy of {@code key} in {@code store}; empty while not known (rebalance). */
    Optional<HostInfo> ownerOf(String store, String key);

    /**
     * The copy of {@code key}'s partition this instance holds, active or standby, caught up or not, with how far
     * it is behind its changelog; empty when it holds none (or cannot tell).
     */
    default Optional<LocalReplica> localReplica(String store, String key) {
        return Optional.empty();
    }

    /** The instances holding a standby copy of {@code key}'s partition, as the metadata names them. */
    default List<HostInfo> standbysOf(String store, String key) {
        return List.of();
    }

    /** A partition of a store held here, {@code lag} records behind the end of its changelog. */
    record LocalReplica(int partition, long lag) {
    }

    /** Every instance of the application, this one included. */
    List<HostInfo> instances();

    /** Whether this instance's stores can be queried now. */
    boolean ready();

    /** Whether this instance can still recover by itself; false once it has failed for good (liveness). */
    default boolean alive() {
        return true;
    }

    /** A human-readable state for /api/instances and 503 details. */
    default String state() {
        return ready() ? "RUNNING" : "NOT_READY";
    }

    /** The {@code host:port} form used in servedBy and missing. */
    static String address(HostInfo host) {
        return host.host() + ":" + host.port();
    }
}

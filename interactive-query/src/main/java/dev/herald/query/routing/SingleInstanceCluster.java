package dev.herald.query.routing;

import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.apache.kafka.streams.state.HostInfo;

/** A cluster of one instance that owns everything and is always ready: for tests and single-node setups. */
public final class SingleInstanceCluster implements Cluster {
    private final HostInfo self;

    public SingleInstanceCluster(HostInfo self) {
        this.self = Objects.requireNonNull(self, "self");
    }

    @Override
    public HostInfo self() {
        return self;
    }

    @Override
    public Optional<HostInfo> ownerOf(String store, String key) {
        return Optional.of(self);
    }

    @Override
    public List<HostInfo> instances() {
        return List.of(self);
    }

    @Override
    public boolean ready() {
        return true;
    }
}

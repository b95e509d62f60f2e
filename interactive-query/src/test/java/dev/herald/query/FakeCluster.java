package dev.herald.query;

import dev.herald.query.routing.Cluster;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.streams.state.HostInfo;

/** A cluster whose key ownership and readiness the test decides, with addresses filled in once servers bind. */
final class FakeCluster implements Cluster {
    private final Directory directory;
    private final String name;
    private volatile boolean ready = true;
    private volatile boolean alive = true;

    FakeCluster(Directory directory, String name) {
        this.directory = directory;
        this.name = name;
    }

    /** Shared by the instances of one test: where each named instance listens and who owns which key. */
    static final class Directory {
        private final Map<String, HostInfo> hosts = new HashMap<>();
        private final Map<String, String> owners = new HashMap<>();
        private final Map<String, Map<String, String>> ownersAsSeenBy = new HashMap<>();
        private final String defaultOwner;

        Directory(String defaultOwner) {
            this.defaultOwner = defaultOwner;
        }

        synchronized void listen(String name, int port) {
            hosts.put(name, new HostInfo("127.0.0.1", port));
        }

        synchronized void own(String key, String name) {
            owners.put(key, name);
        }

        synchronized HostInfo host(String name) {
            return hosts.get(name);
        }

        /** Only instance {@code viewer} believes {@code name} owns {@code key} (instances disagreeing mid-move). */
        synchronized void ownAsSeenBy(String viewer, String key, String name) {
            ownersAsSeenBy.computeIfAbsent(viewer, v -> new HashMap<>()).put(key, name);
        }

        synchronized String ownerName(String key) {
            return owners.getOrDefault(key, defaultOwner);
        }

        synchronized String ownerName(String viewer, String key) {
            String seen = ownersAsSeenBy.getOrDefault(viewer, Map.of()).get(key);
            return seen != null ? seen : ownerName(key);
        }

        private final Map<String, List<String>> standbys = new HashMap<>();
        private final Map<String, Map<String, Long>> replicaLags = new HashMap<>();

        /** Instance {@code name} holds a standby of {@code key}'s partition, {@code lag} records behind. */
        synchronized void standby(String key, String name, long lag) {
            standbys.computeIfAbsent(key, k -> new ArrayList<>()).add(name);
            replicaLags.computeIfAbsent(name, n -> new HashMap<>()).put(key, lag);
        }

        synchronized List<HostInfo> standbysOf(String key) {
            return standbys.getOrDefault(key, List.of()).stream().map(hosts::get).filter(h -> h != null).toList();
        }

        synchronized Long replicaLag(String name, String key) {
            return replicaLags.getOrDefault(name, Map.of()).get(key);
        }

        synchronized List<HostInfo> all() {
            return new ArrayList<>(hosts.values());
        }
    }

    void alive(boolean alive) {
        this.alive = alive;
    }

    @Override
    public boolean alive() {
        return alive;
    }

    void ready(boolean ready) {
        this.ready = ready;
    }

    @Override
    public HostInfo self() {
        HostInfo self = directory.host(name);
        return self != null ? self : new HostInfo("127.0.0.1", 0);
    }

    @Override
    public Optional<HostInfo> ownerOf(String store, String key) {
        return Optional.ofNullable(directory.host(directory.ownerName(name, key)));
    }

    @Override
    public List<HostInfo> standbysOf(String store, String key) {
        return directory.standbysOf(key);
    }

    @Override
    public Optional<LocalReplica> localReplica(String store, String key) {
        Long lag = directory.replicaLag(name, key);
        return lag == null ? Optional.empty() : Optional.of(new LocalReplica(0, lag));
    }

    @Override
    public List<HostInfo> instances() {
        return directory.all();
    }

    @Override
    public boolean ready() {
        return ready;
    }

    @Override
    public String state() {
        return ready ? "RUNNING" : "REBALANCING";
    }
}

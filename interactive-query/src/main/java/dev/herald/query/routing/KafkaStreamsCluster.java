package dev.herald.query.routing;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.KeyQueryMetadata;
import org.apache.kafka.streams.LagInfo;
import org.apache.kafka.streams.StreamsMetadata;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.apache.kafka.streams.state.HostInfo;

/**
 * The cluster as Kafka Streams' metadata describes it; {@code self} must equal this instance's application.server.
 * Metadata only changes with a rebalance, so owners and instances are looked up once per rebalance generation: the
 * cache is dropped on every state change ({@link #stateChanged}, wired to KafkaStreams' state listener), and after
 * {@link #MAX_GENERATION_AGE} in case a rebalance ever moved other instances' tasks without a state change here.
 */
public final class KafkaStreamsCluster implements Cluster {
    static final Duration MAX_GENERATION_AGE = Duration.ofSeconds(30);
    private static final int MAX_CACHED_OWNERS = 100_000;
    private static final Serializer<String> KEYS = Serdes.String().serializer();

    private final KafkaStreams streams;
    private final HostInfo self;
    private volatile Generation generation = new Generation(MAX_CACHED_OWNERS);

    public KafkaStreamsCluster(KafkaStreams streams, HostInfo self) {
        this.streams = Objects.requireNonNull(streams, "streams");
        this.self = Objects.requireNonNull(self, "self");
    }

    /**
     * Drops what this generation's metadata said. Call it from KafkaStreams' state listener: a rebalance passes
     * through REBALANCING and back to RUNNING, and the metadata is updated before either.
     */
    public void stateChanged() {
        generation = new Generation(MAX_CACHED_OWNERS);
    }

    /** A state listener that drops the cache, then tells {@code next}; KafkaStreams has room for one listener. */
    public KafkaStreams.StateListener stateListener(KafkaStreams.StateListener next) {
        Objects.requireNonNull(next, "next");
        return (now, before) -> {
            stateChanged();
            next.onChange(now, before);
        };
    }

    @Override
    public HostInfo self() {
        return self;
    }

    @Override
    public Optional<HostInfo> ownerOf(String store, String key) {
        return current().owner(new StoreKey(store, key), () -> lookUpOwner(store, key));
    }

    /**
     * Asks Kafka Streams, not the per-generation cache: this runs only when the active copy could not answer, and
     * the lags (KIP-535) are read from the broker's end offsets at that moment.
     */
    @Override
    public Optional<LocalReplica> localReplica(String store, String key) {
        KeyQueryMetadata metadata = streams.queryMetadataForKey(store, key, KEYS);
        if (metadata == null || KeyQueryMetadata.NOT_AVAILABLE.equals(metadata) || metadata.partition() < 0) {
            return Optional.empty();
        }
        LagInfo lag = streams.allLocalStorePartitionLags().getOrDefault(store, Map.of()).get(metadata.partition());
        return lag == null ? Optional.empty()
                : Optional.of(new LocalReplica(metadata.partition(), Math.max(0, lag.offsetLag())));
    }

    @Override
    public List<HostInfo> standbysOf(String store, String key) {
        KeyQueryMetadata metadata;
        try {
            metadata = streams.queryMetadataForKey(store, key, KEYS);
        } catch (IllegalStateException | InvalidStateStoreException e) {
            return List.of();
        }
        if (metadata == null || KeyQueryMetadata.NOT_AVAILABLE.equals(metadata)) {
            return List.of();
        }
        return metadata.standbyHosts().stream().filter(host -> host.port() >= 0)
                .sorted(Comparator.comparing(Cluster::address)).toList();
    }

    @Override
    public List<HostInfo> instances() {
        return current().instances(this::lookUpInstances);
    }

    private Generation current() {
        Generation current = generation;
        if (current.ageNanos() > MAX_GENERATION_AGE.toNanos()) {
            current = new Generation(MAX_CACHED_OWNERS);
            generation = current;
        }
        return current;
    }

    private Optional<HostInfo> lookUpOwner(String store, String key) {
        KeyQueryMetadata metadata;
        try {
            metadata = streams.queryMetadataForKey(store, key, KEYS);
        } catch (IllegalStateException | InvalidStateStoreException e) {
            // Not started, shutting down or in error: nobody can be named the owner.
            return Optional.empty();
        }
        if (metadata == null || KeyQueryMetadata.NOT_AVAILABLE.equals(metadata) || metadata.activeHost() == null
                || metadata.activeHost().port() < 0) {
            return Optional.empty();
        }
        return Optional.of(metadata.activeHost());
    }

    private List<HostInfo> lookUpInstances() {
        Set<HostInfo> hosts = new LinkedHashSet<>();
        hosts.add(self);
        try {
            for (StreamsMetadata client : streams.metadataForAllStreamsClients()) {
                // Clients without application.server report an unavailable host; they cannot be asked anything.
                if (client.hostInfo() != null && client.hostInfo().port() >= 0) {
                    hosts.add(client.hostInfo());
                }
            }
        } catch (IllegalStateException | InvalidStateStoreException e) {
            // Before the first assignment only this instance is known.
        }
        List<HostInfo> sorted = new ArrayList<>(hosts);
        sorted.sort(Comparator.comparing(Cluster::address));
        return sorted;
    }

    @Override
    public boolean ready() {
        return streams.state() == KafkaStreams.State.RUNNING;
    }

    @Override
    public boolean alive() {
        KafkaStreams.State state = streams.state();
        // ERROR and NOT_RUNNING never recover by themselves: tell the orchestrator to restart the process.
        return state != KafkaStreams.State.ERROR && state != KafkaStreams.State.PENDING_ERROR
                && state != KafkaStreams.State.NOT_RUNNING;
    }

    @Override
    public String state() {
        return streams.state().name();
    }
}

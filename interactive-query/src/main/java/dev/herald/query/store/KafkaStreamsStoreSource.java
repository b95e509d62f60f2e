package dev.herald.query.store;

import java.util.Objects;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;
import org.apache.kafka.streams.state.ReadOnlyWindowStore;

/** Stores of a running KafkaStreams instance, active replicas only, so a key is never counted twice. */
public final class KafkaStreamsStoreSource implements StoreSource {
    private final KafkaStreams streams;

    public KafkaStreamsStoreSource(KafkaStreams streams) {
        this.streams = Objects.requireNonNull(streams, "streams");
    }

    // Looked up on every query, not cached: a handle from before a rebalance may point at tasks this instance lost.
    @Override
    public <K, V> ReadOnlyKeyValueStore<K, V> keyValue(String name) {
        return streams.store(StoreQueryParameters.fromNameAndType(name, QueryableStoreTypes.<K, V>keyValueStore()));
    }

    @Override
    public <K, V> ReadOnlyWindowStore<K, V> window(String name) {
        return streams.store(StoreQueryParameters.fromNameAndType(name, QueryableStoreTypes.<K, V>windowStore()));
    }

    @Override
    public StoreSource replicaOf(int partition) {
        return new StoreSource() {
            @Override
            public <K, V> ReadOnlyKeyValueStore<K, V> keyValue(String name) {
                return streams.store(StoreQueryParameters.fromNameAndType(name,
                        QueryableStoreTypes.<K, V>keyValueStore()).enableStaleStores().withPartition(partition));
            }

            @Override
            public <K, V> ReadOnlyWindowStore<K, V> window(String name) {
                return streams.store(StoreQueryParameters.fromNameAndType(name,
                        QueryableStoreTypes.<K, V>windowStore()).enableStaleStores().withPartition(partition));
            }
        };
    }
}

package dev.herald.query.store;

import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;
import org.apache.kafka.streams.state.ReadOnlyWindowStore;

/** Where LocalQueries gets read-only views of this instance's state stores (Kafka Streams or a test driver). */
public interface StoreSource {

    /**
     * A read-only key-value view of the named store; timestamped stores come unwrapped to their plain values.
     *
     * @throws org.apache.kafka.streams.errors.InvalidStateStoreException when the store is not queryable now
     */
    <K, V> ReadOnlyKeyValueStore<K, V> keyValue(String name);

    /**
     * A read-only window view of the named store; timestamped stores come unwrapped to their plain values.
     *
     * @throws org.apache.kafka.streams.errors.InvalidStateStoreException when the store is not queryable now
     */
    <K, V> ReadOnlyWindowStore<K, V> window(String name);

    /**
     * The stores of one partition as held here, whatever the copy: active, restoring or standby (possibly behind).
     * Only for answers flagged stale.
     */
    default StoreSource replicaOf(int partition) {
        return this;
    }
}

package dev.herald.query;

import dev.herald.query.store.StoreSource;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;
import org.apache.kafka.streams.state.ReadOnlyWindowStore;

/** The stores of a TopologyTestDriver, unwrapped from their timestamps as Kafka Streams' interactive queries do. */
final class DriverStoreSource implements StoreSource {
    private final TopologyTestDriver driver;

    DriverStoreSource(TopologyTestDriver driver) {
        this.driver = driver;
    }

    @Override
    public <K, V> ReadOnlyKeyValueStore<K, V> keyValue(String name) {
        ReadOnlyKeyValueStore<K, V> store = driver.getKeyValueStore(name);
        if (store == null) {
            throw new InvalidStateStoreException("no key-value store " + name);
        }
        return store;
    }

    @Override
    public <K, V> ReadOnlyWindowStore<K, V> window(String name) {
        ReadOnlyWindowStore<K, V> store = driver.getWindowStore(name);
        if (store == null) {
            throw new InvalidStateStoreException("no window store " + name);
        }
        return store;
    }
}

package dev.herald.testkit;

import dev.herald.query.store.StoreSource;
import java.util.Objects;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;
import org.apache.kafka.streams.state.ReadOnlyWindowStore;

/**
 * The stores of a TopologyTestDriver as the HTTP API's {@link dev.herald.query.store.LocalQueries} reads them,
 * unwrapped from their timestamps as Kafka Streams' interactive queries do.
 */
public final class DriverStoreSource implements StoreSource {
    private final TopologyTestDriver driver;

    public DriverStoreSource(TopologyTestDriver driver) {
        this.driver = Objects.requireNonNull(driver, "driver");
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

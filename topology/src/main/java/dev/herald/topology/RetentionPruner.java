package dev.herald.topology;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.BiFunction;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Forgets the entries of a key-value store that are older than a retention, so stores keyed by run stay bounded
 * however often campaigns fire. Run from a wall-clock punctuation; deletes go through the store, so its changelog
 * (and every replica) forgets them too.
 */
public final class RetentionPruner<V> {
    /** At most this long between two prunings; shorter for short retentions. */
    static final Duration MAX_INTERVAL = Duration.ofHours(1);

    private final KeyValueStore<String, V> store;
    private final Duration retention;
    private final BiFunction<String, V, Optional<Instant>> age;

    /** @param age when an entry was last relevant (empty: never pruned) */
    public RetentionPruner(KeyValueStore<String, V> store, Duration retention,
            BiFunction<String, V, Optional<Instant>> age) {
        this.store = store;
        this.retention = retention;
        this.age = age;
    }

    /** How often to prune: a quarter of the retention, at most an hour. */
    public static Duration interval(Duration retention) {
        Duration quarter = retention.dividedBy(4);
        return quarter.compareTo(MAX_INTERVAL) < 0 ? quarter : MAX_INTERVAL;
    }

    /** The oldest instant still kept at {@code now}. */
    public Instant horizon(Instant now) {
        return now.minus(retention);
    }

    /** Deletes every entry last relevant before {@code now} minus the retention; how many. */
    public int prune(Instant now) {
        Instant horizon = horizon(now);
        List<String> expired = new ArrayList<>();
        try (KeyValueIterator<String, V> all = store.all()) {
            while (all.hasNext()) {
                KeyValue<String, V> entry = all.next();
                if (entry.value != null && age.apply(entry.key, entry.value).map(horizon::isAfter).orElse(false)) {
                    expired.add(entry.key);
                }
            }
        }
        // Deleted after the scan: a store's iterator need not tolerate changes under it.
        expired.forEach(store::delete);
        return expired.size();
    }
}

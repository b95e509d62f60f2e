package dev.herald.query.model;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import dev.herald.topology.HeraldTopologyConfig;
import dev.herald.topology.StoreNames;
import java.time.Duration;
import java.util.Arrays;
import java.util.Optional;

/** The summary window sizes as clients name them ({@code 1m}, {@code 1h}), each with the store that holds it. */
public enum Granularity {
    MINUTE("1m", HeraldTopologyConfig.MINUTE, StoreNames.SUMMARY_MINUTE),
    HOUR("1h", HeraldTopologyConfig.HOUR, StoreNames.SUMMARY_HOUR);

    private final String label;
    private final Duration size;
    private final String store;

    Granularity(String label, Duration size, String store) {
        this.label = label;
        this.size = size;
        this.store = store;
    }

    @JsonValue
    public String label() {
        return label;
    }

    public Duration size() {
        return size;
    }

    public String store() {
        return store;
    }

    public static Optional<Granularity> parse(String label) {
        return Arrays.stream(values()).filter(g -> g.label.equals(label)).findFirst();
    }

    @JsonCreator
    static Granularity fromJson(String label) {
        return parse(label).orElseThrow(() -> new IllegalArgumentException("unknown window " + label));
    }
}

package dev.herald.query.routing;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Collectors;

/** The GET another instance is sent: an API path and its query parameters; the one place query strings are built. */
public record PeerRequest(String path, Map<String, String> params) {

    public PeerRequest {
        Objects.requireNonNull(path, "path");
        // Insertion order, so that a request reads the same in every log.
        params = Collections.unmodifiableMap(new LinkedHashMap<>(params));
    }

    /** A request for {@code path} (unencoded, as ApiPaths builds it) without parameters. */
    public static PeerRequest get(String path) {
        return new PeerRequest(path, Map.of());
    }

    /** This request with one more parameter, after those it has; {@code value} as its {@code toString()}. */
    public PeerRequest with(String name, Object value) {
        Map<String, String> more = new LinkedHashMap<>(params);
        more.put(name, String.valueOf(value));
        return new PeerRequest(path, more);
    }

    /**
     * The query string, unencoded ({@code from=...&to=...}), or null without parameters. Peers quotes it when it
     * builds the URI; values are instants and window labels, which never hold '&' or '='.
     */
    public String query() {
        if (params.isEmpty()) {
            return null;
        }
        return params.entrySet().stream().map(p -> p.getKey() + "=" + p.getValue()).collect(Collectors.joining("&"));
    }
}

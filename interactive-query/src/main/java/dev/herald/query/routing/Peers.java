package dev.herald.query.routing;

import java.net.URI;
import java.net.URISyntaxException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.apache.kafka.streams.state.HostInfo;

/** Calls other instances' HTTP APIs, marked as forwarded so that they answer from their own stores only. */
final class Peers {
    private final HttpClient http;
    private final Duration timeout;
    private final Supplier<String> self;

    /** @param self this instance's address, sent in the forwarded header so the peer's logs say who asked */
    Peers(Supplier<String> self, Duration timeout) {
        this.self = self;
        this.timeout = timeout;
        this.http = HttpClient.newBuilder()
                // Plain HTTP/1.1: no h2c upgrade dance on every call between instances.
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(timeout)
                .followRedirects(HttpClient.Redirect.NEVER)
                .build();
    }

    /** A peer's answer: its status and body. */
    record Reply(int status, String body) {
    }

    /** GET {@code request} on {@code peer}; completes exceptionally when the peer does not answer in time. */
    CompletableFuture<Reply> get(HostInfo peer, PeerRequest request) {
        URI uri;
        try {
            // The multi-argument constructor quotes what needs quoting in the path and the query.
            uri = new URI("http", null, peer.host(), peer.port(), request.path(), request.query(), null);
        } catch (URISyntaxException e) {
            return CompletableFuture.failedFuture(e);
        }
        HttpRequest get = HttpRequest.newBuilder(uri)
                .timeout(timeout)
                .header(ForwardedHeader.NAME, self.get())
                .header("Accept", "application/json")
                .GET()
                .build();
        return http.sendAsync(get, HttpResponse.BodyHandlers.ofString())
                .thenApply(response -> new Reply(response.statusCode(), response.body()))
                // The request timeout covers only the headers; this bounds reading the body too.
                .orTimeout(timeout.toMillis() * 2, TimeUnit.MILLISECONDS);
    }
}

package dev.herald.query.routing;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import org.apache.kafka.streams.state.HostInfo;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.client.api.Request;
import org.eclipse.jetty.client.api.Result;
import org.eclipse.jetty.client.util.BufferingResponseListener;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpMethod;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.eclipse.jetty.util.thread.ScheduledExecutorScheduler;

/**
 * Calls other instances' HTTP APIs, marked as forwarded so that they answer from their own stores only. Jetty's
 * asynchronous client over a pool of keep-alive HTTP/1.1 connections per peer: a call holds no thread while it
 * waits, and each connection serves call after call instead of a new TCP handshake each time.
 */
final class Peers implements AutoCloseable {
    /** Connections kept per peer: enough for the concurrent calls of a busy instance on a few cores. */
    static final int MAX_CONNECTIONS_PER_PEER = 32;
    /**
     * Below the 30 s after which Jetty servers (the peers) close an idle connection, so that the pool drops it first
     * rather than send a call down a connection the peer is closing.
     */
    static final Duration IDLE_TIMEOUT = Duration.ofSeconds(20);
    /** A gathered list larger than this fails (the peer counts as missing) rather than exhaust the heap. */
    static final int MAX_BODY_BYTES = 64 * 1024 * 1024;
    /** Threads that read replies and complete the calls; they never block on anything but writing an answer. */
    private static final int MAX_THREADS = 16;
    private static final Duration GUARD = Duration.ofSeconds(1);

    private final HttpClient http;
    private final Supplier<String> self;
    private final ApiToken token;

    /** @param self this instance's address, sent in the forwarded header so the peer's logs say who asked */
    Peers(Supplier<String> self, Duration connectTimeout, ApiToken token) {
        this.self = self;
        this.token = token;
        QueuedThreadPool threads = new QueuedThreadPool(MAX_THREADS, 2);
        threads.setName("herald-peers");
        threads.setDaemon(true);
        this.http = new HttpClient();
        http.setExecutor(threads);
        http.setScheduler(new ScheduledExecutorScheduler("herald-peers-timeouts", true));
        http.setConnectTimeout(connectTimeout.toMillis());
        http.setIdleTimeout(IDLE_TIMEOUT.toMillis());
        http.setMaxConnectionsPerDestination(MAX_CONNECTIONS_PER_PEER);
        http.setFollowRedirects(false);
        // No Accept-Encoding: gzip between instances costs both sides CPU to save bytes a local network has plenty of.
        http.getContentDecoderFactories().clear();
        try {
            http.start();
        } catch (Exception e) {
            throw new IllegalStateException("cannot start the HTTP client for other instances", e);
        }
    }

    /** A peer's answer: its status and its body, as it came. */
    record Reply(int status, byte[] body) {
        String text() {
            return new String(body, StandardCharsets.UTF_8);
        }
    }

    /**
     * GET {@code request} on {@code peer}. The returned future always completes: with the reply, or exceptionally
     * when the peer did not answer by {@code deadlineNanos} ({@link System#nanoTime()}) or could not be reached.
     * Cancelling it aborts the call.
     */
    CompletableFuture<Reply> get(HostInfo peer, PeerRequest request, long deadlineNanos) {
        long remaining = deadlineNanos - System.nanoTime();
        if (remaining <= 0) {
            return CompletableFuture.failedFuture(new TimeoutException("deadline passed before the call"));
        }
        URI uri;
        try {
            // The multi-argument constructor quotes what needs quoting in the path and the query.
            uri = new URI("http", null, peer.host(), peer.port(), request.path(), request.query(), null);
        } catch (URISyntaxException e) {
            return CompletableFuture.failedFuture(e);
        }
        CompletableFuture<Reply> reply = new CompletableFuture<>();
        Request call = http.newRequest(uri)
                .method(HttpMethod.GET)
                .headers(headers -> {
                    headers.put(ForwardedHeader.NAME, self.get()).put(HttpHeader.ACCEPT, "application/json");
                    token.authorization().ifPresent(value -> headers.put(HttpHeader.AUTHORIZATION, value));
                })
                // One total timeout: connecting, sending, waiting and reading the body all count against it.
                .timeout(remaining, TimeUnit.NANOSECONDS);
        call.send(new BufferingResponseListener(MAX_BODY_BYTES) {
            @Override
            public void onComplete(Result result) {
                if (result.isFailed()) {
                    reply.completeExceptionally(result.getFailure());
                } else {
                    reply.complete(new Reply(result.getResponse().getStatus(), getContent()));
                }
            }
        });
        // Jetty's timeout ends the call; this guard only covers a call that would somehow never end at all.
        reply.orTimeout(remaining + GUARD.toNanos(), TimeUnit.NANOSECONDS);
        reply.whenComplete((r, failure) -> {
            if (failure != null) {
                // Cancelled, or timed out by the guard: let go of the connection (no-op if the call has ended).
                call.abort(failure);
            }
        });
        return reply;
    }

    @Override
    public void close() {
        try {
            http.stop();
        } catch (Exception e) {
            // Stopping only releases connections and threads; nothing is lost if it fails.
        }
    }
}

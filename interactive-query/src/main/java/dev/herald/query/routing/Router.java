package dev.herald.query.routing;

import dev.herald.query.model.Answer;
import dev.herald.query.model.Json;
import dev.herald.query.model.Served;
import dev.herald.query.routing.Peers.Reply;
import java.io.UncheckedIOException;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.apache.kafka.streams.state.HostInfo;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Answers a query where its data lives: a keyed query from the key's owner, a list query from every instance. A
 * request that another instance forwarded is answered from local stores only (see {@link ForwardedHeader}).
 */
public final class Router {
    public static final Duration DEFAULT_PEER_TIMEOUT = Duration.ofSeconds(2);

    private static final Logger log = LoggerFactory.getLogger(Router.class);

    private final Cluster cluster;
    private final Duration peerTimeout;
    private final Json json = new Json();
    private final Peers peers;

    /** @param peerTimeout how long to wait for another instance before calling it missing (or the key unavailable) */
    public Router(Cluster cluster, Duration peerTimeout) {
        this.cluster = Objects.requireNonNull(cluster, "cluster");
        this.peerTimeout = Objects.requireNonNull(peerTimeout, "peerTimeout");
        this.peers = new Peers(this::self, peerTimeout);
    }

    /** This instance's {@code host:port}. */
    public String self() {
        return Cluster.address(cluster.self());
    }

    /**
     * The owner's answer for one key. A forwarded request that finds nothing (or no data, by the query's
     * {@code hasData}) on an instance that is not, or no longer, the owner is 503, not a wrong 404 or zero.
     */
    public <T> Answer<Served<T>> keyed(KeyedQuery<T> query, boolean forwarded) {
        if (!cluster.ready()) {
            return notReady();
        }
        StoreKey key = query.key();
        HostInfo self = cluster.self();
        Optional<HostInfo> owner = cluster.ownerOf(key.store(), key.key());
        boolean mine = owner.isPresent() && owner.get().equals(self);
        if (!forwarded && !mine) {
            if (owner.isEmpty()) {
                return Answer.unavailable("the owner of " + key.describe() + " is not known (rebalancing?)");
            }
            return forward(owner.get(), query);
        }
        Optional<T> value;
        try {
            value = query.local().get();
        } catch (InvalidStateStoreException e) {
            return storesUnavailable(e);
        }
        if (value.isPresent() && query.hasData().test(value.get())) {
            return Answer.found(new Served<>(value.get(), self()));
        }
        if (!mine) {
            return Answer.unavailable("instance " + self() + " was asked for " + key.describe()
                    + " but does not own it now (ownership moving?)");
        }
        return value.isEmpty() ? Answer.notFound(query.notFound()) : Answer.found(new Served<>(value.get(), self()));
    }

    /**
     * This instance's part plus every other instance's local part. An instance that does not answer (in time, or
     * with 200) is listed as missing rather than failing the whole answer.
     */
    public <P, R> Answer<Gathered<P>> gather(GatherQuery<P, R> query, boolean forwarded) {
        if (!cluster.ready()) {
            return notReady();
        }
        HostInfo self = cluster.self();
        // Sent before the local query runs so that the peers work in parallel with it.
        Map<String, CompletableFuture<Reply>> calls = new TreeMap<>();
        if (!forwarded) {
            for (HostInfo peer : cluster.instances()) {
                if (!peer.equals(self)) {
                    calls.put(Cluster.address(peer), peers.get(peer, query.request()));
                }
            }
        }
        List<P> parts = new ArrayList<>();
        try {
            parts.add(query.local().get());
        } catch (InvalidStateStoreException e) {
            calls.values().forEach(call -> call.cancel(true));
            return storesUnavailable(e);
        }
        List<String> servedBy = new ArrayList<>(List.of(self()));
        List<String> missing = new ArrayList<>();
        for (Map.Entry<String, CompletableFuture<Reply>> call : calls.entrySet()) {
            Optional<P> part = remote(call.getKey(), call.getValue(), query.remoteType(), query.remotePart());
            if (part.isPresent()) {
                parts.add(part.get());
                servedBy.add(call.getKey());
            } else {
                missing.add(call.getKey());
            }
        }
        servedBy.sort(Comparator.naturalOrder());
        return Answer.found(new Gathered<>(parts, servedBy, missing));
    }

    private <T> Answer<Served<T>> forward(HostInfo owner, KeyedQuery<T> query) {
        String address = Cluster.address(owner);
        String what = query.key().describe();
        Reply reply;
        try {
            reply = await(peers.get(owner, query.request()));
        } catch (ExecutionException | TimeoutException e) {
            log.debug("Owner {} of {} did not answer", address, what, e);
            return Answer.unavailable("instance " + address + ", owner of " + what + ", did not answer: "
                    + failure(e));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Answer.unavailable("interrupted while asking " + address);
        }
        String detail = json.problemDetail(reply.body());
        return switch (reply.status()) {
            case 200 -> {
                try {
                    yield Answer.found(json.readServed(reply.body(), query.type()));
                } catch (UncheckedIOException e) {
                    yield Answer.unavailable("instance " + address + " answered unreadable JSON");
                }
            }
            case 404 -> Answer.notFound(detail != null ? detail : what + " not found");
            default -> Answer.unavailable("instance " + address + ", owner of " + what + ", answered "
                    + reply.status() + (detail == null ? "" : ": " + detail));
        };
    }

    private <P, R> Optional<P> remote(String address, CompletableFuture<Reply> call, Class<R> type,
            Function<R, P> part) {
        try {
            Reply reply = await(call);
            if (reply.status() != 200) {
                log.debug("Instance {} answered {}: {}", address, reply.status(), reply.body());
                return Optional.empty();
            }
            return Optional.of(part.apply(json.read(reply.body(), type)));
        } catch (ExecutionException | TimeoutException | UncheckedIOException e) {
            log.debug("Instance {} did not answer", address, e);
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
    }

    private Reply await(CompletableFuture<Reply> call)
            throws InterruptedException, ExecutionException, TimeoutException {
        // Peers bounds each call already; this only guards against a call that never completes at all.
        return call.get(peerTimeout.toMillis() * 3, TimeUnit.MILLISECONDS);
    }

    private <T> Answer<T> notReady() {
        return Answer.unavailable("instance " + self() + " is " + cluster.state() + ", not ready to answer queries");
    }

    private <T> Answer<T> storesUnavailable(InvalidStateStoreException e) {
        return Answer.unavailable("the stores of instance " + self() + " cannot be queried now: " + e.getMessage());
    }

    /** Why a peer did not answer, in words for a problem detail (exception names stay in the debug log). */
    private String failure(Throwable e) {
        for (Throwable cause = e; cause != null; cause = cause.getCause()) {
            if (cause instanceof TimeoutException || cause instanceof HttpTimeoutException) {
                return "no answer within " + peerTimeout.toMillis() + " ms";
            }
        }
        return "unreachable";
    }
}

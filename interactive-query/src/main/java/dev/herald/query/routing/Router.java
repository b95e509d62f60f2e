package dev.herald.query.routing;

import dev.herald.query.model.Answer;
import dev.herald.query.model.Json;
import dev.herald.query.model.Keyed;
import dev.herald.query.model.Relayed;
import dev.herald.query.model.Served;
import dev.herald.query.routing.Peers.Reply;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.apache.kafka.streams.state.HostInfo;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Answers a query where its data lives: a keyed query from the key's owner, a list query from every instance. A
 * request that another instance forwarded is answered from local stores only (see {@link ForwardedHeader}).
 * Answers that need another instance complete when it replies, without a thread waiting for them; answers from
 * this instance's stores alone come back already completed.
 */
public final class Router implements AutoCloseable {
    public static final Duration DEFAULT_PEER_TIMEOUT = Duration.ofSeconds(2);

    private static final Logger log = LoggerFactory.getLogger(Router.class);

    private final Cluster cluster;
    private final Duration peerTimeout;
    private final Json json = new Json();
    private final Peers peers;

    /** @param peerTimeout how long to wait for another instance before calling it missing (or the key unavailable) */
    public Router(Cluster cluster, Duration peerTimeout) {
        this(cluster, peerTimeout, ApiToken.NONE);
    }

    /** @param token the bearer token calls to other instances carry (the deployment's shared API token) */
    public Router(Cluster cluster, Duration peerTimeout, ApiToken token) {
        this.cluster = Objects.requireNonNull(cluster, "cluster");
        this.peerTimeout = Objects.requireNonNull(peerTimeout, "peerTimeout");
        this.peers = new Peers(this::self, peerTimeout, Objects.requireNonNull(token, "token"));
    }

    /** This instance's {@code host:port}. */
    public String self() {
        return Cluster.address(cluster.self());
    }

    /**
     * The owner's answer for one key: read here when this instance owns it, else the owner's reply relayed as it
     * came. A forwarded request that finds nothing (or no data, by the query's {@code hasData}) on an instance that
     * is not, or no longer, the owner is 503, not a wrong 404 or zero.
     */
    public <T> CompletableFuture<Answer<Keyed<T>>> keyed(KeyedQuery<T> query, boolean forwarded) {
        return keyed(query, forwarded, OptionalLong.empty());
    }

    /**
     * As {@link #keyed(KeyedQuery, boolean)}; when the active copy cannot answer (its instance is down or does not
     * answer, it is restoring, ownership is moving), a copy held here (a standby, or this instance's own copy while
     * it restores) answers instead, flagged stale with its lag, if the lag is within {@code maxLag} (any, when
     * absent). Never a replica's answer presented as the active one's.
     */
    public <T> CompletableFuture<Answer<Keyed<T>>> keyed(KeyedQuery<T> query, boolean forwarded, OptionalLong maxLag) {
        if (forwarded) {
            Answer<Keyed<T>> answer = cluster.ready() ? askedByAnotherInstance(query) : notReady();
            // Sent here as a standby by an instance whose owner could not answer: the copy here may answer.
            return CompletableFuture.completedFuture(maxLag.isPresent() && answer instanceof Answer.ServiceUnavailable
                    ? fromReplica(query, maxLag, answer) : answer);
        }
        if (!cluster.ready()) {
            return CompletableFuture.completedFuture(fromReplica(query, maxLag, notReady()));
        }
        StoreKey key = query.key();
        Optional<HostInfo> owner = cluster.ownerOf(key.store(), key.key());
        if (owner.isEmpty()) {
            return CompletableFuture.completedFuture(fromReplica(query, maxLag,
                    Answer.unavailable("the owner of " + key.describe() + " is not known (rebalancing?)")));
        }
        if (!owner.get().equals(cluster.self())) {
            return forward(owner.get(), query).thenCompose(answer -> {
                if (!(answer instanceof Answer.ServiceUnavailable)) {
                    return CompletableFuture.completedFuture(answer);
                }
                Answer<Keyed<T>> local = fromReplica(query, maxLag, answer);
                return local instanceof Answer.ServiceUnavailable ? fromRemoteStandby(query, maxLag, answer)
                        : CompletableFuture.completedFuture(local);
            });
        }
        Optional<T> value;
        try {
            value = query.local().get();
        } catch (InvalidStateStoreException e) {
            return CompletableFuture.completedFuture(fromReplica(query, maxLag, storesUnavailable(e)));
        }
        return CompletableFuture.completedFuture(value.isEmpty() ? Answer.notFound(query.notFound())
                : Answer.found(new Served<>(value.get(), self())));
    }

    /**
     * The answer of a standby on another instance, asked with {@code maxLag} (any lag when the client gave none),
     * which lets it answer from its copy; {@code otherwise} when there is none or it cannot answer either.
     */
    private <T> CompletableFuture<Answer<Keyed<T>>> fromRemoteStandby(KeyedQuery<T> query, OptionalLong maxLag,
            Answer<Keyed<T>> otherwise) {
        StoreKey key = query.key();
        Optional<HostInfo> standby = cluster.standbysOf(key.store(), key.key()).stream()
                .filter(host -> !host.equals(cluster.self())).findFirst();
        if (standby.isEmpty()) {
            return CompletableFuture.completedFuture(otherwise);
        }
        KeyedQuery<T> replicaQuery = query.withRequest(query.request().with("maxLag",
                maxLag.orElse(Long.MAX_VALUE)));
        return forward(standby.get(), replicaQuery).thenApply(answer ->
                answer instanceof Answer.ServiceUnavailable ? otherwise : answer);
    }

    /**
     * The answer of the copy of the key's partition held here, flagged with its lag, or {@code otherwise} when
     * there is none, it is further behind than {@code maxLag}, or it cannot be read. A replica that is behind and
     * lacks the key cannot say "not found" (the key may not have reached it yet): that stays {@code otherwise}.
     */
    private <T> Answer<Keyed<T>> fromReplica(KeyedQuery<T> query, OptionalLong maxLag, Answer<Keyed<T>> otherwise) {
        StoreKey key = query.key();
        Optional<Cluster.LocalReplica> replica;
        try {
            replica = cluster.localReplica(key.store(), key.key());
        } catch (RuntimeException e) {
            log.debug("No replica information for {}", key.describe(), e);
            return otherwise;
        }
        if (replica.isEmpty()) {
            return otherwise;
        }
        long lag = replica.get().lag();
        if (maxLag.isPresent() && lag > maxLag.getAsLong()) {
            String why = otherwise instanceof Answer.ServiceUnavailable<Keyed<T>> unavailable ? unavailable.detail()
                    : "the active copy cannot answer";
            return Answer.unavailable(why + "; the copy here is " + lag + " records behind, more than maxLag "
                    + maxLag.getAsLong());
        }
        Optional<T> value;
        try {
            value = query.replica().apply(replica.get().partition());
        } catch (InvalidStateStoreException e) {
            return otherwise;
        }
        if (value.isPresent() && query.hasData().test(value.get())) {
            return Answer.found(new Served<>(value.get(), self(), lag));
        }
        return lag == 0 && value.isEmpty() ? Answer.notFound(query.notFound()) : otherwise;
    }

    /**
     * Another instance took this one for the owner: the stores are read first, so the usual case (the key is here)
     * costs nothing more than a local request; only an empty result asks the metadata whether "not found" can be
     * trusted, which it can only from the owner.
     */
    private <T> Answer<Keyed<T>> askedByAnotherInstance(KeyedQuery<T> query) {
        Optional<T> value;
        try {
            value = query.local().get();
        } catch (InvalidStateStoreException e) {
            return storesUnavailable(e);
        }
        if (value.isPresent() && query.hasData().test(value.get())) {
            return Answer.found(new Served<>(value.get(), self()));
        }
        StoreKey key = query.key();
        Optional<HostInfo> owner = cluster.ownerOf(key.store(), key.key());
        if (owner.isEmpty() || !owner.get().equals(cluster.self())) {
            return Answer.unavailable("instance " + self() + " was asked for " + key.describe()
                    + " but does not own it now (ownership moving?)");
        }
        return value.isEmpty() ? Answer.notFound(query.notFound()) : Answer.found(new Served<>(value.get(), self()));
    }

    /**
     * This instance's part plus every other instance's local part, asked of all of them at once with one deadline.
     * An instance that does not answer by then (or not with 200) is listed as missing rather than failing the whole
     * answer.
     */
    public <P, R> CompletableFuture<Answer<Gathered<P>>> gather(GatherQuery<P, R> query, boolean forwarded) {
        if (!cluster.ready()) {
            return CompletableFuture.completedFuture(notReady());
        }
        HostInfo self = cluster.self();
        // Sent before the local query runs so that the peers work in parallel with it.
        Map<String, CompletableFuture<Reply>> calls = new TreeMap<>();
        if (!forwarded) {
            long deadline = deadline();
            for (HostInfo peer : cluster.instances()) {
                if (!peer.equals(self)) {
                    calls.put(Cluster.address(peer), peers.get(peer, query.request(), deadline));
                }
            }
        }
        P local;
        try {
            local = query.local().get();
        } catch (InvalidStateStoreException e) {
            calls.values().forEach(call -> call.cancel(true));
            return CompletableFuture.completedFuture(storesUnavailable(e));
        }
        if (calls.isEmpty()) {
            return CompletableFuture.completedFuture(
                    Answer.found(new Gathered<>(List.of(local), List.of(self()), List.of())));
        }
        // Every call ends by the deadline, answered or failed, so this completes by then too.
        return CompletableFuture.allOf(calls.values().toArray(CompletableFuture[]::new))
                .handle((ignored, failure) -> Answer.found(merge(local, calls, query.remoteType(),
                        query.remotePart())));
    }

    @Override
    public void close() {
        peers.close();
    }

    private <P, R> Gathered<P> merge(P local, Map<String, CompletableFuture<Reply>> calls, Class<R> type,
            Function<R, P> part) {
        List<P> parts = new ArrayList<>();
        parts.add(local);
        List<String> servedBy = new ArrayList<>(List.of(self()));
        List<String> missing = new ArrayList<>();
        for (Map.Entry<String, CompletableFuture<Reply>> call : calls.entrySet()) {
            Optional<P> remote = remote(call.getKey(), call.getValue(), type, part);
            if (remote.isPresent()) {
                parts.add(remote.get());
                servedBy.add(call.getKey());
            } else {
                missing.add(call.getKey());
            }
        }
        servedBy.sort(Comparator.naturalOrder());
        return new Gathered<>(parts, servedBy, missing);
    }

    private <T> CompletableFuture<Answer<Keyed<T>>> forward(HostInfo owner, KeyedQuery<T> query) {
        String address = Cluster.address(owner);
        String what = query.key().describe();
        return peers.get(owner, query.request(), deadline()).handle((reply, failure) -> {
            if (failure != null) {
                log.debug("Owner {} of {} did not answer", address, what, failure);
                return Answer.unavailable("instance " + address + ", owner of " + what + ", did not answer: "
                        + failure(failure));
            }
            if (reply.status() == 200) {
                if (!json.isObject(reply.body())) {
                    log.debug("Owner {} of {} answered 200 with a body that is not a JSON object", address, what);
                    return Answer.unavailable("instance " + address + ", owner of " + what
                            + ", answered unreadable JSON");
                }
                // The owner's JSON is the answer: relayed as it is (checked well-formed), not read and written again.
                return Answer.found(new Relayed<>(reply.body(), address, query.type(), json));
            }
            String detail = json.problemDetail(reply.body());
            if (reply.status() == 404) {
                return Answer.notFound(detail != null ? detail : what + " not found");
            }
            return Answer.unavailable("instance " + address + ", owner of " + what + ", answered "
                    + reply.status() + (detail == null ? "" : ": " + detail));
        });
    }

    /** A finished call's part, or empty when it failed, timed out, or did not answer 200 with a readable body. */
    private <P, R> Optional<P> remote(String address, CompletableFuture<Reply> call, Class<R> type,
            Function<R, P> part) {
        if (!call.isDone() || call.isCompletedExceptionally()) {
            log.debug("Instance {} did not answer in time", address);
            return Optional.empty();
        }
        Reply reply = call.join();
        if (reply.status() != 200) {
            log.debug("Instance {} answered {}: {}", address, reply.status(), reply.text());
            return Optional.empty();
        }
        try {
            return Optional.of(part.apply(json.read(reply.body(), type)));
        } catch (UncheckedIOException e) {
            log.debug("Instance {} answered unreadable JSON", address, e);
            return Optional.empty();
        }
    }

    /** When calls started now must have answered. */
    private long deadline() {
        return System.nanoTime() + peerTimeout.toNanos();
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
            if (cause instanceof TimeoutException) {
                return "no answer within " + peerTimeout.toMillis() + " ms";
            }
        }
        return "unreachable";
    }
}

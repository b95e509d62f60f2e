package dev.herald.query;

import dev.herald.query.Peers.Reply;
import dev.herald.query.model.Answer;
import dev.herald.query.model.Answer.Found;
import dev.herald.query.model.Answer.NotFound;
import dev.herald.query.model.Answer.ServiceUnavailable;
import dev.herald.query.model.CampaignDetail;
import dev.herald.query.model.CampaignItem;
import dev.herald.query.model.CampaignList;
import dev.herald.query.model.CampaignSummary;
import dev.herald.query.model.CampaignTotals;
import dev.herald.query.model.Granularity;
import dev.herald.query.model.Instances;
import dev.herald.query.model.Json;
import dev.herald.query.model.RunList;
import dev.herald.query.model.RunProgress;
import dev.herald.query.model.Served;
import dev.herald.query.model.SummaryOverview;
import dev.herald.query.model.Totals;
import dev.herald.query.routing.Cluster;
import dev.herald.query.store.LocalQueries;
import dev.herald.topology.StoreNames;
import java.io.UncheckedIOException;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
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
import java.util.function.Predicate;
import java.util.function.Supplier;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.apache.kafka.streams.state.HostInfo;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Routes queries: keyed ones to the key's owner, list ones scattered to every instance and gathered. */
public final class HeraldQueryService {
    /**
     * Marks a request sent by another instance: it is answered locally and never forwarded again, so instances that
     * briefly disagree about ownership cannot bounce it between them.
     */
    public static final String FORWARDED_HEADER = "X-Herald-Forwarded";
    public static final Duration DEFAULT_PEER_TIMEOUT = Duration.ofSeconds(2);

    private static final Logger log = LoggerFactory.getLogger(HeraldQueryService.class);

    private final LocalQueries local;
    private final Cluster cluster;
    private final Duration peerTimeout;
    private final Json json = new Json();
    private final Peers peers;

    public HeraldQueryService(LocalQueries local, Cluster cluster) {
        this(local, cluster, DEFAULT_PEER_TIMEOUT);
    }

    /** @param peerTimeout how long to wait for another instance before calling it missing (or the key unavailable) */
    public HeraldQueryService(LocalQueries local, Cluster cluster, Duration peerTimeout) {
        this.local = Objects.requireNonNull(local, "local");
        this.cluster = Objects.requireNonNull(cluster, "cluster");
        this.peerTimeout = Objects.requireNonNull(peerTimeout, "peerTimeout");
        this.peers = new Peers(this::self, peerTimeout);
    }

    public boolean ready() {
        return cluster.ready();
    }

    public boolean alive() {
        return cluster.alive();
    }

    public String state() {
        return cluster.state();
    }

    /** This instance's {@code host:port}. */
    public String self() {
        return Cluster.address(cluster.self());
    }

    public Instances instances() {
        HostInfo self = cluster.self();
        List<Instances.Instance> all = cluster.instances().stream()
                .map(host -> new Instances.Instance(Cluster.address(host), host.equals(self)))
                .sorted(Comparator.comparing(Instances.Instance::address))
                .toList();
        return new Instances(all, cluster.state(), self());
    }

    public Answer<CampaignList> campaigns(boolean forwarded) {
        return gather(ApiPaths.CAMPAIGNS, null, forwarded, local::campaigns, CampaignList.class,
                CampaignList::campaigns)
                .map(g -> {
                    // Keyed by id: during a rebalance two instances may briefly both list one campaign.
                    Map<String, CampaignItem> byId = new TreeMap<>();
                    g.parts().forEach(part -> part.forEach(c -> byId.putIfAbsent(c.id(), c)));
                    return new CampaignList(List.copyOf(byId.values()), g.partial(), g.missing(), g.servedBy());
                });
    }

    public Answer<Served<CampaignDetail>> campaign(String id, boolean forwarded) {
        return keyed(StoreNames.CAMPAIGNS, id, forwarded, ApiPaths.campaign(id), null, CampaignDetail.class,
                () -> local.campaign(id).orElse(null), c -> true, "campaign " + id + " not found");
    }

    /**
     * Windowed counts from the owner of the campaign's summaries. No counts in the range is an empty summary for a
     * known campaign and 404 for an unknown one; the campaign check goes to the campaign's owner, which may be
     * another instance than the summaries' owner (different partitioning), and is made by the instance the client
     * asked, never by one that was forwarded to.
     */
    public Answer<Served<CampaignSummary>> campaignSummary(String id, Granularity window, Instant from, Instant to,
            boolean forwarded) {
        String query = "from=" + from + "&to=" + to + "&window=" + window.label();
        Answer<Served<CampaignSummary>> answer = keyed(window.store(), id, forwarded, ApiPaths.campaignSummary(id),
                query, CampaignSummary.class, () -> local.campaignSummary(id, window, from, to),
                s -> !s.windows().isEmpty(), "campaign " + id + " not found");
        if (forwarded || !(answer instanceof Found<Served<CampaignSummary>> found)
                || !found.value().value().windows().isEmpty()) {
            return answer;
        }
        return ifCampaignKnown(id, answer);
    }

    /** Runs are keyed by run id, so a campaign's runs are spread over every instance: scattered and gathered. */
    public Answer<RunList> runs(String campaignId, boolean forwarded) {
        Answer<RunList> answer = gather(ApiPaths.campaignRuns(campaignId), null, forwarded,
                () -> local.runs(campaignId), RunList.class, RunList::runs)
                .map(g -> {
                    Map<String, RunProgress> byId = new LinkedHashMap<>();
                    g.parts().forEach(part -> part.forEach(r -> byId.putIfAbsent(r.runId(), r)));
                    List<RunProgress> runs = new ArrayList<>(byId.values());
                    runs.sort(LocalQueries.runOrder());
                    return new RunList(campaignId, List.copyOf(runs), g.partial(), g.missing(), g.servedBy());
                });
        // A partial empty list is not evidence that the campaign is unknown: it says partial instead.
        if (forwarded || !(answer instanceof Found<RunList> found) || !found.value().runs().isEmpty()
                || found.value().partial()) {
            return answer;
        }
        return ifCampaignKnown(campaignId, answer);
    }

    public Answer<Served<RunProgress>> run(String runId, boolean forwarded) {
        return keyed(StoreNames.RUN_SUMMARY, runId, forwarded, ApiPaths.run(runId), null, RunProgress.class,
                () -> local.run(runId).orElse(null), r -> true, "run " + runId + " not found");
    }

    /** Every campaign's totals over the hourly windows overlapping [from, to], gathered from every instance. */
    public Answer<SummaryOverview> summary(Instant from, Instant to, boolean forwarded) {
        String query = "from=" + from + "&to=" + to;
        return gather(ApiPaths.SUMMARY, query, forwarded, () -> local.campaignTotals(from, to),
                SummaryOverview.class, SummaryOverview::campaigns)
                .map(g -> {
                    Map<String, CampaignTotals> byCampaign = new TreeMap<>();
                    g.parts().forEach(part -> part.forEach(c -> byCampaign.merge(c.campaignId(), c,
                            CampaignTotals::plus)));
                    Totals totals = Totals.ZERO;
                    for (CampaignTotals c : byCampaign.values()) {
                        totals = totals.plus(c.push(), c.mail(), c.reasons());
                    }
                    return new SummaryOverview(from, to, Granularity.HOUR, List.copyOf(byCampaign.values()), totals,
                            g.partial(), g.missing(), g.servedBy());
                });
    }

    private <T> Answer<T> ifCampaignKnown(String campaignId, Answer<T> answer) {
        Answer<Served<CampaignDetail>> campaign = campaign(campaignId, false);
        if (campaign instanceof Found) {
            return answer;
        }
        if (campaign instanceof NotFound<Served<CampaignDetail>> notFound) {
            return Answer.notFound(notFound.detail());
        }
        return Answer.unavailable(((ServiceUnavailable<Served<CampaignDetail>>) campaign).detail());
    }

    /**
     * The owner's answer for one key. {@code hasData} tells a real answer from "nothing here": a forwarded request
     * that finds nothing on an instance that is not (or no longer) the owner is 503, not a wrong 404 or zero.
     */
    private <T> Answer<Served<T>> keyed(String store, String key, boolean forwarded, String path, String query,
            Class<T> type, Supplier<T> localQuery, Predicate<T> hasData, String notFound) {
        if (!cluster.ready()) {
            return notReady();
        }
        HostInfo self = cluster.self();
        Optional<HostInfo> owner = cluster.ownerOf(store, key);
        boolean mine = owner.isPresent() && owner.get().equals(self);
        if (!forwarded && !mine) {
            if (owner.isEmpty()) {
                return Answer.unavailable("the owner of " + describe(store, key) + " is not known (rebalancing?)");
            }
            return forward(owner.get(), path, query, type, store, key);
        }
        T value;
        try {
            value = localQuery.get();
        } catch (InvalidStateStoreException e) {
            return storesUnavailable(e);
        }
        if (value != null && hasData.test(value)) {
            return Answer.found(new Served<>(value, self()));
        }
        if (!mine) {
            return Answer.unavailable("instance " + self() + " was asked for " + describe(store, key)
                    + " but does not own it now (ownership moving?)");
        }
        return value == null ? Answer.notFound(notFound) : Answer.found(new Served<>(value, self()));
    }

    private <T> Answer<Served<T>> forward(HostInfo owner, String path, String query, Class<T> type, String store,
            String key) {
        String address = Cluster.address(owner);
        Reply reply;
        try {
            reply = await(peers.get(owner, path, query));
        } catch (ExecutionException | TimeoutException e) {
            log.debug("Owner {} of {} did not answer", address, describe(store, key), e);
            return Answer.unavailable("instance " + address + ", owner of " + describe(store, key)
                    + ", did not answer: " + failure(e));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Answer.unavailable("interrupted while asking " + address);
        }
        String detail = json.problemDetail(reply.body());
        return switch (reply.status()) {
            case 200 -> {
                try {
                    yield Answer.found(json.readServed(reply.body(), type));
                } catch (UncheckedIOException e) {
                    yield Answer.unavailable("instance " + address + " answered unreadable JSON");
                }
            }
            case 404 -> Answer.notFound(detail != null ? detail : describe(store, key) + " not found");
            default -> Answer.unavailable("instance " + address + ", owner of " + describe(store, key)
                    + ", answered " + reply.status() + (detail == null ? "" : ": " + detail));
        };
    }

    /**
     * This instance's part plus every other instance's local part. An instance that does not answer (in time, or
     * with 200) is listed as missing rather than failing the whole answer.
     */
    private <P, R> Answer<Gathered<P>> gather(String path, String query, boolean forwarded, Supplier<P> localPart,
            Class<R> remoteType, Function<R, P> remotePart) {
        if (!cluster.ready()) {
            return notReady();
        }
        HostInfo self = cluster.self();
        // Sent before the local query runs so that the peers work in parallel with it.
        Map<String, CompletableFuture<Reply>> calls = new TreeMap<>();
        if (!forwarded) {
            for (HostInfo peer : cluster.instances()) {
                if (!peer.equals(self)) {
                    calls.put(Cluster.address(peer), peers.get(peer, path, query));
                }
            }
        }
        List<P> parts = new ArrayList<>();
        try {
            parts.add(localPart.get());
        } catch (InvalidStateStoreException e) {
            calls.values().forEach(call -> call.cancel(true));
            return storesUnavailable(e);
        }
        List<String> servedBy = new ArrayList<>(List.of(self()));
        List<String> missing = new ArrayList<>();
        for (Map.Entry<String, CompletableFuture<Reply>> call : calls.entrySet()) {
            Optional<P> part = remote(call.getKey(), call.getValue(), remoteType, remotePart);
            if (part.isPresent()) {
                parts.add(part.get());
                servedBy.add(call.getKey());
            } else {
                missing.add(call.getKey());
            }
        }
        servedBy.sort(Comparator.naturalOrder());
        return Answer.found(new Gathered<>(parts, List.copyOf(servedBy), List.copyOf(missing)));
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

    private static String describe(String store, String key) {
        return "key '" + key + "' of " + store;
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

    /** Local and remote parts of a scattered query, before merging. */
    private record Gathered<P>(List<P> parts, List<String> servedBy, List<String> missing) {
        boolean partial() {
            return !missing.isEmpty();
        }
    }
}

package dev.herald.query;

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
import dev.herald.query.model.Keyed;
import dev.herald.query.model.RunList;
import dev.herald.query.model.RunProgress;
import dev.herald.query.model.SummaryOverview;
import dev.herald.query.model.Totals;
import dev.herald.query.routing.ApiToken;
import dev.herald.query.routing.Cluster;
import dev.herald.query.routing.GatherQuery;
import dev.herald.query.routing.Gathered;
import dev.herald.query.routing.KeyedQuery;
import dev.herald.query.routing.PeerRequest;
import dev.herald.query.routing.Router;
import dev.herald.query.routing.StoreKey;
import dev.herald.query.store.LocalQueries;
import dev.herald.query.store.ReplicatedLists;
import dev.herald.topology.StoreNames;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.streams.state.HostInfo;

/**
 * The queries Herald answers, one method per endpoint: each says which key or list it needs and how to merge what
 * the Router brings back from the instances; routing itself is the Router's. Answers that wait for another
 * instance complete later; the others come back completed. Lists may instead come from the replica, when the
 * client says how stale an answer it accepts ({@code maxLag}) and the replica is within that.
 */
public final class HeraldQueryService implements AutoCloseable {
    private final LocalQueries local;
    private final Cluster cluster;
    private final Router router;
    private final ReplicatedLists replica;

    public HeraldQueryService(LocalQueries local, Cluster cluster) {
        this(local, cluster, Router.DEFAULT_PEER_TIMEOUT, ReplicatedLists.NONE);
    }

    /** @param peerTimeout how long to wait for another instance before calling it missing (or the key unavailable) */
    public HeraldQueryService(LocalQueries local, Cluster cluster, Duration peerTimeout) {
        this(local, cluster, peerTimeout, ReplicatedLists.NONE);
    }

    /** @param replica the lists this instance keeps whole, for requests that accept them ({@code maxLag}) */
    public HeraldQueryService(LocalQueries local, Cluster cluster, Duration peerTimeout, ReplicatedLists replica) {
        this(local, cluster, peerTimeout, replica, ApiToken.NONE);
    }

    /** @param token the API token this instance's calls to the others carry */
    public HeraldQueryService(LocalQueries local, Cluster cluster, Duration peerTimeout, ReplicatedLists replica,
            ApiToken token) {
        this.local = Objects.requireNonNull(local, "local");
        this.cluster = Objects.requireNonNull(cluster, "cluster");
        this.replica = Objects.requireNonNull(replica, "replica");
        this.router = new Router(cluster, peerTimeout, token);
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
        return router.self();
    }

    public Instances instances() {
        HostInfo self = cluster.self();
        List<Instances.Instance> all = cluster.instances().stream()
                .map(host -> new Instances.Instance(Cluster.address(host), host.equals(self)))
                .sorted(Comparator.comparing(Instances.Instance::address))
                .toList();
        return new Instances(all, cluster.state(), self());
    }

    /**
     * Every campaign: from the replica when the request accepts its lag ({@code maxLag}, in records), else gathered
     * from every instance.
     */
    public CompletableFuture<Answer<CampaignList>> campaigns(boolean forwarded, OptionalLong maxLag) {
        OptionalLong lag = replicaLag(forwarded, maxLag);
        if (lag.isPresent()) {
            long behind = lag.getAsLong();
            return done(Answer.found(new CampaignList(replica.campaigns(), false, List.of(), List.of(self()),
                    behind > 0, behind)));
        }
        GatherQuery<List<CampaignItem>, CampaignList> query = new GatherQuery<>(PeerRequest.get(ApiPaths.CAMPAIGNS),
                local::campaigns, CampaignList.class, CampaignList::campaigns);
        return router.gather(query, forwarded).thenApply(answer -> answer.map(HeraldQueryService::campaignList));
    }

    public CompletableFuture<Answer<Keyed<CampaignDetail>>> campaign(String id, boolean forwarded) {
        return campaign(id, forwarded, OptionalLong.empty());
    }

    /** @param maxLag how far behind a replica may be to answer when the active copy cannot; empty: any */
    public CompletableFuture<Answer<Keyed<CampaignDetail>>> campaign(String id, boolean forwarded,
            OptionalLong maxLag) {
        KeyedQuery<CampaignDetail> query = KeyedQuery.of(new StoreKey(StoreNames.CAMPAIGNS, id),
                PeerRequest.get(ApiPaths.campaign(id)), CampaignDetail.class, () -> local.campaign(id),
                "campaign " + id + " not found").withReplica(partition -> local.replicaOf(partition).campaign(id));
        return router.keyed(query, forwarded, maxLag);
    }

    /**
     * Windowed counts from the owner of the campaign's summaries. No counts in the range is an empty summary for a
     * known campaign and 404 for an unknown one; the campaign check goes to the campaign's owner, which may be
     * another instance than the summaries' owner (different partitioning), and is made by the instance the client
     * asked, never by one that was forwarded to.
     */
    public CompletableFuture<Answer<Keyed<CampaignSummary>>> campaignSummary(String id, Granularity window,
            Instant from, Instant to, boolean forwarded) {
        return campaignSummary(id, window, from, to, forwarded, OptionalLong.empty());
    }

    /** @param maxLag how far behind a replica may be to answer when the active copy cannot; empty: any */
    public CompletableFuture<Answer<Keyed<CampaignSummary>>> campaignSummary(String id, Granularity window,
            Instant from, Instant to, boolean forwarded, OptionalLong maxLag) {
        PeerRequest request = PeerRequest.get(ApiPaths.campaignSummary(id))
                .with("from", from).with("to", to).with("window", window.label());
        KeyedQuery<CampaignSummary> query = KeyedQuery.of(new StoreKey(window.store(), id), request,
                CampaignSummary.class, () -> Optional.of(local.campaignSummary(id, window, from, to)),
                "campaign " + id + " not found").hasDataWhen(s -> !s.windows().isEmpty())
                .withReplica(partition -> Optional.of(local.replicaOf(partition).campaignSummary(id, window, from, to)));
        return router.keyed(query, forwarded, maxLag).thenCompose(answer -> {
            if (forwarded || !(answer instanceof Found<Keyed<CampaignSummary>> found)) {
                return done(answer);
            }
            boolean empty;
            try {
                empty = found.value().value().windows().isEmpty();
            } catch (UncheckedIOException e) {
                return done(Answer.unavailable("instance " + found.value().servedBy() + " answered unreadable JSON"));
            }
            return empty ? ifCampaignKnown(id, answer) : done(answer);
        });
    }

    /**
     * Runs are keyed by run id, so a campaign's runs are spread over every instance: scattered and gathered, or
     * read from the replica when the request accepts its lag.
     */
    public CompletableFuture<Answer<RunList>> runs(String campaignId, boolean forwarded, OptionalLong maxLag) {
        OptionalLong lag = replicaLag(forwarded, maxLag);
        if (lag.isPresent()) {
            List<RunProgress> runs = replica.runs(campaignId);
            if (runs.isEmpty() && !replica.hasCampaign(campaignId)) {
                return done(Answer.notFound("campaign " + campaignId + " not found"));
            }
            long behind = lag.getAsLong();
            return done(Answer.found(new RunList(campaignId, runs, false, List.of(), List.of(self()), behind > 0,
                    behind)));
        }
        GatherQuery<List<RunProgress>, RunList> query = new GatherQuery<>(
                PeerRequest.get(ApiPaths.campaignRuns(campaignId)), () -> local.runs(campaignId), RunList.class,
                RunList::runs);
        return router.gather(query, forwarded).thenApply(g -> g.map(parts -> runList(campaignId, parts)))
                .thenCompose(answer -> {
                    // A partial empty list is not evidence that the campaign is unknown: it says partial instead.
                    if (forwarded || !(answer instanceof Found<RunList> found) || !found.value().runs().isEmpty()
                            || found.value().partial()) {
                        return done(answer);
                    }
                    return ifCampaignKnown(campaignId, answer);
                });
    }

    public CompletableFuture<Answer<Keyed<RunProgress>>> run(String runId, boolean forwarded) {
        return run(runId, forwarded, OptionalLong.empty());
    }

    /** @param maxLag how far behind a replica may be to answer when the active copy cannot; empty: any */
    public CompletableFuture<Answer<Keyed<RunProgress>>> run(String runId, boolean forwarded, OptionalLong maxLag) {
        KeyedQuery<RunProgress> query = KeyedQuery.of(new StoreKey(StoreNames.RUN_SUMMARY, runId),
                PeerRequest.get(ApiPaths.run(runId)), RunProgress.class, () -> local.run(runId),
                "run " + runId + " not found").withReplica(partition -> local.replicaOf(partition).run(runId));
        return router.keyed(query, forwarded, maxLag);
    }

    /** Every campaign's totals over the hourly windows overlapping [from, to], gathered from every instance. */
    public CompletableFuture<Answer<SummaryOverview>> summary(Instant from, Instant to, boolean forwarded) {
        GatherQuery<List<CampaignTotals>, SummaryOverview> query = new GatherQuery<>(
                PeerRequest.get(ApiPaths.SUMMARY).with("from", from).with("to", to),
                () -> local.campaignTotals(from, to), SummaryOverview.class, SummaryOverview::campaigns);
        return router.gather(query, forwarded).thenApply(g -> g.map(parts -> summaryOverview(from, to, parts)));
    }

    @Override
    public void close() {
        router.close();
    }

    /**
     * The replica's lag when it may answer: the client asked this instance (a peer asking for its part must get
     * this instance's stores), accepts a stale answer, and the replica knows it is within {@code maxLag}. The
     * replica does not need this instance's stores, so it answers during a rebalance too.
     */
    private OptionalLong replicaLag(boolean forwarded, OptionalLong maxLag) {
        if (forwarded || maxLag.isEmpty()) {
            return OptionalLong.empty();
        }
        OptionalLong lag = replica.lag();
        return lag.isPresent() && lag.getAsLong() <= maxLag.getAsLong() ? lag : OptionalLong.empty();
    }

    private <T> CompletableFuture<Answer<T>> ifCampaignKnown(String campaignId, Answer<T> answer) {
        return campaign(campaignId, false).thenApply(campaign -> {
            if (campaign instanceof Found) {
                return answer;
            }
            if (campaign instanceof NotFound<Keyed<CampaignDetail>> notFound) {
                return Answer.notFound(notFound.detail());
            }
            return Answer.unavailable(((ServiceUnavailable<Keyed<CampaignDetail>>) campaign).detail());
        });
    }

    private static <T> CompletableFuture<T> done(T value) {
        return CompletableFuture.completedFuture(value);
    }

    /** Keyed by id: during a rebalance two instances may briefly both list one campaign. */
    private static CampaignList campaignList(Gathered<List<CampaignItem>> g) {
        Map<String, CampaignItem> byId = new TreeMap<>();
        g.parts().forEach(part -> part.forEach(c -> byId.putIfAbsent(c.id(), c)));
        return new CampaignList(List.copyOf(byId.values()), g.partial(), g.missing(), g.servedBy());
    }

    private static RunList runList(String campaignId, Gathered<List<RunProgress>> g) {
        Map<String, RunProgress> byId = new LinkedHashMap<>();
        g.parts().forEach(part -> part.forEach(r -> byId.putIfAbsent(r.runId(), r)));
        List<RunProgress> runs = new ArrayList<>(byId.values());
        runs.sort(RunProgress.ORDER);
        return new RunList(campaignId, List.copyOf(runs), g.partial(), g.missing(), g.servedBy());
    }

    private static SummaryOverview summaryOverview(Instant from, Instant to, Gathered<List<CampaignTotals>> g) {
        Map<String, CampaignTotals> byCampaign = new TreeMap<>();
        g.parts().forEach(part -> part.forEach(c -> byCampaign.merge(c.campaignId(), c, CampaignTotals::plus)));
        Totals totals = Totals.ZERO;
        for (CampaignTotals c : byCampaign.values()) {
            totals = totals.plus(c.push(), c.mail(), c.reasons());
        }
        return new SummaryOverview(from, to, Granularity.HOUR, List.copyOf(byCampaign.values()), totals,
                g.partial(), g.missing(), g.servedBy());
    }
}

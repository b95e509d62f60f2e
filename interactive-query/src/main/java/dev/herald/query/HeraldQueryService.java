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
import dev.herald.query.model.RunList;
import dev.herald.query.model.RunProgress;
import dev.herald.query.model.Served;
import dev.herald.query.model.SummaryOverview;
import dev.herald.query.model.Totals;
import dev.herald.query.routing.Cluster;
import dev.herald.query.routing.GatherQuery;
import dev.herald.query.routing.Gathered;
import dev.herald.query.routing.KeyedQuery;
import dev.herald.query.routing.PeerRequest;
import dev.herald.query.routing.Router;
import dev.herald.query.routing.StoreKey;
import dev.herald.query.store.LocalQueries;
import dev.herald.topology.StoreNames;
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
import org.apache.kafka.streams.state.HostInfo;

/**
 * The queries Herald answers, one method per endpoint: each says which key or list it needs and how to merge what
 * the Router brings back from the instances; routing itself is the Router's.
 */
public final class HeraldQueryService {
    private final LocalQueries local;
    private final Cluster cluster;
    private final Router router;

    public HeraldQueryService(LocalQueries local, Cluster cluster) {
        this(local, cluster, Router.DEFAULT_PEER_TIMEOUT);
    }

    /** @param peerTimeout how long to wait for another instance before calling it missing (or the key unavailable) */
    public HeraldQueryService(LocalQueries local, Cluster cluster, Duration peerTimeout) {
        this.local = Objects.requireNonNull(local, "local");
        this.cluster = Objects.requireNonNull(cluster, "cluster");
        this.router = new Router(cluster, peerTimeout);
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

    public Answer<CampaignList> campaigns(boolean forwarded) {
        GatherQuery<List<CampaignItem>, CampaignList> query = new GatherQuery<>(PeerRequest.get(ApiPaths.CAMPAIGNS),
                local::campaigns, CampaignList.class, CampaignList::campaigns);
        return router.gather(query, forwarded).map(HeraldQueryService::campaignList);
    }

    public Answer<Served<CampaignDetail>> campaign(String id, boolean forwarded) {
        KeyedQuery<CampaignDetail> query = KeyedQuery.of(new StoreKey(StoreNames.CAMPAIGNS, id),
                PeerRequest.get(ApiPaths.campaign(id)), CampaignDetail.class, () -> local.campaign(id),
                "campaign " + id + " not found");
        return router.keyed(query, forwarded);
    }

    /**
     * Windowed counts from the owner of the campaign's summaries. No counts in the range is an empty summary for a
     * known campaign and 404 for an unknown one; the campaign check goes to the campaign's owner, which may be
     * another instance than the summaries' owner (different partitioning), and is made by the instance the client
     * asked, never by one that was forwarded to.
     */
    public Answer<Served<CampaignSummary>> campaignSummary(String id, Granularity window, Instant from, Instant to,
            boolean forwarded) {
        PeerRequest request = PeerRequest.get(ApiPaths.campaignSummary(id))
                .with("from", from).with("to", to).with("window", window.label());
        KeyedQuery<CampaignSummary> query = KeyedQuery.of(new StoreKey(window.store(), id), request,
                CampaignSummary.class, () -> Optional.of(local.campaignSummary(id, window, from, to)),
                "campaign " + id + " not found").hasDataWhen(s -> !s.windows().isEmpty());
        Answer<Served<CampaignSummary>> answer = router.keyed(query, forwarded);
        if (forwarded || !(answer instanceof Found<Served<CampaignSummary>> found)
                || !found.value().value().windows().isEmpty()) {
            return answer;
        }
        return ifCampaignKnown(id, answer);
    }

    /** Runs are keyed by run id, so a campaign's runs are spread over every instance: scattered and gathered. */
    public Answer<RunList> runs(String campaignId, boolean forwarded) {
        GatherQuery<List<RunProgress>, RunList> query = new GatherQuery<>(
                PeerRequest.get(ApiPaths.campaignRuns(campaignId)), () -> local.runs(campaignId), RunList.class,
                RunList::runs);
        Answer<RunList> answer = router.gather(query, forwarded).map(g -> runList(campaignId, g));
        // A partial empty list is not evidence that the campaign is unknown: it says partial instead.
        if (forwarded || !(answer instanceof Found<RunList> found) || !found.value().runs().isEmpty()
                || found.value().partial()) {
            return answer;
        }
        return ifCampaignKnown(campaignId, answer);
    }

    public Answer<Served<RunProgress>> run(String runId, boolean forwarded) {
        KeyedQuery<RunProgress> query = KeyedQuery.of(new StoreKey(StoreNames.RUN_SUMMARY, runId),
                PeerRequest.get(ApiPaths.run(runId)), RunProgress.class, () -> local.run(runId),
                "run " + runId + " not found");
        return router.keyed(query, forwarded);
    }

    /** Every campaign's totals over the hourly windows overlapping [from, to], gathered from every instance. */
    public Answer<SummaryOverview> summary(Instant from, Instant to, boolean forwarded) {
        GatherQuery<List<CampaignTotals>, SummaryOverview> query = new GatherQuery<>(
                PeerRequest.get(ApiPaths.SUMMARY).with("from", from).with("to", to),
                () -> local.campaignTotals(from, to), SummaryOverview.class, SummaryOverview::campaigns);
        return router.gather(query, forwarded).map(g -> summaryOverview(from, to, g));
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

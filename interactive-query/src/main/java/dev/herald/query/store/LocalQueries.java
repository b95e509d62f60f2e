package dev.herald.query.store;

import dev.herald.avro.Campaign;
import dev.herald.avro.RunSummary;
import dev.herald.avro.SchedulerState;
import dev.herald.avro.Summary;
import dev.herald.query.model.CampaignDetail;
import dev.herald.query.model.CampaignItem;
import dev.herald.query.model.CampaignSummary;
import dev.herald.query.model.CampaignTotals;
import dev.herald.query.model.ChannelTotals;
import dev.herald.query.model.Granularity;
import dev.herald.query.model.RunProgress;
import dev.herald.query.model.SummaryWindow;
import dev.herald.query.model.Totals;
import dev.herald.topology.RunIds;
import dev.herald.topology.StoreNames;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.kstream.Windowed;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;
import org.apache.kafka.streams.state.ReadOnlyWindowStore;
import org.apache.kafka.streams.state.WindowStoreIterator;

/** The only class that reads state stores: this instance's stores alone, mapped to plain records. */
public final class LocalQueries {
    private static final StringSerializer KEYS = new StringSerializer();

    private final StoreSource stores;

    public LocalQueries(StoreSource stores) {
        this.stores = Objects.requireNonNull(stores, "stores");
    }

    /** The same queries over the copy of {@code partition} held here, which may be behind (a standby). */
    public LocalQueries replicaOf(int partition) {
        return new LocalQueries(stores.replicaOf(partition));
    }

    public Optional<CampaignDetail> campaign(String id) {
        Campaign campaign = campaignStore().get(id);
        if (campaign == null) {
            return Optional.empty();
        }
        // The scheduler store is fed by the campaign table in the same task, so its entry is local too.
        return Optional.of(AvroViews.detail(campaign, scheduler().get(id)));
    }

    /** The campaigns of this instance's partitions, sorted by id. */
    public List<CampaignItem> campaigns() {
        ReadOnlyKeyValueStore<String, SchedulerState> scheduler = scheduler();
        List<CampaignItem> items = new ArrayList<>();
        try (KeyValueIterator<String, Campaign> all = campaignStore().all()) {
            while (all.hasNext()) {
                KeyValue<String, Campaign> next = all.next();
                if (next.value != null) {
                    items.add(AvroViews.item(next.value, scheduler.get(next.key)));
                }
            }
        }
        items.sort(Comparator.comparing(CampaignItem::id));
        return items;
    }

    /**
     * The campaign's windows of the given size that overlap [from, to], oldest first; empty windows and totals for
     * a campaign with no outcomes (or unknown here). Windows are counted whole, so the totals may include outcomes
     * shortly before {@code from} or after {@code to}.
     */
    public CampaignSummary campaignSummary(String campaignId, Granularity window, Instant from, Instant to) {
        ReadOnlyWindowStore<String, Summary> store = stores.window(window.store());
        List<SummaryWindow> windows = new ArrayList<>();
        Totals totals = Totals.ZERO;
        try (WindowStoreIterator<Summary> it = store.fetch(campaignId, firstOverlappingStart(window, from), to)) {
            while (it.hasNext()) {
                KeyValue<Long, Summary> next = it.next();
                Instant start = Instant.ofEpochMilli(next.key);
                ChannelTotals push = AvroViews.counts(next.value.getPush());
                ChannelTotals mail = AvroViews.counts(next.value.getMail());
                Map<String, Long> reasons = AvroViews.reasons(next.value.getReasons());
                windows.add(new SummaryWindow(start, start.plus(window.size()), push, mail, reasons));
                totals = totals.plus(push, mail, reasons);
            }
        }
        return new CampaignSummary(campaignId, window, from, to, windows, totals);
    }

    /** This instance's share of the campaign's runs (run ids share the campaign's prefix), in run order. */
    public List<RunProgress> runs(String campaignId) {
        List<RunProgress> runs = new ArrayList<>();
        try (KeyValueIterator<String, RunSummary> it = runStore().prefixScan(RunIds.prefixOf(campaignId), KEYS)) {
            while (it.hasNext()) {
                RunSummary run = it.next().value;
                if (run != null) {
                    runs.add(AvroViews.run(run));
                }
            }
        }
        runs.sort(RunProgress.ORDER);
        return runs;
    }

    public Optional<RunProgress> run(String runId) {
        return Optional.ofNullable(runStore().get(runId)).map(AvroViews::run);
    }

    /** Per-campaign totals over the hourly windows overlapping [from, to], sorted by campaign id. */
    public List<CampaignTotals> campaignTotals(Instant from, Instant to) {
        Granularity window = Granularity.HOUR;
        ReadOnlyWindowStore<String, Summary> store = stores.window(window.store());
        Map<String, CampaignTotals> byCampaign = new TreeMap<>();
        try (KeyValueIterator<Windowed<String>, Summary> it = store.fetchAll(firstOverlappingStart(window, from),
                to)) {
            while (it.hasNext()) {
                KeyValue<Windowed<String>, Summary> next = it.next();
                String campaignId = next.key.key();
                CampaignTotals counts = new CampaignTotals(campaignId, AvroViews.counts(next.value.getPush()),
                        AvroViews.counts(next.value.getMail()), AvroViews.reasons(next.value.getReasons()));
                byCampaign.merge(campaignId, counts, CampaignTotals::plus);
            }
        }
        return List.copyOf(byCampaign.values());
    }

    /** A window [s, s + size) overlaps [from, to] when s > from - size; window stores fetch by start time. */
    private static Instant firstOverlappingStart(Granularity window, Instant from) {
        Instant start = from.minus(window.size()).plusMillis(1);
        return start.isBefore(Instant.EPOCH) ? Instant.EPOCH : start;
    }

    private ReadOnlyKeyValueStore<String, Campaign> campaignStore() {
        return stores.keyValue(StoreNames.CAMPAIGNS);
    }

    private ReadOnlyKeyValueStore<String, SchedulerState> scheduler() {
        return stores.keyValue(StoreNames.SCHEDULER);
    }

    private ReadOnlyKeyValueStore<String, RunSummary> runStore() {
        return stores.keyValue(StoreNames.RUN_SUMMARY);
    }
}

package dev.herald.topology;

import dev.herald.avro.Campaign;
import dev.herald.avro.CampaignState;
import dev.herald.avro.Channel;
import dev.herald.avro.Delivery;
import dev.herald.avro.FanoutControl;
import dev.herald.avro.FanoutReport;
import dev.herald.avro.Job;
import dev.herald.avro.MailMessage;
import dev.herald.avro.Outcome;
import dev.herald.avro.PushMessage;
import dev.herald.avro.Receipt;
import dev.herald.avro.Recipient;
import dev.herald.avro.RecipientUpdate;
import dev.herald.avro.RunEvent;
import dev.herald.avro.ScheduleTick;
import dev.herald.avro.Summary;
import dev.herald.topology.campaigns.CampaignValidator;
import dev.herald.topology.channels.ChannelResult;
import dev.herald.topology.channels.ChannelStep;
import dev.herald.topology.channels.MailRenderer;
import dev.herald.topology.channels.PushRenderer;
import dev.herald.topology.channels.Templates;
import dev.herald.topology.errors.Checked;
import dev.herald.topology.errors.Decode;
import dev.herald.topology.fanout.FanoutOutput;
import dev.herald.topology.fanout.FanoutProcessor;
import dev.herald.topology.fanout.MulticastPartitioner;
import dev.herald.topology.jobs.JobDecision;
import dev.herald.topology.jobs.JobGate;
import dev.herald.topology.jobs.RunControlValidator;
import dev.herald.topology.jobs.TickValidator;
import dev.herald.topology.recipients.RecipientValidator;
import dev.herald.topology.recipients.SegmentIndexer;
import dev.herald.topology.scheduler.FirePlanner;
import dev.herald.topology.scheduler.SchedulerProcessor;
import dev.herald.topology.summary.DeadTargetProcessor;
import dev.herald.topology.summary.OutcomeTallyProcessor;
import dev.herald.topology.summary.ReceiptTallyProcessor;
import dev.herald.topology.summary.ReceiptValidator;
import dev.herald.topology.summary.RunLedgerProcessor;
import dev.herald.topology.summary.SummaryAggregator;
import dev.herald.topology.summary.TallyInput;
import java.time.Duration;
import java.util.Map;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.kstream.Branched;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Grouped;
import org.apache.kafka.streams.kstream.Joined;
import org.apache.kafka.streams.kstream.KGroupedStream;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.KTable;
import org.apache.kafka.streams.kstream.Materialized;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.kstream.Repartitioned;
import org.apache.kafka.streams.kstream.TimeWindows;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;
import org.apache.kafka.streams.state.WindowStore;

/**
 * Herald's one topology, as a pure function of its configuration, topics and serdes: campaigns to scheduled runs,
 * runs to per-recipient deliveries, deliveries to rendered push and mail messages, outcomes to summaries.
 */
public final class HeraldTopology {

    /** Internal topics (prefixed by the application id and suffixed with -repartition by Kafka Streams). */
    public static final String JOBS_REPARTITION = "jobs";
    public static final String CONTROLS_REPARTITION = "fanout-controls";
    public static final String OUTCOMES_BY_CAMPAIGN_REPARTITION = "outcomes-by-campaign";
    public static final String RUN_EVENTS_REPARTITION = "run-events";
    public static final String RUN_TALLIES_REPARTITION = "run-tallies";

    private static final int TEMPLATE_CACHE = 1_000;

    private HeraldTopology() {
    }

    public static Topology build(HeraldTopologyConfig config, HeraldTopics topics, HeraldSerdes serdes) {
        StreamsBuilder builder = new StreamsBuilder();
        FirePlanner planner = new FirePlanner(config.misfireThreshold());

        KTable<String, Campaign> campaigns = campaigns(builder, topics, serdes, planner);
        KStream<String, Campaign> changes = campaigns.toStream(Named.as("campaigns-changes"));
        schedule(builder, config, topics, serdes, planner, changes);
        KStream<String, Job> jobs = jobs(builder, config.runsRetention(), topics, serdes, campaigns);
        KStream<String, FanoutControl> controls = controls(builder, topics, changes);
        KTable<String, Recipient> recipients = recipients(builder, topics, serdes);
        Fanout fanout = fanout(builder, config, serdes, jobs, controls, recipients);

        KStream<String, Outcome> outcomes = channels(topics, fanout.deliveries());
        if (config.outcomesTopic() != null) {
            outcomes.to(config.outcomesTopic(),
                    Produced.with(serdes.string(), serdes.outcome()).withName("outcomes-sink"));
        }
        Tallies tallies = tally(outcomes, fanout.stepEnds());
        Tallies receipts = receipts(builder, config, topics, serdes, recipients.queryableStoreName());
        summaries(config, serdes, tallies.byCampaign().merge(receipts.byCampaign(), Named.as("campaign-tallies")));
        runs(builder, config.runsRetention(), topics, serdes,
                tallies.byRun().merge(receipts.byRun(), Named.as("run-tallies")), fanout.reports());

        return builder.build();
    }

    /** An input topic read as bytes and decoded by a named node, so unreadable records are dead-lettered. */
    private static <V> KStream<String, V> read(StreamsBuilder builder, Topic<String, V> topic, String name) {
        return builder.stream(topic.name(), Consumed.with(Serdes.String(), Serdes.ByteArray()).withName(name + "-source"))
                .processValues(() -> new Decode<>(topic), Named.as(name + "-decode"));
    }

    /** Operators' campaign definitions, validated, as a queryable table. */
    private static KTable<String, Campaign> campaigns(StreamsBuilder builder, HeraldTopics topics, HeraldSerdes serdes,
            FirePlanner planner) {
        return read(builder, topics.campaigns(), "campaigns")
                .processValues(() -> new CampaignValidator(planner), Named.as("campaigns-validate"))
                .toTable(Named.as("campaigns-table"),
                        Materialized.<String, Campaign, KeyValueStore<Bytes, byte[]>>as(StoreNames.CAMPAIGNS)
                                .withKeySerde(serdes.string())
                                .withValueSerde(serdes.campaign()));
    }

    /** The scheduler: campaign changes update its store; wall-clock punctuation emits ticks for what is due. */
    private static void schedule(StreamsBuilder builder, HeraldTopologyConfig config, HeraldTopics topics,
            HeraldSerdes serdes, FirePlanner planner, KStream<String, Campaign> changes) {
        builder.addStateStore(Stores.keyValueStoreBuilder(
                Stores.persistentKeyValueStore(StoreNames.SCHEDULER), serdes.string(), serdes.schedulerState())
                .withCachingEnabled());
        Duration interval = config.schedulerInterval();
        changes.process(() -> new SchedulerProcessor(StoreNames.SCHEDULER, planner, interval),
                        Named.as("scheduler"), StoreNames.SCHEDULER)
                .to(topics.scheduleTicks().name(), topics.scheduleTicks().produced("scheduler-ticks-sink"));
    }

    /** Ticks (scheduled or manual) joined with their campaign; each run id passes once. */
    private static KStream<String, Job> jobs(StreamsBuilder builder, Duration runsRetention, HeraldTopics topics,
            HeraldSerdes serdes, KTable<String, Campaign> campaigns) {
        builder.addStateStore(Stores.keyValueStoreBuilder(
                Stores.persistentKeyValueStore(StoreNames.JOB_RUNS), serdes.string(), serdes.longs())
                .withCachingEnabled());
        return read(builder, topics.scheduleTicks(), "ticks")
                .processValues(TickValidator::new, Named.as("ticks-validate"))
                .leftJoin(campaigns, JobDecision::of,
                        Joined.<String, ScheduleTick, Campaign>with(serdes.string(), serdes.tick(), serdes.campaign())
                                .withName("ticks-join-campaigns"))
                .processValues(() -> new JobGate(StoreNames.JOB_RUNS, runsRetention), Named.as("jobs-gate"),
                        StoreNames.JOB_RUNS);
    }

    /**
     * What must reach runs in flight: each campaign change's status and rate limit, and operators' orders for single
     * runs. A deleted campaign's runs go on (a tombstone is not an order): cancel first.
     */
    private static KStream<String, FanoutControl> controls(StreamsBuilder builder, HeraldTopics topics,
            KStream<String, Campaign> changes) {
        KStream<String, FanoutControl> states = changes
                .filter((id, campaign) -> campaign != null, Named.as("campaigns-present"))
                .mapValues(campaign -> new FanoutControl(CampaignState.newBuilder()
                        .setCampaignId(campaign.getId())
                        .setStatus(campaign.getStatus())
                        .setMessagesPerSecond(campaign.getLimits() == null ? null
                                : campaign.getLimits().getMessagesPerSecond())
                        .setUpdatedAt(campaign.getUpdatedAt())
                        .build()), Named.as("campaigns-to-controls"));
        KStream<String, FanoutControl> orders = read(builder, topics.runControls(), "run-controls")
                .processValues(() -> new Checked<>(RunControlValidator::check), Named.as("run-controls-validate"))
                .mapValues(order -> new FanoutControl(order), Named.as("run-controls-to-controls"));
        return states.merge(orders, Named.as("controls"));
    }

    /**
     * Recipient profiles, validated, as the table the fan-out scans and looks recipients up in, and indexed by
     * segment (recipients-by-segment-store) so a segment audience reads only its members.
     */
    private static KTable<String, Recipient> recipients(StreamsBuilder builder, HeraldTopics topics,
            HeraldSerdes serdes) {
        // Read through Decode like every input, so bad bytes are dead-lettered; the price is a changelog of its own.
        // The segment index is kept here, before the table, where every change passes; the fan-out reads both.
        builder.addStateStore(Stores.keyValueStoreBuilder(
                Stores.persistentKeyValueStore(StoreNames.RECIPIENTS_BY_SEGMENT), serdes.string(), serdes.string()));
        return read(builder, topics.recipients(), "recipients")
                .processValues(() -> new Checked<>(RecipientValidator::check), Named.as("recipients-validate"))
                .processValues(() -> new SegmentIndexer(StoreNames.RECIPIENTS_BY_SEGMENT),
                        Named.as("recipients-segment-index"), StoreNames.RECIPIENTS_BY_SEGMENT)
                .toTable(Named.as("recipients-table"),
                        Materialized.<String, Recipient, KeyValueStore<Bytes, byte[]>>as(StoreNames.RECIPIENTS)
                                .withKeySerde(serdes.string())
                                .withValueSerde(serdes.recipient()));
    }

    /** What the fan-out emits, one typed stream per kind. */
    private record Fanout(KStream<String, Delivery> deliveries, KStream<String, FanoutReport> reports,
            KStream<String, TallyInput> stepEnds) {
    }

    /**
     * Every job reaches every recipients partition, whose fan-out selects its own share of the audience from the
     * recipients table (the jobs repartition topic has as many partitions as the recipients topic).
     */
    private static Fanout fanout(StreamsBuilder builder, HeraldTopologyConfig config, HeraldSerdes serdes,
            KStream<String, Job> jobs, KStream<String, FanoutControl> controls, KTable<String, Recipient> recipients) {
        String recipientStore = recipients.queryableStoreName();
        builder.addStateStore(Stores.keyValueStoreBuilder(
                Stores.persistentKeyValueStore(StoreNames.FANOUT_CURSORS), serdes.string(), serdes.fanoutCursor())
                .withCachingEnabled());
        builder.addStateStore(Stores.keyValueStoreBuilder(
                Stores.persistentKeyValueStore(StoreNames.FANOUT_CONTROLS), serdes.string(), serdes.fanoutControl()));
        int partitions = config.recipientsPartitions();
        Duration interval = config.fanoutInterval();
        int chunk = config.fanoutChunkSize();
        Duration budget = config.fanoutStepBudget();
        // Controls travel like jobs, to every recipients partition, on a topic of their own (an older job topic's
        // records stay readable); the fan-out keeps the controls that overtake their job.
        KStream<String, SpecificRecord> jobInputs = jobs
                .repartition(Repartitioned.<String, Job>as(JOBS_REPARTITION)
                        .withKeySerde(serdes.string())
                        .withValueSerde(serdes.job())
                        .withNumberOfPartitions(partitions)
                        .withStreamPartitioner(new MulticastPartitioner<>()))
                .mapValues(job -> (SpecificRecord) job, Named.as("jobs-to-fanout"));
        KStream<String, SpecificRecord> controlInputs = controls
                .repartition(Repartitioned.<String, FanoutControl>as(CONTROLS_REPARTITION)
                        .withKeySerde(serdes.string())
                        .withValueSerde(serdes.fanoutControl())
                        .withNumberOfPartitions(partitions)
                        .withStreamPartitioner(new MulticastPartitioner<>()))
                .mapValues(control -> (SpecificRecord) control, Named.as("controls-to-fanout"));
        KStream<String, FanoutOutput> out = jobInputs.merge(controlInputs, Named.as("fanout-inputs"))
                .process(() -> new FanoutProcessor(StoreNames.FANOUT_CURSORS, recipientStore,
                                StoreNames.RECIPIENTS_BY_SEGMENT, StoreNames.FANOUT_CONTROLS, partitions, interval,
                                chunk, budget, config.runsRetention()),
                        Named.as("fanout"), StoreNames.FANOUT_CURSORS, recipientStore,
                        StoreNames.RECIPIENTS_BY_SEGMENT, StoreNames.FANOUT_CONTROLS);
        // The processor forwards each kind to its own child by these names, so neither child sees the other kind.
        return new Fanout(
                out.mapValues(FanoutOutput::delivery, Named.as(FanoutOutput.DELIVERIES)),
                out.mapValues(FanoutOutput::report, Named.as(FanoutOutput.REPORTS)),
                out.mapValues(output -> TallyInput.stepEnd(), Named.as(FanoutOutput.STEP_ENDS)));
    }

    /** What the outcome tallies emit, one stream per kind. */
    private record Tallies(KStream<String, Summary> byRun, KStream<String, Summary> byCampaign) {
    }

    /**
     * Outcomes folded per fan-out step (per run, and per campaign and minute) before they cross a repartition topic:
     * the summaries' traffic follows the steps, not the deliveries. Same task as the fan-out, which ends every step
     * with a step end right after its deliveries.
     */
    private static Tallies tally(KStream<String, Outcome> outcomes, KStream<String, TallyInput> stepEnds) {
        KStream<String, Summary> tallies = outcomes.mapValues(TallyInput::of, Named.as("outcomes-to-tally"))
                .merge(stepEnds, Named.as("outcomes-and-step-ends"))
                .process(OutcomeTallyProcessor::new, Named.as("outcome-tallies"));
        // The processor forwards each kind to its own child by these names, so neither child sees the other kind.
        return new Tallies(
                tallies.mapValues(tally -> tally, Named.as(OutcomeTallyProcessor.BY_RUN)),
                tallies.mapValues(tally -> tally, Named.as(OutcomeTallyProcessor.BY_CAMPAIGN)));
    }

    /**
     * Senders' receipts (Herald's or anyone's), folded per run and per campaign and minute in a store and forwarded
     * once a second into the same tallies as outcomes: runs and windowed summaries count what was delivered.
     */
    private static Tallies receipts(StreamsBuilder builder, HeraldTopologyConfig config, HeraldTopics topics,
            HeraldSerdes serdes, String recipientStore) {
        builder.addStateStore(Stores.keyValueStoreBuilder(
                Stores.persistentKeyValueStore(StoreNames.RECEIPT_TALLIES), serdes.string(), serdes.summary())
                .withCachingEnabled());
        KStream<String, Receipt> receipts = read(builder, topics.receipts(), "receipts")
                .processValues(() -> new Checked<Receipt>((key, receipt) -> ReceiptValidator.check(receipt)),
                        Named.as("receipts-validate"));
        // Rejected targets: reported on recipient-updates, and (by a setting) removed from the profile, which goes
        // back through the recipients topic like any other change, index and all.
        KStream<String, SpecificRecord> dead = receipts.process(
                () -> new DeadTargetProcessor(recipientStore, config.dropDeadTargets()), Named.as("dead-targets"),
                recipientStore);
        dead.mapValues(update -> (RecipientUpdate) update, Named.as(DeadTargetProcessor.UPDATES))
                .to(topics.recipientUpdates().name(), topics.recipientUpdates().produced("recipient-updates-sink"));
        dead.mapValues(recipient -> (Recipient) recipient, Named.as(DeadTargetProcessor.RECIPIENTS))
                .to(topics.recipients().name(), topics.recipients().produced("dead-targets-recipients-sink"));
        KStream<String, Summary> tallies = receipts
                .process(() -> new ReceiptTallyProcessor(StoreNames.RECEIPT_TALLIES), Named.as("receipt-tallies"),
                        StoreNames.RECEIPT_TALLIES);
        // The processor forwards each kind to its own child by these names, so neither child sees the other kind.
        return new Tallies(
                tallies.mapValues(tally -> tally, Named.as(ReceiptTallyProcessor.BY_RUN)),
                tallies.mapValues(tally -> tally, Named.as(ReceiptTallyProcessor.BY_CAMPAIGN)));
    }

    /** Stateless per-channel branches: render to the outboxes and report one outcome per delivery. */
    private static KStream<String, Outcome> channels(HeraldTopics topics, KStream<String, Delivery> deliveries) {
        Map<String, KStream<String, Delivery>> byChannel = deliveries.split(Named.as("channel-"))
                .branch((id, d) -> d.getChannel() == Channel.PUSH, Branched.as("push"))
                .branch((id, d) -> d.getChannel() == Channel.MAIL, Branched.as("mail"))
                .noDefaultBranch();

        KStream<String, ChannelResult<PushMessage>> push = byChannel.get("channel-push").processValues(
                () -> new ChannelStep<>(new PushRenderer(new Templates(TEMPLATE_CACHE))::render),
                Named.as("push-render"));
        push.flatMapValues(ChannelResult::messages, Named.as("push-messages"))
                .to(topics.pushOutbox().name(), topics.pushOutbox().produced("push-outbox-sink"));

        KStream<String, ChannelResult<MailMessage>> mail = byChannel.get("channel-mail").processValues(
                () -> new ChannelStep<>(new MailRenderer(new Templates(TEMPLATE_CACHE))::render),
                Named.as("mail-render"));
        mail.flatMapValues(ChannelResult::messages, Named.as("mail-messages"))
                .to(topics.mailOutbox().name(), topics.mailOutbox().produced("mail-outbox-sink"));

        return push.mapValues(ChannelResult::outcome, Named.as("push-outcomes"))
                .merge(mail.mapValues(ChannelResult::outcome, Named.as("mail-outcomes")), Named.as("outcomes"));
    }

    /** Per-campaign counts in one-minute and one-hour windows, queryable for the retention period, from the tallies. */
    private static void summaries(HeraldTopologyConfig config, HeraldSerdes serdes,
            KStream<String, Summary> talliesByCampaign) {
        // The topic keeps its name (it carries the outcomes by campaign) but now holds per-minute tallies of them.
        KGroupedStream<String, Summary> byCampaign = talliesByCampaign
                .repartition(Repartitioned.<String, Summary>as(OUTCOMES_BY_CAMPAIGN_REPARTITION)
                        .withKeySerde(serdes.string())
                        .withValueSerde(serdes.summary()))
                .groupByKey(Grouped.with("outcomes-grouped-by-campaign", serdes.string(), serdes.summary()));
        SummaryAggregator aggregator = new SummaryAggregator();
        window(byCampaign, aggregator, config, HeraldTopologyConfig.MINUTE, StoreNames.SUMMARY_MINUTE, serdes);
        window(byCampaign, aggregator, config, HeraldTopologyConfig.HOUR, StoreNames.SUMMARY_HOUR, serdes);
    }

    private static void window(KGroupedStream<String, Summary> byCampaign, SummaryAggregator aggregator,
            HeraldTopologyConfig config, Duration size, String store, HeraldSerdes serdes) {
        byCampaign.windowedBy(TimeWindows.ofSizeAndGrace(size, config.summaryGrace()))
                .aggregate(aggregator, aggregator, Named.as(store.replace("-store", "-aggregate")),
                        Materialized.<String, Summary, WindowStore<Bytes, byte[]>>as(store)
                                .withKeySerde(serdes.string())
                                .withValueSerde(serdes.summary())
                                // Queried for days, so retention is explicit (the default is only size + grace).
                                .withRetention(config.summaryRetention())
                                // Many tallies per campaign per window: the cache folds them before the changelog.
                                .withCachingEnabled());
    }

    /**
     * Outcome tallies and partition reports meet per run; a run completes once, onto run-summaries. Like every store
     * here the ledger is cached: measured (SummaryCachingBenchmark), uncached it writes one changelog record per event.
     */
    private static void runs(StreamsBuilder builder, Duration runsRetention, HeraldTopics topics,
            HeraldSerdes serdes, KStream<String, Summary> talliesByRun, KStream<String, FanoutReport> reports) {
        builder.addStateStore(Stores.keyValueStoreBuilder(
                Stores.persistentKeyValueStore(StoreNames.RUN_SUMMARY), serdes.string(), serdes.runSummary())
                .withCachingEnabled());
        // Run events keep their topic and type (reports, and outcomes of earlier versions still in the topic);
        // tallies are Summaries, which a RunEvent cannot carry compatibly, so they have a topic of their own.
        KStream<String, SpecificRecord> events = reports
                .mapValues(report -> new RunEvent(report), Named.as("reports-as-run-events"))
                .repartition(Repartitioned.<String, RunEvent>as(RUN_EVENTS_REPARTITION)
                        .withKeySerde(serdes.string())
                        .withValueSerde(serdes.runEvent()))
                .mapValues(event -> (SpecificRecord) event, Named.as("run-events-to-ledger"));
        KStream<String, SpecificRecord> tallies = talliesByRun
                .repartition(Repartitioned.<String, Summary>as(RUN_TALLIES_REPARTITION)
                        .withKeySerde(serdes.string())
                        .withValueSerde(serdes.summary()))
                .mapValues(tally -> (SpecificRecord) tally, Named.as("run-tallies-to-ledger"));
        events.merge(tallies, Named.as("run-events-merge"))
                .process(() -> new RunLedgerProcessor(StoreNames.RUN_SUMMARY, runsRetention), Named.as("run-ledger"),
                        StoreNames.RUN_SUMMARY)
                .to(topics.runSummaries().name(), topics.runSummaries().produced("run-summaries-sink"));
    }
}

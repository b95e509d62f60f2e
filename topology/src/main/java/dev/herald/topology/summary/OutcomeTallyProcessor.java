package dev.herald.topology.summary;

import dev.herald.avro.Outcome;
import dev.herald.avro.Summary;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;

/**
 * Folds the outcomes of one fan-out step into partial summaries, one per run and one per campaign and minute, and
 * forwards them at the step's end, so the summaries' repartition topics and aggregations see a handful of records
 * per step instead of one per delivery.
 *
 * <p>Forwards run tallies keyed by run id to the child {@link #BY_RUN} only, and campaign tallies keyed by campaign id,
 * stamped within their minute, to the child {@link #BY_CAMPAIGN} only.
 *
 * <p>The tallies need no store: outcomes only come from deliveries the fan-out forwards within one step, and the step
 * end follows them within the same process or punctuate call, so no commit ever falls between an outcome and its
 * tally being forwarded. After a crash the step is processed again from its committed cursor, tallies and all.
 */
public final class OutcomeTallyProcessor implements Processor<String, TallyInput, String, Summary> {

    /** The child node that receives run tallies, keyed by run id. */
    public static final String BY_RUN = "outcome-tallies-by-run";
    /** The child node that receives campaign tallies per minute, keyed by campaign id. */
    public static final String BY_CAMPAIGN = "outcome-tallies-by-campaign";

    private static final long MINUTE_MS = 60_000;

    /** A campaign's outcomes within one minute: one minute lies in exactly one 1m and one 1h window. */
    private record Minute(String campaignId, long minute) {
    }

    /** One tally in the making, stamped with its latest outcome's time. */
    private static final class Tally {
        final Summary summary;
        long timestamp;

        Tally(String campaignId) {
            this.summary = Summary.newBuilder()
                    .setCampaignId(campaignId)
                    .setPush(Counts.empty())
                    .setMail(Counts.empty())
                    .setReasons(new HashMap<>())
                    .build();
        }

        void add(Outcome outcome, long at) {
            Counts.add(summary.getPush(), summary.getMail(), summary.getReasons(), outcome);
            timestamp = Math.max(timestamp, at);
        }
    }

    private final Map<String, Tally> byRun = new LinkedHashMap<>();
    private final Map<Minute, Tally> byMinute = new LinkedHashMap<>();
    private ProcessorContext<String, Summary> context;

    @Override
    public void init(ProcessorContext<String, Summary> context) {
        this.context = context;
        // A task re-initialized after a failure starts over from its last commit: nothing of before may remain.
        byRun.clear();
        byMinute.clear();
    }

    @Override
    public void process(Record<String, TallyInput> record) {
        Outcome outcome = record.value().outcome();
        if (outcome == null) {
            forwardAll();
            return;
        }
        long at = record.timestamp();
        String campaignId = outcome.getCampaignId();
        byRun.computeIfAbsent(outcome.getRunId(), run -> new Tally(campaignId)).add(outcome, at);
        byMinute.computeIfAbsent(new Minute(campaignId, Math.floorDiv(at, MINUTE_MS)), m -> new Tally(campaignId))
                .add(outcome, at);
    }

    private void forwardAll() {
        byRun.forEach((runId, tally) ->
                context.forward(new Record<>(runId, tally.summary, tally.timestamp), BY_RUN));
        byMinute.forEach((minute, tally) ->
                context.forward(new Record<>(minute.campaignId(), tally.summary, tally.timestamp), BY_CAMPAIGN));
        byRun.clear();
        byMinute.clear();
    }
}

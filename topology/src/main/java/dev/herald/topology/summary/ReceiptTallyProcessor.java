package dev.herald.topology.summary;

import dev.herald.avro.Receipt;
import dev.herald.avro.Summary;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Folds senders' receipts into partial summaries, one per run and one per campaign and minute of the receipt, and
 * forwards them once a second, so receipts cost the summaries' repartition topics a handful of records per second
 * instead of one per message.
 *
 * <p>Unlike outcomes, receipts arrive on their own, with no step end to flush on, so the tallies in the making live
 * in a store: forwarding them and deleting them happen in one punctuation, hence in one transaction, and a crash
 * before it leaves them in the store (restored from its changelog) with the receipts' offsets uncommitted or both
 * committed together.
 *
 * <p>Forwards run tallies keyed by run id to the child {@link #BY_RUN} only, and campaign tallies keyed by campaign id,
 * stamped within their minute, to the child {@link #BY_CAMPAIGN} only.
 */
public final class ReceiptTallyProcessor implements Processor<String, Receipt, String, Summary> {

    /** The child node that receives run tallies, keyed by run id. */
    public static final String BY_RUN = "receipt-tallies-by-run";
    /** The child node that receives campaign tallies per minute, keyed by campaign id. */
    public static final String BY_CAMPAIGN = "receipt-tallies-by-campaign";
    /** How often the tallies are forwarded. */
    public static final Duration INTERVAL = Duration.ofSeconds(1);

    private static final long MINUTE_MS = 60_000;
    private static final String RUN = "run\u0000";
    private static final String MINUTE = "minute\u0000";

    private final String storeName;
    private ProcessorContext<String, Summary> context;
    private KeyValueStore<String, Summary> tallies;

    public ReceiptTallyProcessor(String storeName) {
        this.storeName = storeName;
    }

    @Override
    public void init(ProcessorContext<String, Summary> context) {
        this.context = context;
        this.tallies = context.getStateStore(storeName);
        context.schedule(INTERVAL, PunctuationType.WALL_CLOCK_TIME, now -> forwardAll());
    }

    @Override
    public void process(Record<String, Receipt> record) {
        Receipt receipt = record.value();
        // A run counts each message once: a replay's final receipt replaces its FAILED one. A minute counts events.
        add(RUN + receipt.getRunId(), receipt, true);
        long minute = Math.floorDiv(receipt.getAt().toEpochMilli(), MINUTE_MS);
        add(MINUTE + minute + "\u0000" + receipt.getCampaignId(), receipt, false);
    }

    private void add(String key, Receipt receipt, boolean replacing) {
        Summary tally = tallies.get(key);
        if (tally == null) {
            tally = Summary.newBuilder()
                    .setCampaignId(receipt.getCampaignId())
                    .setPush(Counts.empty())
                    .setMail(Counts.empty())
                    .setReasons(new HashMap<>())
                    .build();
        }
        Counts.add(tally.getPush(), tally.getMail(), receipt, replacing);
        tallies.put(key, tally);
    }

    private void forwardAll() {
        List<KeyValue<String, Summary>> pending = new ArrayList<>();
        try (KeyValueIterator<String, Summary> all = tallies.all()) {
            all.forEachRemaining(pending::add);
        }
        long now = context.currentSystemTimeMs();
        for (KeyValue<String, Summary> entry : pending) {
            if (entry.key.startsWith(RUN)) {
                context.forward(new Record<>(entry.key.substring(RUN.length()), entry.value, now), BY_RUN);
            } else {
                String rest = entry.key.substring(MINUTE.length());
                int separator = rest.indexOf('\u0000');
                long minuteStart = Long.parseLong(rest.substring(0, separator)) * MINUTE_MS;
                // Stamped within the receipts' minute, so the windowed summaries count them there.
                context.forward(new Record<>(entry.value.getCampaignId(), entry.value, minuteStart), BY_CAMPAIGN);
            }
            tallies.delete(entry.key);
        }
    }
}

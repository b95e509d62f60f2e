package dev.herald.topology.summary;

import dev.herald.avro.Summary;
import java.util.HashMap;
import org.apache.kafka.streams.kstream.Aggregator;
import org.apache.kafka.streams.kstream.Initializer;

/** Folds a campaign's outcome tallies into its windowed Summary. */
public final class SummaryAggregator implements Initializer<Summary>, Aggregator<String, Summary, Summary> {

    @Override
    public Summary apply() {
        return Summary.newBuilder()
                .setCampaignId("")
                .setPush(Counts.empty())
                .setMail(Counts.empty())
                .setReasons(new HashMap<>())
                .build();
    }

    @Override
    public Summary apply(String campaignId, Summary tally, Summary summary) {
        summary.setCampaignId(campaignId);
        // Avro hands maps back as unmodifiable on some paths; copy before counting into it.
        summary.setReasons(new HashMap<>(summary.getReasons()));
        Counts.add(summary.getPush(), summary.getMail(), summary.getReasons(), tally);
        return summary;
    }
}

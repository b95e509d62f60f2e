package dev.herald.topology;

import static org.assertj.core.api.Assertions.assertThat;

import dev.herald.avro.Channel;
import dev.herald.serdes.InMemorySchemaRegistry;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.streams.Topology;
import org.junit.jupiter.api.Test;

/**
 * Pins the topology's node, store and internal topic names: renaming one would orphan a changelog or repartition
 * topic of a running deployment. Intentional changes update {@code topology-description.txt} (the actual description
 * is written to target/ when they differ).
 */
class TopologyDescriptionTest {

    private static final Topology TOPOLOGY = HeraldTopology.build(HeraldTopologyConfig.defaults(),
            HeraldTopics.of("herald.", HeraldSerdes.using(new InMemorySchemaRegistry())),
            HeraldSerdes.using(new InMemorySchemaRegistry()));

    @Test
    void topologyDescriptionMatchesThePinnedOne() throws IOException {
        String actual = TOPOLOGY.describe().toString();
        String pinned;
        try (InputStream in = getClass().getResourceAsStream("/topology-description.txt")) {
            pinned = in == null ? "" : new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        if (!actual.equals(pinned)) {
            Files.createDirectories(Path.of("target"));
            Files.writeString(Path.of("target", "topology-description.txt"), actual);
        }
        assertThat(actual).isEqualTo(pinned);
    }

    @Test
    void storesAndInternalTopicsHaveTheirReleasedNames() {
        String description = TOPOLOGY.describe().toString();

        assertThat(matches(description, "stores: \\[([^\\]]*)\\]")).containsExactlyInAnyOrder(
                StoreNames.CAMPAIGNS, StoreNames.SCHEDULER, StoreNames.JOB_RUNS, StoreNames.RECIPIENTS,
                StoreNames.RECIPIENTS_BY_SEGMENT, StoreNames.FANOUT_CURSORS, StoreNames.FANOUT_CONTROLS, StoreNames.SUMMARY_MINUTE, StoreNames.SUMMARY_HOUR,
                StoreNames.RUN_SUMMARY, StoreNames.RECEIPT_TALLIES);
        assertThat(matches(description, "(?:topic|topics): \\[?([a-z.-]+-repartition)")).containsExactlyInAnyOrder(
                "jobs-repartition", "fanout-controls-repartition", "outcomes-by-campaign-repartition", "run-events-repartition",
                "run-tallies-repartition");
    }

    @Test
    void everyChannelHasABranchOfItsOwn() {
        // The channel split has no default branch: a Channel symbol without a branch would drop its deliveries.
        String description = TOPOLOGY.describe().toString();

        for (Channel channel : Channel.values()) {
            assertThat(description).contains("Processor: channel-" + channel.name().toLowerCase(Locale.ROOT) + " ");
        }
    }

    private static Set<String> matches(String text, String regex) {
        Set<String> found = new TreeSet<>();
        Matcher m = Pattern.compile(regex).matcher(text);
        while (m.find()) {
            for (String name : m.group(1).split(",\\s*")) {
                if (!name.isBlank()) {
                    found.add(name.trim());
                }
            }
        }
        return found;
    }
}

package dev.herald.topology;

import static dev.herald.topology.TestRecords.campaign;
import static dev.herald.topology.TestRecords.manualTick;
import static dev.herald.topology.TestRecords.recipient;
import static org.assertj.core.api.Assertions.assertThat;

import dev.herald.avro.Audience;
import dev.herald.avro.PushMessage;
import dev.herald.topology.recipients.SegmentIndex;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.streams.state.KeyValueStore;
import org.junit.jupiter.api.Test;

/** The recipients-by-segment index follows every upsert and delete, and segment runs read their members from it. */
class SegmentIndexTopologyTest {
    private static final Instant NOW = Instant.parse("2026-05-01T10:00:00Z");

    @Test
    void aRecipientThatChangesSegmentLeavesTheOldOneAndADeletedOneLeavesThemAll() {
        try (HeraldTestDriver herald = HeraldTestDriver.start(NOW)) {
            herald.recipients().pipeInput("kim", recipient("kim").setSegments(List.of("vip", "beta")).build(), NOW);
            herald.recipients().pipeInput("kim", recipient("kim").setSegments(List.of("beta", "gold")).build(), NOW);
            herald.recipients().pipeInput("lee", recipient("lee").setSegments(List.of("vip")).build(), NOW);
            herald.recipients().pipeInput("lee", null, NOW);

            assertThat(members(herald, "vip")).isEmpty();
            assertThat(members(herald, "beta")).containsExactly("kim");
            assertThat(members(herald, "gold")).containsExactly("kim");
        }
    }

    @Test
    void aSegmentRunReachesItsCurrentMembersOnceEachAcrossChunks() {
        HeraldTopologyConfig config = HeraldTestDriver.testConfig().withFanoutChunkSize(3);
        try (HeraldTestDriver herald = HeraldTestDriver.start(config, NOW)) {
            for (int i = 0; i < 20; i++) {
                List<String> segments = i % 2 == 0 ? List.of("a", "b") : i % 3 == 0 ? List.of("b") : List.of("c");
                herald.recipients().pipeInput("r" + i, recipient("r" + i).setSegments(segments).build(), NOW);
            }
            // r1 moves out of c into a; r0 leaves both a and b.
            herald.recipients().pipeInput("r1", recipient("r1").setSegments(List.of("a")).build(), NOW);
            herald.recipients().pipeInput("r0", recipient("r0").setSegments(List.of("c")).build(), NOW);
            herald.campaigns().pipeInput("seg", campaign("seg")
                    .setAudience(Audience.newBuilder().setSegments(List.of("b", "a")).build()).build(), NOW);

            herald.ticks().pipeInput("seg", manualTick("seg", NOW), NOW);
            for (int i = 0; i < 20 && herald.runSummaries().isEmpty(); i++) {
                herald.advance(herald.config().fanoutInterval());
            }

            List<String> reached = herald.pushOutbox().readValuesToList().stream()
                    .map(PushMessage::getRecipientId).toList();
            List<String> expected = new ArrayList<>(List.of("r1"));
            for (int i = 2; i < 20; i++) {
                if (i % 2 == 0 || i % 3 == 0) {
                    expected.add("r" + i);
                }
            }
            assertThat(reached).containsExactlyInAnyOrderElementsOf(expected);
            assertThat(herald.runStore().get(RunIds.of("seg", NOW)).getPush().getSuccess())
                    .isEqualTo(expected.size());
        }
    }

    private static List<String> members(HeraldTestDriver herald, String segment) {
        KeyValueStore<String, String> index = herald.driver().getKeyValueStore(StoreNames.RECIPIENTS_BY_SEGMENT);
        List<String> ids = new ArrayList<>();
        try (var it = index.range(SegmentIndex.membersOf(segment), SegmentIndex.afterMembersOf(segment))) {
            it.forEachRemaining(kv -> ids.add(SegmentIndex.recipientOf(segment, kv.key)));
        }
        return ids;
    }

}

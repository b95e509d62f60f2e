package dev.herald.topology.fanout;

import static org.assertj.core.api.Assertions.assertThat;

import dev.herald.avro.Audience;
import dev.herald.avro.Channel;
import dev.herald.avro.Delivery;
import dev.herald.avro.FanoutReport;
import dev.herald.topology.TestRecords;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * An explicit-id audience is looked up, not scanned: every recipients partition sees the whole id list and must
 * deliver exactly the ids whose records live on it, i.e. the partition Kafka's default producer partitioner gives
 * the key. The oracle is the producer's own partitioner applied to the serialized key, not Herald's code.
 */
class ExplicitAudienceOwnershipTest {
    private static final Instant NOW = Instant.parse("2026-05-01T10:00:00Z");

    /** Plain, numeric-looking, mail-like and non-ASCII ids, so the hash sees varied bytes (and negative hashes). */
    private static final List<String> IDS = ids();

    private static List<String> ids() {
        List<String> ids = new ArrayList<>();
        IntStream.range(0, 300).forEach(i -> ids.add("r-" + i));
        IntStream.range(0, 50).forEach(i -> ids.add(Integer.toString(1_000_000 + i * 7919)));
        ids.addAll(List.of("ada@example.com", "Zo\u00eb", "\u65e5\u672c-42", "x",
                "a-rather-long-recipient-id-0123456789"));
        return List.copyOf(ids);
    }

    @ParameterizedTest(name = "{0} partitions")
    @ValueSource(ints = {1, 2, 3, 4, 5, 6, 7, 8, 12})
    void eachListedIdIsDeliveredByTheOnePartitionKafkaPutsItsKeyIn(int partitions) {
        // A few ids are known (held by the partition their key lands in), the rest unknown: both must be owned alike.
        Map<Integer, FanoutPartition> tasks = new HashMap<>();
        for (int p = 0; p < partitions; p++) {
            tasks.put(p, new FanoutPartition(p, partitions, 64, NOW));
        }
        for (String id : IDS.subList(0, 40)) {
            tasks.get(FanoutPartition.kafkaPartition(id, partitions)).holding(TestRecords.recipient(id).build());
        }
        var campaign = TestRecords.campaign("listed")
                .setChannels(List.of(Channel.PUSH, Channel.MAIL))
                .setAudience(Audience.newBuilder().setRecipientIds(IDS).build())
                .build();

        Map<String, List<Integer>> deliveredBy = new HashMap<>();
        List<Delivery> allDeliveries = new ArrayList<>();
        for (int p = 0; p < partitions; p++) {
            FanoutPartition task = tasks.get(p);
            task.process(FanoutPartition.job(campaign, NOW));
            task.runToCompletion(1_000);

            List<Delivery> deliveries = task.deliveries();
            List<FanoutReport> reports = task.reports();
            assertThat(reports).as("partition %d reports once", p).hasSize(1);
            assertThat(reports.get(0).getPartition()).isEqualTo(p);
            assertThat(reports.get(0).getPartitionCount()).isEqualTo(partitions);
            assertThat(reports.get(0).getDeliveries()).isEqualTo(deliveries.size());
            Map<String, List<Channel>> channelsById = deliveries.stream().collect(Collectors.groupingBy(
                    Delivery::getRecipientId, Collectors.mapping(Delivery::getChannel, Collectors.toList())));
            for (var entry : channelsById.entrySet()) {
                assertThat(entry.getValue()).as("channels of %s", entry.getKey())
                        .containsExactlyInAnyOrder(Channel.PUSH, Channel.MAIL);
                deliveredBy.computeIfAbsent(entry.getKey(), id -> new ArrayList<>()).add(p);
            }
            allDeliveries.addAll(deliveries);
        }

        Map<String, List<Integer>> expected = IDS.stream().collect(Collectors.toMap(
                id -> id, id -> List.of(FanoutPartition.kafkaPartition(id, partitions))));
        assertThat(deliveredBy).as("the partition(s) that delivered each id").isEqualTo(expected);
        for (Delivery delivery : allDeliveries) {
            boolean known = IDS.subList(0, 40).contains(delivery.getRecipientId());
            assertThat(delivery.getRecipient() != null).as("recipient attached to %s", delivery.getRecipientId())
                    .isEqualTo(known);
        }
    }

    @ParameterizedTest(name = "{0} partitions")
    @ValueSource(ints = {2, 4, 8})
    void aPartitionHoldingARecipientItDoesNotOwnStillSkipsIt(int partitions) {
        // Ownership follows the key, not the store's contents: a stray copy must not be delivered twice.
        String id = "r-7";
        int owner = FanoutPartition.kafkaPartition(id, partitions);
        int other = (owner + 1) % partitions;
        FanoutPartition stray = new FanoutPartition(other, partitions, 64, NOW)
                .holding(TestRecords.recipient(id).build());
        var campaign = TestRecords.campaign("listed")
                .setAudience(Audience.newBuilder().setRecipientIds(List.of(id)).build())
                .build();

        stray.process(FanoutPartition.job(campaign, NOW));

        assertThat(stray.deliveries()).isEmpty();
        assertThat(stray.reports()).singleElement().extracting(FanoutReport::getDeliveries).isEqualTo(0L);
    }
}

package dev.herald.topology.fanout;

import static org.assertj.core.api.Assertions.assertThat;

import dev.herald.avro.Audience;
import dev.herald.avro.Campaign;
import dev.herald.avro.Channel;
import dev.herald.avro.Delivery;
import dev.herald.avro.Limits;
import dev.herald.avro.PushMessage;
import dev.herald.avro.PushPlatform;
import dev.herald.avro.PushToken;
import dev.herald.avro.Result;
import dev.herald.topology.TestRecords;
import dev.herald.topology.channels.ChannelResult;
import dev.herald.topology.channels.PushRenderer;
import dev.herald.topology.channels.Templates;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * A campaign's messagesPerSecond bounds its deliveries (one recipient on one channel), for the whole run: each of
 * the N recipients partitions fans out at messagesPerSecond / N. Runs every partition's fan-out side by side on one
 * simulated wall clock, ticking at the fan-out interval.
 */
class RateLimitAcrossPartitionsTest {
    private static final Instant NOW = Instant.parse("2026-05-01T10:00:00Z");

    @ParameterizedTest(name = "{0}/s over {1} partitions, {2} channel(s), {3} s")
    @CsvSource({
        "400,  4, 2, 10",
        "10,   4, 2, 20",
        "300,  3, 1, 5",
        "90,   8, 2, 10",
    })
    void theRunAsAWholeStaysWithinTheLimitAndEachPartitionTakesItsShare(
            int perSecond, int partitions, int channelCount, int seconds) {
        List<Channel> channels = List.of(Channel.PUSH, Channel.MAIL).subList(0, channelCount);
        // Twice what the limit lets through, so no partition runs dry within the test.
        int recipients = 2 * perSecond * seconds / channelCount + 16 * partitions;
        List<FanoutPartition> tasks = partitionsHolding(recipients, partitions, 1);
        Campaign campaign = limited(perSecond).setChannels(channels).build();
        tasks.forEach(task -> task.process(FanoutPartition.job(campaign, NOW)));

        int ticks = seconds * 10;
        for (int tick = 1; tick <= ticks; tick++) {
            tasks.forEach(FanoutPartition::tick);
            double elapsed = tick * FanoutPartition.INTERVAL.toMillis() / 1000.0;
            assertThat(total(tasks)).as("deliveries after %.1f s", elapsed).isLessThanOrEqualTo(
                    (long) Math.floor(perSecond * elapsed + 1e-9));
        }

        long allowed = (long) perSecond * seconds;
        assertThat(total(tasks)).as("deliveries of the whole run in %d s", seconds)
                .isBetween(allowed - (long) partitions * channelCount, allowed);
        for (FanoutPartition task : tasks) {
            assertThat((double) task.deliveries().size()).as("one partition's share")
                    .isLessThanOrEqualTo((double) perSecond / partitions * seconds)
                    .isGreaterThan((double) perSecond / partitions * seconds - channelCount);
        }
        assertThat(tasks).allSatisfy(task -> assertThat(task.reports()).as("still running").isEmpty());
    }

    @Test
    void theLimitCountsDeliveriesNotMessagesSoSeveralTokensMultiplyTheMessages() {
        int perSecond = 100;
        int partitions = 2;
        int seconds = 5;
        int tokens = 3;
        List<FanoutPartition> tasks = partitionsHolding(2 * perSecond * seconds, partitions, tokens);
        Campaign campaign = limited(perSecond).setChannels(List.of(Channel.PUSH)).build();
        tasks.forEach(task -> task.process(FanoutPartition.job(campaign, NOW)));

        for (int tick = 0; tick < seconds * 10; tick++) {
            tasks.forEach(FanoutPartition::tick);
        }

        List<Delivery> deliveries = new ArrayList<>();
        tasks.forEach(task -> deliveries.addAll(task.deliveries()));
        assertThat(deliveries).as("push deliveries: one per recipient, whatever its tokens")
                .hasSize(perSecond * seconds);
        PushRenderer renderer = new PushRenderer(new Templates(16));
        long messages = 0;
        for (Delivery delivery : deliveries) {
            ChannelResult<PushMessage> result = renderer.render(delivery, NOW);
            assertThat(result.outcome().getResult()).isEqualTo(Result.SUCCESS);
            messages += result.messages().size();
        }
        assertThat(messages).as("push messages: one per token, so up to tokens x the limit")
                .isEqualTo((long) tokens * perSecond * seconds);
    }

    @Test
    void anAudienceOnFewerPartitionsGetsOnlyTheirSharesOfTheLimit() {
        // The split is even and static: ids that all live on one of four partitions go at a quarter of the limit.
        int perSecond = 400;
        int partitions = 4;
        List<String> onPartitionZero = IntStream.range(0, 5_000).mapToObj(i -> "r-" + i)
                .filter(id -> FanoutPartition.kafkaPartition(id, partitions) == 0).limit(1_000).toList();
        List<FanoutPartition> tasks = new ArrayList<>();
        for (int p = 0; p < partitions; p++) {
            tasks.add(new FanoutPartition(p, partitions, 10_000, NOW));
        }
        Campaign campaign = limited(perSecond).setChannels(List.of(Channel.PUSH))
                .setAudience(Audience.newBuilder().setRecipientIds(onPartitionZero).build()).build();
        tasks.forEach(task -> task.process(FanoutPartition.job(campaign, NOW)));

        for (int tick = 0; tick < 20; tick++) {
            tasks.forEach(FanoutPartition::tick);
        }

        assertThat(tasks.get(0).deliveries()).hasSize(perSecond / partitions * 2);
        assertThat(tasks.subList(1, partitions)).allSatisfy(task -> {
            assertThat(task.deliveries()).isEmpty();
            assertThat(task.reports()).singleElement().satisfies(r -> assertThat(r.getDeliveries()).isZero());
        });
    }

    private static Campaign.Builder limited(int perSecond) {
        return TestRecords.campaign("limited").setLimits(Limits.newBuilder().setMessagesPerSecond(perSecond).build());
    }

    /** One fan-out task per partition, each holding the recipients whose keys Kafka puts in its partition. */
    private static List<FanoutPartition> partitionsHolding(int recipients, int partitions, int tokensEach) {
        List<FanoutPartition> tasks = new ArrayList<>();
        for (int p = 0; p < partitions; p++) {
            tasks.add(new FanoutPartition(p, partitions, 10_000, NOW));
        }
        for (int i = 0; i < recipients; i++) {
            String id = "r-" + i;
            List<PushToken> tokens = IntStream.range(0, tokensEach).mapToObj(t -> PushToken.newBuilder()
                    .setPlatform(PushPlatform.ANDROID).setToken("tok-" + id + "-" + t).build()).toList();
            tasks.get(FanoutPartition.kafkaPartition(id, partitions))
                    .holding(TestRecords.recipient(id).setPushTokens(tokens).build());
        }
        return tasks;
    }

    private static long total(List<FanoutPartition> tasks) {
        return tasks.stream().mapToLong(task -> task.deliveries().size()).sum();
    }
}

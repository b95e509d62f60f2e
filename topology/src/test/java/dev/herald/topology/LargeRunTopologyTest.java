package dev.herald.topology;

import static dev.herald.topology.TestRecords.campaign;
import static dev.herald.topology.TestRecords.manualTick;
import static org.assertj.core.api.Assertions.assertThat;

import dev.herald.avro.PushMessage;
import dev.herald.avro.PushPlatform;
import dev.herald.avro.PushToken;
import dev.herald.avro.Recipient;
import dev.herald.avro.RunStatus;
import dev.herald.avro.RunSummary;
import dev.herald.avro.Summary;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.state.ValueAndTimestamp;
import org.apache.kafka.streams.state.WindowStoreIterator;
import org.junit.jupiter.api.Test;

/** A run far larger than one chunk proceeds chunk by chunk on punctuation and ends with exact counts. */
class LargeRunTopologyTest {
    private static final Instant NOW = Instant.parse("2026-05-01T10:00:00Z");
    private static final int RECIPIENTS = 100_000;
    private static final int CHUNK = 2_000;

    @Test
    void hundredThousandRecipientRunFinishesInChunksWithExactCounts() {
        HeraldTopologyConfig config = HeraldTestDriver.testConfig().withFanoutChunkSize(CHUNK);
        try (HeraldTestDriver herald = HeraldTestDriver.start(config, NOW)) {
            TestInputTopic<String, Recipient> recipients = herald.recipients();
            for (int i = 0; i < RECIPIENTS; i++) {
                String id = "r" + i;
                recipients.pipeInput(id, Recipient.newBuilder().setId(id)
                        .setPushTokens(List.of(PushToken.newBuilder().setPlatform(PushPlatform.ANDROID)
                                .setToken("t" + i).build()))
                        .setAttributes(Map.of("firstName", "N" + i)).build(), NOW);
            }
            herald.campaigns().pipeInput("big", campaign("big").build(), NOW);
            String runId = "big@2026-05-01T09:00:00Z";

            herald.ticks().pipeInput("big", manualTick("big", Instant.parse("2026-05-01T09:00:00Z")), NOW);
            assertThat(herald.pushOutbox().getQueueSize()).as("the job's own step is one chunk").isEqualTo(CHUNK);
            assertThat(herald.runStore().get(runId).getStatus()).isEqualTo(RunStatus.RUNNING);

            int steps = 0;
            while (herald.runSummaries().isEmpty() && steps < 1_000) {
                herald.advance(herald.config().fanoutInterval());
                steps++;
            }

            assertThat(steps).as("punctuated steps after the first chunk").isEqualTo(RECIPIENTS / CHUNK - 1);
            RunSummary run = herald.runStore().get(runId);
            assertThat(run.getStatus()).isEqualTo(RunStatus.COMPLETED);
            assertThat(run.getExpected()).isEqualTo(RECIPIENTS);
            assertThat(run.getPush().getSuccess()).isEqualTo(RECIPIENTS);
            List<PushMessage> sent = herald.pushOutbox().readValuesToList();
            Set<String> ids = new HashSet<>();
            sent.forEach(m -> ids.add(m.getMessageId()));
            assertThat(sent).hasSize(RECIPIENTS);
            assertThat(ids).as("every message distinct").hasSize(RECIPIENTS);
            long summarized = 0;
            try (WindowStoreIterator<ValueAndTimestamp<Summary>> it = herald.minuteSummaries()
                    .fetch("big", NOW.minus(Duration.ofHours(1)), NOW.plus(Duration.ofHours(1)))) {
                while (it.hasNext()) {
                    summarized += it.next().value.value().getPush().getSuccess();
                }
            }
            assertThat(summarized).isEqualTo(RECIPIENTS);
        }
    }

    @Test
    void rateLimitSpreadsARunOverTime() {
        try (HeraldTestDriver herald = HeraldTestDriver.start(NOW)) {
            for (int i = 0; i < 50; i++) {
                herald.recipients().pipeInput("r" + i, TestRecords.recipient("r" + i).build(), NOW);
            }
            herald.campaigns().pipeInput("slow", campaign("slow").setLimits(dev.herald.avro.Limits.newBuilder()
                    .setMessagesPerSecond(10).build()).build(), NOW);

            herald.ticks().pipeInput("slow", manualTick("slow", NOW), NOW);
            for (int i = 0; i < 20; i++) {
                herald.advance(Duration.ofMillis(100)); // two seconds
            }

            long sentInTwoSeconds = herald.pushOutbox().getQueueSize();
            assertThat(sentInTwoSeconds).isBetween(19L, 21L);
            for (int i = 0; i < 40; i++) {
                herald.advance(Duration.ofMillis(100));
            }
            assertThat(herald.pushOutbox().getQueueSize()).isEqualTo(50L);
            assertThat(herald.runSummaries().readValue().getExpected()).isEqualTo(50);
        }
    }
}

package dev.herald.topology;

import static dev.herald.topology.TestRecords.campaign;
import static dev.herald.topology.TestRecords.manualTick;
import static dev.herald.topology.TestRecords.recipient;
import static org.assertj.core.api.Assertions.assertThat;

import dev.herald.avro.RunStatus;
import java.time.Duration;
import java.time.Instant;
import org.apache.kafka.streams.state.KeyValueStore;
import org.junit.jupiter.api.Test;

/**
 * The stores keyed by run stay bounded: a run is forgotten once the runs retention has passed, and a tick for a
 * run scheduled before the retention is refused, so a forgotten run can never start (or be counted) again.
 */
class RunsRetentionTopologyTest {
    private static final Instant NOW = Instant.parse("2026-05-01T10:00:00Z");
    private static final Instant SLOT = Instant.parse("2026-05-01T09:00:00Z");
    private static final String RUN = RunIds.of("promo", SLOT);
    private static final Duration RETENTION = Duration.ofDays(2);

    @Test
    void completedRunIsForgottenAfterTheRetentionAndItsTickIsThenRefused() {
        try (HeraldTestDriver herald = HeraldTestDriver.start(
                HeraldTestDriver.testConfig().withRunsRetention(RETENTION), NOW)) {
            KeyValueStore<String, Long> started = herald.driver().getKeyValueStore(StoreNames.JOB_RUNS);
            herald.recipients().pipeInput("r1", recipient("r1").build(), NOW);
            herald.campaigns().pipeInput("promo", campaign("promo").build(), NOW);
            herald.ticks().pipeInput("promo", manualTick("promo", SLOT), NOW);
            assertThat(herald.runStore().get(RUN).getStatus()).isEqualTo(RunStatus.COMPLETED);
            assertThat(herald.pushOutbox().readValuesToList()).hasSize(1);

            herald.advance(Duration.ofDays(1));
            assertThat(herald.runStore().get(RUN)).as("kept within the retention").isNotNull();
            assertThat(started.get(RUN)).isNotNull();
            Instant later = NOW.plus(Duration.ofDays(1));
            herald.ticks().pipeInput("promo", manualTick("promo", SLOT), later);
            assertThat(herald.pushOutbox().readValuesToList()).as("still a duplicate, not a second run").isEmpty();
            assertThat(herald.metric("jobs-ticks-duplicate-total")).isEqualTo(1.0);

            herald.advance(Duration.ofDays(1).plusHours(2));
            assertThat(herald.runStore().get(RUN)).as("forgotten after the retention").isNull();
            assertThat(started.get(RUN)).isNull();

            Instant muchLater = NOW.plus(Duration.ofDays(2).plusHours(2));
            herald.ticks().pipeInput("promo", manualTick("promo", SLOT), muchLater);
            assertThat(herald.pushOutbox().readValuesToList()).as("an expired run does not start again").isEmpty();
            assertThat(herald.runStore().get(RUN)).isNull();
            assertThat(herald.metric("jobs-ticks-rejected-total", "reason", "expired")).isEqualTo(1.0);

            Instant recentSlot = muchLater.minus(Duration.ofHours(1));
            herald.ticks().pipeInput("promo", manualTick("promo", recentSlot), muchLater);
            assertThat(herald.pushOutbox().readValuesToList()).as("a recent run still runs").hasSize(1);
            assertThat(herald.runStore().get(RunIds.of("promo", recentSlot)).getStatus())
                    .isEqualTo(RunStatus.COMPLETED);
        }
    }

    @Test
    void storesHoldOnlyTheRunsOfTheRetentionHoweverOftenACampaignFires() {
        try (HeraldTestDriver herald = HeraldTestDriver.start(
                HeraldTestDriver.testConfig().withRunsRetention(RETENTION), NOW)) {
            KeyValueStore<String, Long> started = herald.driver().getKeyValueStore(StoreNames.JOB_RUNS);
            herald.recipients().pipeInput("r1", recipient("r1").build(), NOW);
            herald.campaigns().pipeInput("promo", campaign("promo").build(), NOW);
            Instant now = NOW;
            // A run every 6 hours for 10 days: 40 runs. At the end, 7 were scheduled within the last 2 days; pruning
            // runs hourly, so one just past the retention may still be there.
            for (int i = 0; i < 40; i++) {
                herald.ticks().pipeInput("promo", manualTick("promo", now.minusSeconds(60)), now);
                herald.advance(Duration.ofHours(6));
                now = now.plus(Duration.ofHours(6));
            }
            assertThat(herald.pushOutbox().readValuesToList()).hasSize(40);
            assertThat(count(started)).isBetween(7L, 8L);
            assertThat(count(herald.runStore())).isBetween(7L, 8L);
        }
    }

    private static long count(KeyValueStore<String, ?> store) {
        long n = 0;
        try (var all = store.all()) {
            while (all.hasNext()) {
                all.next();
                n++;
            }
        }
        return n;
    }
}

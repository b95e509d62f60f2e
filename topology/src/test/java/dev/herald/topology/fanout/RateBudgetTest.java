package dev.herald.topology.fanout;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The token bucket one partition's fan-out of one run draws deliveries from. */
class RateBudgetTest {
    private static final long T0 = 1_000_000L;

    @Test
    void startsEmptySoARunNeverOpensWithABurst() {
        assertThat(new RateBudget(100, 1, T0).available(T0)).isZero();
    }

    @Test
    void fillsAtItsRatePerSecond() {
        RateBudget budget = new RateBudget(100, 1, T0);

        assertThat(budget.available(T0 + 250)).isEqualTo(25);
        assertThat(budget.available(T0 + 1_000)).isEqualTo(100);
    }

    @Test
    void spendingTakesFromTheBucket() {
        RateBudget budget = new RateBudget(100, 1, T0);
        assertThat(budget.available(T0 + 500)).isEqualTo(50);

        budget.spend(30);

        assertThat(budget.available(T0 + 500)).isEqualTo(20);
        assertThat(budget.available(T0 + 600)).isEqualTo(30);
    }

    @Test
    void holdsAtMostOneSecondOfDeliveries() {
        RateBudget budget = new RateBudget(100, 1, T0);

        assertThat(budget.available(T0 + 60_000)).isEqualTo(100);
    }

    @Test
    void aFractionalRateAccumulatesInsteadOfRoundingDown() {
        // 2.5/s: the share of a 10/s campaign on each of 4 partitions.
        RateBudget budget = new RateBudget(2.5, 2, T0);

        // Asked every 100 ms, as the fan-out punctuation does: a quarter delivery per step, kept until whole.
        assertThat(budget.available(T0 + 100)).isZero();
        assertThat(budget.available(T0 + 200)).isZero();
        assertThat(budget.available(T0 + 300)).isZero();
        assertThat(budget.available(T0 + 400)).isEqualTo(1);
        assertThat(budget.available(T0 + 800)).isEqualTo(2);
        budget.spend(2);
        assertThat(budget.available(T0 + 4_800)).isEqualTo(2); // capped at max(2.5, 2), floored
        assertThat(budget.available(T0 + 5_000)).isEqualTo(2);
    }

    @Test
    void aRateBelowOneRecipientsDeliveriesStillLetsOneRecipientThrough() {
        // 0.5 deliveries/s but two channels per recipient: the burst must hold two, or the run would never progress.
        RateBudget budget = new RateBudget(0.5, 2, T0);

        assertThat(budget.available(T0 + 2_000)).isEqualTo(1);
        assertThat(budget.available(T0 + 4_000)).isEqualTo(2);
        assertThat(budget.available(T0 + 60_000)).isEqualTo(2);
    }

    @Test
    void aClockGoingBackAddsNothing() {
        RateBudget budget = new RateBudget(100, 1, T0);
        assertThat(budget.available(T0 + 1_000)).isEqualTo(100);
        budget.spend(100);

        assertThat(budget.available(T0 + 500)).isZero();
        assertThat(budget.available(T0 + 1_100)).isEqualTo(10);
    }

    @Test
    void unlimitedIsAlwaysAvailableAndSpendingChangesNothing() {
        RateBudget budget = RateBudget.unlimited(T0);
        budget.spend(1_000_000);

        assertThat(budget.available(T0)).isEqualTo(Long.MAX_VALUE);
    }
}

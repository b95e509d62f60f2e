package dev.herald.query.routing;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.streams.state.HostInfo;
import org.junit.jupiter.api.Test;

/** Metadata looked up once per rebalance generation, and never carried into the next one. */
class GenerationTest {
    private static final HostInfo A = new HostInfo("a", 1);
    private static final HostInfo B = new HostInfo("b", 2);
    private static final StoreKey KEY = new StoreKey("runs", "r1");

    @Test
    void anOwnerIsLookedUpOncePerKey() {
        Generation generation = new Generation(10);
        AtomicInteger lookUps = new AtomicInteger();

        for (int i = 0; i < 5; i++) {
            assertThat(generation.owner(KEY, () -> {
                lookUps.incrementAndGet();
                return Optional.of(A);
            })).contains(A);
        }
        generation.owner(new StoreKey("runs", "r2"), () -> {
            lookUps.incrementAndGet();
            return Optional.of(B);
        });

        assertThat(lookUps).hasValue(2);
    }

    @Test
    void anUnknownOwnerIsAskedForAgain() {
        Generation generation = new Generation(10);

        assertThat(generation.owner(KEY, Optional::empty)).isEmpty();
        assertThat(generation.owner(KEY, () -> Optional.of(B))).contains(B);
    }

    @Test
    void instancesAreLookedUpOnce() {
        Generation generation = new Generation(10);
        AtomicInteger lookUps = new AtomicInteger();

        for (int i = 0; i < 3; i++) {
            assertThat(generation.instances(() -> {
                lookUps.incrementAndGet();
                return List.of(A, B);
            })).containsExactly(A, B);
        }

        assertThat(lookUps).hasValue(1);
    }

    @Test
    void aFullGenerationStartsOverRatherThanGrowWithoutBound() {
        Generation generation = new Generation(2);
        generation.owner(new StoreKey("s", "1"), () -> Optional.of(A));
        generation.owner(new StoreKey("s", "2"), () -> Optional.of(A));
        generation.owner(new StoreKey("s", "3"), () -> Optional.of(A));

        AtomicInteger lookUps = new AtomicInteger();
        generation.owner(new StoreKey("s", "1"), () -> {
            lookUps.incrementAndGet();
            return Optional.of(B);
        });

        assertThat(lookUps).as("key 1 was dropped with the rest").hasValue(1);
    }
}

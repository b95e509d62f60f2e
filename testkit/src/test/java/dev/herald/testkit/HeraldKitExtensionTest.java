package dev.herald.testkit;

import static dev.herald.testkit.HeraldAssertions.assertThat;
import static dev.herald.testkit.TestCampaign.campaign;
import static dev.herald.testkit.TestRecipient.recipient;

import java.time.Instant;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The extension hands every test its own kit (shared with its @BeforeEach), at the clock @KitClock names. */
@ExtendWith(HeraldKitExtension.class)
@KitClock("2026-06-01T08:00:00Z")
class HeraldKitExtensionTest {
    private HeraldKit prepared;

    @BeforeEach
    void prepare(HeraldKit kit) {
        prepared = kit;
        kit.recipients(recipient("r1"));
    }

    @Test
    void theClassClockAppliesAndBeforeEachGetsTheTestsKit(HeraldKit kit) {
        assertThat(kit).isSameAs(prepared);
        assertThat(kit.now()).isEqualTo(Instant.parse("2026-06-01T08:00:00Z"));
        kit.campaign(campaign("c"));
        assertThat(kit).run(kit.runNow("c")).completed().withPush(1, 0, 0, 0);
    }

    @Test
    @KitClock("2026-12-24T18:00:00Z")
    void theMethodClockWins(HeraldKit kit) {
        assertThat(kit.now()).isEqualTo(Instant.parse("2026-12-24T18:00:00Z"));
        assertThat(kit.pushOutbox()).as("a fresh kit per test, whichever test ran first").isEmpty();
    }
}

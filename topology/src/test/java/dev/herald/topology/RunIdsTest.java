package dev.herald.topology;

import static org.assertj.core.api.Assertions.assertThat;

import dev.herald.topology.RunIds.RunId;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

/** Run ids read back into exactly the parts they were built from, and nothing else reads as a run id. */
class RunIdsTest {

    @ParameterizedTest
    @ValueSource(strings = {"2026-05-01T09:00:00Z", "2026-05-01T09:00:00.123Z", "1970-01-01T00:00:00Z",
            "2026-05-01T09:00:00.000000001Z"})
    void parseReadsBackWhatOfBuilt(String instant) {
        RunId run = new RunId("spring.sale_2026-v2", Instant.parse(instant));

        String id = RunIds.of(run.campaignId(), run.scheduledFor());

        assertThat(RunIds.parse(id)).contains(run);
        assertThat(run.id()).isEqualTo(id);
    }

    @Test
    void runIdIsTheCampaignIdAtTheSlot() {
        assertThat(RunIds.of("promo", Instant.parse("2026-05-01T09:00:00Z"))).isEqualTo("promo@2026-05-01T09:00:00Z");
    }

    @Test
    void everyRunOfACampaignStartsWithItsPrefixAndNoOtherCampaignsRunDoes() {
        Instant slot = Instant.parse("2026-05-01T09:00:00Z");

        assertThat(RunIds.of("promo", slot)).startsWith(RunIds.prefixOf("promo"));
        assertThat(RunIds.of("promo-2", slot)).doesNotStartWith(RunIds.prefixOf("promo"));
    }

    @ParameterizedTest
    @NullAndEmptySource
    @ValueSource(strings = {
            "promo",                              // no separator
            "@2026-05-01T09:00:00Z",              // no campaign id
            "promo@",                             // no slot
            "promo@yesterday",                    // slot is not an instant
            "promo@2026-05-01",                   // a date, not an instant
            "promo@2026-05-01T09:00:00+02:00",    // an offset, not UTC
            "promo@2026-05-01T09:00:00.000Z",     // an instant, but not as of() spells it
            "promo@2026-05-01T09:00:00Z@x",       // trailing text
            "pro mo@2026-05-01T09:00:00Z",        // not a valid campaign id
    })
    void malformedRunIdsDoNotParse(String runId) {
        assertThat(RunIds.parse(runId)).isEmpty();
    }
}

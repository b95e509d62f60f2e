package dev.herald.topology;

import static dev.herald.topology.TestRecords.campaign;
import static dev.herald.topology.TestRecords.manualTick;
import static dev.herald.topology.TestRecords.recipient;
import static org.assertj.core.api.Assertions.assertThat;

import dev.herald.avro.Audience;
import dev.herald.avro.PushMessage;
import dev.herald.avro.RunSummary;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Each audience form selects exactly its recipients. */
class AudienceTopologyTest {
    private static final Instant NOW = Instant.parse("2026-05-01T10:00:00Z");
    private static final Instant SLOT = Instant.parse("2026-05-01T09:00:00Z");

    @Test
    void segmentAudienceSelectsRecipientsInAnyOfItsSegments() {
        Audience audience = Audience.newBuilder().setSegments(List.of("vip", "beta")).build();

        assertThat(recipientsReachedBy(audience)).containsExactlyInAnyOrder("kim", "lee");
    }

    @Test
    void attributeAudienceSelectsRecipientsMatchingEveryAttribute() {
        Audience audience = Audience.newBuilder().setAttributes(Map.of("country", "KR", "tier", "gold")).build();

        assertThat(recipientsReachedBy(audience)).containsExactly("kim");
    }

    @Test
    void segmentAndAttributeCriteriaMustBothHold() {
        Audience audience = Audience.newBuilder().setSegments(List.of("vip", "beta"))
                .setAttributes(Map.of("country", "US")).build();

        assertThat(recipientsReachedBy(audience)).containsExactly("lee");
    }

    @Test
    void explicitIdAudienceSelectsExactlyThoseRecipients() {
        Audience audience = Audience.newBuilder().setRecipientIds(List.of("park", "lee")).build();

        assertThat(recipientsReachedBy(audience)).containsExactlyInAnyOrder("park", "lee");
    }

    @Test
    void recipientListedTwiceGetsOneMessage() {
        Audience audience = Audience.newBuilder().setRecipientIds(List.of("park", "lee", "park")).build();

        assertThat(recipientsReachedBy(audience)).containsExactlyInAnyOrder("park", "lee");
    }

    @Test
    void explicitIdThatIsUnknownCountsAsMissing() {
        try (HeraldTestDriver herald = HeraldTestDriver.start(NOW)) {
            loadRecipients(herald);
            herald.campaigns().pipeInput("c", campaign("c").setAudience(Audience.newBuilder()
                    .setRecipientIds(List.of("kim", "nobody")).build()).build(), NOW);

            herald.ticks().pipeInput("c", manualTick("c", SLOT), NOW);

            assertThat(herald.pushOutbox().readValuesToList()).extracting(PushMessage::getRecipientId)
                    .containsExactly("kim");
            RunSummary run = herald.runStore().get("c@2026-05-01T09:00:00Z");
            assertThat(run.getExpected()).isEqualTo(2);
            assertThat(run.getPush().getSuccess()).isEqualTo(1);
            assertThat(run.getPush().getMissing()).isEqualTo(1);
            assertThat(run.getReasons()).containsEntry("unknown_recipient", 1L);
        }
    }

    @Test
    void emptyAudienceReachesEveryone() {
        assertThat(recipientsReachedBy(Audience.newBuilder().build()))
                .containsExactlyInAnyOrder("kim", "lee", "park", "choi");
    }

    private static List<String> recipientsReachedBy(Audience audience) {
        try (HeraldTestDriver herald = HeraldTestDriver.start(NOW)) {
            loadRecipients(herald);
            herald.campaigns().pipeInput("c", campaign("c").setAudience(audience).build(), NOW);

            herald.ticks().pipeInput("c", manualTick("c", SLOT), NOW);

            return herald.pushOutbox().readValuesToList().stream().map(PushMessage::getRecipientId).toList();
        }
    }

    private static void loadRecipients(HeraldTestDriver herald) {
        herald.recipients().pipeInput("kim", recipient("kim").setSegments(List.of("vip"))
                .setAttributes(Map.of("firstName", "Kim", "country", "KR", "tier", "gold")).build(), NOW);
        herald.recipients().pipeInput("lee", recipient("lee").setSegments(List.of("beta", "news"))
                .setAttributes(Map.of("firstName", "Lee", "country", "US", "tier", "gold")).build(), NOW);
        herald.recipients().pipeInput("park", recipient("park").setSegments(List.of("news"))
                .setAttributes(Map.of("firstName", "Park", "country", "KR", "tier", "silver")).build(), NOW);
        herald.recipients().pipeInput("choi", recipient("choi").setSegments(List.of())
                .setAttributes(Map.of("firstName", "Choi", "country", "KR")).build(), NOW);
    }
}

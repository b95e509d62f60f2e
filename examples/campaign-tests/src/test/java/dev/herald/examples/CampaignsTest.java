package dev.herald.examples;

import static dev.herald.testkit.HeraldAssertions.assertThat;
import static dev.herald.testkit.TestCampaign.campaign;
import static dev.herald.testkit.TestRecipient.recipient;

import dev.herald.query.model.RunProgress;
import dev.herald.testkit.HeraldKit;
import dev.herald.testkit.HeraldKitExtension;
import dev.herald.testkit.KitClock;
import dev.herald.topology.Reasons.OutcomeReason;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Our campaign files, checked before they reach production: templates, quiet hours, schedules. */
@ExtendWith(HeraldKitExtension.class)
class CampaignsTest {
    /** The same files `campaign apply` takes. */
    private static final Path CAMPAIGNS = Path.of("..", "campaigns");

    @Test
    void welcomeRendersForEveryoneEvenWithoutAFirstName(HeraldKit kit) {
        kit.recipients(
                recipient("ana").segments("new").attribute("firstName", "Ana"),
                recipient("bo").segments("new"));
        kit.campaign(CAMPAIGNS.resolve("welcome.yaml"));

        RunProgress run = kit.runToCompletion("welcome");

        assertThat(kit).run(run.runId()).completed().hasNoErrors().withPush(2, 0, 0, 0);
        assertThat(kit).recipient("ana").gotPush().withTitle("Welcome, Ana!");
        assertThat(kit).recipient("bo").gotPush().withTitle("Welcome!");
    }

    @Test
    void aMissingVariableIsCaughtHereNotInProduction(HeraldKit kit) {
        kit.recipients(recipient("bo").segments("new"));
        kit.campaign(campaign("welcome-draft").segments("new").push("Welcome, {{firstName}}!", "Free shipping"));

        RunProgress run = kit.runToCompletion("welcome-draft");

        assertThat(kit).run(run.runId()).completed().withPush(0, 1, 0, 0);
        assertThat(kit).recipient("bo").gotNoPush().because(OutcomeReason.TEMPLATE_ERROR);
    }

    @Test
    @KitClock("2026-05-01T20:00:00Z")
    void springSaleKeepsQuietHoursInEachRecipientsZone(HeraldKit kit) {
        kit.recipients(
                recipient("berlin").segments("vip").zone("Europe/Berlin"),      // 22:30 at send time: quiet
                recipient("new-york").segments("vip").zone("America/New_York"), // 16:30: sent
                recipient("seoul").segments("newsletter").zone("Asia/Seoul"));  // 05:30: quiet
        kit.campaign(CAMPAIGNS.resolve("spring-sale.yaml"));

        kit.advance(Duration.ofHours(1)); // the scheduler fires it at 20:30 UTC

        assertThat(kit).run("spring-sale@2026-05-01T20:30:00Z").completed()
                .withPush(1, 0, 0, 2).withMail(1, 0, 0, 2).withReason(OutcomeReason.QUIET_HOURS, 4);
        assertThat(kit).recipient("new-york").gotPush().withBody("Twenty percent off everything");
        assertThat(kit).recipient("berlin").gotNoPush().because(OutcomeReason.QUIET_HOURS);
        assertThat(kit).recipient("seoul").gotNoMail().because(OutcomeReason.QUIET_HOURS);
    }

    @Test
    @KitClock("2026-03-22T12:00:00Z")
    void weeklyDigestStaysAtNineInBerlinAcrossTheSwitchToSummerTime(HeraldKit kit) {
        kit.recipients(recipient("reader").segments("newsletter"));
        kit.campaign(CAMPAIGNS.resolve("weekly-digest.json"));

        kit.advance(Duration.ofDays(9)); // clocks go forward on Sunday 29 March

        assertThat(kit.runs("weekly-digest")).extracting(RunProgress::scheduledFor).containsExactly(
                Instant.parse("2026-03-23T08:00:00Z"),  // Monday 09:00 CET
                Instant.parse("2026-03-30T07:00:00Z")); // Monday 09:00 CEST
        assertThat(kit).recipient("reader").mailMessages().hasSize(2);
    }
}

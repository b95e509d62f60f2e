package dev.herald.testkit;

import static dev.herald.testkit.HeraldAssertions.assertThat;
import static dev.herald.testkit.HeraldAssertions.assertThatThrownBy;
import static dev.herald.testkit.TestCampaign.campaign;
import static dev.herald.testkit.TestRecipient.recipient;

import dev.herald.avro.CampaignStatus;
import dev.herald.avro.Channel;
import dev.herald.avro.MisfirePolicy;
import dev.herald.avro.PushPlatform;
import dev.herald.avro.ScheduleTick;
import dev.herald.query.model.CampaignDetail;
import dev.herald.query.model.Granularity;
import dev.herald.query.model.RunProgress;
import dev.herald.topology.HeraldTopologyConfig;
import dev.herald.topology.Reasons.OutcomeReason;
import dev.herald.topology.campaigns.CampaignFileException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The kit drives Herald's real topology: inputs, time, runs to completion, the HTTP API's views, assertions. */
class HeraldKitTest {
    private static final Instant NOW = Instant.parse("2026-05-01T10:00:00Z"); // 19:00 in Seoul

    @Test
    void everyFilterAndErrorGivesItsReasonAndOnlyReachableRecipientsGetMessages() {
        try (HeraldKit kit = HeraldKit.start(NOW)) {
            kit.recipients(
                    recipient("ok").attribute("firstName", "Ok"),
                    recipient("optout").attribute("firstName", "Opt").optOut(Channel.PUSH),
                    recipient("notoken").attribute("firstName", "No").noPushTokens(),
                    recipient("noemail").attribute("firstName", "No").noEmail(),
                    recipient("bademail").attribute("firstName", "Bad").email("not-an-address"),
                    recipient("sleeping").attribute("firstName", "Zzz").zone("Asia/Seoul"),
                    recipient("noname"));
            kit.campaign(campaign("both").push("Hi {{firstName}}", "News for {{recipient.id}}")
                    .mail("Hello {{firstName}}", "Dear {{firstName}}").quietHours("18:00", "08:00"));

            RunProgress run = kit.runToCompletion("both");

            assertThat(run.runId()).isEqualTo("both@2026-05-01T10:00:00Z");
            assertThat(kit).run(run.runId()).completed().withExpected(14)
                    .withPush(3, 1, 1, 2).withMail(3, 2, 1, 1)
                    .withReason(OutcomeReason.QUIET_HOURS, 2).withReason("template_error", 2);
            assertThat(kit).recipient("ok").gotPush().withTitle("Hi Ok").withBody("News for ok")
                    .withToken("token-ok");
            assertThat(kit).recipient("ok").gotMail().withSubject("Hello Ok").to("ok@example.com");
            assertThat(kit).recipient("sleeping").gotNoPush().because(OutcomeReason.QUIET_HOURS);
            assertThat(kit).recipient("noname").gotNoMail().because(OutcomeReason.TEMPLATE_ERROR);
            assertThat(kit).recipient("optout").gotNoPush().because("opt_out");
            assertThat(kit).recipient("bademail").gotNoMail().because(OutcomeReason.INVALID_EMAIL);
            assertThat(kit).deadLetters().isEmpty();
        }
    }

    @Test
    void audiencesSelectAndMessageIdsAreStable() {
        try (HeraldKit kit = HeraldKit.start(NOW)) {
            kit.recipients(recipient("a").segments("vip"), recipient("b").segments("news"),
                    recipient("c").pushToken(PushPlatform.IOS, "phone").pushToken(PushPlatform.ANDROID, "tablet")
                            .segments("vip"));
            kit.campaign(campaign("vip").segments("vip"));

            String run = kit.runNow("vip");

            assertThat(kit).run(run).completed().withPush(2, 0, 0, 0).withPushMessages(3);
            assertThat(kit).recipient("b").gotNoPush().notInAudience();
            assertThat(kit).recipient("c").pushMessages().extracting(m -> m.getToken())
                    .containsExactlyInAnyOrder("phone", "tablet");
            assertThat(kit.pushOutbox()).extracting(m -> m.getMessageId()).doesNotHaveDuplicates();
        }
    }

    @Test
    void aCampaignFileIsReadAsTheCommandLineReadsIt(@TempDir Path dir) throws IOException {
        Path file = Files.writeString(dir.resolve("welcome.yaml"), """
                id: welcome
                name: Welcome
                status: SCHEDULED
                channels: [PUSH]
                schedule: {type: ONCE, sendAt: 2026-05-01T10:05:00Z}
                audience: {segments: [new]}
                push: {title: "Welcome {{firstName}}", body: Glad you are here}
                """);
        try (HeraldKit kit = HeraldKit.start(NOW)) {
            kit.recipients(recipient("ana").segments("new").attribute("firstName", "Ana"));

            kit.campaign(file);

            CampaignDetail detail = kit.campaignDetail("welcome").orElseThrow();
            assertThat(detail.createdAt()).isEqualTo(NOW);
            assertThat(detail.nextFireAt()).isEqualTo(Instant.parse("2026-05-01T10:05:00Z"));
            kit.advance(Duration.ofMinutes(10));
            assertThat(kit).recipient("ana").gotPush().withTitle("Welcome Ana");
            assertThat(kit.runs("welcome")).extracting(RunProgress::runId)
                    .containsExactly("welcome@2026-05-01T10:05:00Z");

            Path broken = Files.writeString(dir.resolve("broken.yaml"), "id: broken\nname: B\nstatus: LIVE\n");
            assertThatThrownBy(() -> kit.campaign(broken)).isInstanceOf(CampaignFileException.class)
                    .hasMessage(broken + ": status: 'LIVE' is not one of DRAFT, SCHEDULED, PAUSED, CANCELLED, "
                            + "COMPLETED");
        }
    }

    @Test
    void anInvalidCampaignIsDeadLetteredAsInProduction() {
        try (HeraldKit kit = HeraldKit.start(NOW)) {
            kit.campaign(campaign("empty").channels());

            assertThat(kit).deadLetters().hasOne().withReason("channels is empty").atNode("campaigns-validate")
                    .fromTopic("herald.campaigns").inStage("processing");
            assertThat(kit.campaignDetail("empty")).isEmpty();
        }
    }

    @Test
    void advanceFiresScheduledCampaignsOnTimeAcrossDaylightSaving() {
        Instant start = Instant.parse("2026-03-07T13:59:00Z"); // 08:59 EST, the day before clocks spring forward
        try (HeraldKit kit = HeraldKit.start(start)) {
            kit.recipients(recipient("r1"));
            // SKIP drops misfires: a fire met late (the clock jumping past it) would not run at all.
            kit.campaign(campaign("nyc").cron("0 9 * * *", "America/New_York", MisfirePolicy.SKIP));

            kit.advance(Duration.ofDays(2));

            assertThat(kit.scheduledTicks()).extracting(ScheduleTick::getScheduledFor).containsExactly(
                    Instant.parse("2026-03-07T14:00:00Z"), // 09:00 EST
                    Instant.parse("2026-03-08T13:00:00Z"), // 09:00 EDT
                    Instant.parse("2026-03-09T13:00:00Z"));
            assertThat(kit.runs("nyc")).extracting(RunProgress::status).containsOnly("COMPLETED").hasSize(3);
            assertThat(kit.now()).isEqualTo(start.plus(Duration.ofDays(2)));
        }
    }

    @Test
    void advanceStepsAChunkedFanOutOneChunkPerInterval() {
        HeraldTopologyConfig config = HeraldKit.defaultConfig().withFanoutChunkSize(100);
        try (HeraldKit kit = HeraldKit.start(config, NOW)) {
            kit.recipients(IntStream.range(0, 1_000).mapToObj(i -> recipient("r" + i).build()).toList());
            kit.campaign(campaign("big"));

            String run = kit.runNow("big");
            assertThat(kit.pushOutbox()).as("the job's own step is one chunk").hasSize(100);
            kit.advance(config.fanoutInterval().multipliedBy(4));
            assertThat(kit.pushOutbox()).hasSize(500);
            assertThat(kit).run(run).running();

            kit.advance(Duration.ofMinutes(1));
            assertThat(kit).run(run).completed().withPush(1_000, 0, 0, 0);
            assertThat(kit.completedRuns()).singleElement().satisfies(r -> assertThat(r.getRunId()).isEqualTo(run));
        }
    }

    @Test
    void runToCompletionDrivesARateLimitedRunAndSaysWhatIsMissingWhenItCannot() {
        try (HeraldKit kit = HeraldKit.start(NOW)) {
            kit.recipients(IntStream.range(0, 50).mapToObj(i -> recipient("r" + i).build()).toList());
            kit.campaign(campaign("slow").messagesPerSecond(10));

            // The README shows this message.
            assertThatThrownBy(() -> kit.runToCompletion("slow", Duration.ofSeconds(1)))
                    .isInstanceOf(AssertionError.class).hasMessage("""
                            run slow@2026-05-01T10:00:00Z did not complete within PT1S of kit time \
                            (kit time 2026-05-01T10:00:01Z)
                              partitions reported: 0 of 1 (not reported: [0])
                              outcomes counted: 10, deliveries reported so far: 0 (final once every partition \
                            has reported)
                              push success=10 error=0 missing=0 filtered=0, mail success=0 error=0 missing=0 \
                            filtered=0
                              fan-out still open: 10 deliveries so far, last recipient 'r17', limited to 10 \
                            deliveries/s""");

            RunProgress done = kit.runToCompletion("slow");
            assertThat(done.runId()).as("the run under way, not a new one").isEqualTo("slow@2026-05-01T10:00:00Z");
            assertThat(done.push().success()).isEqualTo(50);
            assertThat(Duration.between(NOW, kit.now())).isBetween(Duration.ofSeconds(4), Duration.ofSeconds(6));
        }
    }

    @Test
    void runToCompletionOfACampaignThatCannotRunSaysWhy() {
        try (HeraldKit kit = HeraldKit.start(NOW)) {
            kit.campaign(campaign("held").status(CampaignStatus.PAUSED));

            assertThatThrownBy(() -> kit.runToCompletion("held")).isInstanceOf(AssertionError.class)
                    .hasMessageContaining("campaign 'held' is PAUSED, so its ticks are rejected");
            assertThatThrownBy(() -> kit.runToCompletion("nobody"))
                    .hasMessageContaining("no campaign 'nobody' in the campaigns table");
        }
    }

    @Test
    void pauseAndResumeGoThroughTheCampaignsTopic() {
        try (HeraldKit kit = HeraldKit.start(Instant.parse("2026-05-01T09:59:00Z"))) {
            kit.recipients(recipient("r1"));
            kit.campaign(campaign("hourly").cron("0 * * * *", "UTC", MisfirePolicy.FIRE_ONCE));
            kit.advance(Duration.ofMinutes(30));
            kit.status("hourly", CampaignStatus.PAUSED).advance(Duration.ofHours(3));
            kit.status("hourly", CampaignStatus.SCHEDULED).advance(Duration.ofMinutes(31));

            assertThat(kit.scheduledTicks()).extracting(ScheduleTick::getScheduledFor).containsExactly(
                    Instant.parse("2026-05-01T10:00:00Z"),
                    Instant.parse("2026-05-01T13:00:00Z"), // missed while paused: the latest, once
                    Instant.parse("2026-05-01T14:00:00Z"));
        }
    }

    @Test
    void summariesAreReadThroughTheHttpApisQueries() {
        try (HeraldKit kit = HeraldKit.start(NOW)) {
            kit.recipients(recipient("a"), recipient("b").noPushTokens());
            kit.campaign(campaign("s").push("t", "b"));
            kit.runToCompletion("s");
            kit.advance(Duration.ofMinutes(2));
            kit.runToCompletion("s");

            assertThat(kit).summary("s", Granularity.MINUTE).hasWindows(2).withPush(2, 0, 2, 0)
                    .withReason(OutcomeReason.NO_PUSH_TOKEN, 2);
            assertThat(kit).summary("s", Granularity.HOUR).hasWindows(1).withPush(2, 0, 2, 0);
            assertThat(kit.runs("s")).hasSize(2);
        }
    }

    @Test
    void failedAssertionsSayWhatWasExpectedAndWhatWas() {
        try (HeraldKit kit = HeraldKit.start(NOW)) {
            kit.recipients(recipient("a").attribute("firstName", "A"));
            kit.campaign(campaign("c").push("Hi {{firstName}}", "b", Map.of("k", "v")));
            String run = kit.runNow("c");

            assertThatThrownBy(() -> assertThat(kit).run(run).withPush(2, 0, 0, 0)).hasMessageContaining(
                    "run c@2026-05-01T10:00:00Z: expected push success=2 error=0 missing=0 filtered=0 but was "
                            + "success=1 error=0 missing=0 filtered=0");
            assertThatThrownBy(() -> assertThat(kit).run("c@2026-05-01T11:00:00Z"))
                    .hasMessageContaining("no run c@2026-05-01T11:00:00Z (runs of c: [" + run + "])");
            assertThatThrownBy(() -> assertThat(kit).recipient("a").gotPush().withTitle("Hi B"))
                    .hasMessageContaining("expected title 'Hi B' but was 'Hi A'");
            assertThatThrownBy(() -> assertThat(kit).recipient("a").gotNoPush())
                    .hasMessageContaining("expected no push message to recipient a but there were 1");
            assertThatThrownBy(() -> assertThat(kit).recipient("z").gotNoPush().because("opt_out"))
                    .hasMessageContaining("had no PUSH delivery at all (not in the audience?)");
            assertThatThrownBy(() -> assertThat(kit).deadLetters().hasOne())
                    .hasMessageContaining("expected 1 dead letter(s) but there were 0");
            assertThat(kit).recipient("a").gotPush().withData("k", "v");
        }
    }

    @Test
    void theKitRunsOneRecipientsPartitionAndKeepsStateUnderTargetUntilClosed() {
        assertThatThrownBy(() -> HeraldKit.start(HeraldTopologyConfig.defaults(), NOW))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("use config.withRecipientsPartitions(1) (was 4)");
        Path stateDir;
        try (HeraldKit kit = HeraldKit.start()) {
            assertThat(kit.now()).isEqualTo(HeraldKit.DEFAULT_START);
            stateDir = kit.stateDir();
            assertThat(stateDir).isDirectory().startsWith(Path.of("target", "herald-testkit").toAbsolutePath());
        }
        assertThat(stateDir).doesNotExist();
    }
}

package dev.herald.testkit;

import static dev.herald.testkit.HeraldAssertions.assertThat;
import static dev.herald.testkit.TestCampaign.campaign;
import static dev.herald.testkit.TestRecipient.recipient;

import dev.herald.avro.PushMessage;
import dev.herald.avro.Recipient;
import dev.herald.query.model.Granularity;
import dev.herald.query.model.RunProgress;
import java.time.Duration;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * A real audience size in the kit: 100,000 recipients, one push + mail run driven to completion with production's
 * fan-out settings (chunks of 2,000 every 100 ms). Prints how long loading and the run took, in real time; another
 * size with {@code -Dlarge.recipients=N}.
 */
class LargeRunKitTest {
    private static final int RECIPIENTS = Integer.getInteger("large.recipients", 100_000);

    @Test
    void hundredThousandRecipientRunCompletesWithExactCounts() {
        try (HeraldKit kit = HeraldKit.start()) {
            List<Recipient> audience = IntStream.range(0, RECIPIENTS)
                    .mapToObj(i -> recipient("r" + i).attribute("firstName", "N" + i)
                            .email(i % 10 == 0 ? null : "r" + i + "@example.com").build())
                    .toList();
            long t0 = System.nanoTime();
            kit.recipients(audience);
            long loaded = System.nanoTime();
            kit.campaign(campaign("big").push("Hi {{firstName}}", "Spring sale").mail("Sale", "Dear {{firstName}}"));

            RunProgress run = kit.runToCompletion("big");
            long done = System.nanoTime();

            System.out.printf("LargeRunKitTest: %,d recipients loaded in %,d ms; push + mail run to completion in "
                            + "%,d ms real time (%s of kit time)%n", RECIPIENTS, (loaded - t0) / 1_000_000,
                    (done - loaded) / 1_000_000, Duration.between(HeraldKit.DEFAULT_START, kit.now()));
            assertThat(kit).run(run.runId()).completed().withExpected(2L * RECIPIENTS)
                    .withPush(RECIPIENTS, 0, 0, 0).withMail(RECIPIENTS * 9L / 10, 0, RECIPIENTS / 10, 0)
                    .withReason("no_email", RECIPIENTS / 10);
            List<PushMessage> pushes = kit.pushOutbox();
            assertThat(pushes).hasSize(RECIPIENTS);
            assertThat(pushes.stream().map(PushMessage::getMessageId).distinct().count()).isEqualTo(RECIPIENTS);
            assertThat(kit.mailOutbox()).hasSize(RECIPIENTS * 9 / 10);
            assertThat(kit).summary("big", Granularity.HOUR).withPush(RECIPIENTS, 0, 0, 0);
            assertThat(kit).recipient("r" + (RECIPIENTS - 1)).gotPush().withTitle("Hi N" + (RECIPIENTS - 1));
        }
    }
}

package dev.herald.app.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.herald.app.Herald;
import dev.herald.avro.Audience;
import dev.herald.avro.Campaign;
import dev.herald.avro.MailMessage;
import dev.herald.avro.PushMessage;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

/**
 * An explicit-id audience on four recipients partitions of a real broker: every partition sees the whole list and
 * delivers only the ids Kafka's partitioner put in it, so each listed recipient, duplicate or unknown, counts once.
 */
class ExplicitAudienceOnBrokerTest {
    private static final int PARTITIONS = 4;
    private static final int LISTED = 20;
    private static final List<String> GHOSTS = List.of("ghost-a", "ghost-b", "ghost-c");

    @Test
    void listedIdsSpreadOverPartitionsAreDeliveredOnceWithDuplicatesAndUnknownIdsCountedOnce() throws Exception {
        try (HeraldFixture fixture = new HeraldFixture();
             Herald herald = fixture.start(fixture.settings("listed", PARTITIONS))) {
            HeraldFixture.awaitRunning(herald);
            // Twice as many recipients as listed: the ones not listed must not be reached.
            fixture.produce(fixture.topics.recipients(), Population.recipients(2 * LISTED));
            List<String> ids = new ArrayList<>();
            for (int i = 0; i < LISTED; i++) {
                ids.add(String.format("r%05d", i));
            }
            ids.addAll(List.of("r00003", "r00017", "r00003"));
            ids.addAll(GHOSTS);
            ids.add("ghost-a");
            Campaign listed = Campaign.newBuilder(Population.campaign("listed", null))
                    .setAudience(Audience.newBuilder().setRecipientIds(ids).build()).build();
            fixture.produce(fixture.topics.campaigns(), Map.of("listed", listed));
            HeraldFixture.await("campaign visible",
                    () -> fixture.getRaw(herald, "/api/campaigns/listed").statusCode() == 200);

            Instant slot = Population.SLOT;
            String runPath = "/api/runs/" + URLEncoder.encode("listed@" + slot, StandardCharsets.UTF_8);
            fixture.produce(fixture.topics.scheduleTicks(), Map.of("listed", Population.tick("listed", slot)));
            HeraldFixture.await("run completed", () -> "COMPLETED".equals(
                    fixture.get(herald, runPath).path("status").asText()));

            int pushExpected = (int) Population.expectedPushMessages(LISTED);
            int mailExpected = (int) Population.expectedMailMessages(LISTED);
            List<ConsumerRecord<String, PushMessage>> push = fixture.readCommitted(fixture.topics.pushOutbox(),
                    pushExpected);
            List<ConsumerRecord<String, MailMessage>> mail = fixture.readCommitted(fixture.topics.mailOutbox(),
                    mailExpected);
            assertThat(push).hasSize(pushExpected);
            assertThat(mail).hasSize(mailExpected);
            Set<String> reached = new HashSet<>();
            push.forEach(r -> reached.add(r.value().getRecipientId()));
            mail.forEach(r -> reached.add(r.value().getRecipientId()));
            assertThat(reached).allSatisfy(id -> assertThat(ids).contains(id));
            assertThat(mail).extracting(r -> r.value().getRecipientId()).doesNotHaveDuplicates();
            // The outbox is partitioned like the recipients topic: a sender group scales with the same partitions.
            assertThat(push).allSatisfy(r -> assertThat(r.partition())
                    .isEqualTo(partitionOf(r.key())));

            JsonNode run = fixture.get(herald, runPath);
            int unique = LISTED + GHOSTS.size();
            assertThat(run.path("expected").asLong()).isEqualTo(2L * unique);
            assertThat(run.path("counted").asLong()).isEqualTo(2L * unique);
            assertThat(run.path("partitionsReported").asInt()).isEqualTo(PARTITIONS);
            assertThat(run.path("push").path("messages").asLong()).isEqualTo(pushExpected);
            assertThat(run.path("mail").path("messages").asLong()).isEqualTo(mailExpected);
            assertThat(run.path("push").path("missing").asLong())
                    .isEqualTo(Population.expectedPushMissing(LISTED) + GHOSTS.size());
        }
    }

    private static int partitionOf(String key) {
        return org.apache.kafka.common.utils.Utils.toPositive(org.apache.kafka.common.utils.Utils.murmur2(
                key.getBytes(StandardCharsets.UTF_8))) % PARTITIONS;
    }
}

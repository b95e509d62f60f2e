package dev.herald.topology;

import static dev.herald.topology.TestRecords.campaign;
import static dev.herald.topology.TestRecords.cron;
import static dev.herald.topology.TestRecords.manualTick;
import static dev.herald.topology.TestRecords.recipient;
import static org.assertj.core.api.Assertions.assertThat;

import dev.herald.avro.DeadLetter;
import dev.herald.serdes.DeadLetterHeaders;
import dev.herald.avro.MisfirePolicy;
import dev.herald.avro.PushMessage;
import dev.herald.topology.errors.DeadLetterHandler;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.Test;

/** Bad records on every input topic land in dead-letters with their bytes and reason, and good ones keep flowing. */
class DeadLettersTopologyTest {
    private static final Instant NOW = Instant.parse("2026-05-01T10:00:00Z");
    private static final Instant SLOT = Instant.parse("2026-05-01T09:00:00Z");
    private static final byte[] NOT_AVRO = "{\"id\": \"json?\"}".getBytes(StandardCharsets.UTF_8);
    private static final byte[] UNKNOWN_SCHEMA = {0, 0, 0, 0x7f, 0x7f, 2, 3};

    @Test
    void unreadableRecordsOnEveryInputTopicAreDeadLetteredAndGoodOnesStillFlow() {
        try (HeraldTestDriver herald = HeraldTestDriver.start(NOW)) {
            HeraldTopics topics = herald.topics();
            herald.raw(topics.campaigns().name()).pipeInput(bytes("c1"), NOT_AVRO, NOW);
            herald.raw(topics.recipients().name()).pipeInput(bytes("r1"), UNKNOWN_SCHEMA, NOW);
            herald.raw(topics.scheduleTicks().name()).pipeInput(bytes("c1"), new byte[] {0, 0}, NOW);

            herald.recipients().pipeInput("r1", recipient("r1").build(), NOW);
            herald.campaigns().pipeInput("c1", campaign("c1").build(), NOW);
            herald.ticks().pipeInput("c1", manualTick("c1", SLOT), NOW);

            List<TestRecord<byte[], DeadLetter>> dead = herald.deadLetters().readRecordsToList();
            assertThat(dead).hasSize(3);
            assertThat(dead).extracting(r -> r.value().getTopic()).containsExactly(topics.campaigns().name(),
                    topics.recipients().name(), topics.scheduleTicks().name());
            assertThat(dead).allSatisfy(r -> {
                assertThat(r.value().getStage()).isEqualTo(DeadLetterHandler.STAGE_DESERIALIZATION);
                assertThat(r.value().getErrorClass()).endsWith("SerializationException");
                assertThat(header(r, DeadLetterHeaders.STAGE)).isEqualTo("deserialization");
            });
            assertThat(array(dead.get(0).value().getValue())).isEqualTo(NOT_AVRO);
            assertThat(array(dead.get(0).value().getKey())).isEqualTo(bytes("c1"));
            assertThat(dead.get(0).key()).isEqualTo(bytes("c1"));
            assertThat(array(dead.get(1).value().getValue())).isEqualTo(UNKNOWN_SCHEMA);
            assertThat(herald.pushOutbox().readValuesToList()).extracting(PushMessage::getRecipientId)
                    .containsExactly("r1");
        }
    }

    @Test
    void invalidCampaignIsDeadLetteredAndTheTableKeepsThePreviousVersion() {
        try (HeraldTestDriver herald = HeraldTestDriver.start(NOW)) {
            herald.campaigns().pipeInput("c1", campaign("c1").setName("good").build(), NOW);

            herald.campaigns().pipeInput("c1", campaign("c1").setName("bad")
                    .setSchedule(cron("61 * * * *", "UTC", MisfirePolicy.SKIP)).build(), NOW);
            herald.campaigns().pipeInput("other-key", campaign("c2").build(), NOW);
            herald.campaigns().pipeInput("bad@id", campaign("bad@id").build(), NOW);

            List<DeadLetter> dead = herald.deadLetters().readValuesToList();
            assertThat(dead).hasSize(3).allSatisfy(d -> {
                assertThat(d.getStage()).isEqualTo(DeadLetterHandler.STAGE_PROCESSING);
                assertThat(d.getProcessorNode()).isEqualTo("campaigns-validate");
                assertThat(d.getValue()).isNotNull();
            });
            assertThat(dead.get(0).getErrorMessage()).contains("cron");
            assertThat(dead.get(1).getErrorMessage()).contains("differs from its id");
            assertThat(dead.get(2).getErrorMessage()).contains("may hold only");
            assertThat(herald.campaignStore().get("c1").value().getName()).isEqualTo("good");
            assertThat(herald.campaignStore().get("other-key")).isNull();
        }
    }

    @Test
    void recipientWithoutKeyOrUnderAnotherKeyIsDeadLetteredNotSilentlyDropped() {
        try (HeraldTestDriver herald = HeraldTestDriver.start(NOW)) {
            herald.recipients().pipeInput(null, recipient("r1").build(), NOW);
            herald.recipients().pipeInput("r2", recipient("r1").build(), NOW);

            List<DeadLetter> dead = herald.deadLetters().readValuesToList();
            assertThat(dead).hasSize(2).allSatisfy(d -> {
                assertThat(d.getProcessorNode()).isEqualTo("recipients-validate");
                assertThat(d.getValue()).isNotNull();
            });
            assertThat(dead.get(1).getErrorMessage()).contains("differs from its id");
        }
    }

    @Test
    void tickThatCannotJoinItsCampaignIsDeadLetteredNotDropped() {
        try (HeraldTestDriver herald = HeraldTestDriver.start(NOW)) {
            herald.recipients().pipeInput("r1", recipient("r1").build(), NOW);
            herald.campaigns().pipeInput("c1", campaign("c1").build(), NOW);

            herald.ticks().pipeInput("wrong-key", manualTick("c1", SLOT), NOW);
            herald.ticks().pipeInput(null, manualTick("c1", SLOT), NOW);
            herald.ticks().pipeInput("c1", dev.herald.avro.ScheduleTick.newBuilder(manualTick("c1", SLOT))
                    .setRunId("c1@yesterday").build(), NOW);

            List<DeadLetter> dead = herald.deadLetters().readValuesToList();
            assertThat(dead).hasSize(3).allSatisfy(d -> assertThat(d.getProcessorNode()).isEqualTo("ticks-validate"));
            assertThat(dead.get(2).getErrorMessage()).contains("must be 'c1@2026-05-01T09:00:00Z'");
            assertThat(herald.pushOutbox().isEmpty()).isTrue();

            herald.ticks().pipeInput("c1", manualTick("c1", SLOT), NOW);
            assertThat(herald.pushOutbox().getQueueSize()).isEqualTo(1);
        }
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] array(ByteBuffer buffer) {
        byte[] out = new byte[buffer.remaining()];
        buffer.duplicate().get(out);
        return out;
    }

    private static String header(TestRecord<?, ?> record, String name) {
        Header header = record.headers().lastHeader(name);
        return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }
}

package dev.herald.serdes;

import static org.assertj.core.api.Assertions.assertThat;

import dev.herald.avro.Outcome;
import dev.herald.serdes.TestRecords.CountingRegistry;
import org.junit.jupiter.api.Test;

/** Schemas land under Confluent's TopicNameStrategy subjects, registered once per topic. */
class AvroSerdeSubjectNamingTest {

    @Test
    void valueSerdeRegistersUnderTopicDashValue() {
        InMemorySchemaRegistry registry = new InMemorySchemaRegistry();

        AvroSerde.forValue(Outcome.class, registry).serializer().serialize("outcomes", TestRecords.outcome());

        assertThat(registry.subjects()).containsExactly("outcomes-value");
    }

    @Test
    void keySerdeRegistersUnderTopicDashKey() {
        InMemorySchemaRegistry registry = new InMemorySchemaRegistry();

        AvroSerde.forKey(Outcome.class, registry).serializer().serialize("outcomes", TestRecords.outcome());

        assertThat(registry.subjects()).containsExactly("outcomes-key");
    }

    @Test
    void sameSchemaAsKeyAndValueSharesOneGlobalId() {
        InMemorySchemaRegistry registry = new InMemorySchemaRegistry();

        byte[] key = AvroSerde.forKey(Outcome.class, registry).serializer().serialize("t", TestRecords.outcome());
        byte[] value = AvroSerde.forValue(Outcome.class, registry).serializer().serialize("t", TestRecords.outcome());

        assertThat(registry.ids("t-key")).containsExactly(1);
        assertThat(registry.ids("t-value")).containsExactly(1);
        assertThat(key).isEqualTo(value);
    }

    @Test
    void serializerRegistersOncePerTopic() {
        CountingRegistry registry = new CountingRegistry(new InMemorySchemaRegistry());
        AvroSerializer<Outcome> serializer = new AvroSerializer<>(Outcome.class, registry, false);

        serializer.serialize("a", TestRecords.outcome());
        serializer.serialize("a", TestRecords.outcome());
        serializer.serialize("a", TestRecords.outcome());
        assertThat(registry.registers).hasValue(1);

        serializer.serialize("b", TestRecords.outcome());
        assertThat(registry.registers).hasValue(2);
        assertThat(serializer.subject("b")).isEqualTo("b-value");
    }

    @Test
    void deserializerLooksUpEachWriterSchemaOnce() {
        CountingRegistry registry = new CountingRegistry(new InMemorySchemaRegistry());
        AvroSerde<Outcome> serde = AvroSerde.forValue(Outcome.class, registry);
        byte[] payload = serde.serializer().serialize("outcomes", TestRecords.outcome());

        for (int i = 0; i < 3; i++) {
            assertThat(serde.deserializer().deserialize("outcomes", payload)).isEqualTo(TestRecords.outcome());
        }

        assertThat(registry.lookups).hasValue(1);
    }
}

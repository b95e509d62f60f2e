package dev.herald.topology.errors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.herald.avro.DeadLetter;
import dev.herald.serdes.DeadLetterHeaders;
import dev.herald.serdes.AvroSerde;
import dev.herald.serdes.InMemorySchemaRegistry;
import dev.herald.serdes.SchemaRegistryException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.errors.DeserializationExceptionHandler;
import org.apache.kafka.streams.errors.ErrorHandlerContext;
import org.apache.kafka.streams.errors.ProductionExceptionHandler;
import org.apache.kafka.streams.errors.ProductionExceptionHandler.SerializationExceptionOrigin;
import org.apache.kafka.streams.processor.TaskId;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Every failure stage becomes a dead letter with the original bytes, except outages, which must fail or retry. */
class DeadLetterHandlerTest {
    private static final byte[] KEY = "k".getBytes(StandardCharsets.UTF_8);
    private static final byte[] VALUE = {0, 0, 0, 0, 1, 42};

    private final String scope = "dlh-" + UUID.randomUUID();
    private final InMemorySchemaRegistry registry = InMemorySchemaRegistry.scope(scope);
    private final DeadLetterHandler handler = new DeadLetterHandler();

    {
        handler.configure(Map.of(DeadLetterHandler.TOPIC_CONFIG, "dlq",
                DeadLetterHandler.SCHEMA_REGISTRY_URL_CONFIG, "mock://" + scope));
    }

    @AfterEach
    void dropScope() {
        InMemorySchemaRegistry.dropScope(scope);
    }

    @Test
    void sendTheBrokerRefusesUnderExactlyOnceFailsTheTaskRatherThanLoseTheDeadLetterWithTheTransaction() {
        ProductionExceptionHandler.Response response = handler.handleError(context(),
                new ProducerRecord<>("herald.push-outbox", KEY, VALUE), new RecordTooLargeException("too large"));

        assertThat(response.result()).isEqualTo(ProductionExceptionHandler.Result.FAIL);
        assertThat(response.deadLetterQueueRecords()).isEmpty();
    }

    @Test
    void sendTheBrokerRefusesUnderAtLeastOnceIsDeadLetteredWithoutTheOversizedValue() {
        DeadLetterHandler atLeastOnce = new DeadLetterHandler();
        atLeastOnce.configure(Map.of(DeadLetterHandler.TOPIC_CONFIG, "dlq",
                DeadLetterHandler.SCHEMA_REGISTRY_URL_CONFIG, "mock://" + scope,
                StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.AT_LEAST_ONCE));

        ProductionExceptionHandler.Response response = atLeastOnce.handleError(context(),
                new ProducerRecord<>("herald.push-outbox", KEY, VALUE), new RecordTooLargeException("too large"));

        assertThat(response.result()).isEqualTo(ProductionExceptionHandler.Result.RESUME);
        DeadLetter letter = read(response.deadLetterQueueRecords().get(0));
        assertThat(letter.getStage()).isEqualTo(DeadLetterHandler.STAGE_PRODUCTION);
        assertThat(letter.getValue()).isNull();
        assertThat(letter.getErrorClass()).isEqualTo(RecordTooLargeException.class.getName());
        assertThat(letter.getProcessorNode()).isEqualTo("push-outbox-sink");
    }

    @Test
    void outputTheRegistryRefusesFailsTheTaskInsteadOfEmptyingTheOutbox() {
        SchemaRegistryException refused = new SchemaRegistryException("incompatible", 409, 409);

        ProductionExceptionHandler.Response response = handler.handleSerializationError(context(),
                new ProducerRecord<>("herald.push-outbox", "k", "v"), new SerializationException("no", refused),
                SerializationExceptionOrigin.VALUE);

        assertThat(response.result()).isEqualTo(ProductionExceptionHandler.Result.FAIL);
    }

    @Test
    void recordThatCannotBeSerializedKeepsTheSourceBytes() {
        ProductionExceptionHandler.Response response = handler.handleSerializationError(context(),
                new ProducerRecord<>("herald.push-outbox", "k", "not avro"), new SerializationException("bad"),
                SerializationExceptionOrigin.VALUE);

        DeadLetter letter = read(response.deadLetterQueueRecords().get(0));
        assertThat(letter.getStage()).isEqualTo(DeadLetterHandler.STAGE_PRODUCTION);
        assertThat(bytes(letter.getValue())).as("the source record's bytes").isEqualTo(new byte[] {9, 9});
    }

    @Test
    void transientBrokerErrorIsRetriedNotDeadLettered() {
        ProductionExceptionHandler.Response response = handler.handleError(context(),
                new ProducerRecord<>("herald.push-outbox", KEY, VALUE), new TimeoutException("slow"));

        assertThat(response.result()).isEqualTo(ProductionExceptionHandler.Result.RETRY);
        assertThat(response.deadLetterQueueRecords()).isEmpty();
    }

    @Test
    void unreachableRegistryFailsTheTaskInsteadOfDeadLetteringGoodRecords() {
        SchemaRegistryException outage = new SchemaRegistryException("registry down", -1, -1);
        ConsumerRecord<byte[], byte[]> record = new ConsumerRecord<>("herald.campaigns", 0, 7L, KEY, VALUE);

        DeserializationExceptionHandler.Response response = handler.handleError(context(), record,
                new SerializationException("wrapped", outage));

        assertThat(response.result()).isEqualTo(DeserializationExceptionHandler.Result.FAIL);
        assertThat(response.deadLetterQueueRecords()).isEmpty();
    }

    @Test
    void aReplayedRecordThatFailsAgainKeepsItsReplayMarkSoReplayCanRefuseIt() {
        Headers source = new RecordHeaders().add(DeadLetterHeaders.REPLAYED,
                "herald.dead-letters-0@12".getBytes(StandardCharsets.UTF_8));
        ConsumerRecord<byte[], byte[]> record = new ConsumerRecord<>("herald.campaigns", 0, 7L, KEY, VALUE);

        DeserializationExceptionHandler.Response marked = handler.handleError(context(source), record,
                new SerializationException("not Avro"));
        DeserializationExceptionHandler.Response unmarked = handler.handleError(context(), record,
                new SerializationException("not Avro"));

        assertThat(marked.deadLetterQueueRecords()).singleElement().satisfies(letter -> assertThat(
                new String(letter.headers().lastHeader(DeadLetterHeaders.REPLAYED).value(), StandardCharsets.UTF_8))
                .isEqualTo("herald.dead-letters-0@12"));
        assertThat(unmarked.deadLetterQueueRecords()).singleElement()
                .satisfies(letter -> assertThat(letter.headers().lastHeader(DeadLetterHeaders.REPLAYED)).isNull());
    }

    @Test
    void handlersGivenASerializerShareItInsteadOfEachBuildingARegistryClient() {
        AtomicInteger calls = new AtomicInteger();
        Serializer<DeadLetter> avro = AvroSerde.forValue(DeadLetter.class, registry).serializer();
        Serializer<DeadLetter> shared = (topic, letter) -> {
            calls.incrementAndGet();
            return avro.serialize(topic, letter);
        };
        List<DeadLetterHandler> handlers = List.of(new DeadLetterHandler(), new DeadLetterHandler());
        // No registry URL: a handler that tried to build its own serializer would fail to configure.
        handlers.forEach(h -> h.configure(Map.of(DeadLetterHandler.TOPIC_CONFIG, "dlq",
                DeadLetterHandler.SERIALIZER_CONFIG, shared)));
        ConsumerRecord<byte[], byte[]> record = new ConsumerRecord<>("herald.campaigns", 0, 7L, KEY, VALUE);

        for (DeadLetterHandler h : handlers) {
            DeserializationExceptionHandler.Response response = h.handleError(context(), record,
                    new SerializationException("not Avro"));
            assertThat(read(response.deadLetterQueueRecords().get(0)).getStage())
                    .isEqualTo(DeadLetterHandler.STAGE_DESERIALIZATION);
        }
        assertThat(calls).hasValue(2);
    }

    @Test
    void serializerSettingThatIsNotASerializerStopsStartUpNamingTheSetting() {
        DeadLetterHandler h = new DeadLetterHandler();

        assertThatThrownBy(() -> h.configure(Map.of(DeadLetterHandler.TOPIC_CONFIG, "dlq",
                DeadLetterHandler.SERIALIZER_CONFIG, "mock://elsewhere")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining(DeadLetterHandler.SERIALIZER_CONFIG);
    }

    private DeadLetter read(ProducerRecord<byte[], byte[]> record) {
        assertThat(record.topic()).isEqualTo("dlq");
        assertThat(record.key()).isEqualTo(KEY);
        assertThat(record.headers().lastHeader(DeadLetterHeaders.STAGE)).isNotNull();
        return AvroSerde.forValue(DeadLetter.class, registry).deserializer().deserialize("dlq", record.value());
    }

    private static byte[] bytes(ByteBuffer buffer) {
        byte[] out = new byte[buffer.remaining()];
        buffer.duplicate().get(out);
        return out;
    }

    private static ErrorHandlerContext context() {
        return context(new RecordHeaders());
    }

    private static ErrorHandlerContext context(Headers headers) {
        return new ErrorHandlerContext() {
            public String topic() {
                return "herald.recipients";
            }

            public int partition() {
                return 1;
            }

            public long offset() {
                return 7;
            }

            public Headers headers() {
                return headers;
            }

            public String processorNodeId() {
                return "push-outbox-sink";
            }

            public TaskId taskId() {
                return new TaskId(1, 1);
            }

            public long timestamp() {
                return 0;
            }

            public byte[] sourceRawKey() {
                return KEY;
            }

            public byte[] sourceRawValue() {
                return new byte[] {9, 9};
            }
        };
    }
}

package dev.herald.topology.errors;

import dev.herald.avro.DeadLetter;
import dev.herald.serdes.DeadLetterHeaders;
import dev.herald.serdes.AvroSerde;
import dev.herald.serdes.SchemaRegistryClients;
import dev.herald.serdes.SchemaRegistryException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.errors.RetriableException;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.errors.DeserializationExceptionHandler;
import org.apache.kafka.streams.errors.ErrorHandlerContext;
import org.apache.kafka.streams.errors.ProcessingExceptionHandler;
import org.apache.kafka.streams.errors.ProductionExceptionHandler;
import org.apache.kafka.streams.processor.api.Record;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends every record Herald cannot read, process or produce to the dead-letters topic, with its original bytes, and
 * lets processing continue. The dead letter is written by Kafka Streams in the task's transaction (KIP-1034), so
 * under exactly-once a record is either processed or dead-lettered, never both or neither. Failures that are not the
 * record's fault fail the task instead: an unreachable or refusing schema registry, and (under exactly-once, where
 * the refused transaction takes any dead letter down with it) a send the broker refuses.
 */
public final class DeadLetterHandler
        implements DeserializationExceptionHandler, ProcessingExceptionHandler, ProductionExceptionHandler {

    public static final String STAGE_DESERIALIZATION = "deserialization";
    public static final String STAGE_PROCESSING = "processing";
    public static final String STAGE_PRODUCTION = "production";

    /** The topic dead letters go to; the handler's own setting, passed through the Kafka Streams configuration. */
    public static final String TOPIC_CONFIG = DeadLetterHandler.class.getName() + ".topic";
    /** The registry the DeadLetter schema is registered with (http(s):// or mock://), when no serializer is given. */
    public static final String SCHEMA_REGISTRY_URL_CONFIG = DeadLetterHandler.class.getName() + ".schema.registry.url";
    /**
     * A {@code Serializer<DeadLetter>} object every handler of the application shares (Kafka Streams passes its
     * configuration's objects through). Kafka Streams makes handlers per task and per kind, dozens per instance:
     * each building its own from {@link #SCHEMA_REGISTRY_URL_CONFIG} meant as many registry clients, each with a
     * cache and an HTTP client thread of its own.
     */
    public static final String SERIALIZER_CONFIG = DeadLetterHandler.class.getName() + ".serializer";

    private static final Logger log = LoggerFactory.getLogger(DeadLetterHandler.class);

    private String topic;
    private Serializer<DeadLetter> serializer;
    private boolean exactlyOnce;

    @Override
    public void configure(Map<String, ?> configs) {
        topic = required(configs, TOPIC_CONFIG);
        serializer = serializer(configs);
        exactlyOnce = !StreamsConfig.AT_LEAST_ONCE.equals(String.valueOf(
                configs.get(StreamsConfig.PROCESSING_GUARANTEE_CONFIG)));
    }

    @Override
    public DeserializationExceptionHandler.Response handleError(ErrorHandlerContext context,
            ConsumerRecord<byte[], byte[]> record, Exception exception) {
        if (isRegistryOutage(exception)) {
            return DeserializationExceptionHandler.Response.fail();
        }
        return DeserializationExceptionHandler.Response.resume(List.of(deadLetter(STAGE_DESERIALIZATION, context,
                record.key(), record.value(), exception)));
    }

    @Override
    public ProcessingExceptionHandler.Response handleError(ErrorHandlerContext context, Record<?, ?> record,
            Exception exception) {
        if (isRegistryOutage(exception)) {
            return ProcessingExceptionHandler.Response.fail();
        }
        boolean unreadable = exception instanceof UnreadableRecordException;
        return ProcessingExceptionHandler.Response.resume(List.of(deadLetter(
                unreadable ? STAGE_DESERIALIZATION : STAGE_PROCESSING, context, context.sourceRawKey(),
                context.sourceRawValue(), unreadable ? (Exception) exception.getCause() : exception)));
    }

    @Override
    public ProductionExceptionHandler.Response handleError(ErrorHandlerContext context,
            ProducerRecord<byte[], byte[]> record, Exception exception) {
        if (exception instanceof RetriableException) {
            return ProductionExceptionHandler.Response.retry();
        }
        if (exactlyOnce) {
            // The broker refused a send, so the transaction aborts: a dead letter would be rolled back with it and
            // the input would fail again. Stop the task loudly; the cause is the deployment, not one input.
            log.error("Send to {} refused under exactly-once ({}); failing the task: {}", record.topic(),
                    exception.getClass().getSimpleName(), exception.getMessage());
            return ProductionExceptionHandler.Response.fail();
        }
        // A value the broker found too large would be too large inside a dead letter as well.
        byte[] value = exception instanceof RecordTooLargeException ? null : record.value();
        return ProductionExceptionHandler.Response.resume(List.of(deadLetter(STAGE_PRODUCTION, context,
                record.key(), value, exception)));
    }

    @Override
    @SuppressWarnings("rawtypes")
    public ProductionExceptionHandler.Response handleSerializationError(ErrorHandlerContext context,
            ProducerRecord record, Exception exception, SerializationExceptionOrigin origin) {
        if (involvesRegistry(exception)) {
            // Refused or unreachable, the registry fails every record alike: dead-lettering them would empty the
            // outbox while runs still counted the messages as sent.
            return ProductionExceptionHandler.Response.fail();
        }
        // The record never became bytes; keep the source record's bytes so the input that led here is not lost.
        return ProductionExceptionHandler.Response.resume(List.of(deadLetter(STAGE_PRODUCTION, context,
                context.sourceRawKey(), context.sourceRawValue(), exception)));
    }

    private ProducerRecord<byte[], byte[]> deadLetter(String stage, ErrorHandlerContext context, byte[] key,
            byte[] value, Exception exception) {
        String message = String.valueOf(exception.getMessage());
        log.warn("Dead-lettering a record: stage={} node={} source={}-{}@{} error={}: {}", stage,
                context.processorNodeId(), context.topic(), context.partition(), context.offset(),
                exception.getClass().getName(), message);
        DeadLetter letter = DeadLetter.newBuilder()
                .setStage(stage)
                .setProcessorNode(context.processorNodeId())
                .setTopic(context.topic())
                .setPartition(context.partition())
                .setOffset(context.offset())
                .setKey(key == null ? null : ByteBuffer.wrap(key))
                .setValue(value == null ? null : ByteBuffer.wrap(value))
                .setErrorClass(exception.getClass().getName())
                .setErrorMessage(message)
                .setFailedAt(Instant.now())
                .build();
        Headers headers = new RecordHeaders()
                .add(DeadLetterHeaders.STAGE, utf8(stage))
                .add(DeadLetterHeaders.CLASS, utf8(exception.getClass().getName()))
                .add(DeadLetterHeaders.MESSAGE, utf8(message))
                .add(DeadLetterHeaders.SOURCE, utf8(context.topic() + "-" + context.partition() + "@" + context.offset()));
        // A replayed record that fails again keeps its mark, so replay can refuse it instead of looping.
        Header replayed = context.headers() == null ? null : context.headers().lastHeader(DeadLetterHeaders.REPLAYED);
        if (replayed != null) {
            headers.add(DeadLetterHeaders.REPLAYED, replayed.value());
        }
        return new ProducerRecord<>(topic, null, null, key, serializer.serialize(topic, letter), headers);
    }

    /**
     * A registry that cannot be reached says nothing about the record: dead-lettering would lose good records during
     * an outage, so the task fails instead and the record is retried after the restart (exactly-once keeps it whole).
     */
    static boolean isRegistryOutage(Throwable exception) {
        for (Throwable t = exception; t != null; t = t.getCause()) {
            if (t instanceof SchemaRegistryException registry && registry.isRetriable()) {
                return true;
            }
        }
        return false;
    }

    private static boolean involvesRegistry(Throwable exception) {
        for (Throwable t = exception; t != null; t = t.getCause()) {
            if (t instanceof SchemaRegistryException) {
                return true;
            }
        }
        return false;
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @SuppressWarnings("unchecked")
    private static Serializer<DeadLetter> serializer(Map<String, ?> configs) {
        Object shared = configs.get(SERIALIZER_CONFIG);
        if (shared == null) {
            return AvroSerde.forValue(DeadLetter.class,
                    SchemaRegistryClients.fromUrl(required(configs, SCHEMA_REGISTRY_URL_CONFIG))).serializer();
        }
        if (!(shared instanceof Serializer<?>)) {
            throw new ConfigException(SERIALIZER_CONFIG, shared, "DeadLetterHandler needs a Serializer<DeadLetter> "
                    + "object there, not a " + shared.getClass().getName());
        }
        return (Serializer<DeadLetter>) shared;
    }

    private static String required(Map<String, ?> configs, String name) {
        Object value = configs.get(name);
        if (value == null || value.toString().isBlank()) {
            throw new ConfigException(name, value, "DeadLetterHandler needs " + name);
        }
        return value.toString();
    }
}

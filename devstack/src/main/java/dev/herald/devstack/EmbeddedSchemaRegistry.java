package dev.herald.devstack;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.avro.Schema;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An in-JVM, Confluent-compatible Avro schema registry for the embedded default, storing schemas in a Kafka topic.
 *
 * <p>It speaks the part of the Confluent Schema Registry REST API that Herald's serdes and Confluent-Avro tools use,
 * so any such tool can read Herald's topics; schemas live in a compacted topic, so ids survive restarts.
 *
 * <p>Endpoints: {@code POST /subjects/{s}/versions} (register), {@code POST /subjects/{s}} (look up),
 * {@code GET /subjects}, {@code GET /subjects/{s}/versions}, {@code GET /subjects/{s}/versions/{v|latest}[/schema]},
 * {@code GET /schemas/ids/{id}[/schema|/versions]}, {@code GET /config} and {@code GET /}. Ids are global: the same
 * schema (by Avro's canonical JSON, as Confluent compares) gets the same id under every subject.
 *
 * <p>Deliberately left out: <b>no compatibility is enforced</b> (every valid Avro schema is accepted and
 * {@code GET /config} says {@code NONE}; Herald's build checks its schemas' compatibility), no deletes, no schema
 * references, no JSON Schema or Protobuf, no modes or contexts.
 *
 * <p>Storage: one record per subject version in a one-partition compacted topic, read from the beginning on start.
 * <b>A single registry process may write to a topic</b> (the embedded default): two writers would hand out the same
 * ids for different schemas, as neither sees the other's records after its start.
 */
public final class EmbeddedSchemaRegistry implements AutoCloseable {

    /** The topic the embedded default keeps its schemas in. */
    public static final String DEFAULT_TOPIC = "_herald_schemas";

    private static final Logger log = LoggerFactory.getLogger(EmbeddedSchemaRegistry.class);
    private static final String CONTENT_TYPE = "application/vnd.schemaregistry.v1+json";
    private static final Duration KAFKA_TIMEOUT = Duration.ofSeconds(30);
    private static final Duration WRITE_TIMEOUT = Duration.ofSeconds(20);
    private static final int HTTP_THREADS = 4;

    private final String topic;
    private final HttpServer server;
    private final ExecutorService executor;
    private final KafkaProducer<byte[], byte[]> producer;
    private final Map<String, Object> consumerConfig;
    private final String url;
    private final ObjectMapper json = new ObjectMapper();
    private final AtomicBoolean closed = new AtomicBoolean();

    private final Object lock = new Object();
    /** subject → version → id; sorted, as the API lists subjects and versions in order. */
    private final NavigableMap<String, NavigableMap<Integer, Integer>> subjects = new TreeMap<>();
    private final Map<Integer, String> schemasById = new TreeMap<>();
    private final Map<String, Integer> idsBySchema = new HashMap<>();
    private int maxId;
    /** Set when a write failed without an answer: it may still have landed, so the topic is the truth again. */
    private boolean reloadBeforeWrite;

    private EmbeddedSchemaRegistry(String bootstrapServers, String topic, String host, int port) throws IOException {
        this.topic = topic;
        this.consumerConfig = Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ConsumerConfig.CLIENT_ID_CONFIG, "herald-schema-registry-reader",
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                ConsumerConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) KAFKA_TIMEOUT.toMillis());
        this.producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ProducerConfig.CLIENT_ID_CONFIG, "herald-schema-registry-writer",
                ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true,
                ProducerConfig.LINGER_MS_CONFIG, 0,
                ProducerConfig.MAX_BLOCK_MS_CONFIG, (int) WRITE_TIMEOUT.toMillis(),
                ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 10_000,
                ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 15_000),
                new ByteArraySerializer(), new ByteArraySerializer());
        HttpServer http = null;
        ExecutorService threads = null;
        try {
            // Loaded before binding: an HttpServer that never started cannot give its port back.
            synchronized (lock) {
                reload();
            }
            http = HttpServer.create(new InetSocketAddress(host, port), 0);
            AtomicInteger threadNumber = new AtomicInteger();
            threads = Executors.newFixedThreadPool(HTTP_THREADS, runnable -> {
                Thread thread = new Thread(runnable, "herald-schema-registry-http-" + threadNumber.incrementAndGet());
                thread.setDaemon(true);
                return thread;
            });
            http.setExecutor(threads);
            http.createContext("/", this::handle);
        } catch (IOException | RuntimeException e) {
            if (threads != null) {
                threads.shutdownNow();
            }
            producer.close(Duration.ZERO);
            throw e;
        }
        this.server = http;
        this.executor = threads;
        String shownHost = host.equals("0.0.0.0") || host.equals("::") || host.isBlank() ? "127.0.0.1"
                : host.contains(":") ? "[" + host + "]" : host;
        this.url = "http://" + shownHost + ":" + http.getAddress().getPort();
    }

    /**
     * Creates {@code topic} if missing, loads the schemas it holds and serves the registry API on
     * {@code host}:{@code port} (0 picks a free port).
     *
     * @throws IllegalStateException naming the broker, topic or address when any of that fails
     */
    public static EmbeddedSchemaRegistry start(String bootstrapServers, String topic, String host, int port) {
        Objects.requireNonNull(bootstrapServers, "bootstrapServers");
        Objects.requireNonNull(topic, "topic");
        Objects.requireNonNull(host, "host");
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("Schema registry port must be 0..65535: " + port);
        }
        ensureTopic(bootstrapServers, topic);
        EmbeddedSchemaRegistry registry;
        try {
            registry = new EmbeddedSchemaRegistry(bootstrapServers, topic, host, port);
        } catch (IOException e) {
            throw new IllegalStateException("Schema registry cannot listen on " + host + ":" + port + ": " + e, e);
        }
        registry.server.start();
        synchronized (registry.lock) {
            log.info("Schema registry at {}: {} schemas under {} subjects, stored in topic {}", registry.url,
                    registry.schemasById.size(), registry.subjects.size(), topic);
        }
        return registry;
    }

    /** The base URL clients use, e.g. {@code http://127.0.0.1:8081}. */
    public String url() {
        return url;
    }

    /** The topic holding the schemas. */
    public String topic() {
        return topic;
    }

    /** Stops answering, then closes the producer; idempotent. */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        server.stop(0);
        executor.shutdown();
        try {
            if (!executor.awaitTermination(5, TimeUnit.SECONDS)) {
                executor.shutdownNow();
            }
        } catch (InterruptedException e) {
            executor.shutdownNow();
            Thread.currentThread().interrupt();
        }
        producer.close(Duration.ofSeconds(5));
        log.info("Schema registry at {} stopped", url);
    }

    @Override
    public String toString() {
        return "EmbeddedSchemaRegistry[" + url + ", topic " + topic + "]";
    }

    // ---------------------------------------------------------------------------------------------------- storage

    private static void ensureTopic(String bootstrapServers, String topic) {
        Map<String, Object> config = Map.of(
                AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                AdminClientConfig.CLIENT_ID_CONFIG, "herald-schema-registry-admin",
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) KAFKA_TIMEOUT.toMillis());
        try (Admin admin = Admin.create(config)) {
            // The broker's default replication factor: 1 on the embedded broker, the cluster's choice elsewhere.
            NewTopic newTopic = new NewTopic(topic, Optional.of(1), Optional.empty())
                    .configs(Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT));
            try {
                admin.createTopics(List.of(newTopic)).all().get(KAFKA_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
                log.info("Created schema topic {}", topic);
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof TopicExistsException)) {
                    throw e;
                }
            }
            TopicDescription description = admin.describeTopics(List.of(topic)).allTopicNames()
                    .get(KAFKA_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS).get(topic);
            if (description.partitions().size() != 1) {
                // Versions and ids are assigned in topic order, which only one partition has.
                throw new IllegalStateException("Schema topic " + topic + " at " + bootstrapServers + " has "
                        + description.partitions().size() + " partitions; the registry needs exactly 1");
            }
        } catch (ExecutionException | TimeoutException e) {
            Throwable cause = e instanceof ExecutionException && e.getCause() != null ? e.getCause() : e;
            throw new IllegalStateException("Schema registry cannot create or describe topic " + topic + " at "
                    + bootstrapServers + ": " + cause, cause);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while preparing schema topic " + topic, e);
        }
    }

    /** Rebuilds the maps from the whole topic, up to the end offset seen when starting to read. */
    private void reload() {
        subjects.clear();
        schemasById.clear();
        idsBySchema.clear();
        maxId = 0;
        TopicPartition partition = new TopicPartition(topic, 0);
        long records = 0;
        try (KafkaConsumer<byte[], byte[]> consumer =
                     new KafkaConsumer<>(consumerConfig, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            consumer.assign(List.of(partition));
            consumer.seekToBeginning(List.of(partition));
            long end = consumer.endOffsets(List.of(partition)).get(partition);
            long deadline = System.nanoTime() + KAFKA_TIMEOUT.toNanos();
            while (consumer.position(partition) < end) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("Schema registry could not read topic " + topic + " to offset "
                            + end + " within " + KAFKA_TIMEOUT.toSeconds() + " s (at " + consumer.position(partition)
                            + ")");
                }
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                    applyStored(record);
                    records++;
                }
            }
        } catch (org.apache.kafka.common.KafkaException e) {
            throw new IllegalStateException("Schema registry could not read topic " + topic + ": " + e, e);
        }
        reloadBeforeWrite = false;
        log.debug("Read {} records from schema topic {}", records, topic);
    }

    private void applyStored(ConsumerRecord<byte[], byte[]> record) {
        try {
            JsonNode key = json.readTree(record.key());
            String subject = key.path("subject").asText(null);
            int version = key.path("version").asInt(0);
            if (subject == null || version <= 0) {
                throw new IOException("key without subject and version");
            }
            if (record.value() == null) {
                forget(subject, version);
                return;
            }
            JsonNode value = json.readTree(record.value());
            int id = value.path("id").asInt(0);
            String schema = value.path("schema").asText(null);
            if (id <= 0 || schema == null) {
                throw new IOException("value without id and schema");
            }
            remember(subject, version, id, canonical(schema).orElse(schema));
        } catch (IOException | RuntimeException e) {
            // One unreadable record must not take the other schemas down with it.
            log.warn("Skipping unreadable record at offset {} of schema topic {}: {}", record.offset(), topic,
                    e.toString());
        }
    }

    private void remember(String subject, int version, int id, String schema) {
        subjects.computeIfAbsent(subject, s -> new TreeMap<>()).put(version, id);
        schemasById.put(id, schema);
        idsBySchema.putIfAbsent(schema, id);
        maxId = Math.max(maxId, id);
    }

    private void forget(String subject, int version) {
        NavigableMap<Integer, Integer> versions = subjects.get(subject);
        if (versions != null) {
            versions.remove(version);
            if (versions.isEmpty()) {
                subjects.remove(subject);
            }
        }
    }

    /** Registers {@code canonical} under {@code subject} (idempotent) and returns its global id. */
    private int register(String subject, String canonical) {
        synchronized (lock) {
            if (reloadBeforeWrite) {
                reload();
            }
            NavigableMap<Integer, Integer> versions = subjects.get(subject);
            Integer existing = idsBySchema.get(canonical);
            if (existing != null && versions != null && versions.containsValue(existing)) {
                return existing;
            }
            int id = existing != null ? existing : maxId + 1;
            int version = versions == null || versions.isEmpty() ? 1 : versions.lastKey() + 1;
            write(subject, version, id, canonical);
            remember(subject, version, id, canonical);
            log.info("Registered schema id {} as version {} of subject {}", id, version, subject);
            return id;
        }
    }

    private void write(String subject, int version, int id, String schema) {
        // Always built the same way: compaction matches keys byte for byte.
        ObjectNode key = json.createObjectNode().put("subject", subject).put("version", version);
        ObjectNode value = json.createObjectNode().put("id", id).put("schema", schema);
        try {
            producer.send(new ProducerRecord<>(topic, 0, json.writeValueAsBytes(key), json.writeValueAsBytes(value)))
                    .get(WRITE_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            reloadBeforeWrite = true;
            Thread.currentThread().interrupt();
            throw new ApiError(500, 50001, "Interrupted while storing the schema");
        } catch (ExecutionException | TimeoutException | JsonProcessingException
                 | org.apache.kafka.common.KafkaException e) {
            reloadBeforeWrite = true;
            Throwable cause = e instanceof ExecutionException && e.getCause() != null ? e.getCause() : e;
            log.warn("Could not store schema id {} for subject {} in topic {}", id, subject, topic, cause);
            throw new ApiError(500, 50001, "Error in the backend data store: could not write to topic " + topic
                    + ": " + cause);
        }
    }

    private static Optional<String> canonical(String schema) {
        try {
            return Optional.of(new Schema.Parser().parse(schema).toString());
        } catch (RuntimeException e) {
            return Optional.empty();
        }
    }

    // ---------------------------------------------------------------------------------------------------- HTTP

    private void handle(HttpExchange exchange) {
        int status;
        JsonNode body;
        try {
            body = route(exchange.getRequestMethod(), segments(exchange.getRequestURI().getRawPath()), exchange);
            status = 200;
        } catch (ApiError e) {
            status = e.status;
            body = json.createObjectNode().put("error_code", e.errorCode).put("message", e.getMessage());
        } catch (IOException | RuntimeException e) {
            log.warn("Schema registry failed on {} {}", exchange.getRequestMethod(), exchange.getRequestURI(), e);
            status = 500;
            body = json.createObjectNode().put("error_code", 50001).put("message", "Internal error: " + e);
        }
        try {
            byte[] bytes = json.writeValueAsBytes(body);
            exchange.getResponseHeaders().set("Content-Type", CONTENT_TYPE);
            exchange.sendResponseHeaders(status, bytes.length);
            exchange.getResponseBody().write(bytes);
        } catch (IOException e) {
            log.debug("Could not answer {} {}: the client went away", exchange.getRequestMethod(),
                    exchange.getRequestURI(), e);
        } finally {
            exchange.close();
        }
    }

    private JsonNode route(String method, List<String> path, HttpExchange exchange) throws IOException {
        int n = path.size();
        if (n == 0) {
            allow(method, "GET");
            return json.createObjectNode();
        }
        switch (path.get(0)) {
            case "subjects" -> {
                if (n == 1) {
                    allow(method, "GET");
                    return listSubjects();
                }
                String subject = path.get(1);
                if (n == 2) {
                    allow(method, "POST");
                    return lookUp(subject, readSchema(exchange));
                }
                if (path.get(2).equals("versions")) {
                    if (n == 3) {
                        if (method.equals("POST")) {
                            return json.createObjectNode().put("id", register(subject, readSchema(exchange)));
                        }
                        allow(method, "GET");
                        return listVersions(subject);
                    }
                    if (n == 4 || (n == 5 && path.get(4).equals("schema"))) {
                        allow(method, "GET");
                        ObjectNode version = version(subject, path.get(3));
                        return n == 4 ? version : rawSchema(version.get("schema").asText());
                    }
                }
            }
            case "schemas" -> {
                if (n >= 3 && n <= 4 && path.get(1).equals("ids")) {
                    allow(method, "GET");
                    int id = parseId(path.get(2));
                    String schema = schemaById(id);
                    if (n == 3) {
                        return json.createObjectNode().put("schema", schema);
                    }
                    if (path.get(3).equals("schema")) {
                        return rawSchema(schema);
                    }
                    if (path.get(3).equals("versions")) {
                        return versionsOf(id);
                    }
                }
            }
            case "config" -> {
                if (n == 1) {
                    allow(method, "GET");
                    // The truth: nothing is checked here.
                    return json.createObjectNode().put("compatibilityLevel", "NONE");
                }
            }
            default -> {
                // falls through to 404
            }
        }
        throw new ApiError(404, 404, "HTTP 404 Not Found");
    }

    private static void allow(String method, String allowed) {
        if (!method.equals(allowed)) {
            throw new ApiError(405, 405, "HTTP 405 Method Not Allowed");
        }
    }

    private JsonNode listSubjects() {
        ArrayNode array = json.createArrayNode();
        synchronized (lock) {
            subjects.keySet().forEach(array::add);
        }
        return array;
    }

    private JsonNode listVersions(String subject) {
        ArrayNode array = json.createArrayNode();
        synchronized (lock) {
            versionsOrFail(subject).keySet().forEach(array::add);
        }
        return array;
    }

    private ObjectNode version(String subject, String versionText) {
        int wanted = parseVersion(versionText);
        synchronized (lock) {
            NavigableMap<Integer, Integer> versions = versionsOrFail(subject);
            Map.Entry<Integer, Integer> entry = wanted == -1 ? versions.lastEntry()
                    : versions.containsKey(wanted) ? Map.entry(wanted, versions.get(wanted)) : null;
            if (entry == null) {
                throw new ApiError(404, 40402, "Version " + versionText + " not found.");
            }
            return subjectVersion(subject, entry.getKey(), entry.getValue());
        }
    }

    private ObjectNode lookUp(String subject, String canonical) {
        synchronized (lock) {
            NavigableMap<Integer, Integer> versions = versionsOrFail(subject);
            Integer id = idsBySchema.get(canonical);
            if (id != null) {
                for (Map.Entry<Integer, Integer> entry : versions.entrySet()) {
                    if (entry.getValue().equals(id)) {
                        return subjectVersion(subject, entry.getKey(), id);
                    }
                }
            }
            throw new ApiError(404, 40403, "Schema not found");
        }
    }

    private String schemaById(int id) {
        synchronized (lock) {
            String schema = schemasById.get(id);
            if (schema == null) {
                throw new ApiError(404, 40403, "Schema " + id + " not found");
            }
            return schema;
        }
    }

    private JsonNode versionsOf(int id) {
        ArrayNode array = json.createArrayNode();
        synchronized (lock) {
            subjects.forEach((subject, versions) -> versions.forEach((version, versionId) -> {
                if (versionId == id) {
                    array.addObject().put("subject", subject).put("version", version);
                }
            }));
        }
        return array;
    }

    /** Caller holds {@link #lock}. */
    private ObjectNode subjectVersion(String subject, int version, int id) {
        return json.createObjectNode().put("subject", subject).put("version", version).put("id", id)
                .put("schema", schemasById.get(id));
    }

    /** Caller holds {@link #lock}. */
    private NavigableMap<Integer, Integer> versionsOrFail(String subject) {
        NavigableMap<Integer, Integer> versions = subjects.get(subject);
        if (versions == null || versions.isEmpty()) {
            throw new ApiError(404, 40401, "Subject '" + subject + "' not found.");
        }
        return versions;
    }

    private JsonNode rawSchema(String schema) {
        try {
            return json.readTree(schema);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Stored schema is not JSON: " + e.getMessage(), e);
        }
    }

    /** Reads a register or look-up body and returns the schema in canonical form, or answers 4xx. */
    private String readSchema(HttpExchange exchange) throws IOException {
        JsonNode body;
        try (InputStream in = exchange.getRequestBody()) {
            body = json.readTree(in);
        } catch (JsonProcessingException e) {
            throw new ApiError(400, 400, "Malformed JSON body: " + e.getOriginalMessage());
        }
        if (body == null || !body.isObject()) {
            throw new ApiError(400, 400, "The body must be a JSON object with a \"schema\" field");
        }
        String type = body.path("schemaType").asText("AVRO");
        if (!type.equalsIgnoreCase("AVRO")) {
            throw new ApiError(422, 42201, "Invalid schema: schemaType " + type + " is not supported, only AVRO");
        }
        JsonNode references = body.get("references");
        if (references != null && references.isArray() && !references.isEmpty()) {
            throw new ApiError(422, 42201, "Invalid schema: schema references are not supported");
        }
        JsonNode schema = body.get("schema");
        if (schema == null || !schema.isTextual()) {
            throw new ApiError(422, 42201, "Invalid schema: the body has no \"schema\" string");
        }
        try {
            return new Schema.Parser().parse(schema.asText()).toString();
        } catch (RuntimeException e) {
            // SchemaParseException, but also AvroTypeException for a bad default and others for odd input.
            throw new ApiError(422, 42201, "Invalid schema: " + e.getMessage());
        }
    }

    private static int parseVersion(String text) {
        if (text.equals("latest") || text.equals("-1")) {
            return -1;
        }
        try {
            int version = Integer.parseInt(text);
            if (version > 0) {
                return version;
            }
        } catch (NumberFormatException notANumber) {
            // answered below
        }
        throw new ApiError(422, 42202, "The specified version '" + text + "' is not a valid version id. Allowed "
                + "values are between [1, 2^31-1] and the string \"latest\"");
    }

    private static int parseId(String text) {
        try {
            return Integer.parseInt(text);
        } catch (NumberFormatException e) {
            throw new ApiError(404, 40403, "Schema " + text + " not found");
        }
    }

    private static List<String> segments(String rawPath) {
        List<String> segments = new ArrayList<>();
        for (String raw : rawPath.split("/")) {
            if (!raw.isEmpty()) {
                try {
                    // URLDecoder decodes forms, where '+' means space; in a path it is a plus.
                    segments.add(URLDecoder.decode(raw.replace("+", "%2B"), StandardCharsets.UTF_8));
                } catch (IllegalArgumentException badEscape) {
                    throw new ApiError(404, 404, "HTTP 404 Not Found");
                }
            }
        }
        return segments;
    }

    /** An answer in Confluent's error format: HTTP status plus {"error_code", "message"}. */
    private static final class ApiError extends RuntimeException {
        private static final long serialVersionUID = 1L;
        private final int status;
        private final int errorCode;

        ApiError(int status, int errorCode, String message) {
            super(message, null, false, false);
            this.status = status;
            this.errorCode = errorCode;
        }
    }
}

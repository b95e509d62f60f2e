package dev.herald.devstack;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.herald.devstack.registry.RegistryRoutes;
import dev.herald.devstack.registry.SchemaRegistryService;
import dev.herald.devstack.registry.SchemaTopic;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An in-JVM Avro schema registry for the embedded default, speaking Confluent Schema Registry's REST API and
 * keeping its state in a Kafka topic.
 *
 * <p>It implements the part of the API that Confluent's serializers, clients and tools use (register, look up,
 * versions, ids, compatibility levels and checks, soft and permanent deletes, mode), with Confluent's answers and
 * error codes, and enforces compatibility (BACKWARD by default) with Avro's own check. {@code docs/schema-registry.md}
 * lists the endpoints and what is left out (JSON Schema and Protobuf, references, contexts, modes other than
 * READWRITE, data contracts). The logic lives in {@link dev.herald.devstack.registry}; this class is its HTTP server
 * and lifecycle.
 *
 * <p>Storage: a one-partition compacted topic read from the beginning on start, holding versions (soft deletes as a
 * flag, permanent deletes as tombstones) and compatibility levels. <b>A single registry process may write to a
 * topic</b> (the embedded default): two writers would hand out the same ids for different schemas, as neither sees
 * the other's records after its start.
 */
public final class EmbeddedSchemaRegistry implements AutoCloseable {

    /** The topic the embedded default keeps its schemas in. */
    public static final String DEFAULT_TOPIC = "_herald_schemas";

    private static final Logger log = LoggerFactory.getLogger(EmbeddedSchemaRegistry.class);
    private static final String CONTENT_TYPE = "application/vnd.schemaregistry.v1+json";
    private static final int HTTP_THREADS = 4;

    private final SchemaTopic topic;
    private final RegistryRoutes routes;
    private final HttpServer server;
    private final ExecutorService executor;
    private final String url;
    private final ObjectMapper json = new ObjectMapper();
    private final AtomicBoolean closed = new AtomicBoolean();

    private EmbeddedSchemaRegistry(SchemaTopic topic, String host, int port) throws IOException {
        this.topic = topic;
        // Loaded before binding: an HttpServer that never started cannot give its port back.
        SchemaRegistryService service = SchemaRegistryService.load(topic, json);
        this.routes = new RegistryRoutes(service, json);
        HttpServer http = HttpServer.create(new InetSocketAddress(host, port), 0);
        AtomicInteger threadNumber = new AtomicInteger();
        this.executor = Executors.newFixedThreadPool(HTTP_THREADS, runnable -> {
            Thread thread = new Thread(runnable, "herald-schema-registry-http-" + threadNumber.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
        http.setExecutor(executor);
        http.createContext("/", this::handle);
        this.server = http;
        String shownHost = host.equals("0.0.0.0") || host.equals("::") || host.isBlank() ? "127.0.0.1"
                : host.contains(":") ? "[" + host + "]" : host;
        this.url = "http://" + shownHost + ":" + http.getAddress().getPort();
        log.info("Schema registry at {}: {}, stored in topic {}", url, service.summary(), topic.name());
    }

    /**
     * Creates {@code topic} if missing, loads the state it holds and serves the registry API on
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
        SchemaTopic schemaTopic = SchemaTopic.open(bootstrapServers, topic, new ObjectMapper());
        EmbeddedSchemaRegistry registry;
        try {
            registry = new EmbeddedSchemaRegistry(schemaTopic, host, port);
        } catch (IOException e) {
            schemaTopic.close();
            throw new IllegalStateException("Schema registry cannot listen on " + host + ":" + port + ": " + e, e);
        } catch (RuntimeException e) {
            schemaTopic.close();
            throw e;
        }
        registry.server.start();
        return registry;
    }

    /** The base URL clients use, e.g. {@code http://127.0.0.1:8081}. */
    public String url() {
        return url;
    }

    /** The topic holding the schemas. */
    public String topic() {
        return topic.name();
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
        topic.close();
        log.info("Schema registry at {} stopped", url);
    }

    @Override
    public String toString() {
        return "EmbeddedSchemaRegistry[" + url + ", topic " + topic.name() + "]";
    }

    private void handle(HttpExchange exchange) {
        RegistryRoutes.Response response;
        try {
            response = routes.handle(exchange.getRequestMethod(), exchange.getRequestURI().getRawPath(),
                    exchange.getRequestURI().getRawQuery(), exchange.getRequestBody());
        } catch (IOException | RuntimeException e) {
            log.warn("Schema registry failed on {} {}", exchange.getRequestMethod(), exchange.getRequestURI(), e);
            response = new RegistryRoutes.Response(500, json.createObjectNode().put("error_code", 50001)
                    .put("message", "Internal error: " + e));
        }
        try {
            byte[] bytes = json.writeValueAsBytes(response.body());
            exchange.getResponseHeaders().set("Content-Type", CONTENT_TYPE);
            exchange.sendResponseHeaders(response.status(), bytes.length);
            exchange.getResponseBody().write(bytes);
        } catch (IOException e) {
            log.debug("Could not answer {} {}: the client went away", exchange.getRequestMethod(),
                    exchange.getRequestURI(), e);
        } finally {
            exchange.close();
        }
    }
}

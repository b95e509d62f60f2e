package dev.herald.serdes;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.avro.Schema;

/** A loopback HTTP server speaking the slice of the Confluent Schema Registry API the client uses. */
final class FakeConfluentRegistry implements AutoCloseable {
    private static final Pattern REGISTER = Pattern.compile("/subjects/([^/]+)/versions");
    private static final Pattern LOOKUP = Pattern.compile("/schemas/ids/(\\d+)");

    record Request(String method, String rawPath, String subject, String contentType) {
    }

    private record Rejection(int status, String body) {
    }

    private final HttpServer server;
    private final ObjectMapper json = new ObjectMapper();
    private final Map<String, Integer> idsBySchema = new HashMap<>();
    private final Map<Integer, String> schemasById = new HashMap<>();
    private final Map<String, Rejection> rejections = new ConcurrentHashMap<>();
    private volatile Rejection everything;
    final List<Request> requests = Collections.synchronizedList(new ArrayList<>());
    final AtomicInteger requestCount = new AtomicInteger();

    FakeConfluentRegistry() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", this::handle);
        server.start();
    }

    URI uri() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    /** Registrations under {@code subject} are answered with this status and Confluent error body. */
    void reject(String subject, int status, int errorCode, String message) {
        rejections.put(subject, new Rejection(status, errorBody(errorCode, message)));
    }

    /** Every request is answered with this status and raw body (a failing backend or proxy). */
    void failEverything(int status, String body) {
        everything = new Rejection(status, body);
    }

    private String errorBody(int errorCode, String message) {
        return json.createObjectNode().put("error_code", errorCode).put("message", message).toString();
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            requestCount.incrementAndGet();
            String method = exchange.getRequestMethod();
            String rawPath = exchange.getRequestURI().getRawPath();
            String contentType = exchange.getRequestHeaders().getFirst("Content-Type");
            byte[] requestBody = exchange.getRequestBody().readAllBytes();
            Matcher register = REGISTER.matcher(rawPath);
            Matcher lookup = LOOKUP.matcher(rawPath);
            String subject = register.matches() ? URLDecoder.decode(register.group(1), StandardCharsets.UTF_8) : null;
            requests.add(new Request(method, rawPath, subject, contentType));
            if (everything != null) {
                respond(exchange, everything.status(), everything.body());
            } else if (register.matches() && method.equals("POST")) {
                register(exchange, subject, contentType, requestBody);
            } else if (lookup.matches() && method.equals("GET")) {
                lookup(exchange, Integer.parseInt(lookup.group(1)));
            } else {
                respond(exchange, 404, errorBody(404, "HTTP 404 Not Found"));
            }
        }
    }

    private void register(HttpExchange exchange, String subject, String contentType, byte[] body) throws IOException {
        if (!HttpSchemaRegistryClient.CONTENT_TYPE.equals(contentType)) {
            respond(exchange, 415, errorBody(415, "HTTP 415 Unsupported Media Type"));
            return;
        }
        Rejection rejection = rejections.get(subject);
        if (rejection != null) {
            respond(exchange, rejection.status(), rejection.body());
            return;
        }
        JsonNode schemaText = json.readTree(body).get("schema");
        try {
            new Schema.Parser().parse(schemaText.asText());
        } catch (RuntimeException e) {
            respond(exchange, 422, errorBody(42201, "Invalid schema"));
            return;
        }
        int id;
        synchronized (this) {
            id = idsBySchema.computeIfAbsent(schemaText.asText(), s -> idsBySchema.size() + 1);
            schemasById.put(id, schemaText.asText());
        }
        respond(exchange, 200, json.createObjectNode().put("id", id).toString());
    }

    private void lookup(HttpExchange exchange, int id) throws IOException {
        String schema;
        synchronized (this) {
            schema = schemasById.get(id);
        }
        if (schema == null) {
            respond(exchange, 404, errorBody(40403, "Schema not found"));
        } else {
            respond(exchange, 200, json.createObjectNode().put("schema", schema).toString());
        }
    }

    private static void respond(HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", HttpSchemaRegistryClient.CONTENT_TYPE);
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}

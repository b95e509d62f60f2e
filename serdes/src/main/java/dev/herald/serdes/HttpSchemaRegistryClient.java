package dev.herald.serdes;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.avro.Schema;
import org.apache.avro.SchemaParseException;

/** Client for a Confluent-compatible Schema Registry over its REST API, caching answers so hot paths do no I/O. */
public final class HttpSchemaRegistryClient implements SchemaRegistryClient {

    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(10);

    static final String CONTENT_TYPE = "application/vnd.schemaregistry.v1+json";
    private static final String ACCEPT =
            "application/vnd.schemaregistry.v1+json, application/vnd.schemaregistry+json; qs=0.9, application/json; qs=0.5";
    private static final int MAX_BODY_IN_MESSAGE = 300;

    private final String base;
    private final Duration timeout;
    private final HttpClient http;
    private final ObjectMapper json = new ObjectMapper();
    private final Map<SubjectSchema, Integer> ids = new ConcurrentHashMap<>();
    private final Map<Integer, Schema> schemas = new ConcurrentHashMap<>();

    public HttpSchemaRegistryClient(URI baseUri) {
        this(baseUri, DEFAULT_TIMEOUT);
    }

    public HttpSchemaRegistryClient(URI baseUri, Duration timeout) {
        Objects.requireNonNull(baseUri, "baseUri");
        Objects.requireNonNull(timeout, "timeout");
        String scheme = baseUri.getScheme() == null ? "" : baseUri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https")) {
            throw new IllegalArgumentException("Schema registry URL '" + baseUri + "' must be http:// or https://");
        }
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("Schema registry timeout must be positive: " + timeout);
        }
        String text = baseUri.toString();
        // Keep any path prefix (a registry behind a proxy), drop trailing slashes so paths join cleanly.
        while (text.endsWith("/")) {
            text = text.substring(0, text.length() - 1);
        }
        this.base = text;
        this.timeout = timeout;
        // HTTP/1.1 because registries and proxies commonly mishandle the h2c upgrade on plain http.
        this.http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(timeout).build();
    }

    /** The registry's base URL, as requests are built from it. */
    public String baseUrl() {
        return base;
    }

    @Override
    public int register(String subject, Schema schema) {
        Objects.requireNonNull(subject, "subject");
        Objects.requireNonNull(schema, "schema");
        String schemaText = schema.toString();
        SubjectSchema key = new SubjectSchema(subject, schemaText);
        Integer cached = ids.get(key);
        if (cached != null) {
            return cached;
        }
        String url = base + "/subjects/" + encodePathSegment(subject) + "/versions";
        ObjectNode body = json.createObjectNode().put("schema", schemaText);
        HttpRequest request = HttpRequest.newBuilder(URI.create(url))
                .timeout(timeout)
                .header("Content-Type", CONTENT_TYPE)
                .header("Accept", ACCEPT)
                .POST(HttpRequest.BodyPublishers.ofString(body.toString(), StandardCharsets.UTF_8))
                .build();
        String what = "register a schema under subject '" + subject + "'";
        Answer answer = send(request, what, url);
        JsonNode id = answer.body().get("id");
        if (id == null || !id.canConvertToInt()) {
            throw answer.malformed("without an integer id", what, url);
        }
        int value = id.intValue();
        ids.putIfAbsent(key, value);
        // Our own records are the ones we read back most: spare the lookup by id.
        schemas.putIfAbsent(value, schema);
        return value;
    }

    @Override
    public Schema schemaById(int id) {
        Schema cached = schemas.get(id);
        if (cached != null) {
            return cached;
        }
        String url = base + "/schemas/ids/" + id;
        HttpRequest request = HttpRequest.newBuilder(URI.create(url))
                .timeout(timeout)
                .header("Accept", ACCEPT)
                .GET()
                .build();
        String what = "fetch the schema with id " + id;
        Answer answer = send(request, what, url);
        JsonNode type = answer.body().get("schemaType");
        if (type != null && type.isTextual() && !type.asText().equalsIgnoreCase("AVRO")) {
            throw new SchemaRegistryException("Schema with id " + id + " at " + url + " is a " + type.asText()
                    + " schema, not Avro", answer.status(), SchemaRegistryException.NO_ERROR_CODE);
        }
        JsonNode text = answer.body().get("schema");
        if (text == null || !text.isTextual()) {
            throw answer.malformed("without a schema", what, url);
        }
        Schema schema;
        try {
            schema = new Schema.Parser().parse(text.asText());
        } catch (SchemaParseException e) {
            throw new SchemaRegistryException("Schema with id " + id + " at " + url + " is not valid Avro: "
                    + e.getMessage(), answer.status(), SchemaRegistryException.NO_ERROR_CODE, e);
        }
        Schema raced = schemas.putIfAbsent(id, schema);
        return raced != null ? raced : schema;
    }

    private Answer send(HttpRequest request, String what, String url) {
        HttpResponse<String> response;
        try {
            response = http.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        } catch (HttpTimeoutException e) {
            throw new SchemaRegistryException("Schema registry at " + url + " did not answer within " + timeout
                    + " the request to " + what, e);
        } catch (IOException e) {
            throw new SchemaRegistryException("Schema registry at " + url + " is unreachable, could not " + what
                    + ": " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SchemaRegistryException("Interrupted while asking the schema registry at " + url + " to " + what, e);
        }
        int status = response.statusCode();
        String body = response.body() == null ? "" : response.body();
        if (status / 100 != 2) {
            throw failure(status, body, what, url);
        }
        try {
            JsonNode tree = json.readTree(body);
            if (tree == null || !tree.isObject()) {
                throw new IOException("not a JSON object");
            }
            return new Answer(status, tree);
        } catch (IOException e) {
            throw new SchemaRegistryException("Schema registry at " + url + " answered the request to " + what
                    + " with HTTP " + status + " but a body that is not a JSON object: " + abbreviate(body), status,
                    SchemaRegistryException.NO_ERROR_CODE, e);
        }
    }

    private SchemaRegistryException failure(int status, String body, String what, String url) {
        int errorCode = SchemaRegistryException.NO_ERROR_CODE;
        String detail = abbreviate(body);
        try {
            JsonNode error = json.readTree(body);
            if (error != null && error.isObject()) {
                JsonNode code = error.get("error_code");
                JsonNode message = error.get("message");
                if (code != null && code.canConvertToInt()) {
                    errorCode = code.intValue();
                }
                if (message != null && !message.isNull()) {
                    detail = message.asText();
                }
            }
        } catch (IOException notJson) {
            // Proxies answer with HTML or plain text: the raw (abbreviated) body is the best detail there is.
        }
        StringBuilder message = new StringBuilder("Schema registry answered HTTP ").append(status)
                .append(" to the request to ").append(what);
        if (errorCode != SchemaRegistryException.NO_ERROR_CODE) {
            message.append(": error_code ").append(errorCode);
        }
        if (!detail.isEmpty()) {
            message.append(errorCode != SchemaRegistryException.NO_ERROR_CODE ? ", " : ": ")
                    .append("message: ").append(detail);
        }
        message.append(" (").append(url).append(')');
        return new SchemaRegistryException(message.toString(), status, errorCode);
    }

    private static String abbreviate(String text) {
        String flat = text.strip().replaceAll("\\s+", " ");
        return flat.length() <= MAX_BODY_IN_MESSAGE ? flat : flat.substring(0, MAX_BODY_IN_MESSAGE) + "…";
    }

    static String encodePathSegment(String segment) {
        // URLEncoder does form encoding; in a path a space must be %20, not '+'.
        return URLEncoder.encode(segment, StandardCharsets.UTF_8).replace("+", "%20");
    }

    @Override
    public String toString() {
        return "HttpSchemaRegistryClient[" + base + "]";
    }

    private record SubjectSchema(String subject, String schema) {
    }

    private record Answer(int status, JsonNode body) {
        SchemaRegistryException malformed(String problem, String what, String url) {
            return new SchemaRegistryException("Schema registry at " + url + " answered the request to " + what
                    + " (HTTP " + status + ") " + problem + ": " + abbreviate(body.toString()), status,
                    SchemaRegistryException.NO_ERROR_CODE);
        }
    }
}

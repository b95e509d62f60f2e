package dev.herald.devstack.registry;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.function.Predicate;

/**
 * Maps Confluent Schema Registry REST requests (method, path, query, body) to {@link SchemaRegistryService} calls and
 * their JSON answers; errors become Confluent's {@code {"error_code", "message"}} bodies.
 */
public final class RegistryRoutes {

    /** An answer: HTTP status and JSON body. */
    public record Response(int status, JsonNode body) {
    }

    private final SchemaRegistryService service;
    private final ObjectMapper json;

    public RegistryRoutes(SchemaRegistryService service, ObjectMapper json) {
        this.service = Objects.requireNonNull(service, "service");
        this.json = Objects.requireNonNull(json, "json");
    }

    /** Answers one request; never throws for a bad request, only for a broken body stream. */
    public Response handle(String method, String rawPath, String rawQuery, InputStream body) throws IOException {
        try {
            return new Response(200, route(method, segments(rawPath), Query.parse(rawQuery), body));
        } catch (ApiException e) {
            return error(e);
        }
    }

    /** The answer for {@code e}. */
    public Response error(ApiException e) {
        return new Response(e.status(), json.createObjectNode().put("error_code", e.errorCode())
                .put("message", e.getMessage()));
    }

    private JsonNode route(String method, List<String> path, Query query, InputStream body) throws IOException {
        int n = path.size();
        if (n == 0) {
            allow(method, "GET");
            return json.createObjectNode();
        }
        switch (path.get(0)) {
            case "subjects" -> {
                return subjects(method, path, query, body);
            }
            case "schemas" -> {
                return schemas(method, path, query);
            }
            case "config" -> {
                if (n <= 2) {
                    String subject = n == 2 ? path.get(1) : null;
                    return switch (method) {
                        case "GET" -> service.config(subject, query.flag("defaultToGlobal"));
                        case "PUT" -> service.updateConfig(subject, readObject(body));
                        case "DELETE" -> service.deleteConfig(subject);
                        default -> throw ApiException.methodNotAllowed();
                    };
                }
            }
            case "compatibility" -> {
                // /compatibility/subjects/{s}/versions[/{v}]
                if ((n == 4 || n == 5) && path.get(1).equals("subjects") && path.get(3).equals("versions")) {
                    allow(method, "POST");
                    String schema = readSchema(body);
                    return service.testCompatibility(path.get(2), n == 5 ? path.get(4) : null, schema,
                            query.flag("verbose"));
                }
            }
            case "mode" -> {
                if (n <= 2) {
                    return mode(method, n == 2 ? path.get(1) : null, query, body);
                }
            }
            default -> {
                // falls through to 404
            }
        }
        throw ApiException.notFound();
    }

    private JsonNode subjects(String method, List<String> path, Query query, InputStream body) throws IOException {
        int n = path.size();
        boolean deleted = query.flag("deleted");
        if (n == 1) {
            allow(method, "GET");
            return service.listSubjects(deleted, subjectPrefix(query));
        }
        String subject = path.get(1);
        if (n == 2) {
            return switch (method) {
                case "POST" -> service.lookUp(subject, readSchema(body), deleted);
                case "DELETE" -> service.deleteSubject(subject, query.flag("permanent"));
                default -> throw ApiException.methodNotAllowed();
            };
        }
        if (!path.get(2).equals("versions")) {
            throw ApiException.notFound();
        }
        if (n == 3) {
            return switch (method) {
                case "POST" -> service.register(subject, readSchema(body));
                case "GET" -> service.listVersions(subject, deleted);
                default -> throw ApiException.methodNotAllowed();
            };
        }
        String version = path.get(3);
        if (n == 4) {
            return switch (method) {
                case "GET" -> service.version(subject, version, deleted);
                case "DELETE" -> service.deleteVersion(subject, version, query.flag("permanent"));
                default -> throw ApiException.methodNotAllowed();
            };
        }
        if (n == 5 && path.get(4).equals("schema")) {
            allow(method, "GET");
            return service.schemaTree(service.version(subject, version, deleted).get("schema").asText());
        }
        if (n == 5 && path.get(4).equals("referencedby")) {
            allow(method, "GET");
            return service.referencedBy(subject, version);
        }
        throw ApiException.notFound();
    }

    private JsonNode schemas(String method, List<String> path, Query query) {
        int n = path.size();
        allow(method, "GET");
        boolean deleted = query.flag("deleted");
        if (n == 1) {
            return service.listSchemas(subjectPrefix(query), deleted, query.flag("latestOnly"));
        }
        if (n == 2 && path.get(1).equals("types")) {
            // Only Avro: JSON Schema and Protobuf would need their own parsers and compatibility rules.
            return json.createArrayNode().add("AVRO");
        }
        if ((n == 3 || n == 4) && path.get(1).equals("ids")) {
            String id = path.get(2);
            if (n == 3) {
                return json.createObjectNode().put("schema", service.schemaById(id));
            }
            return switch (path.get(3)) {
                case "schema" -> service.schemaTree(service.schemaById(id));
                case "versions" -> service.versionsOf(id, deleted);
                case "subjects" -> service.subjectsOf(id, deleted);
                default -> throw ApiException.notFound();
            };
        }
        throw ApiException.notFound();
    }

    /** Always READWRITE: the embedded registry has no other mode, so only READWRITE may be "set". */
    private JsonNode mode(String method, String subject, Query query, InputStream body) throws IOException {
        switch (method) {
            case "GET" -> {
                if (subject != null && !query.flag("defaultToGlobal")) {
                    throw ApiException.subjectModeNotConfigured(subject);
                }
                return json.createObjectNode().put("mode", "READWRITE");
            }
            case "PUT" -> {
                JsonNode mode = readObject(body).get("mode");
                if (mode == null || !mode.asText().toUpperCase(Locale.ROOT).equals("READWRITE")) {
                    throw ApiException.invalidMode();
                }
                return json.createObjectNode().put("mode", "READWRITE");
            }
            default -> throw ApiException.methodNotAllowed();
        }
    }

    /**
     * The subjects {@code subjectPrefix} asks for. Confluent's context wildcard {@code :*:} (its default) and the
     * default context {@code :.:} are every subject here; another context ({@code :.name:}) has none, as the
     * embedded registry only has the default one.
     */
    private static Predicate<String> subjectPrefix(Query query) {
        String prefix = query.value("subjectPrefix");
        if (prefix == null || prefix.equals(":*:")) {
            return subject -> true;
        }
        if (prefix.startsWith(":.:")) {
            String rest = prefix.substring(3);
            return subject -> subject.startsWith(rest);
        }
        if (prefix.startsWith(":.")) {
            return subject -> false;
        }
        return subject -> subject.startsWith(prefix);
    }

    private static void allow(String method, String allowed) {
        if (!method.equals(allowed)) {
            throw ApiException.methodNotAllowed();
        }
    }

    private JsonNode readObject(InputStream in) throws IOException {
        JsonNode body;
        try (in) {
            body = json.readTree(in);
        } catch (JsonProcessingException e) {
            throw ApiException.badRequest("Malformed JSON body: " + e.getOriginalMessage());
        }
        if (body == null || !body.isObject()) {
            throw ApiException.badRequest("The body must be a JSON object");
        }
        return body;
    }

    /** Reads a register, look-up or compatibility body: the schema text, after refusing what is not supported. */
    private String readSchema(InputStream in) throws IOException {
        JsonNode body = readObject(in);
        String type = body.path("schemaType").asText("AVRO");
        if (!type.equalsIgnoreCase("AVRO")) {
            throw ApiException.invalidSchema("Invalid schema: schemaType " + type + " is not supported by the "
                    + "embedded registry, only AVRO");
        }
        JsonNode references = body.get("references");
        if (references != null && references.isArray() && !references.isEmpty()) {
            throw ApiException.invalidSchema("Invalid schema: schema references are not supported by the embedded "
                    + "registry");
        }
        for (String unsupported : List.of("metadata", "ruleSet")) {
            JsonNode value = body.get(unsupported);
            if (value != null && !value.isNull() && !value.isEmpty()) {
                throw ApiException.invalidSchema("Invalid schema: " + unsupported + " (data contracts) is not "
                        + "supported by the embedded registry");
            }
        }
        for (String importOnly : List.of("id", "version")) {
            if (body.path(importOnly).asInt(0) > 0) {
                throw new ApiException(422, 42205, "Operation not permitted: registering with a given " + importOnly
                        + " needs IMPORT mode, which the embedded registry does not support");
            }
        }
        JsonNode schema = body.get("schema");
        return schema != null && schema.isTextual() ? schema.asText() : null;
    }

    private static List<String> segments(String rawPath) {
        List<String> segments = new ArrayList<>();
        for (String raw : rawPath.split("/")) {
            if (!raw.isEmpty()) {
                segments.add(decode(raw));
            }
        }
        return segments;
    }

    private static String decode(String raw) {
        try {
            // URLDecoder decodes forms, where '+' means space; in a path it is a plus.
            return URLDecoder.decode(raw.replace("+", "%2B"), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException badEscape) {
            throw ApiException.notFound();
        }
    }

    private static String decodeQuery(String raw) {
        try {
            // Form encoding, as JAX-RS servers decode query parameters: '+' is a space there.
            return URLDecoder.decode(raw, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException badEscape) {
            throw ApiException.badRequest("Malformed query string");
        }
    }

    /** Query parameters; Confluent's boolean ones are true only when spelled {@code true}, in any case. */
    private record Query(Map<String, String> values) {
        static Query parse(String rawQuery) {
            Map<String, String> values = new HashMap<>();
            if (rawQuery != null) {
                for (String pair : rawQuery.split("&")) {
                    if (pair.isEmpty()) {
                        continue;
                    }
                    int equals = pair.indexOf('=');
                    String name = decodeQuery(equals < 0 ? pair : pair.substring(0, equals));
                    values.putIfAbsent(name, equals < 0 ? "" : decodeQuery(pair.substring(equals + 1)));
                }
            }
            return new Query(values);
        }

        boolean flag(String name) {
            return "true".equalsIgnoreCase(values.get(name));
        }

        String value(String name) {
            String value = values.get(name);
            return value == null || value.isEmpty() ? null : value;
        }
    }
}

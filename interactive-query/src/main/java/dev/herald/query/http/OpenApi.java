package dev.herald.query.http;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.herald.query.ApiPaths;
import dev.herald.query.model.CampaignDetail;
import dev.herald.query.model.CampaignList;
import dev.herald.query.model.CampaignSummary;
import dev.herald.query.model.Instances;
import dev.herald.query.model.RunList;
import dev.herald.query.model.RunProgress;
import dev.herald.query.model.SummaryOverview;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * The OpenAPI 3 contract of the HTTP API. Response schemas are derived from the answer records themselves (what
 * Jackson writes: component names, null where a component may be null, omitted where it is NON_NULL), so the
 * document cannot drift from the answers; the routes and their parameters are listed here.
 */
public final class OpenApi {
    /** Where the document and the page that renders it are served (outside /api: readable without a token). */
    public static final String DOCUMENT = "/openapi.json";
    public static final String PAGE = "/api-docs";
    /** The WebJar the page loads Swagger UI from; must equal the swagger-ui dependency's version. */
    static final String SWAGGER_UI = "/webjars/swagger-ui/5.35.0";
    static final String PAGE_HTML = """
            <!doctype html>
            <html lang="en">
            <head>
              <meta charset="utf-8">
              <title>Herald HTTP API</title>
              <link rel="stylesheet" href="%1$s/swagger-ui.css">
            </head>
            <body>
              <div id="api"></div>
              <script src="%1$s/swagger-ui-bundle.js"></script>
              <script>SwaggerUIBundle({url: '%2$s', dom_id: '#api'});</script>
            </body>
            </html>
            """.formatted(SWAGGER_UI, DOCUMENT);

    /** A documented GET route: its answer type, whether keyed (one object plus servedBy), and its parameters. */
    record Route(String path, String summary, Class<?> answer, boolean keyed, List<String> query) {
    }

    static final List<Route> ROUTES = List.of(
            new Route(ApiPaths.CAMPAIGNS, "Every campaign with its status and next fire, gathered from every "
                    + "instance (or from this instance's replica with maxLag)", CampaignList.class, false,
                    List.of("maxLag")),
            new Route(ApiPaths.CAMPAIGN, "One campaign as its owner holds it", CampaignDetail.class, true,
                    List.of("maxLag")),
            new Route(ApiPaths.CAMPAIGN_SUMMARY, "A campaign's windowed delivery counts in [from, to]",
                    CampaignSummary.class, true, List.of("window", "from", "to", "maxLag")),
            new Route(ApiPaths.CAMPAIGN_RUNS, "A campaign's runs with their progress", RunList.class, false,
                    List.of("maxLag")),
            new Route(ApiPaths.RUN, "One run's progress and counts", RunProgress.class, true, List.of("maxLag")),
            new Route(ApiPaths.SUMMARY, "Every campaign's totals over the hourly windows in [from, to]",
                    SummaryOverview.class, false, List.of("from", "to")),
            new Route(ApiPaths.INSTANCES, "The instances of this deployment", Instances.class, false, List.of()));

    private static final Map<String, String> QUERY_DOCS = Map.of(
            "maxLag", "how many records behind a replica may be and still answer: lists from this instance's "
                    + "replica, keyed answers from a local copy when the active one cannot answer (flagged stale)",
            "window", "1m or 1h (default 1h)",
            "from", "ISO-8601 instant (default: 24 hours before to, not before the retention)",
            "to", "ISO-8601 instant (default: now)");

    private final ObjectMapper mapper = new ObjectMapper();
    private final ObjectNode schemas = mapper.createObjectNode();
    private final String document;

    OpenApi() {
        ObjectNode root = mapper.createObjectNode();
        root.put("openapi", "3.0.3");
        root.putObject("info").put("title", "Herald HTTP API").put("version", "1")
                .put("description", "Live delivery summaries of Herald's campaigns and runs. Errors are RFC 9457 "
                        + "problem documents; 503 answers carry Retry-After.");
        ObjectNode paths = root.putObject("paths");
        for (Route route : ROUTES) {
            ObjectNode get = paths.putObject(route.path()).putObject("get");
            get.put("summary", route.summary());
            get.putArray("security").addObject().putArray("bearerAuth");
            ArrayNode parameters = get.putArray("parameters");
            for (String name : pathParameters(route.path())) {
                parameters.addObject().put("name", name).put("in", "path").put("required", true)
                        .putObject("schema").put("type", "string");
            }
            for (String name : route.query()) {
                ObjectNode parameter = parameters.addObject().put("name", name).put("in", "query")
                        .put("required", false).put("description", QUERY_DOCS.get(name));
                parameter.putObject("schema").put("type", name.equals("maxLag") ? "integer" : "string");
            }
            ObjectNode responses = get.putObject("responses");
            String schema = route.keyed() ? keyed(route.answer()) : schemaOf(route.answer());
            if (route.query().contains("from")) {
                ((ObjectNode) schemas.get(schema)).withObject("properties").putObject("retainedFrom")
                        .put("type", "string").put("format", "date-time")
                        .put("description", "present when from asked for windows older than the retention: the "
                                + "oldest retained instant it was clamped to");
            }
            ok(responses, "the answer", ref(schema));
            problem(responses, "400", "a parameter is not valid");
            problem(responses, "401", "a token is configured and the request does not carry it");
            if (!route.query().isEmpty() || route.keyed() || route.path().contains("{")) {
                problem(responses, "404", "no such campaign or run");
            }
            problem(responses, "503", "not ready, rebalancing, or the owner cannot answer (Retry-After)");
        }
        health(paths, ApiPaths.LIVE, "200 while the instance can recover by itself; 503 once it cannot");
        health(paths, ApiPaths.READY, "200 when its stores can be queried; 503 otherwise");
        paths.putObject(ApiPaths.METRICS).putObject("get").put("summary", "Prometheus metrics")
                .putObject("responses").putObject("200").put("description", "text exposition format")
                .putObject("content").putObject("text/plain").putObject("schema").put("type", "string");
        schemaOf(Problem.class);
        ObjectNode components = root.putObject("components");
        components.set("schemas", schemas);
        components.putObject("securitySchemes").putObject("bearerAuth").put("type", "http").put("scheme", "bearer")
                .put("description", "only when herald.http.auth.token is set");
        try {
            document = mapper.writerWithDefaultPrettyPrinter().writeValueAsString(root);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    String json() {
        return document;
    }

    private void health(ObjectNode paths, String path, String description) {
        ObjectNode responses = paths.putObject(path).putObject("get").put("summary", description)
                .putObject("responses");
        ok(responses, "up", mapper.createObjectNode().put("type", "object"));
        problem(responses, "503", "down");
    }

    private void ok(ObjectNode responses, String description, ObjectNode schema) {
        responses.putObject("200").put("description", description).putObject("content")
                .putObject("application/json").set("schema", schema);
    }

    private void problem(ObjectNode responses, String status, String description) {
        responses.putObject(status).put("description", description).putObject("content")
                .putObject(Problem.CONTENT_TYPE).set("schema", ref("Problem"));
    }

    private ObjectNode ref(String schema) {
        return mapper.createObjectNode().put("$ref", "#/components/schemas/" + schema);
    }

    private static List<String> pathParameters(String path) {
        return java.util.regex.Pattern.compile("\\{(\\w+)}").matcher(path).results().map(m -> m.group(1)).toList();
    }

    /** A keyed answer: the record's own fields plus who served it and, from a replica, its staleness. */
    private String keyed(Class<?> type) {
        String name = "Served" + type.getSimpleName();
        if (!schemas.has(name)) {
            ObjectNode schema = recordSchema(type);
            schema.withObject("properties").putObject("servedBy").put("type", "string")
                    .put("description", "host:port of the instance whose stores answered");
            schema.withArray("required").add("servedBy");
            schema.withObject("properties").putObject("stale").put("type", "boolean")
                    .put("description", "present (true) only when a replica answered for an active copy that could not");
            schema.withObject("properties").putObject("lag").put("type", "integer").put("format", "int64")
                    .put("description", "records the replica is behind; present with stale");
            schemas.set(name, schema);
        }
        return name;
    }

    /** The schema name of {@code type}, defined in components once. */
    private String schemaOf(Class<?> type) {
        String name = type.getSimpleName();
        if (!schemas.has(name)) {
            schemas.putObject(name); // placeholder, so a recursive type ends
            schemas.set(name, recordSchema(type));
        }
        return name;
    }

    private ObjectNode recordSchema(Class<?> type) {
        ObjectNode schema = mapper.createObjectNode().put("type", "object").put("additionalProperties", false);
        ObjectNode properties = schema.putObject("properties");
        ArrayNode required = schema.putArray("required");
        for (RecordComponent component : type.getRecordComponents()) {
            JsonInclude include = component.getAccessor().getAnnotation(JsonInclude.class);
            if (include == null) {
                include = component.getAnnotation(JsonInclude.class);
            }
            boolean omittedWhenNull = include != null && include.value() == JsonInclude.Include.NON_NULL;
            ObjectNode property = typeSchema(component.getGenericType());
            if (!component.getType().isPrimitive() && !omittedWhenNull) {
                property.put("nullable", true);
            }
            properties.set(component.getName(), property);
            if (!omittedWhenNull) {
                required.add(component.getName());
            }
        }
        return schema;
    }

    private ObjectNode typeSchema(Type type) {
        ObjectNode schema = mapper.createObjectNode();
        if (type instanceof ParameterizedType parameterized) {
            Class<?> raw = (Class<?>) parameterized.getRawType();
            Type[] args = parameterized.getActualTypeArguments();
            if (List.class.isAssignableFrom(raw)) {
                schema.put("type", "array").set("items", typeSchema(args[0]));
                return schema;
            }
            if (Map.class.isAssignableFrom(raw)) {
                schema.put("type", "object").set("additionalProperties", typeSchema(args[1]));
                return schema;
            }
            type = raw;
        }
        Class<?> c = (Class<?>) type;
        if (c == String.class || c.isEnum()) {
            schema.put("type", "string");
        } else if (c == Instant.class) {
            schema.put("type", "string").put("format", "date-time");
        } else if (c == long.class || c == Long.class) {
            schema.put("type", "integer").put("format", "int64");
        } else if (c == int.class || c == Integer.class) {
            schema.put("type", "integer").put("format", "int32");
        } else if (c == double.class || c == Double.class) {
            schema.put("type", "number");
        } else if (c == boolean.class || c == Boolean.class) {
            schema.put("type", "boolean");
        } else if (c.isRecord()) {
            // A $ref cannot carry nullable in OpenAPI 3.0: wrap it.
            schema.putArray("allOf").add(ref(schemaOf(c)));
        } else {
            throw new IllegalArgumentException("no schema for " + c + ": teach OpenApi this type");
        }
        return schema;
    }
}

package dev.herald.query;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.herald.query.http.OpenApi;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The OpenAPI document stays true: every route is documented, every documented route exists, and real answers
 * (and problem documents) have exactly the documented shape.
 */
class OpenApiTest {
    private final HttpCalls http = new HttpCalls();
    private ScenarioServer server;
    private JsonNode document;

    @BeforeEach
    void start() {
        server = new ScenarioServer();
        HttpCalls.Reply reply = http.get(server.port(), OpenApi.DOCUMENT);
        assertThat(reply.status()).isEqualTo(200);
        document = reply.json();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void everyRouteIsDocumented() throws Exception {
        List<String> routes = new ArrayList<>();
        for (Field field : ApiPaths.class.getFields()) {
            if (Modifier.isStatic(field.getModifiers()) && field.getType() == String.class) {
                routes.add((String) field.get(null));
            }
        }
        assertThat(routes).isNotEmpty();
        List<String> documented = new ArrayList<>();
        document.path("paths").fieldNames().forEachRemaining(documented::add);
        assertThat(documented).containsAll(routes);
        assertThat(document.path("openapi").asText()).startsWith("3.");
    }

    @Test
    void everyDocumentedRouteAnswersInItsDocumentedShape() {
        Iterator<Map.Entry<String, JsonNode>> paths = document.path("paths").fields();
        int checked = 0;
        while (paths.hasNext()) {
            Map.Entry<String, JsonNode> route = paths.next();
            if (route.getKey().equals(ApiPaths.METRICS)) {
                assertThat(http.get(server.port(), ApiPaths.METRICS).status()).isEqualTo(200);
                continue;
            }
            String path = route.getKey().replace("{id}", Scenario.SPRING)
                    .replace("{runId}", URLEncoder.encode(Scenario.SPRING_RUN, StandardCharsets.UTF_8));
            // An old from is clamped, and the answer says so (retainedFrom): that shape is documented too.
            List<String> queries = route.getKey().equals(ApiPaths.CAMPAIGN_SUMMARY)
                    ? List.of("", "?window=1m", "?window=1h", "?from=2020-01-01T00:00:00Z")
                    : route.getKey().equals(ApiPaths.SUMMARY) ? List.of("", "?from=2020-01-01T00:00:00Z") : List.of("");
            for (String query : queries) {
                HttpCalls.Reply reply = http.get(server.port(), path + query);
                assertThat(reply.status()).as(path + query + " " + reply.body()).isEqualTo(200);
                JsonNode schema = route.getValue().path("get").path("responses").path("200").path("content")
                        .path("application/json").path("schema");
                assertThat(violations(reply.json(), schema, path + query)).as(reply.body()).isEmpty();
                checked++;
            }
        }
        assertThat(checked).isGreaterThanOrEqualTo(11);
    }

    @Test
    void theShapeCheckRejectsWhatTheDocumentDoesNotSay() {
        JsonNode schema = document.path("paths").path(ApiPaths.RUN).path("get").path("responses").path("200")
                .path("content").path("application/json").path("schema");
        JsonNode run = http.get(server.port(), "/api/runs/" + URLEncoder.encode(Scenario.SPRING_RUN,
                StandardCharsets.UTF_8)).json();
        assertThat(violations(run, schema, "run")).isEmpty();

        com.fasterxml.jackson.databind.node.ObjectNode changed = run.deepCopy();
        changed.remove("expected");
        changed.put("surprise", 1);
        changed.put("counted", "many");
        ((com.fasterxml.jackson.databind.node.ObjectNode) changed.get("push")).putNull("success");
        changed.put("startedAt", "yesterday");
        assertThat(violations(changed, schema, "run")).containsExactlyInAnyOrder("run: missing expected",
                "run: undocumented property surprise", "run.counted: not an integer",
                "run.push.success: null where not nullable", "run.startedAt: not a date-time: yesterday");
    }

    @Test
    void problemsHaveTheDocumentedShape() {
        JsonNode problem = document.path("components").path("schemas").path("Problem");
        for (String path : List.of("/api/campaigns/ghost", "/api/runs/nothing", "/api/summary?from=yesterday",
                "/api/nowhere")) {
            HttpCalls.Reply reply = http.get(server.port(), path);
            assertThat(reply.status()).isBetween(400, 499);
            assertThat(violations(reply.json(), problem, path)).isEmpty();
        }
    }

    @Test
    void thePageRendersTheDocumentWithTheBundledSwaggerUi() {
        HttpCalls.Reply page = http.get(server.port(), OpenApi.PAGE);
        assertThat(page.status()).isEqualTo(200);
        assertThat(page.contentType()).startsWith("text/html");
        assertThat(page.body()).contains("url: '" + OpenApi.DOCUMENT + "'");
        java.util.regex.Matcher script = java.util.regex.Pattern.compile("src=\"([^\"]+\\.js)\"").matcher(page.body());
        assertThat(script.find()).isTrue();
        HttpCalls.Reply bundle = http.get(server.port(), script.group(1));
        assertThat(bundle.status()).as(script.group(1) + " is served from the swagger-ui WebJar").isEqualTo(200);
        assertThat(bundle.body()).contains("SwaggerUIBundle");
    }

    /** What in {@code value} does not match {@code schema} (the OpenAPI 3.0 subset the document uses). */
    private List<String> violations(JsonNode value, JsonNode schema, String at) {
        List<String> out = new ArrayList<>();
        check(value, schema, at, out);
        return out;
    }

    private void check(JsonNode value, JsonNode schema, String at, List<String> out) {
        if (schema.has("$ref")) {
            String name = schema.get("$ref").asText().substring("#/components/schemas/".length());
            JsonNode target = document.path("components").path("schemas").path(name);
            if (target.isMissingNode()) {
                out.add(at + ": unknown schema " + name);
                return;
            }
            check(value, target, at, out);
            return;
        }
        if (value == null || value.isNull()) {
            if (!schema.path("nullable").asBoolean()) {
                out.add(at + ": null where not nullable");
            }
            return;
        }
        if (schema.has("allOf")) {
            schema.get("allOf").forEach(part -> check(value, part, at, out));
            return;
        }
        String type = schema.path("type").asText();
        switch (type) {
            case "object" -> {
                if (!value.isObject()) {
                    out.add(at + ": not an object");
                    return;
                }
                JsonNode properties = schema.path("properties");
                schema.path("required").forEach(r -> {
                    if (!value.has(r.asText())) {
                        out.add(at + ": missing " + r.asText());
                    }
                });
                value.fields().forEachRemaining(field -> {
                    if (properties.has(field.getKey())) {
                        check(field.getValue(), properties.get(field.getKey()), at + "." + field.getKey(), out);
                    } else if (schema.path("additionalProperties").isObject()) {
                        check(field.getValue(), schema.get("additionalProperties"), at + "." + field.getKey(), out);
                    } else if (!schema.path("additionalProperties").asBoolean(true)) {
                        out.add(at + ": undocumented property " + field.getKey());
                    }
                });
            }
            case "array" -> {
                if (!value.isArray()) {
                    out.add(at + ": not an array");
                    return;
                }
                for (int i = 0; i < value.size(); i++) {
                    check(value.get(i), schema.path("items"), at + "[" + i + "]", out);
                }
            }
            case "string" -> {
                if (!value.isTextual()) {
                    out.add(at + ": not a string");
                } else if (schema.path("format").asText().equals("date-time")) {
                    try {
                        Instant.parse(value.asText());
                    } catch (RuntimeException e) {
                        out.add(at + ": not a date-time: " + value.asText());
                    }
                }
            }
            case "integer" -> {
                if (!value.isIntegralNumber()) {
                    out.add(at + ": not an integer");
                }
            }
            case "number" -> {
                if (!value.isNumber()) {
                    out.add(at + ": not a number");
                }
            }
            case "boolean" -> {
                if (!value.isBoolean()) {
                    out.add(at + ": not a boolean");
                }
            }
            default -> out.add(at + ": schema without a type: " + schema);
        }
    }
}

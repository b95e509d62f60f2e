package dev.herald.devstack;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;

/** Raw HTTP calls to a schema registry for tests, with Confluent's content type, and checks of its answers. */
final class RegistryHttp {

    static final String CONTENT_TYPE = "application/vnd.schemaregistry.v1+json";
    static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    private final String base;

    RegistryHttp(String base) {
        this.base = base;
    }

    HttpResponse<String> get(String path) {
        return send(request(path).GET());
    }

    HttpResponse<String> post(String path, String body) {
        return send(request(path).POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8)));
    }

    HttpResponse<String> put(String path, String body) {
        return send(request(path).PUT(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8)));
    }

    HttpResponse<String> delete(String path) {
        return send(request(path).DELETE());
    }

    /** The body of a 200 answer with Confluent's content type, as JSON. */
    static JsonNode ok(HttpResponse<String> response) {
        assertThat(response.statusCode()).as(response.request().method() + " " + response.request().uri() + ": "
                + response.body()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).hasValue(CONTENT_TYPE);
        return json(response.body());
    }

    /** Checks an error answer in Confluent's format and returns its message. */
    static String error(HttpResponse<String> response, int status, int errorCode) {
        assertThat(response.statusCode()).as(response.request().method() + " " + response.request().uri() + ": "
                + response.body()).isEqualTo(status);
        assertThat(response.headers().firstValue("Content-Type")).hasValue(CONTENT_TYPE);
        JsonNode body = json(response.body());
        assertThat(body.fieldNames()).toIterable().containsExactlyInAnyOrder("error_code", "message");
        assertThat(body.get("error_code").asInt()).as(response.body()).isEqualTo(errorCode);
        assertThat(body.get("message").asText()).isNotBlank();
        return body.get("message").asText();
    }

    static JsonNode json(String text) {
        try {
            return JSON.readTree(text);
        } catch (Exception e) {
            throw new AssertionError("Not JSON: " + text, e);
        }
    }

    /** A register, look-up or compatibility body for {@code schema}. */
    static String schemaBody(String schema) {
        return JSON.createObjectNode().put("schema", schema).toString();
    }

    private HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(URI.create(base + path))
                .header("Content-Type", CONTENT_TYPE)
                .header("Accept", CONTENT_TYPE + ", application/vnd.schemaregistry+json, application/json");
    }

    private static HttpResponse<String> send(HttpRequest.Builder request) {
        HttpRequest built = request.build();
        try {
            return HTTP.send(built, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        } catch (Exception e) {
            throw new AssertionError("Request to " + built.uri() + " failed", e);
        }
    }
}

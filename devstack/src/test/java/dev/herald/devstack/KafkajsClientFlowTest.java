package dev.herald.devstack;

import static dev.herald.devstack.RegistryHttp.JSON;
import static dev.herald.devstack.RegistryHttp.error;
import static dev.herald.devstack.RegistryHttp.json;
import static dev.herald.devstack.RegistryHttp.ok;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.herald.avro.Recipient;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.avro.Schema;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The calls {@code @kafkajs/confluent-schema-registry} (4.x, {@code src/SchemaRegistry.ts}) makes, reproduced
 * request for request, against the embedded registry: the user found its {@code register()} failing there.
 *
 * <p>{@code register()} asks {@code GET /config/{subject}}: a 404 means a first registration, any other error fails
 * the call, and a 200 must name the level the caller wants (BACKWARD by default) or the client refuses. Then it
 * posts {@code {"schema": …}} to {@code /subjects/{subject}/versions}, and after a first registration it sets the
 * subject's level with {@code PUT /config/{subject}}. Decoding reads {@code GET /schemas/ids/{id}}.
 */
class KafkajsClientFlowTest {

    @TempDir
    static Path dir;

    private static EmbeddedKafka kafka;
    private static EmbeddedSchemaRegistry registry;
    private static RegistryHttp http;

    @BeforeAll
    static void startBrokerAndRegistry() {
        kafka = EmbeddedKafka.start(dir.resolve("kafka"), 0);
        registry = EmbeddedSchemaRegistry.start(kafka.bootstrapServers(), EmbeddedSchemaRegistry.DEFAULT_TOPIC,
                "127.0.0.1", 0);
        http = new RegistryHttp(registry.url());
    }

    @AfterAll
    static void stop() {
        if (registry != null) {
            registry.close();
        }
        if (kafka != null) {
            kafka.close();
        }
    }

    @Test
    void registersEvolvesAndIsRefusedAnIncompatibleSchema() {
        Schema recipient = Recipient.getClassSchema();
        // The client's default subject for Avro: namespace.name.
        String subject = recipient.getFullName();
        KafkajsClient client = new KafkajsClient(subject);

        // First registration: GET /config/{subject} is a 404, so the client sets BACKWARD afterwards.
        int first = client.register(recipient.toString(), "BACKWARD");
        assertThat(client.calls).containsExactly("GET /config/" + subject, "POST /subjects/" + subject + "/versions",
                "PUT /config/" + subject);
        assertThat(ok(http.get("/config/" + subject))).isEqualTo(json("{\"compatibilityLevel\":\"BACKWARD\"}"));

        // The "keep that": an extra optional field is a compatible new version.
        int evolved = client.register(withField(recipient, "nickname", "[\"null\",\"string\"]", true), "BACKWARD");
        assertThat(evolved).isNotEqualTo(first);
        assertThat(client.calls).containsExactly("GET /config/" + subject, "POST /subjects/" + subject + "/versions");

        // Registering the same schema again answers its id, as on Confluent.
        assertThat(client.register(recipient.toString(), "BACKWARD")).isEqualTo(first);

        // The example: locale ["null","string"] → ["null","int"] is refused, naming the field.
        HttpResponse<String> refused = client.tryRegister(withField(recipient, "locale", "[\"null\",\"int\"]", false),
                "BACKWARD");
        assertThat(error(refused, 409, 409)).contains("field 'locale'");
        assertThat(client.calls).containsExactly("GET /config/" + subject, "POST /subjects/" + subject + "/versions");

        // A caller wanting another level than the subject has gets the client's own refusal, after a 200.
        assertThat(client.configuredLevel()).isEqualTo("BACKWARD");

        // Reading back: getLatestSchemaId, getRegistryIdBySchema, getRegistryId, getSchema (decode).
        assertThat(ok(http.get("/subjects/" + subject + "/versions/latest")).get("id").asInt()).isEqualTo(evolved);
        assertThat(ok(http.post("/subjects/" + subject, RegistryHttp.schemaBody(recipient.toString())))
                .get("id").asInt()).isEqualTo(first);
        assertThat(ok(http.get("/subjects/" + subject + "/versions/1")).get("id").asInt()).isEqualTo(first);
        assertThat(new Schema.Parser().parse(ok(http.get("/schemas/ids/" + first)).get("schema").asText()))
                .isEqualTo(recipient);
    }

    @Test
    void aCompatibilityCheckBeforeRegisteringAnswersAsConfluent() {
        // The client's Subject.compatible resource: POST /compatibility/subjects/{subject}/versions/latest.
        Schema recipient = Recipient.getClassSchema();
        String subject = "checked-" + recipient.getFullName();
        new KafkajsClient(subject).register(recipient.toString(), "BACKWARD");

        JsonNode fine = ok(http.post("/compatibility/subjects/" + subject + "/versions/latest",
                RegistryHttp.schemaBody(withField(recipient, "nickname", "[\"null\",\"string\"]", true))));
        JsonNode refused = ok(http.post("/compatibility/subjects/" + subject + "/versions/latest?verbose=true",
                RegistryHttp.schemaBody(withField(recipient, "locale", "[\"null\",\"int\"]", false))));

        assertThat(fine).isEqualTo(json("{\"is_compatible\":true}"));
        assertThat(refused.get("is_compatible").asBoolean()).isFalse();
        assertThat(refused.get("messages").get(0).asText()).contains("field 'locale'");
    }

    /** Recipient with {@code name} set to {@code type}, added (with a null default) when {@code add}. */
    private static String withField(Schema recipient, String name, String type, boolean add) {
        ObjectNode tree = (ObjectNode) json(recipient.toString());
        if (add) {
            ObjectNode field = tree.withArray("fields").addObject();
            field.put("name", name);
            field.set("type", json(type));
            field.putNull("default");
        } else {
            for (JsonNode field : tree.withArray("fields")) {
                if (field.get("name").asText().equals(name)) {
                    ((ObjectNode) field).set("type", json(type));
                }
            }
        }
        return tree.toString();
    }

    /** The client's register() as requests, recording each call's method and path. */
    private static final class KafkajsClient {
        private final String subject;
        private final String path;
        final List<String> calls = new ArrayList<>();

        KafkajsClient(String subject) {
            this.subject = subject;
            this.path = URLEncoder.encode(subject, StandardCharsets.UTF_8);
        }

        int register(String schema, String compatibility) {
            return ok(tryRegister(schema, compatibility)).get("id").asInt();
        }

        HttpResponse<String> tryRegister(String schema, String compatibility) {
            calls.clear();
            boolean firstTime;
            HttpResponse<String> config = call("GET", "/config/" + path, null);
            if (config.statusCode() == 404) {
                firstTime = true;
            } else {
                // Any answer but 404 or 200 throws in the client; a 200 must name the wanted level.
                String level = ok(config).get("compatibilityLevel").asText().toUpperCase();
                assertThat(level).as("the client refuses: Compatibility does not match the configuration")
                        .isEqualTo(compatibility);
                firstTime = false;
            }
            // JSON.stringify drops the undefined schemaType (AVRO) and references.
            HttpResponse<String> registered = call("POST", "/subjects/" + path + "/versions",
                    JSON.createObjectNode().put("schema", schema).toString());
            if (registered.statusCode() == 200 && firstTime) {
                ok(call("PUT", "/config/" + path,
                        JSON.createObjectNode().put("compatibility", compatibility).toString()));
            }
            return registered;
        }

        String configuredLevel() {
            return ok(http.get("/config/" + path)).get("compatibilityLevel").asText();
        }

        private HttpResponse<String> call(String method, String target, String body) {
            calls.add(method + " " + target.replace(path, subject));
            return switch (method) {
                case "GET" -> http.get(target);
                case "POST" -> http.post(target, body);
                case "PUT" -> http.put(target, body);
                default -> throw new IllegalArgumentException(method);
            };
        }
    }
}

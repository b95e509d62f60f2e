package dev.herald.devstack;

import static dev.herald.devstack.RegistryHttp.JSON;
import static dev.herald.devstack.RegistryHttp.error;
import static dev.herald.devstack.RegistryHttp.json;
import static dev.herald.devstack.RegistryHttp.ok;
import static dev.herald.devstack.RegistryHttp.schemaBody;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.herald.avro.Recipient;
import java.nio.file.Path;
import org.apache.avro.Schema;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Walks the request and response examples of Confluent's Schema Registry API reference, endpoint by endpoint,
 * against the embedded registry on a real broker: same paths, bodies, answers and error codes.
 */
class ConfluentConformanceTest {

    /** The API reference's example schema. */
    private static final String EXAMPLE = "{\"type\":\"record\",\"name\":\"test\",\"fields\":"
            + "[{\"type\":\"string\",\"name\":\"field1\"},{\"type\":\"int\",\"name\":\"field2\"}]}";
    /** The example plus an optional field: compatible every way. */
    private static final String EXAMPLE_OPTIONAL = "{\"type\":\"record\",\"name\":\"test\",\"fields\":"
            + "[{\"type\":\"string\",\"name\":\"field1\"},{\"type\":\"int\",\"name\":\"field2\"},"
            + "{\"type\":[\"null\",\"string\"],\"name\":\"field3\",\"default\":null}]}";
    /** The example plus a required field: not backward compatible, forward compatible. */
    private static final String EXAMPLE_REQUIRED = "{\"type\":\"record\",\"name\":\"test\",\"fields\":"
            + "[{\"type\":\"string\",\"name\":\"field1\"},{\"type\":\"int\",\"name\":\"field2\"},"
            + "{\"type\":\"long\",\"name\":\"field3\"}]}";
    /** The example without field2: backward compatible, not forward compatible. */
    private static final String EXAMPLE_DROPPED = "{\"type\":\"record\",\"name\":\"test\",\"fields\":"
            + "[{\"type\":\"string\",\"name\":\"field1\"}]}";

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
    void schemasAndSubjectsAsDocumented() {
        // POST /subjects/test/versions → {"id":1}
        JsonNode registered = ok(http.post("/subjects/test/versions", schemaBody(EXAMPLE)));
        assertThat(registered.fieldNames()).toIterable().containsExactly("id");
        int id = registered.get("id").asInt();

        // GET /schemas/ids/1 → {"schema": "..."}
        JsonNode byId = ok(http.get("/schemas/ids/" + id));
        assertThat(byId.fieldNames()).toIterable().containsExactly("schema");
        assertThat(parse(byId.get("schema").asText())).isEqualTo(parse(EXAMPLE));
        // GET /schemas/ids/1/schema → the schema itself, unescaped
        assertThat(parse(ok(http.get("/schemas/ids/" + id + "/schema")).toString())).isEqualTo(parse(EXAMPLE));
        // GET /schemas/ids/1/versions → [{"subject":"test","version":1}] (other tests use the example too)
        assertThat(ok(http.get("/schemas/ids/" + id + "/versions")))
                .contains(json("{\"subject\":\"test\",\"version\":1}"));
        // GET /schemas/ids/1/subjects → ["test"]
        assertThat(ok(http.get("/schemas/ids/" + id + "/subjects"))).contains(json("\"test\""));
        // GET /schemas/types → the types this registry takes
        assertThat(ok(http.get("/schemas/types"))).isEqualTo(json("[\"AVRO\"]"));

        // GET /subjects → ["subject1", "subject2"]
        assertThat(ok(http.get("/subjects"))).contains(json("\"test\""));
        assertThat(ok(http.get("/subjects?subjectPrefix=tes"))).contains(json("\"test\""))
                .allSatisfy(subject -> assertThat(subject.asText()).startsWith("tes"));
        assertThat(ok(http.get("/subjects?subjectPrefix=:*:"))).contains(json("\"test\""));
        assertThat(ok(http.get("/subjects?subjectPrefix=:.:tes"))).contains(json("\"test\""));
        assertThat(ok(http.get("/subjects?subjectPrefix=:.elsewhere:"))).isEmpty();
        // GET /subjects/test/versions → [1]
        assertThat(ok(http.get("/subjects/test/versions"))).isEqualTo(json("[1]"));
        // GET /subjects/test/versions/1 → subject, id, version, schema
        for (String version : new String[] {"1", "latest", "-1"}) {
            JsonNode first = ok(http.get("/subjects/test/versions/" + version));
            assertThat(first.fieldNames()).toIterable().containsExactlyInAnyOrder("subject", "version", "id", "schema");
            assertThat(first.get("subject").asText()).isEqualTo("test");
            assertThat(first.get("version").asInt()).isEqualTo(1);
            assertThat(first.get("id").asInt()).isEqualTo(id);
            assertThat(parse(first.get("schema").asText())).isEqualTo(parse(EXAMPLE));
        }
        // GET /subjects/test/versions/1/schema → the schema itself
        assertThat(parse(ok(http.get("/subjects/test/versions/1/schema")).toString())).isEqualTo(parse(EXAMPLE));
        // GET /subjects/test/versions/1/referencedby → [] (no references here)
        assertThat(ok(http.get("/subjects/test/versions/1/referencedby"))).isEqualTo(json("[]"));
        // POST /subjects/test → subject, id, version, schema
        JsonNode lookedUp = ok(http.post("/subjects/test", schemaBody(EXAMPLE)));
        assertThat(lookedUp.fieldNames()).toIterable().containsExactlyInAnyOrder("subject", "version", "id", "schema");
        assertThat(lookedUp.get("id").asInt()).isEqualTo(id);
        assertThat(lookedUp.get("version").asInt()).isEqualTo(1);

        // GET /schemas → every subject version with its schema
        assertThat(ok(http.get("/schemas?subjectPrefix=test")))
                .anySatisfy(schema -> assertThat(schema.get("subject").asText()).isEqualTo("test"));
        // GET / → {}
        assertThat(ok(http.get("/"))).isEqualTo(json("{}"));
    }

    @Test
    void subjectConfigAsDocumented() {
        ok(http.post("/subjects/configured/versions", schemaBody(EXAMPLE)));

        // Never set: 40408, or the global level with defaultToGlobal=true.
        error(http.get("/config/configured"), 404, 40408);
        assertThat(ok(http.get("/config/configured?defaultToGlobal=true")))
                .isEqualTo(json("{\"compatibilityLevel\":\"BACKWARD\"}"));
        // PUT /config/test {"compatibility": "FULL"} → {"compatibility": "FULL"}
        assertThat(ok(http.put("/config/configured", "{\"compatibility\":\"FULL\"}")))
                .isEqualTo(json("{\"compatibility\":\"FULL\"}"));
        // GET /config/test → {"compatibilityLevel": "FULL"}
        assertThat(ok(http.get("/config/configured"))).isEqualTo(json("{\"compatibilityLevel\":\"FULL\"}"));
        // Confluent's CLI sends lower case.
        assertThat(ok(http.put("/config/configured", "{\"compatibility\":\"full_transitive\"}")))
                .isEqualTo(json("{\"compatibility\":\"FULL_TRANSITIVE\"}"));
        error(http.put("/config/configured", "{\"compatibility\":\"SIDEWAYS\"}"), 422, 42203);
        error(http.put("/config/configured", "{}"), 422, 42203);
        // A subject need not exist to be configured (clients set the level before the first registration).
        assertThat(ok(http.put("/config/not-yet", "{\"compatibility\":\"NONE\"}")))
                .isEqualTo(json("{\"compatibility\":\"NONE\"}"));
        // DELETE /config/test → the level it had; then the subject follows the global one again.
        assertThat(ok(http.delete("/config/configured")))
                .isEqualTo(json("{\"compatibilityLevel\":\"FULL_TRANSITIVE\"}"));
        error(http.get("/config/configured"), 404, 40408);
        error(http.delete("/config/configured"), 404, 40401);
        // The global level was never touched.
        assertThat(ok(http.get("/config"))).isEqualTo(json("{\"compatibilityLevel\":\"BACKWARD\"}"));
    }

    @Test
    void globalConfigAsDocumented() {
        // On its own topic: the global level would change every other test's subjects.
        try (EmbeddedSchemaRegistry own = EmbeddedSchemaRegistry.start(kafka.bootstrapServers(), "_global_schemas",
                "127.0.0.1", 0)) {
            RegistryHttp global = new RegistryHttp(own.url());
            // GET /config → {"compatibilityLevel": "BACKWARD"}, Confluent's default
            assertThat(ok(global.get("/config"))).isEqualTo(json("{\"compatibilityLevel\":\"BACKWARD\"}"));
            // PUT /config {"compatibility": "FULL"} → {"compatibility": "FULL"}
            assertThat(ok(global.put("/config", "{\"compatibility\":\"FULL\"}")))
                    .isEqualTo(json("{\"compatibility\":\"FULL\"}"));
            assertThat(ok(global.get("/config"))).isEqualTo(json("{\"compatibilityLevel\":\"FULL\"}"));
            assertThat(ok(global.get("/config/any?defaultToGlobal=true")))
                    .isEqualTo(json("{\"compatibilityLevel\":\"FULL\"}"));
            error(global.put("/config", "{\"compatibility\":\"SOMETIMES\"}"), 422, 42203);

            // FULL now applies: a dropped field without default is refused, an optional addition is not.
            ok(global.post("/subjects/full/versions", schemaBody(EXAMPLE)));
            error(global.post("/subjects/full/versions", schemaBody(EXAMPLE_DROPPED)), 409, 409);
            ok(global.post("/subjects/full/versions", schemaBody(EXAMPLE_OPTIONAL)));

            // DELETE /config → the level it had; back to BACKWARD.
            assertThat(ok(global.delete("/config"))).isEqualTo(json("{\"compatibilityLevel\":\"FULL\"}"));
            assertThat(ok(global.get("/config"))).isEqualTo(json("{\"compatibilityLevel\":\"BACKWARD\"}"));
        }
    }

    @Test
    void compatibilityChecksAsDocumented() {
        ok(http.post("/subjects/checked/versions", schemaBody(EXAMPLE)));
        String path = "/compatibility/subjects/checked/versions/";

        // POST /compatibility/subjects/test/versions/latest → {"is_compatible": true}
        assertThat(ok(http.post(path + "latest", schemaBody(EXAMPLE_OPTIONAL))))
                .isEqualTo(json("{\"is_compatible\":true}"));
        assertThat(ok(http.post(path + "1", schemaBody(EXAMPLE_OPTIONAL))))
                .isEqualTo(json("{\"is_compatible\":true}"));
        assertThat(ok(http.post("/compatibility/subjects/checked/versions", schemaBody(EXAMPLE_OPTIONAL))))
                .isEqualTo(json("{\"is_compatible\":true}"));
        assertThat(ok(http.post(path + "latest", schemaBody(EXAMPLE_REQUIRED))))
                .isEqualTo(json("{\"is_compatible\":false}"));
        // verbose=true adds the reasons, naming the field.
        JsonNode verbose = ok(http.post(path + "latest?verbose=true", schemaBody(EXAMPLE_REQUIRED)));
        assertThat(verbose.get("is_compatible").asBoolean()).isFalse();
        assertThat(verbose.get("messages")).isNotEmpty();
        assertThat(verbose.get("messages").get(0).asText()).contains("READER_FIELD_MISSING_DEFAULT_VALUE")
                .contains("'field3'");
        assertThat(ok(http.post(path + "latest?verbose=true", schemaBody(EXAMPLE_OPTIONAL))))
                .isEqualTo(json("{\"is_compatible\":true,\"messages\":[]}"));
        // Nothing registered yet: nothing to be incompatible with.
        assertThat(ok(http.post("/compatibility/subjects/unregistered/versions/latest", schemaBody(EXAMPLE))))
                .isEqualTo(json("{\"is_compatible\":true}"));

        error(http.post("/compatibility/subjects/unregistered/versions/1", schemaBody(EXAMPLE)), 404, 40401);
        error(http.post(path + "7", schemaBody(EXAMPLE)), 404, 40402);
        error(http.post(path + "zero", schemaBody(EXAMPLE)), 422, 42202);
        error(http.post(path + "latest", schemaBody("{\"type\":\"record\"}")), 422, 42201);
        JsonNode invalidVerbose = ok(http.post(path + "latest?verbose=true", schemaBody("{\"type\":\"record\"}")));
        assertThat(invalidVerbose.get("is_compatible").asBoolean()).isFalse();
        assertThat(invalidVerbose.get("messages")).hasSize(1);
        // The checks changed nothing.
        assertThat(ok(http.get("/subjects/checked/versions"))).isEqualTo(json("[1]"));
    }

    @Test
    void everyLevelIsEnforcedOnRegistration() {
        record Case(String level, String candidate, boolean accepted) {
        }
        Case[] cases = {
                new Case("NONE", EXAMPLE_REQUIRED, true),
                new Case("BACKWARD", EXAMPLE_REQUIRED, false),
                new Case("BACKWARD", EXAMPLE_DROPPED, true),
                new Case("BACKWARD_TRANSITIVE", EXAMPLE_REQUIRED, false),
                new Case("FORWARD", EXAMPLE_REQUIRED, true),
                new Case("FORWARD", EXAMPLE_DROPPED, false),
                new Case("FORWARD_TRANSITIVE", EXAMPLE_DROPPED, false),
                new Case("FULL", EXAMPLE_REQUIRED, false),
                new Case("FULL", EXAMPLE_DROPPED, false),
                new Case("FULL", EXAMPLE_OPTIONAL, true),
                new Case("FULL_TRANSITIVE", EXAMPLE_OPTIONAL, true)};
        int n = 0;
        for (Case c : cases) {
            String subject = "level-" + n++ + "-" + c.level().toLowerCase();
            ok(http.put("/config/" + subject, "{\"compatibility\":\"" + c.level() + "\"}"));
            ok(http.post("/subjects/" + subject + "/versions", schemaBody(EXAMPLE)));

            var answer = http.post("/subjects/" + subject + "/versions", schemaBody(c.candidate()));

            if (c.accepted()) {
                ok(answer);
                assertThat(ok(http.get("/subjects/" + subject + "/versions"))).as(c.toString())
                        .isEqualTo(json("[1,2]"));
            } else {
                assertThat(error(answer, 409, 409)).as(c.toString()).contains("compatibility: '" + c.level() + "'");
                assertThat(ok(http.get("/subjects/" + subject + "/versions"))).as(c.toString())
                        .isEqualTo(json("[1]"));
            }
        }
    }

    @Test
    void transitiveLevelsCheckEveryVersion() {
        String v1 = "{\"type\":\"record\",\"name\":\"T\",\"fields\":[{\"name\":\"n\",\"type\":\"string\","
                + "\"default\":\"\"}]}";
        String v2 = "{\"type\":\"record\",\"name\":\"T\",\"fields\":[]}";
        String v3 = "{\"type\":\"record\",\"name\":\"T\",\"fields\":[{\"name\":\"n\",\"type\":\"int\","
                + "\"default\":0}]}";
        for (String level : new String[] {"BACKWARD", "BACKWARD_TRANSITIVE"}) {
            String subject = "transitive-" + level.toLowerCase();
            ok(http.put("/config/" + subject, "{\"compatibility\":\"" + level + "\"}"));
            ok(http.post("/subjects/" + subject + "/versions", schemaBody(v1)));
            ok(http.post("/subjects/" + subject + "/versions", schemaBody(v2)));

            var third = http.post("/subjects/" + subject + "/versions", schemaBody(v3));

            if (level.equals("BACKWARD")) {
                ok(third);
            } else {
                assertThat(error(third, 409, 409)).contains("field 'n'").contains("{oldSchemaVersion: 1}");
            }
        }
    }

    @Test
    void anIncompatibleRegistrationIsA409NamingTheField() throws Exception {
        // The example: Recipient's locale from ["null","string"] to ["null","int"].
        Schema recipient = Recipient.getClassSchema();
        ObjectNode changed = (ObjectNode) JSON.readTree(recipient.toString());
        for (JsonNode field : changed.withArray("fields")) {
            if (field.get("name").asText().equals("locale")) {
                ((ObjectNode) field).set("type", json("[\"null\",\"int\"]"));
            }
        }
        ok(http.post("/subjects/recipients-value/versions", schemaBody(recipient.toString())));

        String message = error(http.post("/subjects/recipients-value/versions", schemaBody(changed.toString())),
                409, 409);

        assertThat(message).startsWith("Schema being registered is incompatible with an earlier schema for subject "
                + "\"recipients-value\"").contains("field 'locale'").contains("MISSING_UNION_BRANCH");
        assertThat(ok(http.get("/subjects/recipients-value/versions"))).isEqualTo(json("[1]"));
    }

    @Test
    void softThenPermanentDeletesAsDocumented() {
        String first = schemaBody(named(EXAMPLE, "Deleted"));
        int id1 = ok(http.post("/subjects/deleted/versions", first)).get("id").asInt();
        int id2 = ok(http.post("/subjects/deleted/versions", schemaBody(named(EXAMPLE_OPTIONAL, "Deleted"))))
                .get("id").asInt();

        // DELETE /subjects/test/versions/1 → 1; the id stays readable, for data written with it.
        assertThat(ok(http.delete("/subjects/deleted/versions/1"))).isEqualTo(json("1"));
        assertThat(ok(http.get("/subjects/deleted/versions"))).isEqualTo(json("[2]"));
        assertThat(ok(http.get("/subjects/deleted/versions?deleted=true"))).isEqualTo(json("[1,2]"));
        error(http.get("/subjects/deleted/versions/1"), 404, 40402);
        assertThat(ok(http.get("/subjects/deleted/versions/1?deleted=true")).get("id").asInt()).isEqualTo(id1);
        ok(http.get("/schemas/ids/" + id1));
        assertThat(ok(http.get("/schemas/ids/" + id1 + "/versions"))).isEqualTo(json("[]"));
        assertThat(ok(http.get("/schemas/ids/" + id1 + "/versions?deleted=true")))
                .isEqualTo(json("[{\"subject\":\"deleted\",\"version\":1}]"));
        error(http.post("/subjects/deleted", first), 404, 40403);
        assertThat(ok(http.post("/subjects/deleted?deleted=true", first)).get("version").asInt())
                .isEqualTo(1);
        error(http.delete("/subjects/deleted/versions/1"), 404, 40406);
        error(http.delete("/subjects/deleted/versions/2?permanent=true"), 404, 40407);
        error(http.delete("/subjects/deleted/versions/9"), 404, 40402);
        error(http.delete("/subjects/deleted/versions/none"), 422, 42202);

        // permanent=true after the soft delete removes it for good.
        assertThat(ok(http.delete("/subjects/deleted/versions/1?permanent=true"))).isEqualTo(json("1"));
        assertThat(ok(http.get("/subjects/deleted/versions?deleted=true"))).isEqualTo(json("[2]"));
        error(http.get("/schemas/ids/" + id1), 404, 40403);

        // DELETE /subjects/test → the versions deleted; soft first, permanent after.
        error(http.delete("/subjects/deleted?permanent=true"), 404, 40405);
        assertThat(ok(http.delete("/subjects/deleted"))).isEqualTo(json("[2]"));
        assertThat(ok(http.get("/subjects"))).doesNotContain(json("\"deleted\""));
        assertThat(ok(http.get("/subjects?deleted=true"))).contains(json("\"deleted\""));
        error(http.get("/subjects/deleted/versions"), 404, 40401);
        error(http.delete("/subjects/deleted"), 404, 40404);
        ok(http.get("/schemas/ids/" + id2));
        assertThat(ok(http.delete("/subjects/deleted?permanent=true"))).isEqualTo(json("[2]"));
        assertThat(ok(http.get("/subjects?deleted=true"))).doesNotContain(json("\"deleted\""));
        error(http.get("/schemas/ids/" + id2), 404, 40403);
        error(http.delete("/subjects/deleted"), 404, 40401);
        error(http.delete("/subjects/deleted?permanent=true"), 404, 40401);
    }

    @Test
    void reRegisteringASoftDeletedSchemaGivesANewVersionWithTheSameId() {
        String schema = schemaBody(named(EXAMPLE, "Revived"));
        int id = ok(http.post("/subjects/revived/versions", schema)).get("id").asInt();
        ok(http.delete("/subjects/revived"));

        int again = ok(http.post("/subjects/revived/versions", schema)).get("id").asInt();

        assertThat(again).isEqualTo(id);
        // As Confluent: the new version follows the deleted one, which is removed for good.
        assertThat(ok(http.get("/subjects/revived/versions?deleted=true"))).isEqualTo(json("[2]"));
    }

    @Test
    void modeIsReadWriteAsDocumented() {
        // GET /mode → {"mode": "READWRITE"}
        assertThat(ok(http.get("/mode"))).isEqualTo(json("{\"mode\":\"READWRITE\"}"));
        assertThat(ok(http.get("/mode/any?defaultToGlobal=true"))).isEqualTo(json("{\"mode\":\"READWRITE\"}"));
        error(http.get("/mode/any"), 404, 40409);
        assertThat(ok(http.put("/mode", "{\"mode\":\"READWRITE\"}"))).isEqualTo(json("{\"mode\":\"READWRITE\"}"));
        error(http.put("/mode", "{\"mode\":\"READONLY\"}"), 422, 42204);
        error(http.put("/mode/any", "{\"mode\":\"IMPORT\"}"), 422, 42204);
    }

    @Test
    void errorsAsDocumented() {
        ok(http.post("/subjects/errors/versions", schemaBody(EXAMPLE)));

        assertThat(error(http.get("/subjects/nobody/versions"), 404, 40401)).isEqualTo("Subject 'nobody' not found.");
        error(http.get("/subjects/nobody/versions/latest"), 404, 40401);
        error(http.post("/subjects/nobody", schemaBody(EXAMPLE)), 404, 40401);
        assertThat(error(http.get("/subjects/errors/versions/2"), 404, 40402)).isEqualTo("Version 2 not found.");
        assertThat(error(http.get("/schemas/ids/987654"), 404, 40403)).isEqualTo("Schema 987654 not found");
        error(http.get("/schemas/ids/987654/versions"), 404, 40403);
        error(http.post("/subjects/errors", schemaBody(EXAMPLE_OPTIONAL)), 404, 40403);
        error(http.post("/subjects/errors/versions", schemaBody("{\"type\":\"record\",\"name\":\"x\"}")), 422, 42201);
        error(http.post("/subjects/errors/versions", schemaBody("{not json")), 422, 42201);
        error(http.post("/subjects/errors/versions", "{\"schema\":\"{}\",\"schemaType\":\"PROTOBUF\"}"), 422, 42201);
        error(http.post("/subjects/errors/versions", "{\"schema\":\"\\\"string\\\"\",\"references\":"
                + "[{\"name\":\"a\",\"subject\":\"b\",\"version\":1}]}"), 422, 42201);
        assertThat(error(http.get("/subjects/errors/versions/0"), 422, 42202))
                .startsWith("The specified version '0' is not a valid version id.");
        error(http.get("/nowhere"), 404, 404);
        error(http.put("/subjects", "{}"), 405, 405);
        error(http.post("/subjects/errors/versions", "not json"), 400, 400);
    }

    /** {@code schema} under another record name, so that its id is not shared with other tests' subjects. */
    private static String named(String schema, String name) {
        return schema.replace("\"name\":\"test\"", "\"name\":\"" + name + "\"");
    }

    private static Schema parse(String schema) {
        return new Schema.Parser().parse(schema);
    }
}

package dev.herald.devstack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.herald.avro.ScheduleTick;
import dev.herald.avro.Trigger;
import dev.herald.serdes.AvroSerde;
import dev.herald.serdes.HttpSchemaRegistryClient;
import dev.herald.serdes.SchemaRegistryException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EmbeddedSchemaRegistryTest {

    private static final String CONTENT_TYPE = "application/vnd.schemaregistry.v1+json";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    @TempDir
    static Path dir;

    private static EmbeddedKafka kafka;
    private static EmbeddedSchemaRegistry registry;

    @BeforeAll
    static void startBrokerAndRegistry() {
        kafka = EmbeddedKafka.start(dir.resolve("kafka"), 0);
        registry = EmbeddedSchemaRegistry.start(kafka.bootstrapServers(), EmbeddedSchemaRegistry.DEFAULT_TOPIC,
                "127.0.0.1", 0);
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
    void registersAndLooksUpThroughHeraldsClient() {
        Schema schema = record("Looked", "a");
        int id = new HttpSchemaRegistryClient(URI.create(registry.url())).register("looked-value", schema);

        // A fresh client has nothing cached: the schema comes from the registry.
        Schema fetched = new HttpSchemaRegistryClient(URI.create(registry.url())).schemaById(id);

        assertThat(registry.url()).matches("http://127\\.0\\.0\\.1:\\d+");
        assertThat(id).isPositive();
        assertThat(fetched).isEqualTo(schema);
    }

    @Test
    void theSameSchemaTwiceKeepsItsIdAndVersion() throws Exception {
        String schema = record("Twice", "a").toString();

        int first = register("twice-value", schema).get("id").asInt();
        // Written differently (whitespace), the same schema all the same.
        int second = register("twice-value", JSON.readTree(schema).toPrettyString()).get("id").asInt();

        assertThat(second).isEqualTo(first);
        assertThat(get("/subjects/twice-value/versions").body()).isEqualTo("[1]");
    }

    @Test
    void theSameSchemaUnderAnotherSubjectGetsTheSameId() {
        String schema = record("Shared", "a").toString();

        int one = register("shared-one-value", schema).get("id").asInt();
        int other = register("shared-other-value", schema).get("id").asInt();
        int different = register("shared-other-value", record("Shared", "b").toString()).get("id").asInt();

        assertThat(other).isEqualTo(one);
        assertThat(different).isNotEqualTo(one);
    }

    @Test
    void listsSubjectsAndVersions() throws Exception {
        int v1 = register("listed-value", record("Listed", "a").toString()).get("id").asInt();
        int v2 = register("listed-value", record("Listed", "b").toString()).get("id").asInt();

        HttpResponse<String> subjects = get("/subjects");
        HttpResponse<String> versions = get("/subjects/listed-value/versions");
        JsonNode latest = JSON.readTree(get("/subjects/listed-value/versions/latest").body());
        JsonNode first = JSON.readTree(get("/subjects/listed-value/versions/1").body());

        assertThat(subjects.statusCode()).isEqualTo(200);
        assertThat(subjects.headers().firstValue("Content-Type")).hasValue(CONTENT_TYPE);
        assertThat(JSON.readTree(subjects.body())).isNotEmpty()
                .allSatisfy(subject -> assertThat(subject.isTextual()).isTrue())
                .anySatisfy(subject -> assertThat(subject.asText()).isEqualTo("listed-value"));
        assertThat(versions.body()).isEqualTo("[1,2]");
        assertThat(latest.get("subject").asText()).isEqualTo("listed-value");
        assertThat(latest.get("version").asInt()).isEqualTo(2);
        assertThat(latest.get("id").asInt()).isEqualTo(v2);
        assertThat(new Schema.Parser().parse(latest.get("schema").asText())).isEqualTo(record("Listed", "b"));
        assertThat(first.get("version").asInt()).isEqualTo(1);
        assertThat(first.get("id").asInt()).isEqualTo(v1);
        assertError(get("/subjects/nobody-value/versions"), 404, 40401);
        assertError(get("/subjects/nobody-value/versions/latest"), 404, 40401);
        assertError(get("/subjects/listed-value/versions/3"), 404, 40402);
        assertError(get("/subjects/listed-value/versions/zero"), 422, 42202);
    }

    @Test
    void looksUpWhetherASchemaIsRegisteredUnderASubject() throws Exception {
        String schema = record("Checked", "a").toString();
        int id = register("checked-value", schema).get("id").asInt();

        HttpResponse<String> found = post("/subjects/checked-value",
                JSON.createObjectNode().put("schema", schema).toString());
        HttpResponse<String> missing = post("/subjects/checked-value",
                JSON.createObjectNode().put("schema", record("Checked", "b").toString()).toString());

        assertThat(found.statusCode()).isEqualTo(200);
        assertThat(JSON.readTree(found.body()).get("id").asInt()).isEqualTo(id);
        assertThat(JSON.readTree(found.body()).get("version").asInt()).isEqualTo(1);
        assertError(missing, 404, 40403);
        // Issue 12: compatibility is enforced now, BACKWARD by default as on Confluent.
        assertThat(JSON.readTree(get("/config").body()).get("compatibilityLevel").asText()).isEqualTo("BACKWARD");
    }

    @Test
    void anUnknownIdIsA404InConfluentsFormat() throws Exception {
        HttpResponse<String> response = get("/schemas/ids/987654");

        assertError(response, 404, 40403);
        assertThat(JSON.readTree(response.body()).get("message").asText()).isEqualTo("Schema 987654 not found");
        SchemaRegistryException thrown = catchThrowableOfType(SchemaRegistryException.class,
                () -> new HttpSchemaRegistryClient(URI.create(registry.url())).schemaById(987654));
        assertThat(thrown.httpStatus()).isEqualTo(404);
        assertThat(thrown.errorCode()).isEqualTo(40403);
        assertThat(thrown.isRetriable()).isFalse();
    }

    @Test
    void anInvalidSchemaIsA422() throws Exception {
        HttpResponse<String> notAvro = post("/subjects/invalid-value/versions",
                JSON.createObjectNode().put("schema", "{\"type\":\"record\",\"name\":\"NoFields\"}").toString());
        HttpResponse<String> notJson = post("/subjects/invalid-value/versions",
                JSON.createObjectNode().put("schema", "{not json").toString());

        assertError(notAvro, 422, 42201);
        assertError(notJson, 422, 42201);
        assertError(get("/subjects/invalid-value/versions"), 404, 40401);
    }

    @Test
    void idsSurviveARegistryRestart() {
        String topic = "_restart_schemas";
        Schema kept = record("Kept", "a");
        int keptId;
        try (EmbeddedSchemaRegistry first = EmbeddedSchemaRegistry.start(kafka.bootstrapServers(), topic,
                "127.0.0.1", 0)) {
            HttpSchemaRegistryClient client = new HttpSchemaRegistryClient(URI.create(first.url()));
            client.register("other-value", record("Other", "a"));
            keptId = client.register("kept-value", kept);
        }

        try (EmbeddedSchemaRegistry second = EmbeddedSchemaRegistry.start(kafka.bootstrapServers(), topic,
                "127.0.0.1", 0)) {
            HttpSchemaRegistryClient client = new HttpSchemaRegistryClient(URI.create(second.url()));

            assertThat(client.schemaById(keptId)).isEqualTo(kept);
            assertThat(client.register("kept-value", kept)).isEqualTo(keptId);
            assertThat(client.register("kept-value", record("Kept", "b"))).isGreaterThan(keptId);
            assertThat(client.register("copied-value", kept)).isEqualTo(keptId);
        }
    }

    @Test
    void levelsAndDeletesSurviveARegistryRestart() {
        String topic = "_restart_state_schemas";
        Schema kept = record("Kept", "a");
        int keptId;
        int goneId;
        try (EmbeddedSchemaRegistry first = EmbeddedSchemaRegistry.start(kafka.bootstrapServers(), topic,
                "127.0.0.1", 0)) {
            RegistryHttp http = new RegistryHttp(first.url());
            RegistryHttp.ok(http.put("/config", "{\"compatibility\":\"FULL\"}"));
            RegistryHttp.ok(http.put("/config/anything-value", "{\"compatibility\":\"NONE\"}"));
            RegistryHttp.ok(http.post("/subjects/anything-value/versions", schemaBody(record("Any", "a"))));
            RegistryHttp.ok(http.post("/subjects/anything-value/versions", schemaBody(intRecord("Any", "a"))));
            keptId = RegistryHttp.ok(http.post("/subjects/kept-value/versions", schemaBody(kept))).get("id").asInt();
            RegistryHttp.ok(http.post("/subjects/kept-value/versions", schemaBody(record("Kept", "b"))));
            RegistryHttp.ok(http.delete("/subjects/kept-value/versions/1"));
            RegistryHttp.ok(http.post("/subjects/soft-value/versions", schemaBody(record("Soft", "a"))));
            RegistryHttp.ok(http.delete("/subjects/soft-value"));
            goneId = RegistryHttp.ok(http.post("/subjects/gone-value/versions", schemaBody(record("Gone", "a"))))
                    .get("id").asInt();
            RegistryHttp.ok(http.delete("/subjects/gone-value"));
            RegistryHttp.ok(http.delete("/subjects/gone-value?permanent=true"));
        }

        try (EmbeddedSchemaRegistry second = EmbeddedSchemaRegistry.start(kafka.bootstrapServers(), topic,
                "127.0.0.1", 0)) {
            RegistryHttp http = new RegistryHttp(second.url());

            assertThat(RegistryHttp.ok(http.get("/config")).get("compatibilityLevel").asText()).isEqualTo("FULL");
            assertThat(RegistryHttp.ok(http.get("/config/anything-value")).get("compatibilityLevel").asText())
                    .isEqualTo("NONE");
            assertThat(RegistryHttp.ok(http.get("/subjects/anything-value/versions"))).hasSize(2);
            assertThat(RegistryHttp.ok(http.get("/subjects/kept-value/versions")).toString()).isEqualTo("[2]");
            assertThat(RegistryHttp.ok(http.get("/subjects/kept-value/versions?deleted=true")).toString())
                    .isEqualTo("[1,2]");
            assertThat(new HttpSchemaRegistryClient(URI.create(second.url())).schemaById(keptId)).isEqualTo(kept);
            RegistryHttp.error(http.get("/subjects/soft-value/versions"), 404, 40401);
            assertThat(RegistryHttp.ok(http.get("/subjects?deleted=true")).toString()).contains("\"soft-value\"")
                    .doesNotContain("gone-value");
            RegistryHttp.error(http.get("/subjects/gone-value/versions?deleted=true"), 404, 40401);
            RegistryHttp.error(http.get("/schemas/ids/" + goneId), 404, 40403);
            // FULL still holds for kept-value: a string field turned int is refused.
            RegistryHttp.error(http.post("/subjects/kept-value/versions", schemaBody(intRecord("Kept", "b"))),
                    409, 409);
            // The permanently deleted schema had the highest id; it is not handed out again.
            int next = RegistryHttp.ok(http.post("/subjects/new-value/versions", schemaBody(record("New", "a"))))
                    .get("id").asInt();
            assertThat(next).isGreaterThan(goneId);
        }
    }

    @Test
    void readsAndDeletesVersionsWrittenByTheFirstRelease() throws Exception {
        String topic = "_first_release_schemas";
        String schema = record("Old", "a").toString();
        String evolved = record("Old", "b").toString();
        // What the first release wrote: key {"subject","version"}, value {"id","schema"}, nothing else.
        try (EmbeddedSchemaRegistry creator = EmbeddedSchemaRegistry.start(kafka.bootstrapServers(), topic,
                "127.0.0.1", 0);
             KafkaProducer<String, String> producer = new KafkaProducer<>(Map.of(
                     ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()),
                     new StringSerializer(), new StringSerializer())) {
            producer.send(new ProducerRecord<>(topic, 0, "{\"subject\":\"old-value\",\"version\":1}",
                    JSON.createObjectNode().put("id", 5).put("schema", schema).toString())).get();
            producer.send(new ProducerRecord<>(topic, 0, "{\"subject\":\"old-value\",\"version\":2}",
                    JSON.createObjectNode().put("id", 6).put("schema", evolved).toString())).get();
        }

        try (EmbeddedSchemaRegistry first = EmbeddedSchemaRegistry.start(kafka.bootstrapServers(), topic,
                "127.0.0.1", 0)) {
            RegistryHttp http = new RegistryHttp(first.url());
            assertThat(RegistryHttp.ok(http.get("/subjects/old-value/versions")).toString()).isEqualTo("[1,2]");
            assertThat(RegistryHttp.ok(http.get("/subjects/old-value/versions/1")).get("id").asInt()).isEqualTo(5);
            assertThat(RegistryHttp.ok(http.post("/subjects/old-value/versions", schemaBody(record("Old", "c"))))
                    .get("id").asInt()).isEqualTo(7);
            RegistryHttp.ok(http.delete("/subjects/old-value/versions/1"));
            RegistryHttp.ok(http.delete("/subjects/old-value/versions/1?permanent=true"));
            RegistryHttp.ok(http.delete("/subjects/old-value/versions/2"));
        }

        try (EmbeddedSchemaRegistry second = EmbeddedSchemaRegistry.start(kafka.bootstrapServers(), topic,
                "127.0.0.1", 0)) {
            RegistryHttp http = new RegistryHttp(second.url());
            assertThat(RegistryHttp.ok(http.get("/subjects/old-value/versions")).toString()).isEqualTo("[3]");
            assertThat(RegistryHttp.ok(http.get("/subjects/old-value/versions?deleted=true")).toString())
                    .isEqualTo("[2,3]");
            RegistryHttp.error(http.get("/schemas/ids/5"), 404, 40403);
            RegistryHttp.ok(http.get("/schemas/ids/6"));
        }
    }

    @Test
    void heraldsClientIsRefusedAnIncompatibleSchemaWithTheFieldNamed() {
        HttpSchemaRegistryClient client = new HttpSchemaRegistryClient(URI.create(registry.url()));
        client.register("refused-value", record("Refused", "a"));

        SchemaRegistryException thrown = catchThrowableOfType(SchemaRegistryException.class,
                () -> client.register("refused-value", intRecord("Refused", "a")));

        assertThat(thrown.httpStatus()).isEqualTo(409);
        assertThat(thrown.errorCode()).isEqualTo(409);
        assertThat(thrown.isRetriable()).isFalse();
        assertThat(thrown).hasMessageContaining("field 'a'").hasMessageContaining("TYPE_MISMATCH");
    }

    @Test
    void refusesAPortInUseNamingIt() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            int port = taken.getLocalPort();

            assertThatThrownBy(() -> EmbeddedSchemaRegistry.start(kafka.bootstrapServers(),
                    EmbeddedSchemaRegistry.DEFAULT_TOPIC, "127.0.0.1", port))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("127.0.0.1:" + port);
        }
    }

    @Test
    void anAvroSerdeRoundTripsAHeraldRecordThroughTheRegistry() throws Exception {
        ScheduleTick tick = ScheduleTick.newBuilder()
                .setCampaignId("spring-sale")
                .setRunId("spring-sale@2025-03-01T09:00:00Z")
                .setScheduledFor(Instant.parse("2025-03-01T09:00:00Z").truncatedTo(ChronoUnit.MILLIS))
                .setTrigger(Trigger.SCHEDULE)
                .build();

        byte[] bytes;
        try (AvroSerde<ScheduleTick> writer = AvroSerde.forValue(ScheduleTick.class,
                new HttpSchemaRegistryClient(URI.create(registry.url())))) {
            bytes = writer.serializer().serialize("ticks", tick);
        }
        ScheduleTick read;
        try (AvroSerde<ScheduleTick> reader = AvroSerde.forValue(ScheduleTick.class,
                new HttpSchemaRegistryClient(URI.create(registry.url())))) {
            read = reader.deserializer().deserialize("ticks", bytes);
        }

        JsonNode latest = JSON.readTree(get("/subjects/ticks-value/versions/latest").body());
        assertThat(read).isEqualTo(tick);
        assertThat(bytes[0]).as("Confluent magic byte").isZero();
        assertThat(ByteBuffer.wrap(bytes, 1, 4).getInt()).isEqualTo(latest.get("id").asInt());
        assertThat(new Schema.Parser().parse(latest.get("schema").asText())).isEqualTo(ScheduleTick.getClassSchema());
    }

    /** A one-field record; the field has a default, so records of one name may follow each other (BACKWARD). */
    private static Schema record(String name, String field) {
        return new Schema.Parser().parse("{\"type\":\"record\",\"name\":\"" + name + "\",\"namespace\":\"test\","
                + "\"fields\":[{\"name\":\"" + field + "\",\"type\":\"string\",\"default\":\"\"}]}");
    }

    /** Like {@link #record} with an int field: not compatible with it, either way. */
    private static Schema intRecord(String name, String field) {
        return new Schema.Parser().parse("{\"type\":\"record\",\"name\":\"" + name + "\",\"namespace\":\"test\","
                + "\"fields\":[{\"name\":\"" + field + "\",\"type\":\"int\",\"default\":0}]}");
    }

    private static String schemaBody(Schema schema) {
        return RegistryHttp.schemaBody(schema.toString());
    }

    private static JsonNode register(String subject, String schema) {
        HttpResponse<String> response = post("/subjects/" + subject + "/versions",
                JSON.createObjectNode().put("schema", schema).put("schemaType", "AVRO").toString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        try {
            return JSON.readTree(response.body());
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    private static void assertError(HttpResponse<String> response, int status, int errorCode) throws Exception {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        assertThat(response.headers().firstValue("Content-Type")).hasValue(CONTENT_TYPE);
        JsonNode body = JSON.readTree(response.body());
        assertThat(body.get("error_code").asInt()).isEqualTo(errorCode);
        assertThat(body.get("message").asText()).isNotBlank();
    }

    private static HttpResponse<String> get(String path) {
        return send(HttpRequest.newBuilder(URI.create(registry.url() + path)).GET().build());
    }

    private static HttpResponse<String> post(String path, String body) {
        return send(HttpRequest.newBuilder(URI.create(registry.url() + path))
                .header("Content-Type", CONTENT_TYPE)
                .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8))
                .build());
    }

    private static HttpResponse<String> send(HttpRequest request) {
        try {
            return HTTP.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        } catch (Exception e) {
            throw new AssertionError("Request to " + request.uri() + " failed", e);
        }
    }
}

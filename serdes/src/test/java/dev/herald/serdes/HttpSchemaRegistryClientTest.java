package dev.herald.serdes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import dev.herald.avro.Campaign;
import dev.herald.avro.Outcome;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Duration;
import org.apache.kafka.common.errors.SerializationException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The REST client speaks Confluent's API, caches both directions, and reports failures with their details. */
class HttpSchemaRegistryClientTest {

    private final FakeConfluentRegistry fake;

    HttpSchemaRegistryClientTest() throws IOException {
        fake = new FakeConfluentRegistry();
    }

    @AfterEach
    void stop() {
        fake.close();
    }

    @Test
    void serdeRegistersThenAnotherClientLooksTheSchemaUpById() {
        byte[] payload = AvroSerde.forValue(Campaign.class, new HttpSchemaRegistryClient(fake.uri()))
                .serializer().serialize("campaigns", TestRecords.richCampaign());

        Campaign read = AvroSerde.forValue(Campaign.class, new HttpSchemaRegistryClient(fake.uri()))
                .deserializer().deserialize("campaigns", payload);

        assertThat(read).isEqualTo(TestRecords.richCampaign());
        assertThat(fake.requests).containsExactly(
                new FakeConfluentRegistry.Request("POST", "/subjects/campaigns-value/versions", "campaigns-value",
                        "application/vnd.schemaregistry.v1+json"),
                new FakeConfluentRegistry.Request("GET", "/schemas/ids/1", null, null));
    }

    @Test
    void secondSerializeForTheSameTopicMakesNoRequest() {
        AvroSerde<Outcome> serde = AvroSerde.forValue(Outcome.class, new HttpSchemaRegistryClient(fake.uri()));

        byte[] first = serde.serializer().serialize("outcomes", TestRecords.outcome());
        serde.serializer().serialize("outcomes", TestRecords.outcome());
        // The id came back from registering, so reading our own records needs no lookup either.
        serde.deserializer().deserialize("outcomes", first);

        assertThat(fake.requestCount).hasValue(1);
    }

    @Test
    void clientCachesRegistrationsPerSubjectAndLookupsPerId() {
        HttpSchemaRegistryClient client = new HttpSchemaRegistryClient(fake.uri());
        int id = client.register("a-value", Outcome.getClassSchema());
        assertThat(client.register("a-value", Outcome.getClassSchema())).isEqualTo(id);
        assertThat(client.register("b-value", Outcome.getClassSchema())).isEqualTo(id); // global id, new subject
        assertThat(fake.requestCount).hasValue(2);

        HttpSchemaRegistryClient reader = new HttpSchemaRegistryClient(fake.uri());
        assertThat(reader.schemaById(id)).isEqualTo(Outcome.getClassSchema());
        assertThat(reader.schemaById(id)).isEqualTo(Outcome.getClassSchema());
        assertThat(fake.requestCount).hasValue(3);
    }

    @Test
    void unknownIdNamesTheIdStatusAndRegistryError() {
        HttpSchemaRegistryClient client = new HttpSchemaRegistryClient(fake.uri());

        assertThatThrownBy(() -> client.schemaById(99))
                .isInstanceOf(SchemaRegistryException.class)
                .hasMessageContaining("id 99")
                .hasMessageContaining("HTTP 404")
                .hasMessageContaining("error_code 40403")
                .hasMessageContaining("Schema not found")
                .satisfies(e -> {
                    SchemaRegistryException sre = (SchemaRegistryException) e;
                    assertThat(sre.httpStatus()).isEqualTo(404);
                    assertThat(sre.errorCode()).isEqualTo(40403);
                    assertThat(sre.isRetriable()).isFalse();
                });
    }

    @Test
    void deserializingAnUnknownIdIsASerializationExceptionWithTheRegistryDetails() {
        AvroSerde<Outcome> serde = AvroSerde.forValue(Outcome.class, new HttpSchemaRegistryClient(fake.uri()));

        assertThatThrownBy(() -> serde.deserializer().deserialize("outcomes", TestRecords.bytes(0, 0, 0, 0, 99, 2)))
                .isInstanceOf(SerializationException.class)
                .hasMessageContaining("'outcomes'")
                .hasMessageContaining("id 99")
                .hasMessageContaining("40403");
    }

    @Test
    void incompatibleRegistrationNamesTheSubjectStatusAndRegistryError() {
        fake.reject("outcomes-value", 409, 409,
                "Schema being registered is incompatible with an earlier schema for subject \"outcomes-value\"");
        HttpSchemaRegistryClient client = new HttpSchemaRegistryClient(fake.uri());

        assertThatThrownBy(() -> client.register("outcomes-value", Outcome.getClassSchema()))
                .isInstanceOf(SchemaRegistryException.class)
                .hasMessageContaining("subject 'outcomes-value'")
                .hasMessageContaining("HTTP 409")
                .hasMessageContaining("error_code 409")
                .hasMessageContaining("incompatible with an earlier schema");
        assertThatThrownBy(() -> AvroSerde.forValue(Outcome.class, client).serializer()
                .serialize("outcomes", TestRecords.outcome()))
                .isInstanceOf(SerializationException.class)
                .hasMessageContaining("'outcomes-value'")
                .hasMessageContaining("HTTP 409");
    }

    @Test
    void invalidSchemaRegistrationNamesTheSubjectStatusAndRegistryError() {
        fake.reject("bad-value", 422, 42201, "Invalid schema");

        assertThatThrownBy(() -> new HttpSchemaRegistryClient(fake.uri()).register("bad-value", Outcome.getClassSchema()))
                .isInstanceOf(SchemaRegistryException.class)
                .hasMessageContaining("subject 'bad-value'")
                .hasMessageContaining("HTTP 422")
                .hasMessageContaining("error_code 42201")
                .hasMessageContaining("Invalid schema");
    }

    @Test
    void backendFailureIsRetriableAndNotDisguisedAsABadRecord() {
        fake.failEverything(500, "{\"error_code\":50001,\"message\":\"Error in the backend data store\"}");
        AvroSerde<Outcome> serde = AvroSerde.forValue(Outcome.class, new HttpSchemaRegistryClient(fake.uri()));

        assertThatThrownBy(() -> serde.serializer().serialize("outcomes", TestRecords.outcome()))
                .isExactlyInstanceOf(SchemaRegistryException.class)
                .hasMessageContaining("'outcomes-value'")
                .hasMessageContaining("HTTP 500")
                .hasMessageContaining("error_code 50001")
                .satisfies(e -> assertThat(((SchemaRegistryException) e).isRetriable()).isTrue());
    }

    @Test
    void nonJsonErrorBodyFromAProxyIsQuoted() {
        fake.failEverything(502, "<html><body>Bad Gateway</body></html>");

        assertThatThrownBy(() -> new HttpSchemaRegistryClient(fake.uri()).schemaById(5))
                .isInstanceOf(SchemaRegistryException.class)
                .hasMessageContaining("id 5")
                .hasMessageContaining("HTTP 502")
                .hasMessageContaining("Bad Gateway");
    }

    @Test
    void subjectsAreUrlEncodedAsOnePathSegment() {
        HttpSchemaRegistryClient client = new HttpSchemaRegistryClient(URI.create(fake.uri() + "/"));

        client.register("odd subject/ü", Outcome.getClassSchema());

        assertThat(fake.requests).singleElement().satisfies(r -> {
            assertThat(r.rawPath()).isEqualTo("/subjects/odd%20subject%2F%C3%BC/versions");
            assertThat(r.subject()).isEqualTo("odd subject/ü");
        });
    }

    @Test
    void registryThatIsDownIsReportedWithItsUrl() throws IOException {
        int port;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = socket.getLocalPort();
        }
        String url = "http://127.0.0.1:" + port;
        HttpSchemaRegistryClient client = new HttpSchemaRegistryClient(URI.create(url), Duration.ofSeconds(2));
        AvroSerde<Outcome> serde = AvroSerde.forValue(Outcome.class, client);

        assertThatThrownBy(() -> client.register("outcomes-value", Outcome.getClassSchema()))
                .isInstanceOf(SchemaRegistryException.class)
                .hasMessageContaining(url + "/subjects/outcomes-value/versions")
                .hasMessageContaining("unreachable");
        assertThatThrownBy(() -> serde.serializer().serialize("outcomes", TestRecords.outcome()))
                .isExactlyInstanceOf(SchemaRegistryException.class)
                .hasMessageContaining("'outcomes'")
                .hasMessageContaining(url);
        assertThatThrownBy(() -> serde.deserializer().deserialize("outcomes", TestRecords.bytes(0, 0, 0, 0, 7, 2)))
                .isExactlyInstanceOf(SchemaRegistryException.class)
                .hasMessageContaining("'outcomes'")
                .hasMessageContaining("id 7")
                .hasMessageContaining(url + "/schemas/ids/7");
    }

    @Test
    void registryThatDoesNotAnswerInTimeIsReportedWithItsUrl() throws IOException {
        HttpServer silent = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        silent.createContext("/", exchange -> {
            try {
                Thread.sleep(1_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            exchange.close();
        });
        silent.start();
        try {
            String url = "http://127.0.0.1:" + silent.getAddress().getPort();
            HttpSchemaRegistryClient client = new HttpSchemaRegistryClient(URI.create(url), Duration.ofMillis(200));

            assertThatThrownBy(() -> client.schemaById(3))
                    .isInstanceOf(SchemaRegistryException.class)
                    .hasMessageContaining(url + "/schemas/ids/3")
                    .hasMessageContaining("did not answer within PT0.2S");
        } finally {
            silent.stop(0);
        }
    }

    @Test
    void constructorRefusesNonHttpUrlsAndNonPositiveTimeouts() {
        assertThatThrownBy(() -> new HttpSchemaRegistryClient(URI.create("mock://x")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("mock://x");
        assertThatThrownBy(() -> new HttpSchemaRegistryClient(fake.uri(), Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class);
    }
}

package dev.herald.serdes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.UUID;
import org.junit.jupiter.api.Test;

/** A registry URL picks the client: mock:// in memory, http(s):// over REST, anything else is refused. */
class SchemaRegistryClientsTest {

    @Test
    void mockUrlGivesTheNamedInMemoryScope() {
        String name = "clients-test-" + UUID.randomUUID();
        try {
            SchemaRegistryClient client = SchemaRegistryClients.fromUrl("mock://" + name);

            assertThat(client).isSameAs(InMemorySchemaRegistry.scope(name));
            assertThat(SchemaRegistryClients.fromUrl("mock://" + name)).isSameAs(client);
        } finally {
            InMemorySchemaRegistry.dropScope(name);
        }
    }

    @Test
    void httpAndHttpsUrlsGiveTheRestClient() {
        assertThat(SchemaRegistryClients.fromUrl("http://localhost:8081"))
                .isInstanceOfSatisfying(HttpSchemaRegistryClient.class,
                        c -> assertThat(c.baseUrl()).isEqualTo("http://localhost:8081"));
        assertThat(SchemaRegistryClients.fromUrl("https://registry.example.com/"))
                .isInstanceOfSatisfying(HttpSchemaRegistryClient.class,
                        c -> assertThat(c.baseUrl()).isEqualTo("https://registry.example.com"));
    }

    @Test
    void otherUrlsAreRefusedNamingTheUrl() {
        for (String url : new String[] {"ftp://registry:21", "localhost:8081", "mock://", "http://bad host"}) {
            assertThatThrownBy(() -> SchemaRegistryClients.fromUrl(url))
                    .as(url)
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining(url);
        }
        assertThatThrownBy(() -> SchemaRegistryClients.fromUrl(" ")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> SchemaRegistryClients.fromUrl(null)).isInstanceOf(IllegalArgumentException.class);
    }
}

package dev.herald.serdes;

import java.net.URI;
import java.util.Locale;

/** Picks a registry client from a URL: mock://scope (in memory) or http(s):// (Confluent REST API). */
public final class SchemaRegistryClients {
    private static final String MOCK = "mock://";

    private SchemaRegistryClients() {
    }

    public static SchemaRegistryClient fromUrl(String url) {
        if (url == null || url.isBlank()) {
            throw new IllegalArgumentException("Schema registry URL is missing: '" + url + "'");
        }
        String trimmed = url.trim();
        String lower = trimmed.toLowerCase(Locale.ROOT);
        if (lower.startsWith(MOCK)) {
            String scope = trimmed.substring(MOCK.length());
            if (scope.isEmpty()) {
                throw new IllegalArgumentException("Schema registry URL '" + url + "' names no scope (mock://NAME)");
            }
            return InMemorySchemaRegistry.scope(scope);
        }
        if (lower.startsWith("http://") || lower.startsWith("https://")) {
            URI uri;
            try {
                uri = URI.create(trimmed);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("Schema registry URL '" + url + "' is malformed: " + e.getMessage(), e);
            }
            return new HttpSchemaRegistryClient(uri);
        }
        throw new IllegalArgumentException(
                "Schema registry URL '" + url + "' is not supported: use mock://NAME, http://HOST:PORT or https://HOST:PORT");
    }
}

package dev.herald.serdes;

/** STUB — being implemented. Picks a registry client from a URL: mock://scope (in memory) or http(s)://. */
public final class SchemaRegistryClients {
    private SchemaRegistryClients() {
    }

    public static SchemaRegistryClient fromUrl(String url) {
        throw new UnsupportedOperationException("stub");
    }
}

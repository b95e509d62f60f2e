package dev.herald.serdes;

import org.apache.avro.Schema;

/** STUB — being implemented. In-memory registry for tests; named scopes are shared like Confluent's mock:// URLs. */
public final class InMemorySchemaRegistry implements SchemaRegistryClient {
    public InMemorySchemaRegistry() {
    }

    public static InMemorySchemaRegistry scope(String name) {
        throw new UnsupportedOperationException("stub");
    }

    public static void dropScope(String name) {
        throw new UnsupportedOperationException("stub");
    }

    @Override
    public int register(String subject, Schema schema) {
        throw new UnsupportedOperationException("stub");
    }

    @Override
    public Schema schemaById(int id) {
        throw new UnsupportedOperationException("stub");
    }
}

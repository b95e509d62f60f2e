package dev.herald.serdes;

import org.apache.avro.Schema;

/** The part of the Confluent Schema Registry API Herald's serdes need: register under a subject, look up by id. */
public interface SchemaRegistryClient extends AutoCloseable {

    /** Registers {@code schema} under {@code subject} (idempotent) and returns its global id. */
    int register(String subject, Schema schema);

    /** The schema with global id {@code id}; throws {@link SchemaRegistryException} naming the id if unknown. */
    Schema schemaById(int id);

    @Override
    default void close() {
    }
}

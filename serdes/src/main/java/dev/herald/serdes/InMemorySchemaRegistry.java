package dev.herald.serdes;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.avro.Schema;

/** In-memory registry for tests and the embedded mode; named scopes are shared like Confluent's mock:// URLs. */
public final class InMemorySchemaRegistry implements SchemaRegistryClient {

    private static final ConcurrentHashMap<String, InMemorySchemaRegistry> SCOPES = new ConcurrentHashMap<>();

    /** Mirrors the Confluent registry's "Schema not found" code so callers classify both registries alike. */
    static final int SCHEMA_NOT_FOUND = 40403;

    // Writes are rare (once per subject and schema) and synchronized; reads of ids go through a concurrent map.
    private final Map<String, Integer> idsBySchemaText = new HashMap<>();
    private final Map<Integer, Schema> schemasById = new ConcurrentHashMap<>();
    private final Map<String, List<Integer>> idsBySubject = new HashMap<>();
    private int nextId = 1;

    public InMemorySchemaRegistry() {
    }

    /** The registry shared under {@code name} in this JVM, created on first use. */
    public static InMemorySchemaRegistry scope(String name) {
        Objects.requireNonNull(name, "scope name");
        return SCOPES.computeIfAbsent(name, n -> new InMemorySchemaRegistry());
    }

    /** Forgets the scope {@code name}; the next {@link #scope(String)} call starts empty. */
    public static void dropScope(String name) {
        SCOPES.remove(name);
    }

    @Override
    public synchronized int register(String subject, Schema schema) {
        Objects.requireNonNull(subject, "subject");
        Objects.requireNonNull(schema, "schema");
        String text = schema.toString();
        Integer id = idsBySchemaText.get(text);
        if (id == null) {
            id = nextId++;
            idsBySchemaText.put(text, id);
            // A parsed copy, as a real registry would hand back, so later changes to the caller's object do not leak in.
            schemasById.put(id, new Schema.Parser().parse(text));
        }
        List<Integer> versions = idsBySubject.computeIfAbsent(subject, s -> new ArrayList<>());
        if (!versions.contains(id)) {
            versions.add(id);
        }
        return id;
    }

    @Override
    public Schema schemaById(int id) {
        Schema schema = schemasById.get(id);
        if (schema == null) {
            throw new SchemaRegistryException("In-memory schema registry has no schema with id " + id,
                    404, SCHEMA_NOT_FOUND);
        }
        return schema;
    }

    /** Subjects registered so far, sorted. */
    public synchronized Set<String> subjects() {
        return new TreeSet<>(idsBySubject.keySet());
    }

    /** Schema ids registered under {@code subject}, oldest first (its versions); empty if unknown. */
    public synchronized List<Integer> ids(String subject) {
        return List.copyOf(idsBySubject.getOrDefault(subject, List.of()));
    }
}

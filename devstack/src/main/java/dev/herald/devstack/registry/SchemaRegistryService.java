package dev.herald.devstack.registry;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.IntNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Objects;
import java.util.function.Predicate;
import java.util.function.Supplier;
import org.apache.avro.Schema;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The registry's operations, with Confluent's semantics and answers: every change is first written to the schema
 * topic, then applied to the in-memory state, so what a client was told survives a restart.
 *
 * <p>One lock serialises everything: writes are rare, and versions and ids are assigned in topic order.
 */
public final class SchemaRegistryService {

    private static final Logger log = LoggerFactory.getLogger(SchemaRegistryService.class);

    /** A request's version: a number, or {@code latest} (also {@code -1}). */
    record VersionRef(int number) {
        static final VersionRef LATEST = new VersionRef(-1);

        static VersionRef parse(String text) {
            if (text.equals("latest") || text.equals("-1")) {
                return LATEST;
            }
            try {
                int version = Integer.parseInt(text);
                if (version > 0) {
                    return new VersionRef(version);
                }
            } catch (NumberFormatException notANumber) {
                // answered below
            }
            throw ApiException.invalidVersion(text);
        }

        boolean isLatest() {
            return number == -1;
        }
    }

    private final SchemaTopic topic;
    private final ObjectMapper json;
    private final Object lock = new Object();
    private final RegistryState state = new RegistryState();
    /** Parsed earlier schemas, so compatibility checks do not re-parse every version each time. */
    private final Map<Integer, Schema> parsed = new HashMap<>();
    /** Set when a write failed without an answer: it may still have landed, so the topic is the truth again. */
    private boolean reloadBeforeWrite;

    private SchemaRegistryService(SchemaTopic topic, ObjectMapper json) {
        this.topic = topic;
        this.json = json;
    }

    /** Reads the whole topic and serves what it says. */
    public static SchemaRegistryService load(SchemaTopic topic, ObjectMapper json) {
        SchemaRegistryService service = new SchemaRegistryService(Objects.requireNonNull(topic, "topic"),
                Objects.requireNonNull(json, "json"));
        synchronized (service.lock) {
            service.reload();
        }
        return service;
    }

    /** A one-line account for the log, e.g. {@code 12 schemas under 9 subjects}. */
    public String summary() {
        synchronized (lock) {
            return state.schemaCount() + " schemas under " + state.subjects(false).size() + " subjects";
        }
    }

    private void reload() {
        state.clear();
        parsed.clear();
        long records = topic.readAll(state::apply);
        reloadBeforeWrite = false;
        log.debug("Read {} records from schema topic {}", records, topic.name());
    }

    /** Stores {@code records} in order, then applies them; caller holds {@link #lock}. */
    private void store(List<StoredRecord> records) {
        try {
            topic.write(records);
        } catch (ApiException e) {
            reloadBeforeWrite = true;
            throw e;
        }
        records.forEach(state::apply);
    }

    private <T> T writing(Supplier<T> operation) {
        synchronized (lock) {
            if (reloadBeforeWrite) {
                reload();
            }
            return operation.get();
        }
    }

    // ------------------------------------------------------------------------------------------------- subjects

    /** {@code GET /subjects}: the subjects with a live version (or any, with {@code deleted}) wanted, sorted. */
    public ArrayNode listSubjects(boolean deleted, Predicate<String> wanted) {
        ArrayNode array = json.createArrayNode();
        synchronized (lock) {
            state.subjects(deleted).keySet().stream().filter(wanted).forEach(array::add);
        }
        return array;
    }

    /** {@code GET /subjects/{s}/versions}. */
    public ArrayNode listVersions(String subject, boolean deleted) {
        ArrayNode array = json.createArrayNode();
        synchronized (lock) {
            versionsOrFail(subject, deleted).keySet().forEach(array::add);
        }
        return array;
    }

    /** {@code GET /subjects/{s}/versions/{v}}: subject, version, id and schema. */
    public ObjectNode version(String subject, String versionText, boolean deleted) {
        VersionRef ref = VersionRef.parse(versionText);
        synchronized (lock) {
            NavigableMap<Integer, RegistryState.Version> versions = versionsOrFail(subject, deleted);
            int number = ref.isLatest() ? versions.lastKey() : ref.number();
            RegistryState.Version version = versions.get(number);
            if (version == null) {
                throw ApiException.versionNotFound(number);
            }
            return subjectVersion(subject, number, version.id());
        }
    }

    /** {@code GET /subjects/{s}/versions/{v}/referencedby}: always empty, as references are not supported. */
    public ArrayNode referencedBy(String subject, String versionText) {
        version(subject, versionText, false);
        return json.createArrayNode();
    }

    /**
     * {@code POST /subjects/{s}/versions}: registers {@code schemaText} under {@code subject}, or answers the id it
     * already has there; refuses it with 409 when the subject's compatibility level forbids it.
     */
    public ObjectNode register(String subject, String schemaText) {
        Schema schema = parse(schemaText);
        String canonical = schema.toString();
        int id = writing(() -> {
            NavigableMap<Integer, RegistryState.Version> all = state.versions(subject, true);
            NavigableMap<Integer, RegistryState.Version> live = state.versions(subject, false);
            Integer known = state.idOf(canonical).orElse(null);
            if (known != null) {
                for (RegistryState.Version version : live.values()) {
                    if (version.id() == known) {
                        return known;
                    }
                }
            }
            List<String> problems = AvroCompatibility.check(state.effectiveLevel(subject), schema, earlier(live));
            if (!problems.isEmpty()) {
                throw ApiException.incompatible(subject, problems);
            }
            int newId = known != null ? known : state.maxId() + 1;
            int newVersion = all.isEmpty() ? 1 : all.lastKey() + 1;
            List<StoredRecord> records = new ArrayList<>();
            records.add(new StoredRecord.SchemaVersion(subject, newVersion, newId, canonical, false));
            // As Confluent: re-registering a soft-deleted schema replaces its old, deleted version for good.
            all.forEach((number, version) -> {
                if (version.deleted() && version.id() == newId) {
                    records.add(StoredRecord.SchemaVersion.tombstone(subject, number));
                }
            });
            store(records);
            log.info("Registered schema id {} as version {} of subject {}", newId, newVersion, subject);
            return newId;
        });
        return json.createObjectNode().put("id", id);
    }

    /** {@code POST /subjects/{s}}: the version {@code schemaText} has under {@code subject}, if any. */
    public ObjectNode lookUp(String subject, String schemaText, boolean deleted) {
        String canonical = parse(schemaText).toString();
        synchronized (lock) {
            NavigableMap<Integer, RegistryState.Version> versions = versionsOrFail(subject, deleted);
            Integer id = state.idOf(canonical).orElse(null);
            if (id != null) {
                for (Map.Entry<Integer, RegistryState.Version> entry : versions.entrySet()) {
                    if (entry.getValue().id() == id) {
                        return subjectVersion(subject, entry.getKey(), id);
                    }
                }
            }
            throw ApiException.schemaNotFound();
        }
    }

    /**
     * {@code DELETE /subjects/{s}}: soft-deletes every live version (ids stay readable), or with {@code permanent}
     * removes a soft-deleted subject for good, with its compatibility level; answers the versions deleted.
     */
    public ArrayNode deleteSubject(String subject, boolean permanent) {
        List<Integer> deleted = writing(() -> {
            NavigableMap<Integer, RegistryState.Version> all = state.versions(subject, true);
            NavigableMap<Integer, RegistryState.Version> live = state.versions(subject, false);
            if (all.isEmpty()) {
                throw ApiException.subjectNotFound(subject);
            }
            List<StoredRecord> records = new ArrayList<>();
            if (!permanent) {
                if (live.isEmpty()) {
                    throw ApiException.subjectSoftDeleted(subject);
                }
                live.forEach((number, version) -> records.add(softDeleted(subject, number, version)));
                store(records);
                log.info("Soft-deleted subject {} (versions {})", subject, live.keySet());
                return List.copyOf(live.keySet());
            }
            if (!live.isEmpty()) {
                throw ApiException.subjectNotSoftDeleted(subject);
            }
            // The watermark first: even if the tombstones land and it does not, no id is ever handed out twice.
            records.add(new StoredRecord.IdWatermark(state.maxId()));
            all.descendingKeySet()
                    .forEach(number -> records.add(StoredRecord.SchemaVersion.tombstone(subject, number)));
            if (state.subjectLevel(subject).isPresent()) {
                records.add(new StoredRecord.Config(subject, null));
            }
            store(records);
            log.info("Permanently deleted subject {} (versions {})", subject, all.keySet());
            return List.copyOf(all.keySet());
        });
        ArrayNode array = json.createArrayNode();
        deleted.forEach(array::add);
        return array;
    }

    /**
     * {@code DELETE /subjects/{s}/versions/{v}}: soft-deletes a live version, or with {@code permanent} removes a
     * soft-deleted one for good; answers its number.
     */
    public IntNode deleteVersion(String subject, String versionText, boolean permanent) {
        VersionRef ref = VersionRef.parse(versionText);
        int deleted = writing(() -> {
            NavigableMap<Integer, RegistryState.Version> all = state.versions(subject, true);
            NavigableMap<Integer, RegistryState.Version> live = state.versions(subject, false);
            if (all.isEmpty()) {
                throw ApiException.subjectNotFound(subject);
            }
            int number = !ref.isLatest() ? ref.number()
                    : permanent || live.isEmpty() ? all.lastKey() : live.lastKey();
            RegistryState.Version version = all.get(number);
            if (version == null) {
                throw ApiException.versionNotFound(number);
            }
            if (!permanent) {
                if (version.deleted()) {
                    throw ApiException.versionSoftDeleted(subject, number);
                }
                store(List.of(softDeleted(subject, number, version)));
                log.info("Soft-deleted version {} of subject {}", number, subject);
                return number;
            }
            if (!version.deleted()) {
                throw ApiException.versionNotSoftDeleted(subject, number);
            }
            List<StoredRecord> records = new ArrayList<>();
            records.add(new StoredRecord.IdWatermark(state.maxId()));
            records.add(StoredRecord.SchemaVersion.tombstone(subject, number));
            if (all.size() == 1 && state.subjectLevel(subject).isPresent()) {
                // The subject is gone with its last version, and so is its level (as Confluent).
                records.add(new StoredRecord.Config(subject, null));
            }
            store(records);
            log.info("Permanently deleted version {} of subject {}", number, subject);
            return number;
        });
        return IntNode.valueOf(deleted);
    }

    private StoredRecord softDeleted(String subject, int number, RegistryState.Version version) {
        String schema = state.schema(version.id())
                .orElseThrow(() -> new IllegalStateException("No schema for id " + version.id()));
        return new StoredRecord.SchemaVersion(subject, number, version.id(), schema, true);
    }

    // -------------------------------------------------------------------------------------------------- schemas

    /** The schema with {@code id}, as registered (canonical JSON); soft-deleted versions keep it readable. */
    public String schemaById(String idText) {
        int id = parseId(idText);
        synchronized (lock) {
            return state.schema(id).orElseThrow(() -> ApiException.schemaNotFound(idText));
        }
    }

    /** {@code GET /schemas/ids/{id}/versions}: every subject-version using the id. */
    public ArrayNode versionsOf(String idText, boolean deleted) {
        int id = parseId(idText);
        ArrayNode array = json.createArrayNode();
        synchronized (lock) {
            if (state.schema(id).isEmpty()) {
                throw ApiException.schemaNotFound();
            }
            state.subjects(deleted).forEach((subject, versions) -> versions.forEach((number, version) -> {
                if (version.id() == id) {
                    array.addObject().put("subject", subject).put("version", number);
                }
            }));
        }
        return array;
    }

    /** {@code GET /schemas/ids/{id}/subjects}: every subject using the id. */
    public ArrayNode subjectsOf(String idText, boolean deleted) {
        ArrayNode array = json.createArrayNode();
        String last = null;
        for (JsonNode subjectVersion : versionsOf(idText, deleted)) {
            String subject = subjectVersion.get("subject").asText();
            if (!subject.equals(last)) {
                array.add(subject);
                last = subject;
            }
        }
        return array;
    }

    /** {@code GET /schemas}: the wanted subjects' versions with their schemas, optionally the latest only. */
    public ArrayNode listSchemas(Predicate<String> wanted, boolean deleted, boolean latestOnly) {
        ArrayNode array = json.createArrayNode();
        synchronized (lock) {
            state.subjects(deleted).forEach((subject, versions) -> {
                if (!wanted.test(subject)) {
                    return;
                }
                var shown = latestOnly ? versions.tailMap(versions.lastKey(), true) : versions;
                shown.forEach((number, version) -> array.add(subjectVersion(subject, number, version.id())));
            });
        }
        return array;
    }

    private static int parseId(String text) {
        try {
            return Integer.parseInt(text);
        } catch (NumberFormatException e) {
            throw ApiException.schemaNotFound(text);
        }
    }

    // ------------------------------------------------------------------------------------------- compatibility

    /**
     * {@code POST /compatibility/subjects/{s}/versions[/{v}]}: whether {@code schemaText} may follow the given version
     * (all live versions as the level says when {@code versionText} is null) under the subject's level; the reasons
     * with {@code verbose}. An unknown subject has nothing to be incompatible with.
     */
    public ObjectNode testCompatibility(String subject, String versionText, String schemaText, boolean verbose) {
        VersionRef ref = versionText == null ? null : VersionRef.parse(versionText);
        List<String> problems;
        Schema schema;
        try {
            schema = parse(schemaText);
        } catch (ApiException invalid) {
            if (!verbose) {
                throw invalid;
            }
            return compatibilityAnswer(List.of(invalid.getMessage()), true);
        }
        synchronized (lock) {
            NavigableMap<Integer, RegistryState.Version> live = state.versions(subject, false);
            NavigableMap<Integer, RegistryState.Version> against = live;
            if (ref != null && !live.isEmpty()) {
                int number = ref.isLatest() ? live.lastKey() : ref.number();
                if (!live.containsKey(number)) {
                    throw ApiException.versionNotFound(number);
                }
                against = live.subMap(number, true, number, true);
            } else if (ref != null && !ref.isLatest()) {
                throw ApiException.subjectNotFound(subject);
            }
            problems = AvroCompatibility.check(state.effectiveLevel(subject), schema, earlier(against));
        }
        return compatibilityAnswer(problems, verbose);
    }

    private ObjectNode compatibilityAnswer(List<String> problems, boolean verbose) {
        ObjectNode answer = json.createObjectNode().put("is_compatible", problems.isEmpty());
        if (verbose) {
            ArrayNode messages = answer.putArray("messages");
            problems.forEach(messages::add);
        }
        return answer;
    }

    /** The versions, oldest first, parsed; caller holds {@link #lock}. */
    private List<AvroCompatibility.Earlier> earlier(NavigableMap<Integer, RegistryState.Version> versions) {
        List<AvroCompatibility.Earlier> earlier = new ArrayList<>();
        versions.forEach((number, version) -> earlier.add(new AvroCompatibility.Earlier(number,
                parsed.computeIfAbsent(version.id(), id -> new Schema.Parser().parse(state.schema(id)
                        .orElseThrow(() -> new IllegalStateException("No schema for id " + id)))))));
        return earlier;
    }

    // --------------------------------------------------------------------------------------------------- config

    /**
     * {@code GET /config[/{s}]}: the global level, or the subject's own; a subject without one is 40408 unless
     * {@code defaultToGlobal}.
     */
    public ObjectNode config(String subject, boolean defaultToGlobal) {
        synchronized (lock) {
            CompatibilityLevel level;
            if (subject == null) {
                level = state.globalLevel();
            } else {
                level = state.subjectLevel(subject).orElse(null);
                if (level == null) {
                    if (!defaultToGlobal) {
                        throw ApiException.subjectCompatibilityNotConfigured(subject);
                    }
                    level = state.globalLevel();
                }
            }
            return json.createObjectNode().put("compatibilityLevel", level.name());
        }
    }

    /** {@code PUT /config[/{s}]} with {@code {"compatibility": …}}: sets the level and echoes it. */
    public ObjectNode updateConfig(String subject, JsonNode body) {
        JsonNode requested = body.get("compatibility");
        CompatibilityLevel level = CompatibilityLevel.forName(requested == null || !requested.isTextual() ? null
                : requested.asText()).orElseThrow(ApiException::invalidCompatibilityLevel);
        writing(() -> {
            store(List.of(new StoredRecord.Config(subject, level)));
            log.info("Compatibility of {} set to {}", subject == null ? "the registry" : "subject " + subject, level);
            return level;
        });
        return json.createObjectNode().put("compatibility", level.name());
    }

    /**
     * {@code DELETE /config[/{s}]}: drops the subject's level (40401 if it has none), or resets the global one to
     * BACKWARD; answers the level it had.
     */
    public ObjectNode deleteConfig(String subject) {
        CompatibilityLevel old = writing(() -> {
            CompatibilityLevel had = subject == null ? state.globalLevel()
                    : state.subjectLevel(subject).orElseThrow(() -> ApiException.subjectNotFound(subject));
            store(List.of(new StoredRecord.Config(subject, null)));
            log.info("Compatibility of {} reset", subject == null ? "the registry" : "subject " + subject);
            return had;
        });
        return json.createObjectNode().put("compatibilityLevel", old.name());
    }

    // ---------------------------------------------------------------------------------------------------- shared

    /** Caller holds {@link #lock}. */
    private NavigableMap<Integer, RegistryState.Version> versionsOrFail(String subject, boolean deleted) {
        NavigableMap<Integer, RegistryState.Version> versions = state.versions(subject, deleted);
        if (versions.isEmpty()) {
            throw ApiException.subjectNotFound(subject);
        }
        return versions;
    }

    /** Caller holds {@link #lock}. */
    private ObjectNode subjectVersion(String subject, int version, int id) {
        return json.createObjectNode().put("subject", subject).put("version", version).put("id", id)
                .put("schema", state.schema(id).orElseThrow());
    }

    /** Parses an Avro schema as a client sent it, or answers 42201 saying why not. */
    static Schema parse(String schemaText) {
        if (schemaText == null) {
            throw ApiException.invalidSchema("Invalid schema: the body has no \"schema\" string");
        }
        try {
            return new Schema.Parser().parse(schemaText);
        } catch (RuntimeException e) {
            // SchemaParseException, but also AvroTypeException for a bad default and others for odd input.
            throw ApiException.invalidSchema("Invalid schema: " + e.getMessage());
        }
    }

    /** The schema as a JSON tree, for the endpoints that answer it unescaped. */
    JsonNode schemaTree(String schema) {
        try {
            return json.readTree(schema);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Stored schema is not JSON: " + e.getMessage(), e);
        }
    }
}

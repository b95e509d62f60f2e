package dev.herald.devstack.registry;

import java.util.Collections;
import java.util.HashMap;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Optional;
import java.util.TreeMap;

/**
 * What the schema topic says, folded into maps: subjects and their versions (soft-deleted ones flagged), schemas by
 * id, compatibility levels. Not thread-safe: the registry guards it with its lock.
 */
final class RegistryState {

    /** A version of a subject: the schema's global id, and whether it is soft-deleted. */
    record Version(int id, boolean deleted) {
    }

    /** subject → version → entry; sorted, as the API lists subjects and versions in order. */
    private final NavigableMap<String, NavigableMap<Integer, Version>> subjects = new TreeMap<>();
    private final Map<Integer, String> schemasById = new TreeMap<>();
    /** How many versions (soft-deleted too) use each id: an id goes when its last version is deleted permanently. */
    private final Map<Integer, Integer> versionsById = new HashMap<>();
    private final Map<String, Integer> idsBySchema = new HashMap<>();
    private final Map<String, CompatibilityLevel> subjectLevels = new TreeMap<>();
    private CompatibilityLevel globalLevel;
    private int maxId;

    void clear() {
        subjects.clear();
        schemasById.clear();
        versionsById.clear();
        idsBySchema.clear();
        subjectLevels.clear();
        globalLevel = null;
        maxId = 0;
    }

    void apply(StoredRecord record) {
        if (record instanceof StoredRecord.SchemaVersion version) {
            apply(version);
        } else if (record instanceof StoredRecord.Config config) {
            if (config.subject() == null) {
                globalLevel = config.level();
            } else if (config.level() == null) {
                subjectLevels.remove(config.subject());
            } else {
                subjectLevels.put(config.subject(), config.level());
            }
        } else if (record instanceof StoredRecord.IdWatermark watermark) {
            maxId = Math.max(maxId, watermark.maxId());
        }
    }

    private void apply(StoredRecord.SchemaVersion record) {
        NavigableMap<Integer, Version> versions = subjects.get(record.subject());
        Version previous = versions == null ? null : versions.get(record.version());
        if (previous != null) {
            release(previous.id());
        }
        if (record.isTombstone()) {
            if (versions != null) {
                versions.remove(record.version());
                if (versions.isEmpty()) {
                    subjects.remove(record.subject());
                }
            }
            return;
        }
        subjects.computeIfAbsent(record.subject(), s -> new TreeMap<>())
                .put(record.version(), new Version(record.id(), record.deleted()));
        versionsById.merge(record.id(), 1, Integer::sum);
        schemasById.putIfAbsent(record.id(), record.schema());
        idsBySchema.putIfAbsent(record.schema(), record.id());
        maxId = Math.max(maxId, record.id());
    }

    private void release(int id) {
        if (versionsById.merge(id, -1, Integer::sum) <= 0) {
            versionsById.remove(id);
            String schema = schemasById.remove(id);
            if (schema != null) {
                idsBySchema.remove(schema, id);
            }
        }
    }

    /** A copy of the subject's versions, soft-deleted ones only if asked; empty if it has none. */
    NavigableMap<Integer, Version> versions(String subject, boolean includeDeleted) {
        NavigableMap<Integer, Version> copy = new TreeMap<>();
        subjects.getOrDefault(subject, Collections.emptyNavigableMap()).forEach((number, version) -> {
            if (includeDeleted || !version.deleted()) {
                copy.put(number, version);
            }
        });
        return copy;
    }

    /** Subjects with at least one version, soft-deleted ones counted only if asked; sorted. */
    NavigableMap<String, NavigableMap<Integer, Version>> subjects(boolean includeDeleted) {
        NavigableMap<String, NavigableMap<Integer, Version>> result = new TreeMap<>();
        for (String subject : subjects.keySet()) {
            NavigableMap<Integer, Version> versions = versions(subject, includeDeleted);
            if (!versions.isEmpty()) {
                result.put(subject, versions);
            }
        }
        return result;
    }

    Optional<String> schema(int id) {
        return Optional.ofNullable(schemasById.get(id));
    }

    /** The id a schema (in canonical form) already has, under any subject. */
    Optional<Integer> idOf(String canonicalSchema) {
        return Optional.ofNullable(idsBySchema.get(canonicalSchema));
    }

    int schemaCount() {
        return schemasById.size();
    }

    int maxId() {
        return maxId;
    }

    Optional<CompatibilityLevel> subjectLevel(String subject) {
        return Optional.ofNullable(subjectLevels.get(subject));
    }

    CompatibilityLevel globalLevel() {
        return globalLevel != null ? globalLevel : CompatibilityLevel.DEFAULT;
    }

    /** The level a registration under {@code subject} is checked with: the subject's own, else the global one. */
    CompatibilityLevel effectiveLevel(String subject) {
        return subjectLevel(subject).orElseGet(this::globalLevel);
    }
}

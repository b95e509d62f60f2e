package dev.herald.devstack.registry;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.Objects;

/**
 * One record of the schema topic, and its JSON key and value there.
 *
 * <p>Schema versions keep the key the first release wrote, {@code {"subject":…,"version":…}}, byte for byte:
 * compaction matches keys by bytes, so a soft delete or a tombstone must carry the very key of the version it
 * replaces. Everything added since has a {@code keytype}. A null value is a tombstone.
 */
sealed interface StoredRecord {

    /** A version of a subject; {@code schema} null is its tombstone (a permanent delete). */
    record SchemaVersion(String subject, int version, int id, String schema, boolean deleted) implements StoredRecord {
        public SchemaVersion {
            Objects.requireNonNull(subject, "subject");
        }

        static SchemaVersion tombstone(String subject, int version) {
            return new SchemaVersion(subject, version, 0, null, false);
        }

        boolean isTombstone() {
            return schema == null;
        }
    }

    /** A compatibility level: {@code subject} null for the global one, {@code level} null for its removal. */
    record Config(String subject, CompatibilityLevel level) implements StoredRecord {
    }

    /** The highest id ever handed out, kept so that ids of permanently deleted schemas are never handed out again. */
    record IdWatermark(int maxId) implements StoredRecord {
    }

    /** A record's key and value bytes. */
    record Bytes(byte[] key, byte[] value) {
    }

    String CONFIG = "CONFIG";
    String ID_WATERMARK = "ID_WATERMARK";

    static Bytes encode(StoredRecord record, ObjectMapper json) {
        ObjectNode key = json.createObjectNode();
        ObjectNode value = null;
        if (record instanceof SchemaVersion version) {
            key.put("subject", version.subject()).put("version", version.version());
            if (!version.isTombstone()) {
                value = json.createObjectNode().put("id", version.id()).put("schema", version.schema());
                if (version.deleted()) {
                    value.put("deleted", true);
                }
            }
        } else if (record instanceof Config config) {
            key.put("keytype", CONFIG);
            if (config.subject() != null) {
                key.put("subject", config.subject());
            }
            if (config.level() != null) {
                value = json.createObjectNode().put("compatibilityLevel", config.level().name());
            }
        } else if (record instanceof IdWatermark watermark) {
            key.put("keytype", ID_WATERMARK);
            value = json.createObjectNode().put("maxId", watermark.maxId());
        }
        try {
            return new Bytes(json.writeValueAsBytes(key), value == null ? null : json.writeValueAsBytes(value));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Cannot write a schema topic record as JSON", e);
        }
    }

    /** The record a key and value hold; throws naming what is wrong for anything else. */
    static StoredRecord decode(byte[] keyBytes, byte[] valueBytes, ObjectMapper json) throws IOException {
        if (keyBytes == null) {
            throw new IOException("record without a key");
        }
        JsonNode key = json.readTree(keyBytes);
        JsonNode value = valueBytes == null ? null : json.readTree(valueBytes);
        String type = key.path("keytype").asText("");
        switch (type) {
            case "" -> {
                String subject = key.path("subject").asText(null);
                int version = key.path("version").asInt(0);
                if (subject == null || version <= 0) {
                    throw new IOException("key without subject and version");
                }
                if (value == null) {
                    return SchemaVersion.tombstone(subject, version);
                }
                int id = value.path("id").asInt(0);
                String schema = value.path("schema").asText(null);
                if (id <= 0 || schema == null) {
                    throw new IOException("value without id and schema");
                }
                return new SchemaVersion(subject, version, id, schema, value.path("deleted").asBoolean(false));
            }
            case CONFIG -> {
                String subject = key.path("subject").asText(null);
                if (value == null) {
                    return new Config(subject, null);
                }
                String level = value.path("compatibilityLevel").asText(null);
                return new Config(subject, CompatibilityLevel.forName(level)
                        .orElseThrow(() -> new IOException("unknown compatibility level " + level)));
            }
            case ID_WATERMARK -> {
                int maxId = value == null ? 0 : value.path("maxId").asInt(0);
                return new IdWatermark(maxId);
            }
            default -> throw new IOException("unknown keytype " + type);
        }
    }
}

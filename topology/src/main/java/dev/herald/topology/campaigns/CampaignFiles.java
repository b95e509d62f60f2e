package dev.herald.topology.campaigns;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.herald.avro.Campaign;
import dev.herald.serdes.AvroTrust;
import dev.herald.topology.scheduler.FirePlanner;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import org.apache.avro.LogicalType;
import org.apache.avro.LogicalTypes;
import org.apache.avro.Schema;
import org.apache.avro.generic.IndexedRecord;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificRecord;

/**
 * Reads campaign definitions from JSON or YAML files, as operators write them and as {@code campaign apply FILE}
 * and the test kit load them: the Avro schema's field names, instants as ISO-8601 strings, enum symbols as in the
 * schema, optional fields left out. The campaign is then checked by the rules the topology applies
 * ({@link CampaignValidator#check}), so a file that reads is one the topology accepts.
 */
public final class CampaignFiles {

    /** Fields that record when the definition was written; a file may leave them out and gets the apply time. */
    private static final List<String> STAMPS = List.of("createdAt", "updatedAt");

    // ObjectReaders are immutable and thread-safe; duplicate keys and a second document are errors, not overrides.
    private static final ObjectReader JSON = JsonMapper.builder()
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build().reader();
    private static final ObjectReader YAML = YAMLMapper.builder()
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build().reader();

    /** The two notations; YAML is a superset of JSON, but a .json file is held to JSON. */
    public enum Format {
        JSON, YAML;

        /** By extension: {@code .json}, {@code .yaml} or {@code .yml}. */
        public static Format of(Path file) {
            String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
            if (name.endsWith(".json")) {
                return JSON;
            }
            if (name.endsWith(".yaml") || name.endsWith(".yml")) {
                return YAML;
            }
            throw new CampaignFileException(file.toString(), null,
                    "is neither .json nor .yaml/.yml, so its notation is unknown", null);
        }
    }

    static {
        // Filling in enum and record defaults makes Avro load generated classes by name, which it refuses unless
        // their package is trusted; a file may be read before any serde (which trusts it too) exists.
        AvroTrust.trustPackageOf(Campaign.class);
    }

    private CampaignFiles() {
    }

    /**
     * One campaign from a {@code .json}, {@code .yaml} or {@code .yml} file.
     *
     * @param now the apply time: {@code createdAt} and {@code updatedAt} when the file leaves them out
     * @throws CampaignFileException naming the file, the field and what is wrong
     */
    public static Campaign read(Path file, Instant now) {
        Format format = Format.of(file);
        String text;
        try {
            text = Files.readString(file);
        } catch (NoSuchFileException e) {
            throw new CampaignFileException(file.toString(), null, "does not exist", e);
        } catch (IOException e) {
            throw new CampaignFileException(file.toString(), null, "cannot be read: " + e.getMessage(), e);
        }
        return parse(text, format, file.toString(), now);
    }

    /**
     * One campaign from text in the given notation.
     *
     * @param source names the text in error messages (a file name, say)
     * @param now    the apply time: {@code createdAt} and {@code updatedAt} when the text leaves them out
     * @throws CampaignFileException naming the source, the field and what is wrong
     */
    public static Campaign parse(String text, Format format, String source, Instant now) {
        JsonNode tree;
        try {
            tree = (format == Format.JSON ? JSON : YAML).readTree(text);
        } catch (JsonProcessingException e) {
            String where = e.getLocation() == null ? ""
                    : "line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr() + ": ";
            throw new CampaignFileException(source, null,
                    "is not valid " + format + " (" + where + e.getOriginalMessage() + ")", e);
        }
        if (tree == null || tree.isMissingNode() || tree.isNull()) {
            throw new CampaignFileException(source, null, "is empty: expected one campaign", null);
        }
        Reader reader = new Reader(source, now);
        Campaign campaign = (Campaign) reader.record(Campaign.getClassSchema(), tree, "", true);
        // The misfire threshold plays no part in validation; the planner only parses and checks schedules.
        Optional<CampaignValidator.Violation> violation =
                CampaignValidator.check(campaign, new FirePlanner(Duration.ZERO));
        if (violation.isPresent()) {
            CampaignValidator.Violation v = violation.get();
            throw new CampaignFileException(source, v.field(), v.problem(), v.cause());
        }
        return campaign;
    }

    /**
     * Any generated record from a JSON tree, by the same rules as campaign files (field names, enum symbols, instants
     * as ISO-8601, defaults for what is left out); the command line reads recipients this way. No rule beyond the
     * schema is checked: that is the caller's validator's job.
     *
     * @param source names the tree in error messages (a line of a file, say)
     * @throws CampaignFileException naming the source, the field and what is wrong
     */
    public static <T extends SpecificRecord> T readRecord(JsonNode tree, Class<T> type, String source) {
        Schema schema = SpecificData.getForClass(type).getSchema(type);
        if (tree == null || tree.isMissingNode() || tree.isNull()) {
            throw new CampaignFileException(source, null, "is empty: expected one " + schema.getName(), null);
        }
        return type.cast(new Reader(source, Instant.EPOCH).record(schema, tree, "", false));
    }

    /** Walks a JSON tree along an Avro schema, building the specific records the topology reads. */
    private static final class Reader {
        private final String source;
        private final Instant now;
        private final SpecificData data = SpecificData.getForClass(Campaign.class);

        Reader(String source, Instant now) {
            this.source = source;
            this.now = now.truncatedTo(ChronoUnit.MILLIS);
        }

        Object record(Schema schema, JsonNode node, String path, boolean top) {
            if (!node.isObject()) {
                throw error(path.isEmpty() ? null : path, "must be an object with fields "
                        + fieldNames(schema) + " (was " + describe(node) + ")");
            }
            for (Iterator<String> names = node.fieldNames(); names.hasNext(); ) {
                String name = names.next();
                if (schema.getField(name) == null) {
                    throw error(join(path, name), "is not a field of " + schema.getName() + " (its fields: "
                            + fieldNames(schema) + ")");
                }
            }
            IndexedRecord record = (IndexedRecord) data.newRecord(null, schema);
            for (Schema.Field field : schema.getFields()) {
                String fieldPath = join(path, field.name());
                JsonNode value = node.get(field.name());
                Object converted;
                if (value != null) {
                    converted = value(field.schema(), value, fieldPath);
                } else if (top && STAMPS.contains(field.name())) {
                    converted = now;
                } else if (field.hasDefaultValue()) {
                    converted = data.getDefaultValue(field);
                } else {
                    throw error(fieldPath, "is required");
                }
                record.put(field.pos(), converted);
            }
            return record;
        }

        Object value(Schema schema, JsonNode node, String path) {
            switch (schema.getType()) {
                case UNION:
                    return union(schema, node, path);
                case NULL:
                    if (!node.isNull()) {
                        throw error(path, "must be null (was " + describe(node) + ")");
                    }
                    return null;
                case RECORD:
                    return record(schema, node, path, false);
                case ENUM:
                    return symbol(schema, node, path);
                case ARRAY:
                    return array(schema, node, path);
                case MAP:
                    return map(schema, node, path);
                case STRING:
                    if (!node.isValueNode() || node.isNull()) {
                        throw error(path, "must be text (was " + describe(node) + ")");
                    }
                    return node.asText();
                case INT:
                case LONG:
                    return number(schema, node, path);
                case BOOLEAN:
                    if (!node.isBoolean()) {
                        throw error(path, "must be true or false (was " + describe(node) + ")");
                    }
                    return node.booleanValue();
                case FLOAT:
                case DOUBLE:
                    if (!node.isNumber()) {
                        throw error(path, "must be a number (was " + describe(node) + ")");
                    }
                    return schema.getType() == Schema.Type.FLOAT ? (Object) node.floatValue() : node.doubleValue();
                default:
                    throw error(path, "has Avro type " + schema.getType() + ", which campaign files do not support");
            }
        }

        private Object union(Schema schema, JsonNode node, String path) {
            if (node.isNull()) {
                if (schema.getTypes().stream().anyMatch(s -> s.getType() == Schema.Type.NULL)) {
                    return null;
                }
                throw error(path, "must not be null");
            }
            CampaignFileException last = null;
            for (Schema branch : schema.getTypes()) {
                if (branch.getType() == Schema.Type.NULL) {
                    continue;
                }
                try {
                    return value(branch, node, path);
                } catch (CampaignFileException e) {
                    last = e;
                }
            }
            throw last != null ? last : error(path, "must be null");
        }

        private Object symbol(Schema schema, JsonNode node, String path) {
            List<String> symbols = schema.getEnumSymbols();
            if (!node.isTextual()) {
                throw error(path, "must be one of " + String.join(", ", symbols) + " (was " + describe(node) + ")");
            }
            String symbol = node.asText();
            if (!symbols.contains(symbol)) {
                String upper = symbol.toUpperCase(Locale.ROOT);
                String hint = symbols.contains(upper) ? "; symbols are upper case: " + upper : "";
                throw error(path, "'" + symbol + "' is not one of " + String.join(", ", symbols) + hint);
            }
            return data.createEnum(symbol, schema);
        }

        private Object array(Schema schema, JsonNode node, String path) {
            if (!node.isArray()) {
                throw error(path, "must be a list (was " + describe(node) + ")");
            }
            List<Object> items = new ArrayList<>(node.size());
            for (int i = 0; i < node.size(); i++) {
                items.add(value(schema.getElementType(), node.get(i), path + "[" + i + "]"));
            }
            return items;
        }

        private Object map(Schema schema, JsonNode node, String path) {
            if (!node.isObject()) {
                throw error(path, "must be an object of names to values (was " + describe(node) + ")");
            }
            Map<String, Object> entries = new LinkedHashMap<>();
            for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> entry = it.next();
                entries.put(entry.getKey(), value(schema.getValueType(), entry.getValue(), join(path, entry.getKey())));
            }
            return entries;
        }

        private Object number(Schema schema, JsonNode node, String path) {
            LogicalType logical = schema.getLogicalType();
            if (logical instanceof LogicalTypes.TimestampMillis) {
                if (!node.isTextual()) {
                    throw error(path, "must be an ISO-8601 instant such as 2026-05-01T09:00:00Z (was "
                            + describe(node) + ")");
                }
                try {
                    // Avro keeps milliseconds: truncated here, the campaign equals what goes on the wire.
                    return Instant.parse(node.asText()).truncatedTo(ChronoUnit.MILLIS);
                } catch (DateTimeParseException e) {
                    throw error(path, "'" + node.asText()
                            + "' is not an ISO-8601 instant such as 2026-05-01T09:00:00Z");
                }
            }
            if (logical != null) {
                throw error(path, "has logical type " + logical.getName() + ", which campaign files do not support");
            }
            boolean isInt = schema.getType() == Schema.Type.INT;
            if (!node.isIntegralNumber() || (isInt && !node.canConvertToInt()) || !node.canConvertToLong()) {
                throw error(path, "must be a whole number" + (isInt ? " up to " + Integer.MAX_VALUE : "")
                        + " (was " + describe(node) + ")");
            }
            return isInt ? (Object) node.intValue() : node.longValue();
        }

        private CampaignFileException error(String field, String problem) {
            return new CampaignFileException(source, field, problem, null);
        }

        private static String join(String path, String name) {
            return path.isEmpty() ? name : path + "." + name;
        }

        private static String fieldNames(Schema schema) {
            return schema.getFields().stream().map(Schema.Field::name).collect(Collectors.joining(", "));
        }

        private static String describe(JsonNode node) {
            if (node.isTextual()) {
                return "'" + node.asText() + "'";
            }
            if (node.isObject()) {
                return "an object";
            }
            if (node.isArray()) {
                return "a list";
            }
            return node.toString();
        }
    }
}

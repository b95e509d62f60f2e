package dev.herald.devstack.registry;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;
import org.apache.avro.SchemaCompatibility.Incompatibility;

/**
 * Checks a new schema against a subject's earlier versions with Avro's own {@link SchemaCompatibility}, and words
 * each incompatibility as Confluent does, plus the name of the field it concerns.
 */
public final class AvroCompatibility {

    /** Longer earlier schemas are cut in messages, as Confluent does. */
    private static final int MAX_SCHEMA_IN_MESSAGE = 2000;

    private AvroCompatibility() {
    }

    /** One earlier version of the subject. */
    public record Earlier(int version, Schema schema) {
        public Earlier {
            Objects.requireNonNull(schema, "schema");
        }
    }

    /**
     * The reasons {@code candidate} may not follow {@code earlier} (oldest first) under {@code level}; empty when it
     * may. Like Confluent: the latest version only unless the level is transitive, then every version from the newest
     * back, stopping at the first that fails; each failing version adds its number and text, and the list ends with
     * the level applied.
     */
    public static List<String> check(CompatibilityLevel level, Schema candidate, List<Earlier> earlier) {
        Objects.requireNonNull(level, "level");
        Objects.requireNonNull(candidate, "candidate");
        List<String> messages = new ArrayList<>();
        if (level == CompatibilityLevel.NONE || earlier.isEmpty()) {
            return messages;
        }
        int oldest = level.transitive() ? 0 : earlier.size() - 1;
        for (int i = earlier.size() - 1; i >= oldest; i--) {
            Earlier old = earlier.get(i);
            if (level.newReadsOld()) {
                messages.addAll(describe(candidate, old.schema(), "new", "old"));
            }
            if (level.oldReadsNew()) {
                messages.addAll(describe(old.schema(), candidate, "old", "new"));
            }
            if (!messages.isEmpty()) {
                messages.add("{oldSchemaVersion: " + old.version() + "}");
                String text = old.schema().toString();
                messages.add(text.length() <= MAX_SCHEMA_IN_MESSAGE ? "{oldSchema: '" + text + "'}"
                        : "{oldSchema: <truncated> '" + text.substring(0, MAX_SCHEMA_IN_MESSAGE) + "...'}");
                break;
            }
        }
        if (!messages.isEmpty()) {
            messages.add("{validateFields: 'false', compatibility: '" + level + "'}");
        }
        return messages;
    }

    private static List<String> describe(Schema reader, Schema writer, String readerName, String writerName) {
        List<String> messages = new ArrayList<>();
        for (Incompatibility incompatibility : SchemaCompatibility.checkReaderWriterCompatibility(reader, writer)
                .getResult().getIncompatibilities()) {
            messages.add(describe(incompatibility, reader, readerName, writerName));
        }
        return messages;
    }

    private static String describe(Incompatibility incompatibility, Schema reader, String readerName,
                                   String writerName) {
        String location = incompatibility.getLocation();
        String field = fieldAt(reader, location);
        String where = (field.isEmpty() ? "" : "field '" + field + "' ") + "at path '" + location + "'";
        String detail = incompatibility.getMessage();
        String description = switch (incompatibility.getType()) {
            case READER_FIELD_MISSING_DEFAULT_VALUE -> "The field '" + field + "' at path '" + location + "' in the "
                    + readerName + " schema has no default value and is missing in the " + writerName + " schema";
            case TYPE_MISMATCH -> "The type of " + where + " in the " + readerName
                    + " schema does not match the " + writerName + " schema";
            case MISSING_UNION_BRANCH -> "The " + readerName + " schema is missing a type inside the union of "
                    + where + " that the " + writerName + " schema has";
            case MISSING_ENUM_SYMBOLS -> "The " + readerName + " schema is missing enum symbols '" + detail + "' of "
                    + where + " that the " + writerName + " schema has";
            case NAME_MISMATCH -> "The name of the schema of " + where + " has changed";
            case FIXED_SIZE_MISMATCH -> "The size of the fixed type of " + where + " in the " + readerName
                    + " schema does not match the " + writerName + " schema";
        };
        return "{errorType:'" + incompatibility.getType() + "', description:'" + description
                + "', additionalInfo:'" + detail + "'}";
    }

    /**
     * The dotted name of the field {@code location} points into (e.g. {@code address.city}), read off the reader schema
     * Avro's location is relative to; empty at the top level. Avro only descends where the reader is not a union, so
     * the walk ends at the first union or anything it does not recognise.
     */
    static String fieldAt(Schema reader, String location) {
        List<String> names = new ArrayList<>();
        String[] steps = location.split("/");
        Schema node = reader;
        int i = 0;
        while (i < steps.length) {
            String step = steps[i];
            if (step.isEmpty() || step.equals("type")) {
                i++;
            } else if (step.equals("fields") && node.getType() == Schema.Type.RECORD && i + 1 < steps.length) {
                int position;
                try {
                    position = Integer.parseInt(steps[i + 1]);
                } catch (NumberFormatException notAPosition) {
                    break;
                }
                if (position < 0 || position >= node.getFields().size()) {
                    break;
                }
                Schema.Field field = node.getFields().get(position);
                names.add(field.name());
                node = field.schema();
                i += 2;
            } else if (step.equals("items") && node.getType() == Schema.Type.ARRAY) {
                node = node.getElementType();
                i++;
            } else if (step.equals("values") && node.getType() == Schema.Type.MAP) {
                node = node.getValueType();
                i++;
            } else {
                break;
            }
        }
        return String.join(".", names);
    }
}

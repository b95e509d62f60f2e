package dev.herald.avro;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import javax.xml.parsers.DocumentBuilderFactory;
import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;
import org.apache.avro.SchemaCompatibility.Incompatibility;
import org.apache.avro.SchemaCompatibility.SchemaCompatibilityType;
import org.apache.avro.SchemaCompatibility.SchemaIncompatibilityType;
import org.apache.avro.SchemaCompatibility.SchemaPairCompatibility;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.w3c.dom.NodeList;

/**
 * Guards Herald's wire contract: every schema in {@code src/main/avro} must read data written with
 * its last released version, the copy kept in {@code src/test/resources/released/} (checked with
 * Avro's own {@link SchemaCompatibility}, new reader against old writer), and every schema must have
 * such a copy. To cut a release, copy every {@code .avsc} from {@code src/main/avro} and
 * {@code src/main/avro/common} into {@code src/test/resources/released/} (flat, same file names,
 * replacing the previous copies) and commit them with the release; from then on changes are held
 * to that baseline. A new schema fails this test until its copy is added there on purpose.
 *
 * <p>Records declared {@link Compatibility#FULL} must also be forward compatible: the released
 * version must read data written with the current one (old reader, new writer). A rolling upgrade
 * runs old and new instances side by side, and whatever one writes to a changelog or repartition
 * topic the other may read (a task moving back to an old instance restores a store the new one
 * wrote); outbox and dead-letter readers outside Herald upgrade on their own schedule. Every schema
 * declares its compatibility in {@link #COMPATIBILITY}, with the reason.
 */
class SchemaCompatibilityTest {

    private static final Path BASEDIR = Paths.get(System.getProperty("basedir", System.getProperty("user.dir")));
    private static final Path CURRENT = BASEDIR.resolve("src/main/avro");
    private static final Path RELEASED = BASEDIR.resolve("src/test/resources/released");

    private static final Map<String, Schema> CURRENT_SCHEMAS = parseInDependencyOrder(schemaFiles(CURRENT));
    private static final Map<String, Schema> RELEASED_SCHEMAS = parseInDependencyOrder(schemaFiles(RELEASED));

    /** How a schema must stay compatible with its released version. */
    enum Compatibility {
        /** New readers read old data: enough for a record only ever written outside Herald and read by it. */
        BACKWARD,
        /** Backward and forward: old and new versions read each other's data. */
        FULL
    }

    /** A schema's required compatibility and why. */
    record Declared(Compatibility compatibility, String why) {
    }

    private static final String NESTED = "nested in records that need FULL";

    /**
     * Every schema's compatibility, decided per record. Campaign, Recipient and ScheduleTick come from users, which
     * alone would need only BACKWARD, but Herald writes them too (stores, changelogs, ticks, nested in jobs), so no
     * record qualifies for BACKWARD today.
     */
    static final Map<String, Declared> COMPATIBILITY = Map.ofEntries(
            full("Campaign", "users' input, but also Herald's campaigns-store changelog and nested in Job"),
            full("Recipient", "users' input, but also Herald's recipients-store changelog and nested in Delivery"),
            full("ScheduleTick", "users write manual ticks, but every instance's scheduler writes ticks others read"),
            full("Job", "jobs repartition topic; nested in FanoutCursor"),
            full("Delivery", "the fan-out's output: in memory today, internal should it ever cross a topic"),
            full("FanoutCursor", "fanout-cursors-store changelog"),
            full("FanoutReport", "nested in RunEvent"),
            full("Outcome", "outcomes-by-campaign repartition topic; nested in RunEvent"),
            full("RunEvent", "run-events repartition topic"),
            full("RunSummary", "run-summary-store changelog, and the run-summaries topic read outside Herald"),
            full("SchedulerState", "scheduler-store changelog"),
            full("FanoutControl", "fanout-controls repartition topic and fanout-controls-store changelog"),
            full("RunControl", "operators' input, but also nested in FanoutControl"),
            full("CampaignState", NESTED),
            full("Receipt", "receipts: external senders write it, Herald's senders and summaries read and write it"),
            full("RecipientUpdate", "recipient-updates: read outside Herald, by tools of any version"),
            full("Parked", "parked: the command line of any version lists and replays it"),
            full("Summary", "summary-1m/1h-store changelogs"),
            full("PushMessage", "push-outbox: senders outside Herald may still run the old version"),
            full("MailMessage", "mail-outbox: senders outside Herald may still run the old version"),
            full("DeadLetter", "dead-letters: tools outside Herald may still run the old version"),
            full("Audience", NESTED),
            full("Schedule", NESTED),
            full("ChannelCounts", NESTED),
            full("Channel", NESTED),
            full("CampaignStatus", NESTED),
            full("Result", NESTED),
            full("Trigger", NESTED),
            full("PushPlatform", NESTED));

    private static Map.Entry<String, Declared> full(String name, String why) {
        return Map.entry("dev.herald.avro." + name, new Declared(Compatibility.FULL, why));
    }

    @TestFactory
    Stream<DynamicTest> everyReleasedSchemaIsReadableByItsCurrentVersion() {
        assertThat(RELEASED_SCHEMAS).as("released schemas in %s", RELEASED).isNotEmpty();
        return RELEASED_SCHEMAS.entrySet().stream().map(entry -> DynamicTest.dynamicTest(entry.getKey(), () -> {
            Schema released = entry.getValue();
            Schema current = CURRENT_SCHEMAS.get(entry.getKey());
            if (current == null) {
                fail("%s was released but is gone from %s: its topics' existing records could no longer be read",
                        entry.getKey(), CURRENT);
            }
            SchemaPairCompatibility result = SchemaCompatibility.checkReaderWriterCompatibility(current, released);
            if (result.getType() != SchemaCompatibilityType.COMPATIBLE) {
                fail(describe(entry.getKey(), result));
            }
        }));
    }

    @TestFactory
    Stream<DynamicTest> everyReleasedVersionOfAFullSchemaReadsWhatTheCurrentOneWrites() {
        return RELEASED_SCHEMAS.entrySet().stream()
                .filter(entry -> COMPATIBILITY.containsKey(entry.getKey()))
                .filter(entry -> COMPATIBILITY.get(entry.getKey()).compatibility() == Compatibility.FULL)
                .filter(entry -> CURRENT_SCHEMAS.containsKey(entry.getKey())) // a removal fails the backward check
                .map(entry -> DynamicTest.dynamicTest(entry.getKey(), () -> {
                    SchemaPairCompatibility result = SchemaCompatibility.checkReaderWriterCompatibility(
                            entry.getValue(), CURRENT_SCHEMAS.get(entry.getKey()));
                    if (result.getType() != SchemaCompatibilityType.COMPATIBLE) {
                        fail(describe(entry.getKey(), Direction.FORWARD, result)
                                + "\nIt needs forward compatibility: " + COMPATIBILITY.get(entry.getKey()).why());
                    }
                }));
    }

    @Test
    void everySchemaDeclaresItsCompatibility() {
        Set<String> undeclared = new TreeSet<>(CURRENT_SCHEMAS.keySet());
        undeclared.removeAll(COMPATIBILITY.keySet());
        Set<String> stale = new TreeSet<>(COMPATIBILITY.keySet());
        stale.removeAll(CURRENT_SCHEMAS.keySet());

        assertThat(undeclared).as("schemas with no entry in COMPATIBILITY (decide BACKWARD or FULL, and why)")
                .isEmpty();
        assertThat(stale).as("COMPATIBILITY entries for schemas that no longer exist").isEmpty();
    }

    @Test
    void everyTypeNestedInAFullRecordIsDeclaredFullToo() {
        for (Map.Entry<String, Declared> entry : COMPATIBILITY.entrySet()) {
            boolean full = entry.getValue().compatibility() == Compatibility.FULL;
            if (!full || !CURRENT_SCHEMAS.containsKey(entry.getKey())) {
                continue;
            }
            for (String nested : namedTypesIn(CURRENT_SCHEMAS.get(entry.getKey()))) {
                Declared declared = COMPATIBILITY.get(nested);
                if (declared != null) {
                    assertThat(declared.compatibility()).as("%s, nested in %s", nested, entry.getKey())
                            .isEqualTo(Compatibility.FULL);
                }
            }
        }
    }

    @Test
    void wideningAFieldPassesTheBackwardCheckButNotTheForwardOne() {
        // int to long: a new reader promotes old ints, but an old reader cannot fit a long in an int.
        Schema released = RELEASED_SCHEMAS.get("dev.herald.avro.Outcome");
        String messages = "{\"name\":\"messages\",\"type\":\"int\"";
        assertThat(released.toString()).containsOnlyOnce(messages);
        Schema current = new Schema.Parser().parse(released.toString()
                .replace(messages, messages.replace("int", "long")));

        SchemaPairCompatibility backward = SchemaCompatibility.checkReaderWriterCompatibility(current, released);
        SchemaPairCompatibility forward = SchemaCompatibility.checkReaderWriterCompatibility(released, current);

        assertThat(backward.getType()).isEqualTo(SchemaCompatibilityType.COMPATIBLE);
        assertThat(forward.getType()).isEqualTo(SchemaCompatibilityType.INCOMPATIBLE);
        assertThat(forward.getResult().getIncompatibilities()).singleElement().satisfies(incompatibility -> {
            assertThat(incompatibility.getType()).isEqualTo(SchemaIncompatibilityType.TYPE_MISMATCH);
            assertThat(incompatibility.getLocation()).isEqualTo("/fields/6/type");
        });
        assertThat(describe("dev.herald.avro.Outcome", Direction.FORWARD, forward))
                .contains("not forward compatible").contains("released reader, new writer")
                .contains("TYPE_MISMATCH at /fields/6/type");
    }

    @Test
    void addingAnEnumSymbolIsReportedForwardIncompatibleWhereverTheEnumIsNested() {
        // A new Result would reach old instances through the outcomes and run-events repartition topics.
        String symbols = "\"symbols\":[\"SUCCESS\",\"ERROR\",\"MISSING\",\"FILTERED\"]";
        for (String name : List.of("dev.herald.avro.Outcome", "dev.herald.avro.RunEvent")) {
            Schema released = RELEASED_SCHEMAS.get(name);
            assertThat(released.toString()).containsOnlyOnce(symbols);
            Schema current = new Schema.Parser().parse(released.toString()
                    .replace(symbols, symbols.replace("]", ",\"SKIPPED\"]")));

            assertThat(SchemaCompatibility.checkReaderWriterCompatibility(current, released).getType()).as(name)
                    .isEqualTo(SchemaCompatibilityType.COMPATIBLE);
            SchemaPairCompatibility forward = SchemaCompatibility.checkReaderWriterCompatibility(released, current);
            assertThat(forward.getType()).as(name).isEqualTo(SchemaCompatibilityType.INCOMPATIBLE);
            if (name.endsWith("Outcome")) {
                assertThat(forward.getResult().getIncompatibilities()).extracting(Incompatibility::getType)
                        .containsExactly(SchemaIncompatibilityType.MISSING_ENUM_SYMBOLS);
                assertThat(describe(name, Direction.FORWARD, forward)).contains("SKIPPED");
            }
        }
    }

    @Test
    void removingAFieldOldReadersNeedIsReportedForwardIncompatible() {
        Schema released = RELEASED_SCHEMAS.get("dev.herald.avro.FanoutReport");
        Schema current = withoutField(released, "deliveries");

        assertThat(SchemaCompatibility.checkReaderWriterCompatibility(current, released).getType())
                .isEqualTo(SchemaCompatibilityType.COMPATIBLE);
        SchemaPairCompatibility forward = SchemaCompatibility.checkReaderWriterCompatibility(released, current);
        assertThat(forward.getType()).isEqualTo(SchemaCompatibilityType.INCOMPATIBLE);
        assertThat(forward.getResult().getIncompatibilities()).extracting(Incompatibility::getType)
                .containsExactly(SchemaIncompatibilityType.READER_FIELD_MISSING_DEFAULT_VALUE);
    }

    @Test
    void addingAFieldWithDefaultStaysForwardCompatibleToo() {
        Schema released = RELEASED_SCHEMAS.get("dev.herald.avro.Outcome");
        Schema current = withExtraField(released, "{\"name\": \"priority\", \"type\": \"int\", \"default\": 0}");

        assertThat(SchemaCompatibility.checkReaderWriterCompatibility(released, current).getType())
                .isEqualTo(SchemaCompatibilityType.COMPATIBLE);
    }

    @Test
    void everyCurrentSchemaHasAReleasedCopy() {
        Set<String> unreleased = new TreeSet<>(CURRENT_SCHEMAS.keySet());
        unreleased.removeAll(RELEASED_SCHEMAS.keySet());

        assertThat(unreleased)
                .as("schemas with no released copy in %s (add one on purpose when a new schema ships)", RELEASED)
                .isEmpty();
    }

    @Test
    void releasedCopiesAreNamedAfterTheirSchema() throws IOException {
        for (Path file : schemaFiles(RELEASED)) {
            String fileName = file.getFileName().toString().replaceFirst("\\.avsc$", "");
            Schema parsed = RELEASED_SCHEMAS.values().stream()
                    .filter(s -> s.getName().equals(fileName)).findFirst().orElse(null);
            assertThat(parsed).as("%s defines a schema named %s", file, fileName).isNotNull();
        }
    }

    @Test
    void addingAFieldWithoutDefaultIsReportedIncompatibleWithAvrosDescription() {
        Schema released = RELEASED_SCHEMAS.get("dev.herald.avro.Outcome");
        Schema current = withExtraField(released, "{\"name\": \"priority\", \"type\": \"int\"}");

        SchemaPairCompatibility result = SchemaCompatibility.checkReaderWriterCompatibility(current, released);

        assertThat(result.getType()).isEqualTo(SchemaCompatibilityType.INCOMPATIBLE);
        assertThat(result.getResult().getIncompatibilities()).extracting(Incompatibility::getType)
                .containsExactly(SchemaIncompatibilityType.READER_FIELD_MISSING_DEFAULT_VALUE);
        assertThat(describe("dev.herald.avro.Outcome", result))
                .contains("dev.herald.avro.Outcome")
                .contains("READER_FIELD_MISSING_DEFAULT_VALUE")
                .contains("/fields/7")
                .contains("priority");
    }

    @Test
    void removingAnEnumSymbolWritersUseIsReportedIncompatible() {
        Schema released = RELEASED_SCHEMAS.get("dev.herald.avro.Result");
        Schema current = Schema.createEnum(released.getName(), released.getDoc(), released.getNamespace(),
                List.of("SUCCESS", "ERROR", "MISSING"));

        SchemaPairCompatibility result = SchemaCompatibility.checkReaderWriterCompatibility(current, released);

        assertThat(result.getType()).isEqualTo(SchemaCompatibilityType.INCOMPATIBLE);
        assertThat(result.getResult().getIncompatibilities()).extracting(Incompatibility::getType)
                .containsExactly(SchemaIncompatibilityType.MISSING_ENUM_SYMBOLS);
        assertThat(describe("dev.herald.avro.Result", result)).contains("MISSING_ENUM_SYMBOLS").contains("FILTERED");
    }

    @Test
    void changingAFieldTypeInANestedRecordIsReportedIncompatibleWithItsLocation() {
        Schema released = RELEASED_SCHEMAS.get("dev.herald.avro.Campaign");
        String segments = "{\"name\":\"segments\",\"type\":{\"type\":\"array\",\"items\":\"string\"}";
        assertThat(released.toString()).containsOnlyOnce(segments);
        Schema current = new Schema.Parser().parse(released.toString()
                .replace(segments, segments.replace("string", "int")));

        SchemaPairCompatibility result = SchemaCompatibility.checkReaderWriterCompatibility(current, released);

        assertThat(result.getType()).isEqualTo(SchemaCompatibilityType.INCOMPATIBLE);
        assertThat(result.getResult().getIncompatibilities()).singleElement().satisfies(incompatibility -> {
            assertThat(incompatibility.getType()).isEqualTo(SchemaIncompatibilityType.TYPE_MISMATCH);
            assertThat(incompatibility.getLocation()).isEqualTo("/fields/7/type/fields/0/type/items");
        });
        assertThat(describe("dev.herald.avro.Campaign", result))
                .contains("TYPE_MISMATCH at /fields/7/type/fields/0/type/items");
    }

    @Test
    void addingAFieldWithDefaultStaysCompatible() {
        Schema released = RELEASED_SCHEMAS.get("dev.herald.avro.Outcome");
        Schema current = withExtraField(released, "{\"name\": \"priority\", \"type\": \"int\", \"default\": 0}");

        assertThat(SchemaCompatibility.checkReaderWriterCompatibility(current, released).getType())
                .isEqualTo(SchemaCompatibilityType.COMPATIBLE);
    }

    /** Which side of a compatibility check reads. */
    enum Direction {
        /** The current schema reads data written with the released one. */
        BACKWARD("backward", "new reader, released writer"),
        /** The released schema reads data written with the current one. */
        FORWARD("forward", "released reader, new writer");

        final String word;
        final String roles;

        Direction(String word, String roles) {
            this.word = word;
            this.roles = roles;
        }
    }

    /** Avro's own account of why {@code current} cannot read data written with the released schema. */
    static String describe(String name, SchemaPairCompatibility result) {
        return describe(name, Direction.BACKWARD, result);
    }

    /** Avro's own account of why one version of {@code name} cannot read data written with the other. */
    static String describe(String name, Direction direction, SchemaPairCompatibility result) {
        StringBuilder text = new StringBuilder(name)
                .append(" is not ").append(direction.word).append(" compatible with its released version (")
                .append(direction.roles).append("): ")
                .append(result.getType());
        for (Incompatibility incompatibility : result.getResult().getIncompatibilities()) {
            text.append("\n  - ").append(incompatibility.getType())
                    .append(" at ").append(incompatibility.getLocation())
                    .append(": ").append(incompatibility.getMessage());
        }
        text.append("\nAvro's description: ").append(result.getDescription());
        return text.toString();
    }

    private static Schema withExtraField(Schema record, String fieldJson) {
        String json = record.toString();
        return new Schema.Parser().parse(json.substring(0, json.length() - 2) + "," + fieldJson + "]}");
    }

    private static Schema withoutField(Schema record, String fieldName) {
        List<Schema.Field> fields = new ArrayList<>();
        for (Schema.Field field : record.getFields()) {
            if (!field.name().equals(fieldName)) {
                fields.add(new Schema.Field(field, field.schema()));
            }
        }
        assertThat(fields).hasSize(record.getFields().size() - 1);
        return Schema.createRecord(record.getName(), record.getDoc(), record.getNamespace(), false, fields);
    }

    /** Full names of the records, enums and fixed types {@code schema} uses, at any depth. */
    private static Set<String> namedTypesIn(Schema schema) {
        Set<String> names = new TreeSet<>();
        collectNamedTypes(schema, names);
        names.remove(schema.getFullName());
        return names;
    }

    private static void collectNamedTypes(Schema schema, Set<String> names) {
        switch (schema.getType()) {
            case RECORD -> {
                if (names.add(schema.getFullName())) {
                    schema.getFields().forEach(field -> collectNamedTypes(field.schema(), names));
                }
            }
            case ENUM, FIXED -> names.add(schema.getFullName());
            case UNION -> schema.getTypes().forEach(type -> collectNamedTypes(type, names));
            case ARRAY -> collectNamedTypes(schema.getElementType(), names);
            case MAP -> collectNamedTypes(schema.getValueType(), names);
            default -> {
            }
        }
    }

    private static List<Path> schemaFiles(Path root) {
        try (Stream<Path> files = Files.walk(root)) {
            return files.filter(f -> f.toString().endsWith(".avsc")).sorted().collect(Collectors.toList());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Parses with one parser so files can use named types defined in others: first the files the
     * avro-maven-plugin imports (in the pom's order, which is their dependency order), then the rest.
     * Answers the top-level schema of each file by full name.
     */
    private static Map<String, Schema> parseInDependencyOrder(List<Path> files) {
        Map<String, Path> byFileName = new LinkedHashMap<>();
        for (Path file : files) {
            Path previous = byFileName.put(file.getFileName().toString(), file);
            assertThat(previous).as("two schema files named %s", file.getFileName()).isNull();
        }
        List<Path> ordered = new ArrayList<>();
        for (String imported : pomImportFileNames()) {
            Path file = byFileName.remove(imported);
            if (file != null) {
                ordered.add(file);
            }
        }
        ordered.addAll(byFileName.values());
        Schema.Parser parser = new Schema.Parser();
        Map<String, Schema> schemas = new LinkedHashMap<>();
        for (Path file : ordered) {
            Schema schema;
            try {
                schema = parser.parse(file.toFile());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            } catch (RuntimeException e) {
                throw new IllegalStateException("Cannot parse " + file + " (a named type it uses must come from a file"
                        + " listed earlier in the avro pom's <imports>): " + e.getMessage(), e);
            }
            schemas.put(schema.getFullName(), schema);
        }
        return schemas;
    }

    private static List<String> pomImportFileNames() {
        try {
            NodeList imports = DocumentBuilderFactory.newInstance().newDocumentBuilder()
                    .parse(BASEDIR.resolve("pom.xml").toFile()).getElementsByTagName("import");
            List<String> names = new ArrayList<>();
            for (int i = 0; i < imports.getLength(); i++) {
                String path = imports.item(i).getTextContent().trim();
                names.add(path.substring(path.lastIndexOf('/') + 1));
            }
            return names;
        } catch (Exception e) {
            throw new IllegalStateException("Cannot read the <imports> of " + BASEDIR.resolve("pom.xml"), e);
        }
    }
}

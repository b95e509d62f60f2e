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
 */
class SchemaCompatibilityTest {

    private static final Path BASEDIR = Paths.get(System.getProperty("basedir", System.getProperty("user.dir")));
    private static final Path CURRENT = BASEDIR.resolve("src/main/avro");
    private static final Path RELEASED = BASEDIR.resolve("src/test/resources/released");

    private static final Map<String, Schema> CURRENT_SCHEMAS = parseInDependencyOrder(schemaFiles(CURRENT));
    private static final Map<String, Schema> RELEASED_SCHEMAS = parseInDependencyOrder(schemaFiles(RELEASED));

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

    /** Avro's own account of why {@code current} cannot read data written with the released schema. */
    static String describe(String name, SchemaPairCompatibility result) {
        StringBuilder text = new StringBuilder(name)
                .append(" is not backward compatible with its released version (new reader, released writer): ")
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

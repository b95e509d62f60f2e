package dev.herald.devstack.registry;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.herald.avro.Recipient;
import java.util.List;
import org.apache.avro.Schema;
import org.junit.jupiter.api.Test;

/** Compatibility levels, directions and the wording of incompatibilities, without a broker. */
class AvroCompatibilityTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private static final Schema V1 = parse("""
            {"type":"record","name":"User","fields":[{"name":"name","type":"string"}]}""");
    /** V1 plus an optional field: readable both ways. */
    private static final Schema V2_OPTIONAL = parse("""
            {"type":"record","name":"User","fields":[{"name":"name","type":"string"},
             {"name":"email","type":["null","string"],"default":null}]}""");
    /** V1 plus a required field: the new schema cannot read V1 data. */
    private static final Schema V2_REQUIRED = parse("""
            {"type":"record","name":"User","fields":[{"name":"name","type":"string"},
             {"name":"age","type":"int"}]}""");
    /** V1 without its field, which has no default: V1 readers cannot read new data. */
    private static final Schema V2_DROPPED = parse("""
            {"type":"record","name":"User","fields":[
             {"name":"email","type":["null","string"],"default":null}]}""");

    @Test
    void theIssuesExampleNamesTheLocaleField() {
        Schema old = Recipient.getClassSchema();
        Schema changed = withLocale(old, "int");

        List<String> messages = AvroCompatibility.check(CompatibilityLevel.BACKWARD, changed,
                List.of(new AvroCompatibility.Earlier(1, old)));

        assertThat(messages).isNotEmpty();
        assertThat(messages.get(0)).contains("MISSING_UNION_BRANCH").contains("field 'locale'")
                .contains("reader union lacking writer type: STRING");
        assertThat(messages).contains("{oldSchemaVersion: 1}")
                .last().isEqualTo("{validateFields: 'false', compatibility: 'BACKWARD'}");
    }

    @Test
    void anExtraOptionalFieldIsCompatibleEitherWay() {
        for (CompatibilityLevel level : CompatibilityLevel.values()) {
            assertThat(AvroCompatibility.check(level, V2_OPTIONAL, earlier(V1))).as(level.name()).isEmpty();
        }
    }

    @Test
    void directionsFollowTheLevel() {
        // A required new field: old data lacks it (backward fails), old readers ignore it (forward holds).
        assertThat(AvroCompatibility.check(CompatibilityLevel.BACKWARD, V2_REQUIRED, earlier(V1)))
                .first().asString().contains("READER_FIELD_MISSING_DEFAULT_VALUE").contains("'age'")
                .contains("in the new schema has no default value and is missing in the old schema");
        assertThat(AvroCompatibility.check(CompatibilityLevel.FORWARD, V2_REQUIRED, earlier(V1))).isEmpty();
        assertThat(AvroCompatibility.check(CompatibilityLevel.FULL, V2_REQUIRED, earlier(V1))).isNotEmpty();
        assertThat(AvroCompatibility.check(CompatibilityLevel.NONE, V2_REQUIRED, earlier(V1))).isEmpty();

        // A dropped field without default: new data lacks it for old readers (forward fails), backward holds.
        assertThat(AvroCompatibility.check(CompatibilityLevel.BACKWARD, V2_DROPPED, earlier(V1))).isEmpty();
        assertThat(AvroCompatibility.check(CompatibilityLevel.FORWARD, V2_DROPPED, earlier(V1)))
                .first().asString().contains("'name'")
                .contains("in the old schema has no default value and is missing in the new schema");
    }

    @Test
    void transitiveLevelsCheckEveryEarlierVersionNotJustTheLatest() {
        // v3 reads v2's data (n from its default) but not v1's (n was a string).
        Schema v1 = parse("""
                {"type":"record","name":"T","fields":[{"name":"n","type":"string","default":""}]}""");
        Schema v2 = parse("""
                {"type":"record","name":"T","fields":[]}""");
        Schema v3 = parse("""
                {"type":"record","name":"T","fields":[{"name":"n","type":"int","default":0}]}""");

        assertThat(AvroCompatibility.check(CompatibilityLevel.BACKWARD, v3, earlier(v1, v2))).isEmpty();
        List<String> transitive = AvroCompatibility.check(CompatibilityLevel.BACKWARD_TRANSITIVE, v3,
                earlier(v1, v2));
        assertThat(transitive).first().asString().contains("TYPE_MISMATCH").contains("field 'n'");
        assertThat(transitive).contains("{oldSchemaVersion: 1}");
    }

    @Test
    void namesNestedFields() {
        Schema old = parse("""
                {"type":"record","name":"Outer","fields":[{"name":"address","type":{"type":"record",
                 "name":"Address","fields":[{"name":"city","type":"string"}]}}]}""");
        Schema changed = parse("""
                {"type":"record","name":"Outer","fields":[{"name":"address","type":{"type":"record",
                 "name":"Address","fields":[{"name":"city","type":"long"}]}}]}""");

        assertThat(AvroCompatibility.check(CompatibilityLevel.BACKWARD, changed, earlier(old)))
                .first().asString().contains("field 'address.city'").contains("/fields/0/type/fields/0/type");
    }

    private static List<AvroCompatibility.Earlier> earlier(Schema... schemas) {
        return java.util.stream.IntStream.range(0, schemas.length)
                .mapToObj(i -> new AvroCompatibility.Earlier(i + 1, schemas[i])).toList();
    }

    static Schema withLocale(Schema recipient, String type) {
        try {
            ObjectNode tree = (ObjectNode) JSON.readTree(recipient.toString());
            for (var field : tree.withArray("fields")) {
                if (field.get("name").asText().equals("locale")) {
                    ((ObjectNode) field).set("type", JSON.createArrayNode().add("null").add(type));
                }
            }
            return parse(tree.toString());
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    private static Schema parse(String text) {
        return new Schema.Parser().parse(text);
    }
}

package dev.herald.devstack.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The schema topic's record format: the first release's records read, its keys kept byte for byte. */
class StoredRecordTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String SCHEMA = "{\"type\":\"string\"}";

    @Test
    void readsVersionsAsTheFirstReleaseWroteThem() throws IOException {
        StoredRecord record = StoredRecord.decode(bytes("{\"subject\":\"s-value\",\"version\":2}"),
                bytes("{\"id\":7,\"schema\":\"{\\\"type\\\":\\\"string\\\"}\"}"), JSON);

        assertThat(record).isEqualTo(new StoredRecord.SchemaVersion("s-value", 2, 7, SCHEMA, false));
    }

    @Test
    void softDeletesAndTombstonesUseTheVersionsOwnKeyByteForByte() {
        // Compaction matches keys by bytes: these must replace the first release's record of the same version.
        String firstReleaseKey = "{\"subject\":\"s-value\",\"version\":2}";

        StoredRecord.Bytes live = encode(new StoredRecord.SchemaVersion("s-value", 2, 7, SCHEMA, false));
        StoredRecord.Bytes deleted = encode(new StoredRecord.SchemaVersion("s-value", 2, 7, SCHEMA, true));
        StoredRecord.Bytes tombstone = encode(StoredRecord.SchemaVersion.tombstone("s-value", 2));

        assertThat(text(live.key())).isEqualTo(firstReleaseKey);
        assertThat(text(deleted.key())).isEqualTo(firstReleaseKey);
        assertThat(text(tombstone.key())).isEqualTo(firstReleaseKey);
        assertThat(text(live.value())).isEqualTo("{\"id\":7,\"schema\":\"{\\\"type\\\":\\\"string\\\"}\"}");
        assertThat(text(deleted.value())).endsWith(",\"deleted\":true}");
        assertThat(tombstone.value()).isNull();
    }

    @Test
    void everyKindRoundTrips() throws IOException {
        for (StoredRecord record : new StoredRecord[] {
                new StoredRecord.SchemaVersion("s", 1, 3, SCHEMA, false),
                new StoredRecord.SchemaVersion("s", 1, 3, SCHEMA, true),
                StoredRecord.SchemaVersion.tombstone("s", 1),
                new StoredRecord.Config(null, CompatibilityLevel.FULL),
                new StoredRecord.Config("s", CompatibilityLevel.NONE),
                new StoredRecord.Config("s", null),
                new StoredRecord.Config(null, null),
                new StoredRecord.IdWatermark(42)}) {
            StoredRecord.Bytes bytes = encode(record);

            assertThat(StoredRecord.decode(bytes.key(), bytes.value(), JSON)).isEqualTo(record);
        }
    }

    @Test
    void refusesWhatItDoesNotKnowNamingIt() {
        assertThatThrownBy(() -> StoredRecord.decode(bytes("{\"keytype\":\"MODE\"}"), bytes("{}"), JSON))
                .hasMessageContaining("MODE");
        assertThatThrownBy(() -> StoredRecord.decode(bytes("{\"keytype\":\"CONFIG\"}"),
                bytes("{\"compatibilityLevel\":\"SIDEWAYS\"}"), JSON)).hasMessageContaining("SIDEWAYS");
        assertThatThrownBy(() -> StoredRecord.decode(bytes("{\"subject\":\"s\"}"), bytes("{}"), JSON))
                .hasMessageContaining("version");
    }

    private static StoredRecord.Bytes encode(StoredRecord record) {
        return StoredRecord.encode(record, JSON);
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static String text(byte[] bytes) {
        return new String(bytes, StandardCharsets.UTF_8);
    }
}

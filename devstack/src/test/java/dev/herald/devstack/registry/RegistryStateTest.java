package dev.herald.devstack.registry;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Folding schema topic records into subjects, ids and levels. */
class RegistryStateTest {

    private static final String A = "{\"type\":\"string\"}";
    private static final String B = "{\"type\":\"int\"}";

    @Test
    void softDeletedVersionsHideFromListsButKeepTheirIds() {
        RegistryState state = new RegistryState();
        state.apply(new StoredRecord.SchemaVersion("s", 1, 1, A, false));
        state.apply(new StoredRecord.SchemaVersion("s", 2, 2, B, false));

        state.apply(new StoredRecord.SchemaVersion("s", 2, 2, B, true));

        assertThat(state.versions("s", false)).containsOnlyKeys(1);
        assertThat(state.versions("s", true)).containsOnlyKeys(1, 2);
        assertThat(state.schema(2)).hasValue(B);
        assertThat(state.idOf(B)).hasValue(2);
    }

    @Test
    void anIdGoesWithItsLastVersionButIsNeverHandedOutAgain() {
        RegistryState state = new RegistryState();
        state.apply(new StoredRecord.SchemaVersion("one", 1, 1, A, false));
        state.apply(new StoredRecord.SchemaVersion("two", 1, 1, A, false));
        state.apply(new StoredRecord.SchemaVersion("two", 2, 2, B, true));

        state.apply(StoredRecord.SchemaVersion.tombstone("two", 2));
        state.apply(StoredRecord.SchemaVersion.tombstone("two", 1));

        assertThat(state.subjects(true)).containsOnlyKeys("one");
        assertThat(state.schema(1)).hasValue(A);
        assertThat(state.schema(2)).isEmpty();
        assertThat(state.idOf(B)).isEmpty();
        assertThat(state.maxId()).isEqualTo(2);
    }

    @Test
    void theWatermarkKeepsIdsOfCompactedAwaySchemasUsed() {
        RegistryState state = new RegistryState();

        state.apply(new StoredRecord.IdWatermark(9));
        state.apply(new StoredRecord.SchemaVersion("s", 1, 3, A, false));

        assertThat(state.maxId()).isEqualTo(9);
    }

    @Test
    void compatibilityIsTheSubjectsElseTheGlobalElseBackward() {
        RegistryState state = new RegistryState();
        assertThat(state.effectiveLevel("s")).isEqualTo(CompatibilityLevel.BACKWARD);

        state.apply(new StoredRecord.Config(null, CompatibilityLevel.FULL));
        state.apply(new StoredRecord.Config("s", CompatibilityLevel.NONE));
        assertThat(state.effectiveLevel("s")).isEqualTo(CompatibilityLevel.NONE);
        assertThat(state.effectiveLevel("t")).isEqualTo(CompatibilityLevel.FULL);

        state.apply(new StoredRecord.Config("s", null));
        state.apply(new StoredRecord.Config(null, null));
        assertThat(state.subjectLevel("s")).isEmpty();
        assertThat(state.effectiveLevel("s")).isEqualTo(CompatibilityLevel.BACKWARD);
    }
}

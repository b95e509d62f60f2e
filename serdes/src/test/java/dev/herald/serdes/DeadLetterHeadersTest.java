package dev.herald.serdes;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The dead-letter header names are read by consumers of the dead-letters topic: they never change. */
class DeadLetterHeadersTest {

    @Test
    void headerNamesAreThePublishedOnes() {
        assertThat(DeadLetterHeaders.STAGE).isEqualTo("herald.error.stage");
        assertThat(DeadLetterHeaders.CLASS).isEqualTo("herald.error.class");
        assertThat(DeadLetterHeaders.MESSAGE).isEqualTo("herald.error.message");
        assertThat(DeadLetterHeaders.SOURCE).isEqualTo("herald.error.source");
    }
}

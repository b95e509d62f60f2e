package dev.herald.topology.channels;

import static org.assertj.core.api.Assertions.assertThat;

import dev.herald.avro.Channel;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class MessageIdsTest {

    private static final String ID = MessageIds.of("c@2025-01-15T09:00:00Z", "r-1", Channel.PUSH, "token-1");

    @Test
    void sameRunRecipientChannelAndTargetGiveTheSameId() {
        assertThat(MessageIds.of("c@2025-01-15T09:00:00Z", "r-1", Channel.PUSH, "token-1")).isEqualTo(ID);
    }

    @Test
    void idIsAUuid() {
        assertThat(UUID.fromString(ID).toString()).isEqualTo(ID);
    }

    @Test
    void anyDifferentPartGivesADifferentId() {
        List<String> others = List.of(
                MessageIds.of("c@2025-01-16T09:00:00Z", "r-1", Channel.PUSH, "token-1"),
                MessageIds.of("c@2025-01-15T09:00:00Z", "r-2", Channel.PUSH, "token-1"),
                MessageIds.of("c@2025-01-15T09:00:00Z", "r-1", Channel.MAIL, "token-1"),
                MessageIds.of("c@2025-01-15T09:00:00Z", "r-1", Channel.PUSH, "token-2"));

        assertThat(others).doesNotContain(ID).doesNotHaveDuplicates();
    }

    @Test
    void partsDoNotRunIntoEachOther() {
        assertThat(MessageIds.of("run", "r-1", Channel.PUSH, "2token"))
                .isNotEqualTo(MessageIds.of("run", "r-12", Channel.PUSH, "token"));
    }
}

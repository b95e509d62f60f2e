package dev.herald.topology.channels;

import static org.assertj.core.api.Assertions.assertThat;

import dev.herald.avro.Channel;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Message ids are senders' idempotency key, so they are pinned to literal values that must survive upgrades. */
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

    /**
     * The literals were computed outside Java (Python: MD5 of the UTF-8 parts joined by NUL, with the version-3 and
     * IETF variant bits set), so they pin the separator, the part order, the channel spelling, the charset and the
     * hash. Any change here re-sends every message of a run retried across an upgrade: never update them casually.
     */
    @ParameterizedTest(name = "{0} / {1} / {2} / {3}")
    @CsvSource(delimiter = '|', value = {
        "c@2025-01-15T09:00:00Z | r-1 | PUSH | token-1 | 58efba87-845a-3326-b73e-977750928fb8",
        "c@2025-01-15T09:00:00Z | r-1 | MAIL | token-1 | a40b0256-a30b-39fe-8de1-c612b2f9135f",
        "spring-sale@2025-01-15T09:00:00Z | r-1 | PUSH | ios-token-1 | a279845c-ae76-3a13-af35-3e1b9ece6a79",
        "spring-sale@2025-01-15T09:00:00Z | r-1 | MAIL | ada@example.com | 7422e000-672b-3358-b843-c93f736700f2",
        "c@2025-01-15T09:00:00Z | zo\u00eb-1 | MAIL | zo\u00eb@example.com | bac5fdf6-ea04-3e0a-b90f-f7916d85be22",
    })
    void idsArePinnedForKnownInputs(String runId, String recipientId, Channel channel, String target, String expected) {
        assertThat(MessageIds.of(runId, recipientId, channel, target)).isEqualTo(expected);
    }
}

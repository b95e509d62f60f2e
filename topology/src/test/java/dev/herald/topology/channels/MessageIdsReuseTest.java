package dev.herald.topology.channels;

import static org.assertj.core.api.Assertions.assertThat;

import dev.herald.avro.Channel;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** One MessageIds reused for many ids gives each the id of the original definition (UUID of the NUL-joined parts). */
class MessageIdsReuseTest {

    @Test
    void aReusedInstanceGivesTheNameBasedUuidOfTheJoinedParts() {
        MessageIds ids = new MessageIds();
        Random random = new Random(7);
        for (int i = 0; i < 2_000; i++) {
            String run = word(random) + "@2026-05-01T09:00:00Z";
            String recipient = word(random);
            Channel channel = Channel.values()[random.nextInt(Channel.values().length)];
            String target = word(random);
            String expected = UUID.nameUUIDFromBytes(String.join("\u0000", run, recipient, channel.name(), target)
                    .getBytes(StandardCharsets.UTF_8)).toString();

            assertThat(ids.id(run, recipient, channel, target)).as("input %d", i).isEqualTo(expected);
        }
    }

    /** Up to 12 characters from ASCII, Latin-1, CJK and an astral plane, so multi-byte UTF-8 is covered. */
    private static String word(Random random) {
        int[] alphabet = {'a', 'Z', '7', '-', '@', '.', 0xEB, 0xDF, 0x4E2D, 0x1F600};
        StringBuilder sb = new StringBuilder();
        int length = random.nextInt(13);
        for (int i = 0; i < length; i++) {
            sb.appendCodePoint(alphabet[random.nextInt(alphabet.length)]);
        }
        return sb.toString();
    }
}

package dev.herald.topology.channels;

import dev.herald.avro.Channel;
import java.nio.charset.StandardCharsets;
import java.util.Objects;
import java.util.UUID;

/** Deterministic outbox message ids: the idempotency key downstream senders deduplicate on. */
public final class MessageIds {

    // NUL cannot occur in run ids, recipient ids, tokens or addresses, so joining on it is unambiguous.
    private static final String SEPARATOR = "\u0000";

    private MessageIds() {
    }

    /**
     * A name-based (v3) UUID of the parts: a re-processed delivery after a crash gets the same id,
     * and any differing part gives a different one.
     */
    public static String of(String runId, String recipientId, Channel channel, String target) {
        String name = String.join(SEPARATOR,
                Objects.requireNonNull(runId, "runId"),
                Objects.requireNonNull(recipientId, "recipientId"),
                Objects.requireNonNull(channel, "channel").name(),
                Objects.requireNonNull(target, "target"));
        return UUID.nameUUIDFromBytes(name.getBytes(StandardCharsets.UTF_8)).toString();
    }
}

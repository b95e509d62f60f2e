package dev.herald.topology.channels;

import dev.herald.avro.Channel;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Objects;
import java.util.UUID;

/**
 * Deterministic outbox message ids: the idempotency key downstream senders deduplicate on. An instance keeps one MD5
 * digest for its ids (looking one up per id was a measurable part of rendering), so it belongs to one thread: each
 * renderer has its own.
 */
public final class MessageIds {

    // NUL cannot occur in run ids, recipient ids, tokens or addresses, so joining on it is unambiguous.
    private static final byte SEPARATOR = 0;

    private final MessageDigest md5;

    public MessageIds() {
        try {
            this.md5 = MessageDigest.getInstance("MD5");
        } catch (NoSuchAlgorithmException e) {
            throw new InternalError("MD5 not supported", e); // as UUID.nameUUIDFromBytes does; every JDK has MD5
        }
    }

    /**
     * A name-based (v3) UUID of the parts: a re-processed delivery after a crash gets the same id,
     * and any differing part gives a different one.
     */
    public static String of(String runId, String recipientId, Channel channel, String target) {
        return new MessageIds().id(runId, recipientId, channel, target);
    }

    /**
     * The same id as {@link #of}, byte for byte: {@code UUID.nameUUIDFromBytes} of the UTF-8 parts joined by NUL, fed
     * to the digest part by part (UTF-8 of a concatenation is the concatenation of the parts' UTF-8).
     */
    public String id(String runId, String recipientId, Channel channel, String target) {
        md5.reset();
        md5.update(Objects.requireNonNull(runId, "runId").getBytes(StandardCharsets.UTF_8));
        md5.update(SEPARATOR);
        md5.update(Objects.requireNonNull(recipientId, "recipientId").getBytes(StandardCharsets.UTF_8));
        md5.update(SEPARATOR);
        md5.update(Objects.requireNonNull(channel, "channel").name().getBytes(StandardCharsets.UTF_8));
        md5.update(SEPARATOR);
        md5.update(Objects.requireNonNull(target, "target").getBytes(StandardCharsets.UTF_8));
        byte[] hash = md5.digest();
        hash[6] &= 0x0f; // version 3, as UUID.nameUUIDFromBytes sets it
        hash[6] |= 0x30;
        hash[8] &= 0x3f; // IETF variant
        hash[8] |= (byte) 0x80;
        long msb = 0;
        long lsb = 0;
        for (int i = 0; i < 8; i++) {
            msb = (msb << 8) | (hash[i] & 0xff);
        }
        for (int i = 8; i < 16; i++) {
            lsb = (lsb << 8) | (hash[i] & 0xff);
        }
        return new UUID(msb, lsb).toString();
    }
}

package dev.herald.topology.recipients;

import dev.herald.avro.Recipient;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.ValueAndTimestamp;

/**
 * The keys of the recipients-by-segment index: one membership key per (segment, recipient), in segment order then
 * recipient order, so a segment's members are one range; and one key per recipient holding its indexed segments, so
 * an update finds the segments to leave without reading the recipients table.
 */
public final class SegmentIndex {

    // Control characters, so index keys never collide with each other's key space; NUL ends the segment name.
    private static final String MEMBER = "\u0001";
    private static final String SEGMENTS_OF = "\u0002";
    private static final String END_OF_SEGMENT = "\u0000";
    private static final String SEPARATOR = "\u0000";
    // Present once the index covers every recipient in the table (see backfill).
    private static final String COMPLETE = "\u0003complete";

    private SegmentIndex() {
    }

    /** The key saying that {@code recipientId} is in {@code segment}. */
    public static String member(String segment, String recipientId) {
        return membersOf(segment) + recipientId;
    }

    /** The common prefix of a segment's membership keys. */
    public static String membersOf(String segment) {
        return MEMBER + segment + END_OF_SEGMENT;
    }

    /** A key above every membership key of {@code segment} and below any other segment's. */
    public static String afterMembersOf(String segment) {
        return MEMBER + segment + "\u0001";
    }

    /** Whether a key is a membership key (and not, say, a recipient id some other cursor holds). */
    public static boolean isMember(String key) {
        return key.startsWith(MEMBER);
    }

    /** The recipient id of a membership key of {@code segment}. */
    public static String recipientOf(String segment, String memberKey) {
        return memberKey.substring(membersOf(segment).length());
    }

    /** The key holding the segments a recipient is indexed under. */
    public static String segmentsOf(String recipientId) {
        return SEGMENTS_OF + recipientId;
    }

    /** The segments the index holds a recipient under (empty for an unknown recipient). */
    public static List<String> segmentsOf(KeyValueStore<String, String> index, String recipientId) {
        return split(index.get(segmentsOf(recipientId)));
    }

    /** Brings the index in line with a recipient's new profile (null: deleted). */
    public static void update(KeyValueStore<String, String> index, String id, Recipient recipient) {
        List<String> before = split(index.get(segmentsOf(id)));
        List<String> after = recipient == null ? List.of()
                : new ArrayList<>(new LinkedHashSet<>(recipient.getSegments()));
        if (before.equals(after)) {
            return;
        }
        for (String segment : before) {
            if (!after.contains(segment)) {
                index.delete(member(segment, id));
            }
        }
        for (String segment : after) {
            if (!before.contains(segment)) {
                index.put(member(segment, id), "");
            }
        }
        if (after.isEmpty()) {
            index.delete(segmentsOf(id));
        } else {
            index.put(segmentsOf(id), join(after));
        }
    }

    /**
     * Indexes every recipient of the table once, when the index is not known to be complete: recipients loaded by a
     * version without the index are otherwise only indexed when next written. Returns how many were indexed.
     */
    public static long backfill(KeyValueStore<String, String> index,
            KeyValueStore<String, ValueAndTimestamp<Recipient>> recipients) {
        if (index.get(COMPLETE) != null) {
            return 0;
        }
        long n = 0;
        try (KeyValueIterator<String, ValueAndTimestamp<Recipient>> all = recipients.all()) {
            while (all.hasNext()) {
                KeyValue<String, ValueAndTimestamp<Recipient>> entry = all.next();
                update(index, entry.key, entry.value == null ? null : entry.value.value());
                n++;
            }
        }
        index.put(COMPLETE, "");
        return n;
    }

    static String join(List<String> segments) {
        return String.join(SEPARATOR, segments);
    }

    static List<String> split(String joined) {
        return joined == null || joined.isEmpty() ? List.of() : new ArrayList<>(Arrays.asList(joined.split(SEPARATOR, -1)));
    }
}

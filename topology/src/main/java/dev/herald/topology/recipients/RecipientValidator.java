package dev.herald.topology.recipients;

import dev.herald.avro.Recipient;
import java.util.Optional;

/**
 * Lets only recipients keyed by their own id (and tombstones) into the recipients table: a table drops null keys
 * silently, and explicit-id audiences look recipients up by key.
 */
public final class RecipientValidator {

    private RecipientValidator() {
    }

    /**
     * What is wrong with a recipient record (null value: a tombstone), if anything: the rules the topology
     * applies, which the command line's import checks each line by before producing it.
     */
    public static Optional<String> check(String key, Recipient recipient) {
        if (key == null) {
            return Optional.of("recipient records need a key (the recipient id)");
        }
        if (recipient != null && !key.equals(recipient.getId())) {
            return Optional.of("recipient key '" + key + "' differs from its id '" + recipient.getId() + "'");
        }
        return Optional.empty();
    }
}

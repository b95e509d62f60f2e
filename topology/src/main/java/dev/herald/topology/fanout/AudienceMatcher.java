package dev.herald.topology.fanout;

import dev.herald.avro.Audience;
import dev.herald.avro.Recipient;
import java.util.Map;

/** Whether a recipient belongs to a campaign's audience by segment and attribute criteria (ids are looked up, not matched). */
final class AudienceMatcher {
    private AudienceMatcher() {
    }

    static boolean matches(Audience audience, Recipient recipient) {
        if (!audience.getSegments().isEmpty()
                && audience.getSegments().stream().noneMatch(recipient.getSegments()::contains)) {
            return false;
        }
        for (Map.Entry<String, String> wanted : audience.getAttributes().entrySet()) {
            if (!wanted.getValue().equals(recipient.getAttributes().get(wanted.getKey()))) {
                return false;
            }
        }
        return true;
    }
}

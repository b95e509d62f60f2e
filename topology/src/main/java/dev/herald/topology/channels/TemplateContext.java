package dev.herald.topology.channels;

import dev.herald.avro.Campaign;
import dev.herald.avro.Delivery;
import dev.herald.avro.Recipient;
import java.util.HashMap;
import java.util.Map;

/** Builds the Mustache context a delivery's templates are rendered with. */
final class TemplateContext {

    static final String RECIPIENT = "recipient";
    static final String CAMPAIGN = "campaign";
    static final String RUN = "run";

    private TemplateContext() {
    }

    /**
     * The recipient's attributes at top level, plus {@code recipient}, {@code campaign} and {@code run}.
     * Requires a delivery with a recipient.
     */
    static Map<String, Object> of(Delivery delivery) {
        Recipient recipient = delivery.getRecipient();
        Campaign campaign = delivery.getJob().getCampaign();
        Map<String, Object> context = new HashMap<>();
        if (recipient.getAttributes() != null) {
            context.putAll(recipient.getAttributes());
        }
        // Put last so an attribute named like them cannot shadow them.
        context.put(RECIPIENT, present(
                "id", recipient.getId(),
                "email", recipient.getEmail(),
                "locale", recipient.getLocale(),
                "timeZone", recipient.getTimeZone()));
        context.put(CAMPAIGN, present(
                "id", delivery.getCampaignId(),
                "name", campaign.getName()));
        context.put(RUN, present(
                "id", delivery.getRunId(),
                "scheduledFor", delivery.getJob().getScheduledFor() == null
                        ? null : delivery.getJob().getScheduledFor().toString()));
        return context;
    }

    /**
     * Only the non-null pairs: an absent value is then a missing variable (an error in {{x}}, false
     * in a section) instead of depending on how the renderer treats null.
     */
    private static Map<String, Object> present(String... keysAndValues) {
        Map<String, Object> map = new HashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            if (keysAndValues[i + 1] != null) {
                map.put(keysAndValues[i], keysAndValues[i + 1]);
            }
        }
        return map;
    }
}

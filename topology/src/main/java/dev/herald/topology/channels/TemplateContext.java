package dev.herald.topology.channels;

import dev.herald.avro.Campaign;
import dev.herald.avro.Delivery;
import dev.herald.avro.Recipient;
import java.time.Instant;
import java.util.AbstractMap;
import java.util.Collections;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

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
     *
     * <p>A view, not a copy: a template reads a handful of names, and building this map for every delivery and
     * channel (attributes copied, three nested maps, the run's instant formatted) cost more than rendering. The
     * nested maps are built when a template first reads them.
     */
    static Map<String, Object> of(Delivery delivery) {
        return new Context(delivery);
    }

    private static final class Context extends AbstractMap<String, Object> {
        private final Delivery delivery;
        private final Map<String, String> attributes;
        private Map<String, Object> recipient;
        private Map<String, Object> campaign;
        private Map<String, Object> run;
        private Set<Entry<String, Object>> entries;

        Context(Delivery delivery) {
            this.delivery = delivery;
            Map<String, String> attrs = delivery.getRecipient().getAttributes();
            this.attributes = attrs == null ? Map.of() : attrs;
        }

        @Override
        public boolean containsKey(Object name) {
            // The three names win over attributes of the same name, which therefore cannot shadow them.
            return RECIPIENT.equals(name) || CAMPAIGN.equals(name) || RUN.equals(name) || attributes.containsKey(name);
        }

        @Override
        public Object get(Object name) {
            if (RECIPIENT.equals(name)) {
                return recipient();
            }
            if (CAMPAIGN.equals(name)) {
                return campaign();
            }
            if (RUN.equals(name)) {
                return run();
            }
            return attributes.get(name);
        }

        @Override
        public Set<Entry<String, Object>> entrySet() {
            if (entries == null) {
                Map<String, Object> all = new HashMap<>(attributes);
                all.put(RECIPIENT, recipient());
                all.put(CAMPAIGN, campaign());
                all.put(RUN, run());
                entries = Collections.unmodifiableMap(all).entrySet();
            }
            return entries;
        }

        private Map<String, Object> recipient() {
            if (recipient == null) {
                Recipient r = delivery.getRecipient();
                recipient = present("id", r.getId(), "email", r.getEmail(), "locale", r.getLocale(),
                        "timeZone", r.getTimeZone());
            }
            return recipient;
        }

        private Map<String, Object> campaign() {
            if (campaign == null) {
                Campaign c = delivery.getJob().getCampaign();
                campaign = present("id", delivery.getCampaignId(), "name", c.getName());
            }
            return campaign;
        }

        private Map<String, Object> run() {
            if (run == null) {
                Instant scheduledFor = delivery.getJob().getScheduledFor();
                run = present("id", delivery.getRunId(),
                        "scheduledFor", scheduledFor == null ? null : scheduledFor.toString());
            }
            return run;
        }
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

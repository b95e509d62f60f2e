package dev.herald.testkit;

import dev.herald.avro.PushMessage;
import java.util.Objects;
import org.assertj.core.api.AbstractAssert;

/** Checks on one rendered push message. */
public final class PushMessageAssert extends AbstractAssert<PushMessageAssert, PushMessage> {

    PushMessageAssert(PushMessage message) {
        super(message, PushMessageAssert.class);
    }

    public PushMessageAssert withTitle(String title) {
        return field("title", actual.getTitle(), title);
    }

    public PushMessageAssert withBody(String body) {
        return field("body", actual.getBody(), body);
    }

    /** One entry of the rendered data map. */
    public PushMessageAssert withData(String key, String value) {
        return field("data." + key, actual.getData().get(key), value);
    }

    public PushMessageAssert withToken(String token) {
        return field("token", actual.getToken(), token);
    }

    public PushMessageAssert withLocale(String locale) {
        return field("locale", actual.getLocale(), locale);
    }

    private PushMessageAssert field(String name, String was, String expected) {
        if (!Objects.equals(was, expected)) {
            failWithActualExpectedAndMessage(was, expected, "%s", "push message to " + actual.getRecipientId()
                    + " (run " + actual.getRunId() + "): expected " + name + " '" + expected + "' but was '" + was
                    + "'");
        }
        return this;
    }
}

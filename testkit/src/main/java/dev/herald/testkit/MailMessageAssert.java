package dev.herald.testkit;

import dev.herald.avro.MailMessage;
import java.util.Objects;
import org.assertj.core.api.AbstractAssert;

/** Checks on one rendered e-mail. */
public final class MailMessageAssert extends AbstractAssert<MailMessageAssert, MailMessage> {

    MailMessageAssert(MailMessage message) {
        super(message, MailMessageAssert.class);
    }

    public MailMessageAssert withSubject(String subject) {
        return field("subject", actual.getSubject(), subject);
    }

    public MailMessageAssert withText(String text) {
        return field("text", actual.getText(), text);
    }

    public MailMessageAssert withHtml(String html) {
        return field("html", actual.getHtml(), html);
    }

    /** The address it is sent to. */
    public MailMessageAssert to(String address) {
        return field("to", actual.getTo(), address);
    }

    private MailMessageAssert field(String name, String was, String expected) {
        if (!Objects.equals(was, expected)) {
            failWithActualExpectedAndMessage(was, expected, "%s", "e-mail to " + actual.getRecipientId()
                    + " (run " + actual.getRunId() + "): expected " + name + " '" + expected + "' but was '" + was
                    + "'");
        }
        return this;
    }
}

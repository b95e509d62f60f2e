package dev.herald.testkit;

import dev.herald.avro.Channel;
import dev.herald.avro.MailMessage;
import dev.herald.avro.Outcome;
import dev.herald.avro.PushMessage;
import java.util.List;
import org.assertj.core.api.AbstractAssert;
import org.assertj.core.api.Assertions;
import org.assertj.core.api.ListAssert;

/** What one recipient received (in one run, or in all so far), and why a channel sent nothing. */
public final class RecipientAssert extends AbstractAssert<RecipientAssert, String> {
    private final HeraldKit kit;
    private final String runId;

    RecipientAssert(HeraldKit kit, String recipientId, String runId) {
        super(recipientId, RecipientAssert.class);
        this.kit = kit;
        this.runId = runId;
    }

    /** Exactly one push message (one device token); its content is checked next. */
    public PushMessageAssert gotPush() {
        List<PushMessage> messages = pushes();
        if (messages.size() != 1) {
            failWithMessage("%s", "expected one push message to " + who() + " but there were " + messages.size()
                    + "; outcomes: " + Describe.outcomes(outcomes(Channel.PUSH)));
        }
        return new PushMessageAssert(messages.get(0));
    }

    /** Exactly one e-mail; its content is checked next. */
    public MailMessageAssert gotMail() {
        List<MailMessage> messages = mails();
        if (messages.size() != 1) {
            failWithMessage("%s", "expected one e-mail to " + who() + " but there were " + messages.size()
                    + "; outcomes: " + Describe.outcomes(outcomes(Channel.MAIL)));
        }
        return new MailMessageAssert(messages.get(0));
    }

    /** No push message; why is checked next. */
    public NoDeliveryAssert gotNoPush() {
        List<PushMessage> messages = pushes();
        if (!messages.isEmpty()) {
            failWithMessage("%s", "expected no push message to " + who() + " but there were " + messages.size()
                    + ", the first titled '" + messages.get(0).getTitle() + "'");
        }
        return new NoDeliveryAssert(who(), Channel.PUSH, outcomes(Channel.PUSH));
    }

    /** No e-mail; why is checked next. */
    public NoDeliveryAssert gotNoMail() {
        List<MailMessage> messages = mails();
        if (!messages.isEmpty()) {
            failWithMessage("%s", "expected no e-mail to " + who() + " but there were " + messages.size()
                    + ", the first with subject '" + messages.get(0).getSubject() + "'");
        }
        return new NoDeliveryAssert(who(), Channel.MAIL, outcomes(Channel.MAIL));
    }

    /** Every push message to this recipient, for AssertJ's list assertions (several tokens, several runs). */
    public ListAssert<PushMessage> pushMessages() {
        return Assertions.assertThat(pushes());
    }

    /** Every e-mail to this recipient, for AssertJ's list assertions. */
    public ListAssert<MailMessage> mailMessages() {
        return Assertions.assertThat(mails());
    }

    private List<PushMessage> pushes() {
        return kit.pushOutbox().stream()
                .filter(m -> m.getRecipientId().equals(actual) && (runId == null || m.getRunId().equals(runId)))
                .toList();
    }

    private List<MailMessage> mails() {
        return kit.mailOutbox().stream()
                .filter(m -> m.getRecipientId().equals(actual) && (runId == null || m.getRunId().equals(runId)))
                .toList();
    }

    private List<Outcome> outcomes(Channel channel) {
        return kit.outcomes().stream()
                .filter(o -> o.getRecipientId().equals(actual) && o.getChannel() == channel
                        && (runId == null || o.getRunId().equals(runId)))
                .toList();
    }

    private String who() {
        return "recipient " + actual + (runId == null ? "" : " in run " + runId);
    }
}

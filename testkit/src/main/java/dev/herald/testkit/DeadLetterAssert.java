package dev.herald.testkit;

import dev.herald.avro.DeadLetter;
import java.util.Objects;
import org.assertj.core.api.AbstractAssert;

/** Checks on one dead letter: why, where from, and at which step. */
public final class DeadLetterAssert extends AbstractAssert<DeadLetterAssert, DeadLetter> {

    DeadLetterAssert(DeadLetter deadLetter) {
        super(deadLetter, DeadLetterAssert.class);
    }

    /** The error message contains this text. */
    public DeadLetterAssert withReason(String fragment) {
        String message = actual.getErrorMessage();
        if (message == null || !message.contains(fragment)) {
            failWithMessage("%s", "expected the dead letter's reason to contain '" + fragment + "' but it was '"
                    + message + "'");
        }
        return this;
    }

    /** The topic the record was read from. */
    public DeadLetterAssert fromTopic(String topic) {
        return field("topic", actual.getTopic(), topic);
    }

    /** The processor node that refused it, e.g. campaigns-validate. */
    public DeadLetterAssert atNode(String processorNode) {
        return field("processor node", actual.getProcessorNode(), processorNode);
    }

    /** deserialization, processing or production. */
    public DeadLetterAssert inStage(String stage) {
        return field("stage", actual.getStage(), stage);
    }

    private DeadLetterAssert field(String name, String was, String expected) {
        if (!Objects.equals(was, expected)) {
            failWithMessage("%s", "expected the dead letter's " + name + " '" + expected + "' but was '" + was
                    + "' (reason: " + actual.getErrorMessage() + ")");
        }
        return this;
    }
}

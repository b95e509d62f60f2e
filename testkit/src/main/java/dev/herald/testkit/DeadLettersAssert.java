package dev.herald.testkit;

import dev.herald.avro.DeadLetter;
import java.util.List;
import org.assertj.core.api.AbstractAssert;

/** Checks on the dead letters: how many, and the one or the last of them. */
public final class DeadLettersAssert extends AbstractAssert<DeadLettersAssert, List<DeadLetter>> {

    DeadLettersAssert(List<DeadLetter> deadLetters) {
        super(deadLetters, DeadLettersAssert.class);
    }

    public DeadLettersAssert isEmpty() {
        if (!actual.isEmpty()) {
            failWithMessage("%s", "expected no dead letters but there were " + actual.size() + ": " + reasons());
        }
        return this;
    }

    public DeadLettersAssert hasSize(int size) {
        if (actual.size() != size) {
            failWithMessage("%s", "expected " + size + " dead letter(s) but there were " + actual.size() + ": "
                    + reasons());
        }
        return this;
    }

    /** Exactly one dead letter; it is checked next. */
    public DeadLetterAssert hasOne() {
        hasSize(1);
        return new DeadLetterAssert(actual.get(0));
    }

    /** The latest dead letter; it is checked next. */
    public DeadLetterAssert last() {
        if (actual.isEmpty()) {
            failWithMessage("%s", "expected a dead letter but there were none");
        }
        return new DeadLetterAssert(actual.get(actual.size() - 1));
    }

    private List<String> reasons() {
        return actual.stream().map(d -> d.getProcessorNode() + ": " + d.getErrorMessage()).toList();
    }
}

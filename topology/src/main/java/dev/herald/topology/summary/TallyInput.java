package dev.herald.topology.summary;

import dev.herald.avro.Outcome;

/**
 * What the outcome tallies read: one delivery's outcome, or (outcome null) the end of a fan-out step, on which the
 * step's tallies are forwarded.
 */
public record TallyInput(Outcome outcome) {

    public static TallyInput of(Outcome outcome) {
        return new TallyInput(outcome);
    }

    public static TallyInput stepEnd() {
        return new TallyInput(null);
    }
}

package dev.herald.devstack.registry;

import java.util.Locale;
import java.util.Optional;

/** Confluent's compatibility levels: which earlier versions a new schema is checked against, and in which direction. */
public enum CompatibilityLevel {
    NONE(false, false, false),
    BACKWARD(true, false, false),
    BACKWARD_TRANSITIVE(true, false, true),
    FORWARD(false, true, false),
    FORWARD_TRANSITIVE(false, true, true),
    FULL(true, true, false),
    FULL_TRANSITIVE(true, true, true);

    /** Confluent's default, and so the embedded registry's. */
    public static final CompatibilityLevel DEFAULT = BACKWARD;

    private final boolean newReadsOld;
    private final boolean oldReadsNew;
    private final boolean transitive;

    CompatibilityLevel(boolean newReadsOld, boolean oldReadsNew, boolean transitive) {
        this.newReadsOld = newReadsOld;
        this.oldReadsNew = oldReadsNew;
        this.transitive = transitive;
    }

    /** The level named {@code name}, in any letter case (Confluent's CLI sends lower case), or empty. */
    public static Optional<CompatibilityLevel> forName(String name) {
        if (name == null) {
            return Optional.empty();
        }
        try {
            return Optional.of(valueOf(name.trim().toUpperCase(Locale.ROOT)));
        } catch (IllegalArgumentException unknown) {
            return Optional.empty();
        }
    }

    /** Whether the new schema must read data written with the earlier one (reader = new, writer = old). */
    public boolean newReadsOld() {
        return newReadsOld;
    }

    /** Whether the earlier schema must read data written with the new one (reader = old, writer = new). */
    public boolean oldReadsNew() {
        return oldReadsNew;
    }

    /** Whether every earlier version is checked, not just the latest. */
    public boolean transitive() {
        return transitive;
    }
}

package dev.herald.query.routing;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** The parts of a scattered query, this instance's first, with who answered and who did not; before merging. */
public record Gathered<P>(List<P> parts, List<String> servedBy, List<String> missing) {

    public Gathered {
        parts = Collections.unmodifiableList(new ArrayList<>(parts));
        servedBy = List.copyOf(servedBy);
        missing = List.copyOf(missing);
    }

    /** Whether some instance did not answer, so the merged answer may lack what only it holds. */
    public boolean partial() {
        return !missing.isEmpty();
    }
}

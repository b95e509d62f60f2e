package dev.herald.testkit;

import org.assertj.core.api.Assertions;

/**
 * AssertJ's entry point plus one for the kit: {@code import static dev.herald.testkit.HeraldAssertions.assertThat}
 * gives both {@code assertThat(kit).run(runId).completed()} and every assertion of AssertJ's own.
 */
public class HeraldAssertions extends Assertions {

    protected HeraldAssertions() {
    }

    /** Checks on what the kit's topology did: runs, recipients' messages, dead letters, summaries. */
    public static HeraldKitAssert assertThat(HeraldKit kit) {
        return new HeraldKitAssert(kit);
    }
}

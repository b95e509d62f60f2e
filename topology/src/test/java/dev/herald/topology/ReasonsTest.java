package dev.herald.topology;

import static org.assertj.core.api.Assertions.assertThat;

import dev.herald.topology.Reasons.OutcomeReason;
import dev.herald.topology.Reasons.TickRejection;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * Pins the wire strings of every reason: they are public (Outcome.reason, JSON "reasons" keys, metric tags), so
 * dashboards and clients depend on them. A new reason is added here; an existing string never changes.
 */
class ReasonsTest {

    @Test
    void outcomeReasonsHaveTheirReleasedStrings() {
        assertThat(wires(OutcomeReason.values(), OutcomeReason::wire)).containsExactly(
                Map.entry(OutcomeReason.UNKNOWN_RECIPIENT, "unknown_recipient"),
                Map.entry(OutcomeReason.OPT_OUT, "opt_out"),
                Map.entry(OutcomeReason.NO_PUSH_TOKEN, "no_push_token"),
                Map.entry(OutcomeReason.NO_EMAIL, "no_email"),
                Map.entry(OutcomeReason.INVALID_EMAIL, "invalid_email"),
                Map.entry(OutcomeReason.QUIET_HOURS, "quiet_hours"),
                Map.entry(OutcomeReason.INVALID_QUIET_HOURS, "invalid_quiet_hours"),
                Map.entry(OutcomeReason.TEMPLATE_ERROR, "template_error"),
                Map.entry(OutcomeReason.PROCESSING_ERROR, "processing_error"));
    }

    @Test
    void tickRejectionsHaveTheirReleasedStrings() {
        assertThat(wires(TickRejection.values(), TickRejection::wire)).containsExactly(
                Map.entry(TickRejection.UNKNOWN_CAMPAIGN, "unknown_campaign"),
                Map.entry(TickRejection.PAUSED, "paused"),
                Map.entry(TickRejection.CANCELLED, "cancelled"),
                Map.entry(TickRejection.DRAFT, "draft"),
                Map.entry(TickRejection.EXPIRED, "expired"));
    }

    @Test
    void noTwoReasonsShareAString() {
        assertThat(Arrays.stream(OutcomeReason.values()).map(OutcomeReason::wire)).doesNotHaveDuplicates();
        assertThat(Arrays.stream(TickRejection.values()).map(TickRejection::wire)).doesNotHaveDuplicates();
    }

    private static <E> Map<E, String> wires(E[] values, Function<E, String> wire) {
        Map<E, String> map = new LinkedHashMap<>();
        for (E value : values) {
            map.put(value, wire.apply(value));
        }
        return map;
    }
}

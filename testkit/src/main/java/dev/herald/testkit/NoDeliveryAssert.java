package dev.herald.testkit;

import dev.herald.avro.Channel;
import dev.herald.avro.Outcome;
import dev.herald.topology.Reasons.OutcomeReason;
import java.util.List;
import java.util.Objects;
import org.assertj.core.api.AbstractAssert;

/** Why a recipient got nothing on a channel: the reason of its outcomes, or not being in the audience at all. */
public final class NoDeliveryAssert extends AbstractAssert<NoDeliveryAssert, List<Outcome>> {
    private final String who;
    private final Channel channel;

    NoDeliveryAssert(String who, Channel channel, List<Outcome> outcomes) {
        super(outcomes, NoDeliveryAssert.class);
        this.who = who;
        this.channel = channel;
    }

    /** Every outcome of this channel for the recipient has this reason (quiet_hours, template_error, …). */
    public NoDeliveryAssert because(OutcomeReason reason) {
        return because(reason.wire());
    }

    /** Every outcome of this channel for the recipient has this reason, as a wire string. */
    public NoDeliveryAssert because(String reason) {
        if (actual.isEmpty()) {
            failWithMessage("%s", "expected " + channel + " to " + who + " to be stopped by " + reason
                    + " but the recipient had no " + channel + " delivery at all (not in the audience?)");
        }
        if (!actual.stream().allMatch(o -> Objects.equals(o.getReason(), reason))) {
            failWithMessage("%s", "expected every " + channel + " outcome of " + who + " to be " + reason
                    + " but they were " + Describe.outcomes(actual));
        }
        return this;
    }

    /** The recipient was not selected for this channel: not in the audience, or unknown to the table. */
    public NoDeliveryAssert notInAudience() {
        if (!actual.isEmpty()) {
            failWithMessage("%s", "expected " + who + " not to be in the audience for " + channel
                    + " but it had outcomes " + Describe.outcomes(actual));
        }
        return this;
    }
}

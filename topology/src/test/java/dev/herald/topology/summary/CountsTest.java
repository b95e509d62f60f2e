package dev.herald.topology.summary;

import static org.assertj.core.api.Assertions.assertThat;

import dev.herald.avro.Channel;
import dev.herald.avro.ChannelCounts;
import dev.herald.avro.Outcome;
import dev.herald.avro.Result;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Each channel's outcomes land in that channel's counts, never in another's. */
class CountsTest {

    @ParameterizedTest
    @EnumSource(Channel.class)
    void anOutcomeIsCountedUnderItsOwnChannelOnly(Channel channel) {
        ChannelCounts push = Counts.empty();
        ChannelCounts mail = Counts.empty();
        Map<String, Long> reasons = new HashMap<>();

        Counts.add(push, mail, reasons, new Outcome("c", "c@r", "r1", channel, Result.FILTERED, "opt_out", 0));

        ChannelCounts own = Counts.of(channel, push, mail);
        assertThat(own.getFiltered()).isEqualTo(1);
        assertThat(Counts.deliveries(push, mail)).isEqualTo(1);
        assertThat(reasons).containsExactly(Map.entry("opt_out", 1L));
    }

    @Test
    void everyChannelHasCountsOfItsOwn() {
        ChannelCounts push = Counts.empty();
        ChannelCounts mail = Counts.empty();

        assertThat(Counts.of(Channel.PUSH, push, mail)).isSameAs(push);
        assertThat(Counts.of(Channel.MAIL, push, mail)).isSameAs(mail);
    }
}

package dev.herald.topology.fanout;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.herald.avro.Delivery;
import dev.herald.avro.FanoutReport;
import org.junit.jupiter.api.Test;

/** A fan-out output carries exactly one of a delivery and a report. */
class FanoutOutputTest {
    private static final Delivery DELIVERY = new Delivery();
    private static final FanoutReport REPORT = FanoutReport.newBuilder().setRunId("c@r").setCampaignId("c").setPartition(0).setPartitionCount(1).setDeliveries(0L).build();

    @Test
    void carriesTheOneKindItWasMadeOf() {
        assertThat(FanoutOutput.of(DELIVERY).delivery()).isSameAs(DELIVERY);
        assertThat(FanoutOutput.of(DELIVERY).report()).isNull();
        assertThat(FanoutOutput.of(REPORT).report()).isSameAs(REPORT);
        assertThat(FanoutOutput.of(REPORT).delivery()).isNull();
    }

    @Test
    void neitherOrBothIsRejected() {
        assertThatThrownBy(() -> new FanoutOutput(null, null)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new FanoutOutput(DELIVERY, REPORT)).isInstanceOf(IllegalArgumentException.class);
    }
}

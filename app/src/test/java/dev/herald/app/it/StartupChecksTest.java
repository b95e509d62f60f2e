package dev.herald.app.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.herald.app.Herald;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.streams.KafkaStreams;
import org.junit.jupiter.api.Test;

/** What a real broker and a real Kafka Streams make Herald refuse or report, beyond what fakes can show. */
class StartupChecksTest {

    @Test
    void existingRecipientsTopicWithOtherPartitionCountStopsStartNamingTheSetting() throws Exception {
        try (HeraldFixture fixture = new HeraldFixture()) {
            try (Herald first = fixture.start(fixture.settings("first", 2))) {
                HeraldFixture.awaitRunning(first);
            }
            assertThatThrownBy(() -> fixture.start(fixture.settings("second", 3)))
                    .hasMessageContaining("herald.recipients.partitions")
                    .hasMessageContaining("has 2 partitions");
        }
    }

    @Test
    void ticksNotCoPartitionedWithCampaignsStopStartNamingTheSetting() throws Exception {
        try (HeraldFixture fixture = new HeraldFixture();
             Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
                     fixture.kafka.bootstrapServers()))) {
            // Ticks are joined with campaigns by key: a different partition count would join the wrong records.
            admin.createTopics(List.of(new NewTopic(fixture.topics.scheduleTicks().name(), Optional.of(5),
                    Optional.empty()))).all().get();

            assertThatThrownBy(() -> fixture.start(fixture.settings("one", 2)))
                    .hasMessageContaining("herald.campaign.partitions")
                    .hasMessageContaining(fixture.topics.scheduleTicks().name() + " has 5 partitions");
        }
    }

    @Test
    void livenessFailsOnceTheRealKafkaStreamsHasStopped() throws Exception {
        try (HeraldFixture fixture = new HeraldFixture();
             Herald herald = fixture.start(fixture.settings("live", 2))) {
            HeraldFixture.awaitRunning(herald);
            assertThat(fixture.getRaw(herald, "/health/live").statusCode()).isEqualTo(200);

            herald.streams().close(Duration.ofSeconds(30));
            assertThat(herald.streams().state()).isEqualTo(KafkaStreams.State.NOT_RUNNING);

            assertThat(fixture.getRaw(herald, "/health/live").statusCode()).isEqualTo(503);
            assertThat(fixture.getRaw(herald, "/health/live").body()).contains("NOT_RUNNING");
            assertThat(fixture.getRaw(herald, "/health/ready").statusCode()).isEqualTo(503);
        }
    }
}

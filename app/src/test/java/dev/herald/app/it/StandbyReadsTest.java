package dev.herald.app.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.herald.app.Herald;
import dev.herald.avro.Campaign;
import dev.herald.topology.StoreNames;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.CloseOptions;
import org.apache.kafka.streams.KeyQueryMetadata;
import org.apache.kafka.streams.LagInfo;
import org.junit.jupiter.api.Test;

/**
 * Two instances with a standby replica each: while the instance owning a key cannot answer, the other answers
 * for it from its standby copy, flagged stale with the lag, and never presents that copy as the active one.
 */
class StandbyReadsTest {
    private static final int PARTITIONS = 4;

    @Test
    void whileTheOwnerCannotAnswerItsKeysAreServedFromTheStandbyFlaggedStale() throws Exception {
        try (HeraldFixture fixture = new HeraldFixture();
             Herald a = fixture.start(withStandby(fixture.settings("a", PARTITIONS)));
             Herald b = fixture.start(withStandby(fixture.settings("b", PARTITIONS)))) {
            HeraldFixture.awaitRunning(a, b);
            Map<String, Campaign> campaigns = new LinkedHashMap<>();
            for (int i = 0; i < 8; i++) {
                campaigns.put("c" + i, Population.campaign("c" + i, null));
            }
            fixture.produce(fixture.topics.campaigns(), campaigns);
            String aAddress = "127.0.0.1:" + a.httpPort();
            String bAddress = "127.0.0.1:" + b.httpPort();
            String onB = null;
            for (String id : campaigns.keySet()) {
                KeyQueryMetadata metadata = a.streams().queryMetadataForKey(StoreNames.CAMPAIGNS, id,
                        Serdes.String().serializer());
                if (metadata.activeHost().port() == b.httpPort()) {
                    onB = id;
                    break;
                }
            }
            assertThat(onB).as("a campaign owned by b").isNotNull();
            String path = "/api/campaigns/" + onB;
            String key = onB;
            HeraldFixture.await("b serves " + key + " as its active owner", () ->
                    fixture.get(a, path).path("servedBy").asText().equals(bAddress));
            assertThat(fixture.get(a, path).has("stale")).as("the active copy's answer is not flagged").isFalse();
            int partition = a.streams().queryMetadataForKey(StoreNames.CAMPAIGNS, key, Serdes.String().serializer())
                    .partition();
            HeraldFixture.await("a's standby of " + key + "'s partition caught up", () -> {
                Map<String, Map<Integer, LagInfo>> lags = a.streams().allLocalStorePartitionLags();
                LagInfo lag = lags.getOrDefault(StoreNames.CAMPAIGNS, Map.of()).get(partition);
                assertThat(lag).as("partition " + partition + " in " + lags).isNotNull();
                // Under exactly-once the changelog ends with a commit marker no replica reads past.
                return lag.offsetLag() <= 1;
            });

            // b's stream threads stop but b stays in the group until its session times out: the metadata still
            // names b the owner, and b answers 503 (not running). A crashed or partitioned owner looks the same.
            b.streams().close(CloseOptions.groupMembershipOperation(
                    CloseOptions.GroupMembershipOperation.REMAIN_IN_GROUP).withTimeout(Duration.ofSeconds(30)));

            long started = System.nanoTime();
            HttpResponse<String> response = fixture.getRaw(a, path);
            Duration took = Duration.ofNanos(System.nanoTime() - started);
            assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
            JsonNode stale = fixture.get(a, path);
            assertThat(stale.path("id").asText()).isEqualTo(key);
            assertThat(stale.path("servedBy").asText()).isEqualTo(aAddress);
            assertThat(stale.path("stale").asBoolean()).as(stale.toString()).isTrue();
            long lag = stale.path("lag").asLong();
            assertThat(lag).isBetween(0L, 1L);
            assertThat(took).as("answered from the standby, not after a rebalance").isLessThan(Duration.ofSeconds(2));
            assertThat(fixture.getRaw(a, path + "?maxLag=" + lag).statusCode()).isEqualTo(200);
            if (lag > 0) {
                assertThat(fixture.getRaw(a, path + "?maxLag=" + (lag - 1)).statusCode()).as("beyond maxLag")
                        .isEqualTo(503);
            }

            // Once b's session expires, a owns the key: its answers are the active copy's again, unflagged.
            HeraldFixture.await("a serves " + key + " as its new active owner", () -> {
                JsonNode answer = fixture.get(a, path);
                assertThat(answer.path("servedBy").asText()).isEqualTo(aAddress);
                assertThat(answer.path("id").asText()).isEqualTo(key);
                return !answer.has("stale");
            });
        }
    }

    private static Map<String, String> withStandby(Map<String, String> settings) {
        settings.remove("kafka.num.standby.replicas");
        settings.put("herald.standby.replicas", "1");
        return settings;
    }
}

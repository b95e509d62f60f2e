package dev.herald.app.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.herald.app.Herald;
import dev.herald.avro.Campaign;
import dev.herald.avro.ScheduleTick;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Two instances on a real broker: each keeps the campaign list and the run index whole from the stores' changelogs,
 * and with maxLag answers lists alone, with what gathering from both instances answers.
 */
class ReplicatedListsTest {
    private static final int PARTITIONS = 4;

    @Test
    void eachInstanceAnswersListsFromItsReplicaAsGatheringWould() throws Exception {
        try (HeraldFixture fixture = new HeraldFixture();
             Herald a = fixture.start(fixture.settings("a", PARTITIONS));
             Herald b = fixture.start(fixture.settings("b", PARTITIONS))) {
            HeraldFixture.awaitRunning(a, b);
            fixture.produce(fixture.topics.recipients(), Population.recipients(40));
            Map<String, Campaign> campaigns = new LinkedHashMap<>();
            for (int i = 0; i < 6; i++) {
                campaigns.put("c" + i, Population.campaign("c" + i, null));
            }
            fixture.produce(fixture.topics.campaigns(), campaigns);
            Map<String, ScheduleTick> ticks = new LinkedHashMap<>();
            ticks.put("c0", Population.tick("c0", Population.SLOT));
            ticks.put("c1", Population.tick("c1", Population.SLOT));
            fixture.produce(fixture.topics.scheduleTicks(), ticks);
            HeraldFixture.await("both runs completed", () -> completed(fixture, a, "c0") && completed(fixture, a, "c1"));

            String aAddress = "127.0.0.1:" + a.httpPort();
            String bAddress = "127.0.0.1:" + b.httpPort();
            JsonNode gathered = fixture.get(a, "/api/campaigns");
            assertThat(texts(gathered.path("servedBy"))).containsExactlyInAnyOrder(aAddress, bAddress);
            for (Herald herald : List.of(a, b)) {
                String self = "127.0.0.1:" + herald.httpPort();
                HeraldFixture.await("the replica of " + self + " lists every campaign as gathered", () -> {
                    JsonNode replica = fixture.get(herald, "/api/campaigns?maxLag=0");
                    return replica.path("campaigns").equals(gathered.path("campaigns"));
                });
                JsonNode replica = fixture.get(herald, "/api/campaigns?maxLag=0");
                assertThat(texts(replica.path("servedBy"))).containsExactly(self);
                assertThat(replica.path("stale").asBoolean()).isFalse();
                assertThat(replica.path("lag").asLong()).isZero();
                assertThat(replica.path("partial").asBoolean()).isFalse();

                for (String campaignId : List.of("c0", "c1", "c2")) {
                    String runs = "/api/campaigns/" + campaignId + "/runs";
                    JsonNode gatheredRuns = fixture.get(herald, runs);
                    HeraldFixture.await("the replica's runs of " + campaignId + " on " + self, () ->
                            fixture.get(herald, runs + "?maxLag=0").path("runs").equals(gatheredRuns.path("runs")));
                }
                assertThat(fixture.getRaw(herald, "/api/campaigns/ghost/runs?maxLag=0").statusCode()).isEqualTo(404);
            }

            // Changes and deletions reach every replica.
            Map<String, Campaign> renamed = new HashMap<>();
            renamed.put("c2", Campaign.newBuilder(campaigns.get("c2")).setName("Renamed").build());
            Map<String, Campaign> deleted = new HashMap<>();
            deleted.put("c3", null);
            fixture.produce(fixture.topics.campaigns(), renamed);
            fixture.produce(fixture.topics.campaigns(), deleted);
            for (Herald herald : List.of(a, b)) {
                HeraldFixture.await("the change and the deletion in the replica", () -> {
                    JsonNode list = fixture.get(herald, "/api/campaigns?maxLag=0").path("campaigns");
                    List<String> ids = new ArrayList<>(list.findValuesAsText("id"));
                    return ids.equals(List.of("c0", "c1", "c2", "c4", "c5"))
                            && list.get(2).path("name").asText().equals("Renamed");
                });
            }
        }
    }

    private static boolean completed(HeraldFixture fixture, Herald herald, String campaignId) {
        // A 404 until the campaign is processed, then 200: await asks again while this fails.
        JsonNode runs = fixture.get(herald, "/api/campaigns/" + campaignId + "/runs").path("runs");
        return runs.size() == 1 && runs.get(0).path("complete").asBoolean();
    }

    private static List<String> texts(JsonNode array) {
        List<String> texts = new ArrayList<>();
        array.forEach(node -> texts.add(node.asText()));
        return texts;
    }
}

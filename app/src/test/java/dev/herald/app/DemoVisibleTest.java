package dev.herald.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.herald.devstack.DemoData;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * The embedded default prints its banner only once the demo data answers: Kafka Streams is RUNNING (and
 * /health/ready 200) a few seconds before the campaigns table has read the demo campaigns.
 */
class DemoVisibleTest {

    @Test
    void theFeaturedDemoCampaignAnswersWhenTheBannerWouldAppear() throws Exception {
        Path dir = Files.createDirectories(Path.of("target", "it", "demo-" + UUID.randomUUID().toString()
                .substring(0, 8))).toAbsolutePath();
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        HeraldConfig config = HeraldConfig.from(Map.of(
                "herald.data.dir", dir.toString(),
                "herald.http.host", "127.0.0.1",
                "herald.http.port", Integer.toString(port),
                "herald.embedded.kafka.port", "0",
                "herald.embedded.registry.port", "0",
                "herald.demo.recipients", "200"));
        try (Herald herald = Herald.start(config)) {
            boolean visible = herald.awaitDemoVisible(Duration.ofSeconds(90));

            HttpResponse<String> campaign = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(
                    "http://127.0.0.1:" + herald.httpPort() + "/api/campaigns/" + DemoData.FEATURED_CAMPAIGN))
                    .GET().build(), HttpResponse.BodyHandlers.ofString());
            assertThat(visible).isTrue();
            assertThat(campaign.statusCode()).as(campaign.body()).isEqualTo(200);
            assertThat(campaign.body()).contains("\"id\":\"" + DemoData.FEATURED_CAMPAIGN + "\"");
        }
    }
}

package dev.herald.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** The start banner links the demo's campaign only when the demo data set is loaded. */
class BannerTest {
    private final HeraldConfig embedded = HeraldConfig.load(Map.of())
            .withServers("127.0.0.1:19092", "http://127.0.0.1:18081");

    @Test
    void demoLinksOnlyWithTheDemoLoaded() {
        String withDemo = Herald.banner(embedded, true, 8080, true);
        String withoutDemo = Herald.banner(embedded, true, 8080, false);

        assertThat(withDemo).contains("http://localhost:8080/api/campaigns/spring-sale/runs");
        assertThat(withoutDemo).doesNotContain("spring-sale");
        assertThat(withoutDemo).contains("Embedded Kafka:     127.0.0.1:19092", "http://localhost:8080/api/campaigns\n",
                "http://localhost:8080/api/summary", "http://localhost:8080/metrics");
    }

    @Test
    void clusterModeNamesTheClusterAndItsRegistry() {
        HeraldConfig cluster = HeraldConfig.load(Map.of(), "--bootstrap.servers=kafka:9092",
                "--schema.registry.url=http://registry:8081", "--advertised.host=herald-1");

        String banner = Herald.banner(cluster, false, 8080, false);

        assertThat(banner).contains("Kafka:              kafka:9092", "Schema registry:    http://registry:8081",
                "http://herald-1:8080/api/instances").doesNotContain("Embedded", "spring-sale");
    }
}

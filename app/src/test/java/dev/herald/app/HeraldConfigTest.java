package dev.herald.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.herald.topology.HeraldTopologyConfig;
import dev.herald.topology.InvalidParameterException;
import java.io.IOException;
import java.lang.reflect.RecordComponent;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Configuration layers in order (defaults, file, environment, flags) and names the setting it rejects. */
class HeraldConfigTest {

    @Test
    void defaultsRunTheEmbeddedDemo() {
        HeraldConfig config = HeraldConfig.load(Map.of());

        assertThat(config.embedded()).isTrue();
        assertThat(config.demo()).isTrue();
        assertThat(config.httpPort()).isEqualTo(8080);
        assertThat(config.stateDir()).isEqualTo(Path.of(".herald", "state"));
        assertThat(config.topology().recipientsPartitions()).isEqualTo(4);
    }

    @Test
    void fileThenEnvironmentThenFlagsOverrideEachOther(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("herald.properties");
        Files.writeString(file, """
                herald.http.port=9000
                herald.application.id=from-file
                herald.fanout.chunk.size=10
                kafka.num.stream.threads=2
                """);

        HeraldConfig config = HeraldConfig.load(
                Map.of("HERALD_CONFIG_FILE", file.toString(), "HERALD_APPLICATION_ID", "from-env",
                        "HERALD_FANOUT_CHUNK_SIZE", "20", "PATH", "/usr/bin"),
                "--fanout.chunk.size=30", "--herald.scheduler.interval", "250ms");

        assertThat(config.httpPort()).isEqualTo(9000);
        assertThat(config.applicationId()).isEqualTo("from-env");
        assertThat(config.topology().fanoutChunkSize()).isEqualTo(30);
        assertThat(config.topology().schedulerInterval()).isEqualTo(Duration.ofMillis(250));
        assertThat(config.kafka()).containsEntry("num.stream.threads", "2");
    }

    @Test
    void clusterModeNeedsASchemaRegistry() {
        assertThatThrownBy(() -> HeraldConfig.load(Map.of(), "--bootstrap.servers=kafka:9092"))
                .isInstanceOf(HeraldConfig.ConfigException.class)
                .hasMessageStartingWith("herald.schema.registry.url");

        HeraldConfig config = HeraldConfig.load(Map.of(), "--bootstrap.servers=kafka:9092",
                "--schema.registry.url=http://registry:8081", "--advertised.host=herald-1");
        assertThat(config.embedded()).isFalse();
        assertThat(config.demo()).isFalse();
        assertThat(config.advertised()).isEqualTo("herald-1:8080");
    }

    @Test
    void badValuesStopStartUpNamingTheSetting() {
        assertThatThrownBy(() -> HeraldConfig.load(Map.of("HERALD_HTTP_PORT", "eighty")))
                .hasMessageStartingWith("herald.http.port");
        assertThatThrownBy(() -> HeraldConfig.load(Map.of(), "--recipients.partitions=0"))
                .hasMessageStartingWith("herald.recipients.partitions");
        assertThatThrownBy(() -> HeraldConfig.load(Map.of(), "--summary.retention=30m"))
                .hasMessageStartingWith("herald.summary.retention");
        assertThatThrownBy(() -> HeraldConfig.load(Map.of(), "--scheduler.interval=soon"))
                .hasMessageStartingWith("herald.scheduler.interval");
        assertThatThrownBy(() -> HeraldConfig.load(Map.of(), "--htpp.port=1"))
                .hasMessageStartingWith("herald.htpp.port is not a Herald setting");
        assertThatThrownBy(() -> HeraldConfig.load(Map.of(), "--config=/nonexistent/herald.properties"))
                .hasMessageStartingWith("herald.config.file");
        assertThatThrownBy(() -> HeraldConfig.load(Map.of(), "--demo=maybe")).hasMessageStartingWith("herald.demo");
        assertThatThrownBy(() -> HeraldConfig.load(Map.of(), "--bootstrap.servers=kafka:9092",
                "--schema.registry.url=http://registry:8081"))
                .as("instances of a cluster must advertise distinct addresses")
                .hasMessageStartingWith("herald.advertised.host");
    }

    @Test
    void unknownHeraldVariablesInTheEnvironmentAreIgnoredButUnknownFlagsAreNot() {
        HeraldConfig config = HeraldConfig.load(Map.of("HERALD_PORT", "tcp://10.0.0.1:8080",
                "HERALD_SERVICE_HOST", "10.0.0.1", "HERALD_HTTP_PORT", "9090"));

        assertThat(config.httpPort()).isEqualTo(9090);
        assertThatThrownBy(() -> HeraldConfig.load(Map.of(), "--port=1")).hasMessageStartingWith("herald.port");
    }

    @Test
    void problemsTheTopologyFindsNameTheSettingNotTheParameter() {
        assertThatThrownBy(() -> HeraldConfig.load(Map.of(), "--summary.grace=-PT1M"))
                .isInstanceOf(HeraldConfig.ConfigException.class)
                .hasMessage("herald.summary.grace must not be negative (was PT-1M)");
        assertThatThrownBy(() -> HeraldConfig.load(Map.of(), "--fanout.interval=0s"))
                .hasMessage("herald.fanout.interval must be positive (was PT0S)");
        assertThatThrownBy(() -> HeraldConfig.load(Map.of(), "--topic.prefix=my topics"))
                .hasMessageStartingWith("herald.topic.prefix");
    }

    @Test
    void everyParameterTheTopologyAndTopicSetupNameHasItsSetting() {
        for (RecordComponent component : HeraldTopologyConfig.class.getRecordComponents()) {
            assertThat(HeraldConfig.settingError(new InvalidParameterException(component.getName(), "is wrong")))
                    .as(component.getName())
                    .hasMessageStartingWith("herald.")
                    .hasMessageEndingWith(" is wrong");
        }
        assertThat(HeraldConfig.settingError(new InvalidParameterException("campaignPartitions", "is 2 but ...")))
                .hasMessage("herald.campaign.partitions is 2 but ...");
        assertThat(HeraldConfig.settingError(new InvalidParameterException("recipientsPartitions", "is 4 but ...")))
                .hasMessage("herald.recipients.partitions is 4 but ...");
    }

    @Test
    void defaultsComeFromOneTable() {
        HeraldConfig config = HeraldConfig.load(Map.of());

        assertThat(config.campaignPartitions()).isEqualTo(2);
        assertThat(config.topicPrefix()).isEqualTo("herald.");
        assertThat(config.topology().schedulerInterval()).isEqualTo(Duration.ofSeconds(1));
        assertThat(config.topology().misfireThreshold()).isEqualTo(Duration.ofMinutes(1));
        assertThat(config.topology().fanoutInterval()).isEqualTo(Duration.ofMillis(100));
        assertThat(config.topology().fanoutChunkSize()).isEqualTo(2000);
        assertThat(config.topology().summaryRetention()).isEqualTo(Duration.ofDays(7));
        assertThat(config.topology().summaryGrace()).isEqualTo(Duration.ofMinutes(5));
        assertThat(config.demoRecipients()).isEqualTo(100_000);
    }

    @Test
    void apiTokenComesFromTheSettingOrAFileAndIsNeverPrinted(@TempDir Path dir) throws IOException {
        assertThat(HeraldConfig.load(Map.of()).apiToken().required()).as("open by default").isFalse();

        HeraldConfig inline = HeraldConfig.load(Map.of("HERALD_HTTP_AUTH_TOKEN", "t0ken-from-env"));
        assertThat(inline.apiToken().admits("Bearer t0ken-from-env")).isTrue();
        assertThat(inline.toString()).doesNotContain("t0ken-from-env");
        assertThat(inline.metricsNeedToken()).isFalse();

        Path file = dir.resolve("token");
        Files.writeString(file, "t0ken-from-file\n");
        HeraldConfig fromFile = HeraldConfig.load(Map.of(), "--http.auth.token.file=" + file,
                "--http.auth.metrics=true");
        assertThat(fromFile.apiToken().admits("Bearer t0ken-from-file")).isTrue();
        assertThat(fromFile.metricsNeedToken()).isTrue();

        assertThatThrownBy(() -> HeraldConfig.load(Map.of("HERALD_HTTP_AUTH_TOKEN", "a b")))
                .hasMessageStartingWith("herald.http.auth.token ").hasMessageNotContaining("a b");
        assertThatThrownBy(() -> HeraldConfig.load(Map.of("HERALD_HTTP_AUTH_TOKEN", "x",
                "HERALD_HTTP_AUTH_TOKEN_FILE", file.toString()))).hasMessageStartingWith("herald.http.auth.token.file");
        assertThatThrownBy(() -> HeraldConfig.load(Map.of("HERALD_HTTP_AUTH_TOKEN_FILE", dir.resolve("none").toString())))
                .hasMessageStartingWith("herald.http.auth.token.file");
        assertThatThrownBy(() -> HeraldConfig.load(Map.of("HERALD_HTTP_AUTH_METRICS", "yes")))
                .hasMessageStartingWith("herald.http.auth.metrics");
    }
}

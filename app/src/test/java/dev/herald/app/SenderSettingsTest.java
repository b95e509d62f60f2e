package dev.herald.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The herald.sender.* settings: defaults, when the senders run, and bad values named by their setting. */
class SenderSettingsTest {
    private static final String[] CLUSTER = {"--bootstrap.servers=kafka:9092", "--schema.registry.url=http://r:8081",
            "--advertised.host=h1"};

    private static HeraldConfig cluster(String... more) {
        String[] args = new String[CLUSTER.length + more.length];
        System.arraycopy(CLUSTER, 0, args, 0, CLUSTER.length);
        System.arraycopy(more, 0, args, CLUSTER.length, more.length);
        return HeraldConfig.load(Map.of(), args);
    }

    @Test
    void theEmbeddedDemoRunsLogSenders() {
        HeraldConfig.Sender sender = HeraldConfig.load(Map.of()).sender();
        assertThat(sender.enabled()).isTrue();
        assertThat(sender.mailTransport()).isEqualTo("log");
        assertThat(sender.pushTransport()).isEqualTo("log");
        assertThat(sender.backoffs()).containsExactly(Duration.ofSeconds(1), Duration.ofSeconds(5),
                Duration.ofSeconds(30));
        assertThat(sender.mailRate()).isZero();
        assertThat(sender.pushRate()).isZero();
    }

    @Test
    void aClusterOrNoDemoRunsNoSendersUnlessAsked() {
        assertThat(cluster().sender().enabled()).isFalse();
        assertThat(HeraldConfig.load(Map.of(), "--demo=false").sender().enabled()).isFalse();
        assertThat(cluster("--sender.enabled=true").sender().enabled()).isTrue();
        assertThat(HeraldConfig.load(Map.of(), "--sender.enabled=false").sender().enabled()).isFalse();
    }

    @Test
    void smtpFromTheEnvironment() {
        HeraldConfig config = HeraldConfig.load(Map.of(
                "HERALD_SENDER_MAIL_TRANSPORT", "smtp",
                "HERALD_SENDER_MAIL_SMTP_HOST", "smtp.example.com",
                "HERALD_SENDER_MAIL_SMTP_PORT", "587",
                "HERALD_SENDER_MAIL_SMTP_USERNAME", "herald",
                "HERALD_SENDER_MAIL_SMTP_PASSWORD", "s3cret",
                "HERALD_SENDER_MAIL_SMTP_STARTTLS", "true",
                "HERALD_SENDER_MAIL_SMTP_FROM", "news@example.com",
                "HERALD_SENDER_RETRY_BACKOFFS", "500ms, 2s,1m",
                "HERALD_SENDER_MAIL_RATE", "12.5"));
        HeraldConfig.Sender sender = config.sender();
        assertThat(sender.mailTransport()).isEqualTo("smtp");
        assertThat(sender.smtp().host()).isEqualTo("smtp.example.com");
        assertThat(sender.smtp().port()).isEqualTo(587);
        assertThat(sender.smtp().startTls()).isTrue();
        assertThat(sender.smtp().password()).isEqualTo("s3cret");
        assertThat(sender.smtp().toString()).doesNotContain("s3cret");
        assertThat(sender.backoffs()).containsExactly(Duration.ofMillis(500), Duration.ofSeconds(2),
                Duration.ofMinutes(1));
        assertThat(sender.mailRate()).isEqualTo(12.5);
    }

    @Test
    void noneMeansNoRetries() {
        assertThat(HeraldConfig.load(Map.of(), "--sender.retry.backoffs=none").sender().backoffs()).isEmpty();
    }

    @Test
    void badValuesNameTheirSetting() {
        assertThatThrownBy(() -> HeraldConfig.load(Map.of(), "--sender.enabled=yes"))
                .hasMessageStartingWith("herald.sender.enabled");
        assertThatThrownBy(() -> HeraldConfig.load(Map.of(), "--sender.mail.transport=ses"))
                .hasMessageStartingWith("herald.sender.mail.transport");
        assertThatThrownBy(() -> HeraldConfig.load(Map.of(), "--sender.push.transport=carrier-pigeon"))
                .hasMessageStartingWith("herald.sender.push.transport");
        assertThatThrownBy(() -> HeraldConfig.load(Map.of(), "--sender.mail.transport=smtp",
                "--sender.mail.smtp.from=a@b.c"))
                .hasMessageStartingWith("herald.sender.mail.smtp.host is required");
        assertThatThrownBy(() -> HeraldConfig.load(Map.of(), "--sender.mail.transport=smtp",
                "--sender.mail.smtp.host=localhost"))
                .hasMessageStartingWith("herald.sender.mail.smtp.from");
        assertThatThrownBy(() -> HeraldConfig.load(Map.of(), "--sender.mail.smtp.port=0"))
                .hasMessageStartingWith("herald.sender.mail.smtp.port");
        assertThatThrownBy(() -> HeraldConfig.load(Map.of(), "--sender.retry.backoffs=1s,soon"))
                .hasMessageStartingWith("herald.sender.retry.backoffs");
        assertThatThrownBy(() -> HeraldConfig.load(Map.of(), "--sender.retry.backoffs=PT-1S"))
                .hasMessageStartingWith("herald.sender.retry.backoffs");
        assertThatThrownBy(() -> HeraldConfig.load(Map.of(), "--sender.push.rate=-1"))
                .hasMessageStartingWith("herald.sender.push.rate");
        assertThatThrownBy(() -> HeraldConfig.load(Map.of(), "--sender.mail.rate=fast"))
                .hasMessageStartingWith("herald.sender.mail.rate");
        assertThatThrownBy(() -> HeraldConfig.load(Map.of(), "--sender.max.in.flight=0"))
                .hasMessageStartingWith("herald.sender.max.in.flight");
        assertThatThrownBy(() -> HeraldConfig.load(Map.of(), "--sender.mail.smtp.starttls=maybe"))
                .hasMessageStartingWith("herald.sender.mail.smtp.starttls");
    }

    @Test
    void theSenderCommandNeedsNoAdvertisedHost() {
        HeraldConfig config = HeraldConfig.loadSender(Map.of(), "--bootstrap.servers=kafka:9092",
                "--schema.registry.url=http://r:8081");
        assertThat(config.bootstrapServers()).isEqualTo("kafka:9092");
        HeraldConfig embedded = HeraldConfig.loadSender(Map.of());
        assertThat(embedded.bootstrapServers()).isEqualTo("127.0.0.1:19092");
        assertThat(embedded.schemaRegistryUrl()).isEqualTo("http://127.0.0.1:18081");
    }

    @Test
    void theBannerSaysWhereTheLogTransportWrites() {
        HeraldConfig embedded = HeraldConfig.load(Map.of()).withServers("127.0.0.1:19092", "http://127.0.0.1:18081");
        assertThat(Herald.banner(embedded, true, 8080, true))
                .contains("Delivery:           mail via log, push via log (log: ")
                .contains("receipts on herald.receipts");
        HeraldConfig off = HeraldConfig.load(Map.of(), "--sender.enabled=false")
                .withServers("127.0.0.1:19092", "http://127.0.0.1:18081");
        assertThat(Herald.banner(off, true, 8080, true)).doesNotContain("Delivery:");
    }
}

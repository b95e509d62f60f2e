package dev.herald.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.eatthepath.pushy.apns.ApnsClientBuilder;
import dev.herald.avro.PushMessage;
import dev.herald.sender.Transport;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

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

    @TempDir
    Path dir;

    /** A PKCS#8 PEM of a new key: RSA for a Google service account, EC P-256 for an APNs .p8 key. */
    private static String pem(String algorithm) throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance(algorithm);
        if (algorithm.equals("EC")) {
            generator.initialize(new ECGenParameterSpec("secp256r1"));
        } else {
            generator.initialize(2048);
        }
        return "-----BEGIN PRIVATE KEY-----\n"
                + Base64.getMimeEncoder(64, "\n".getBytes()).encodeToString(generator.generateKeyPair().getPrivate()
                .getEncoded()) + "\n-----END PRIVATE KEY-----\n";
    }

    /** A service account's JSON key as Google issues them, with a new RSA key. */
    private Path serviceAccount() throws Exception {
        String json = "{\"type\":\"service_account\",\"project_id\":\"herald-test\",\"private_key_id\":\"k1\","
                + "\"private_key\":\"" + pem("RSA").replace("\n", "\\n") + "\","
                + "\"client_email\":\"herald@herald-test.iam.gserviceaccount.com\","
                + "\"token_uri\":\"https://oauth2.googleapis.com/token\"}";
        return Files.writeString(dir.resolve("service-account.json"), json);
    }

    private Path p8() throws Exception {
        return Files.writeString(dir.resolve("AuthKey_ABC123DEFG.p8"), pem("EC"));
    }

    private static HeraldConfig providers(String... more) {
        String[] args = new String[more.length + 1];
        args[0] = "--sender.push.transport=providers";
        System.arraycopy(more, 0, args, 1, more.length);
        return HeraldConfig.load(Map.of(), args);
    }

    @Test
    void providersNeedAtLeastOneProvider() {
        assertThatThrownBy(() -> providers())
                .hasMessageStartingWith("herald.sender.push.transport is providers but no provider is configured");
    }

    @Test
    void fcmCredentialsMustBeAReadableFile() {
        Path missing = dir.resolve("nope.json");
        assertThatThrownBy(() -> providers("--sender.push.fcm.project=herald-test",
                "--sender.push.fcm.credentials=" + missing))
                .hasMessageStartingWith("herald.sender.push.fcm.credentials file")
                .hasMessageContaining("nope.json");
        assertThatThrownBy(() -> providers("--sender.push.fcm.project=herald-test"))
                .hasMessageStartingWith("herald.sender.push.fcm.credentials is required");
        assertThatThrownBy(() -> providers("--sender.push.fcm.credentials=" + missing))
                .hasMessageStartingWith("herald.sender.push.fcm.project is required");
    }

    @Test
    void badFcmCredentialsAreNamedWithoutShowingThem() throws Exception {
        Path notJson = Files.writeString(dir.resolve("bad.json"), "secret-stuff {");
        HeraldConfig config = providers("--sender.push.fcm.project=herald-test",
                "--sender.push.fcm.credentials=" + notJson);
        assertThatThrownBy(() -> Senders.pushTransport(config, Clock.systemUTC()))
                .hasMessageStartingWith("herald.sender.push.fcm.credentials file")
                .hasMessageNotContaining("secret-stuff");
        Path noKey = Files.writeString(dir.resolve("nokey.json"), "{\"client_email\":\"a@b.c\"}");
        HeraldConfig noKeyConfig = providers("--sender.push.fcm.project=herald-test",
                "--sender.push.fcm.credentials=" + noKey);
        assertThatThrownBy(() -> Senders.pushTransport(noKeyConfig, Clock.systemUTC()))
                .hasMessageStartingWith("herald.sender.push.fcm.credentials file")
                .hasMessageContaining("private_key");
    }

    @Test
    void aPartialApnsConfigurationNamesTheMissingSetting() throws Exception {
        Path key = p8();
        assertThatThrownBy(() -> providers("--sender.push.apns.key=" + key, "--sender.push.apns.team=TEAM123456",
                "--sender.push.apns.bundle=dev.herald.app"))
                .hasMessageStartingWith("herald.sender.push.apns.key.id is required");
        assertThatThrownBy(() -> providers("--sender.push.apns.bundle=dev.herald.app"))
                .hasMessageStartingWith("herald.sender.push.apns.key is required");
        assertThatThrownBy(() -> HeraldConfig.load(Map.of("HERALD_SENDER_PUSH_TRANSPORT", "providers",
                "HERALD_SENDER_PUSH_APNS_KEY", key.toString(), "HERALD_SENDER_PUSH_APNS_KEY_ID", "ABC123DEFG",
                "HERALD_SENDER_PUSH_APNS_TEAM", "TEAM123456")))
                .hasMessageStartingWith("herald.sender.push.apns.bundle is required");
        assertThatThrownBy(() -> providers("--sender.push.apns.key=" + dir.resolve("missing.p8"),
                "--sender.push.apns.team=TEAM123456", "--sender.push.apns.key.id=ABC123DEFG",
                "--sender.push.apns.bundle=dev.herald.app"))
                .hasMessageStartingWith("herald.sender.push.apns.key file");
        assertThatThrownBy(() -> providers("--sender.push.apns.key=" + key, "--sender.push.apns.team=TEAM123456",
                "--sender.push.apns.key.id=ABC123DEFG", "--sender.push.apns.bundle=dev.herald.app",
                "--sender.push.apns.environment=staging"))
                .hasMessageStartingWith("herald.sender.push.apns.environment");
    }

    @Test
    void aFullFcmConfigurationBuildsTheRouter() throws Exception {
        HeraldConfig config = providers("--sender.push.fcm.project=herald-test",
                "--sender.push.fcm.credentials=" + serviceAccount());
        HeraldConfig.Sender sender = config.sender();
        assertThat(sender.pushTransport()).isEqualTo("providers");
        assertThat(sender.fcm().project()).isEqualTo("herald-test");
        assertThat(sender.fcm().url()).isEqualTo(URI.create("https://fcm.googleapis.com"));
        assertThat(sender.apns()).isNull();
        assertThat(sender.pushProviders()).isEqualTo("FCM (project herald-test)");
        try (Transport<PushMessage> push = Senders.pushTransport(config, Clock.systemUTC())) {
            assertThat(push.name()).isEqualTo("push");
        }
    }

    @Test
    void fcmAndApnsTogether() throws Exception {
        HeraldConfig config = providers("--sender.push.fcm.project=herald-test",
                "--sender.push.fcm.credentials=" + serviceAccount(), "--sender.push.fcm.url=http://localhost:9999",
                "--sender.push.apns.key=" + p8(), "--sender.push.apns.team=TEAM123456",
                "--sender.push.apns.key.id=ABC123DEFG", "--sender.push.apns.bundle=dev.herald.app",
                "--sender.push.apns.environment=sandbox");
        HeraldConfig.Apns apns = config.sender().apns();
        assertThat(apns.host()).isEqualTo(ApnsClientBuilder.DEVELOPMENT_APNS_HOST);
        assertThat(apns.port()).isEqualTo(443);
        assertThat(config.sender().fcm().url()).isEqualTo(URI.create("http://localhost:9999"));
        assertThat(config.sender().pushProviders())
                .isEqualTo("FCM (project herald-test), APNs (sandbox, bundle dev.herald.app)");
        try (Transport<PushMessage> push = Senders.pushTransport(config, Clock.systemUTC())) {
            assertThat(push.name()).isEqualTo("push");
        }
        HeraldConfig production = providers("--sender.push.apns.key=" + p8(), "--sender.push.apns.team=TEAM123456",
                "--sender.push.apns.key.id=ABC123DEFG", "--sender.push.apns.bundle=dev.herald.app",
                "--sender.push.apns.host=127.0.0.1", "--sender.push.apns.port=8443");
        assertThat(production.sender().apns().environment()).isEqualTo("production");
        assertThat(production.sender().apns().host()).isEqualTo("127.0.0.1");
        assertThat(production.sender().apns().port()).isEqualTo(8443);
        assertThat(production.sender().fcm()).isNull();
    }

    @Test
    void aBadApnsKeyIsNamed() throws Exception {
        Path notAKey = Files.writeString(dir.resolve("bad.p8"), "not a key");
        HeraldConfig config = providers("--sender.push.apns.key=" + notAKey, "--sender.push.apns.team=TEAM123456",
                "--sender.push.apns.key.id=ABC123DEFG", "--sender.push.apns.bundle=dev.herald.app");
        assertThatThrownBy(() -> Senders.pushTransport(config, Clock.systemUTC()))
                .hasMessageStartingWith("herald.sender.push.apns.key file");
    }

    @Test
    void theLogTransportIgnoresProviderSettings() {
        HeraldConfig config = HeraldConfig.load(Map.of(), "--sender.push.fcm.project=herald-test");
        assertThat(config.sender().pushTransport()).isEqualTo("log");
        assertThat(config.sender().fcm()).isNull();
        assertThat(config.sender().pushProviders()).isEqualTo("log");
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

    @Test
    void aBatchIsAThousandMessagesOrUnderARateLimitAtMostAMinuteOfSending() {
        assertThat(Senders.maxPollRecords(0)).isEqualTo(1_000);
        assertThat(Senders.maxPollRecords(100)).isEqualTo(1_000);
        assertThat(Senders.maxPollRecords(2)).isEqualTo(120);
        assertThat(Senders.maxPollRecords(0.001)).isEqualTo(1);
    }
}

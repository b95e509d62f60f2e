package dev.herald.sender.push;

import com.eatthepath.pushy.apns.ApnsClientBuilder;
import dev.herald.avro.PushPlatform;
import dev.herald.sender.SendResult;
import dev.herald.sender.SendResult.Kind;
import io.netty.channel.nio.NioEventLoopGroup;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.util.Base64;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** ApnsTransport against Pushy's mock APNs server, over TLS, with token authentication from a generated .p8 key. */
class ApnsTransportTest {

    private static final String TEAM_ID = "TEAM123456";
    private static final String KEY_ID = "KEY7654321";
    private static final String BUNDLE_ID = "dev.herald.demo";

    @TempDir
    static Path dir;

    private static Path p8;
    private static MockApns apns;
    private static ApnsTransport transport;
    /** One event loop for the server and the clients: each closing its own waits out Netty's 2 s quiet period. */
    private static final NioEventLoopGroup eventLoop = new NioEventLoopGroup(2);

    @BeforeAll
    static void start() throws Exception {
        KeyPairGenerator ec = KeyPairGenerator.getInstance("EC");
        ec.initialize(new ECGenParameterSpec("secp256r1"));
        KeyPair signingKey = ec.generateKeyPair();
        p8 = dir.resolve("AuthKey_" + KEY_ID + ".p8");
        Files.writeString(p8, "-----BEGIN PRIVATE KEY-----\n"
                + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(signingKey.getPrivate().getEncoded())
                + "\n-----END PRIVATE KEY-----\n");
        apns = new MockApns(signingKey.getPublic(), TEAM_ID, KEY_ID, eventLoop);
        transport = new ApnsTransport(client(apns.port()).build(), BUNDLE_ID);
    }

    private static ApnsClientBuilder client(int port) throws Exception {
        return ApnsTransport.clientBuilder("localhost", port, p8, TEAM_ID, KEY_ID)
                .setTrustedServerCertificateChain(apns.certificate)
                .setEventLoopGroup(eventLoop)
                .setConnectionTimeout(Duration.ofSeconds(2));
    }

    @AfterAll
    static void stop() throws Exception {
        transport.close();
        apns.close();
        eventLoop.shutdownGracefully(0, 1, TimeUnit.SECONDS).get(5, TimeUnit.SECONDS);
    }

    private static SendResult send(ApnsTransport transport, String messageId, String token) throws Exception {
        return transport.send(PushMessages.push(messageId, PushPlatform.IOS, token)).get(5, TimeUnit.SECONDS);
    }

    private static SendResult send(String token) throws Exception {
        return send(transport, "m-" + token, token);
    }

    @Test
    void acceptedNotificationIsDeliveredWithAStableApnsIdTheBundleTopicAndTheMessageIdInThePayload() throws Exception {
        SendResult first = send(transport, "m-accepted", MockApns.OK);
        SendResult retry = send(transport, "m-accepted", MockApns.OK);

        UUID apnsId = ApnsTransport.apnsId("m-accepted");
        assertThat(first.kind()).isEqualTo(Kind.DELIVERED);
        assertThat(first.providerCode()).isEqualTo("200");
        assertThat(first.detail()).isEqualTo(apnsId.toString());
        assertThat(retry.detail()).isEqualTo(first.detail());
        MockApns.Request request = apns.requests.stream()
                .filter(r -> r.apnsId().equalsIgnoreCase(apnsId.toString())).findFirst().orElseThrow();
        assertThat(request.token()).isEqualTo(MockApns.OK);
        assertThat(request.topic()).isEqualTo(BUNDLE_ID);
        assertThat(request.pushType()).isEqualTo("alert");
        assertThat(request.payload().path("aps").path("alert").path("title").asText()).isEqualTo("Spring sale");
        assertThat(request.payload().path("aps").path("alert").path("body").asText()).isEqualTo("20% off until Sunday");
        assertThat(request.payload().path("deeplink").asText()).isEqualTo("herald://sale");
        assertThat(request.payload().path("herald_message_id").asText()).isEqualTo("m-accepted");
    }

    @Test
    void apnsIdIsANameBasedUuidOfTheMessageId() {
        UUID id = ApnsTransport.apnsId("run-1:r-42:PUSH:token");

        assertThat(id.version()).isEqualTo(3);
        assertThat(id).isEqualTo(ApnsTransport.apnsId("run-1:r-42:PUSH:token"));
        assertThat(id).isNotEqualTo(ApnsTransport.apnsId("run-1:r-43:PUSH:token"));
    }

    @Test
    void unregisteredTokenIsARejectedTarget() throws Exception {
        SendResult result = send(MockApns.UNREGISTERED);

        assertThat(result.kind()).isEqualTo(Kind.REJECTED_TARGET);
        assertThat(result.providerCode()).isEqualTo("410 Unregistered");
        assertThat(result.detail()).contains("token invalid since 2026-12-01T00:00:00Z");
    }

    @Test
    void badDeviceTokenAndTokenNotForTopicAreRejectedTargets() throws Exception {
        SendResult bad = send("c".repeat(64));
        SendResult otherTopic = send("d".repeat(64));

        assertThat(bad.kind()).isEqualTo(Kind.REJECTED_TARGET);
        assertThat(bad.providerCode()).isEqualTo("400 BadDeviceToken");
        assertThat(otherTopic.kind()).isEqualTo(Kind.REJECTED_TARGET);
        assertThat(otherTopic.providerCode()).isEqualTo("400 DeviceTokenNotForTopic");
    }

    @Test
    void rateLimitUnavailabilityInternalErrorsAndShutdownAreTransient() throws Exception {
        assertThat(send("e".repeat(64))).satisfies(r -> {
            assertThat(r.kind()).isEqualTo(Kind.TRANSIENT);
            assertThat(r.providerCode()).isEqualTo("429 TooManyRequests");
            assertThat(r.retryAfter()).isNull();
        });
        assertThat(send("f".repeat(64))).satisfies(r -> {
            assertThat(r.kind()).isEqualTo(Kind.TRANSIENT);
            assertThat(r.providerCode()).isEqualTo("503 ServiceUnavailable");
        });
        assertThat(send("0".repeat(64))).satisfies(r -> {
            assertThat(r.kind()).isEqualTo(Kind.TRANSIENT);
            assertThat(r.providerCode()).isEqualTo("500 InternalServerError");
        });
        assertThat(send("1".repeat(64))).satisfies(r -> {
            assertThat(r.kind()).isEqualTo(Kind.TRANSIENT);
            assertThat(r.providerCode()).isEqualTo("503 Shutdown");
        });
    }

    @Test
    void expiredProviderTokenIsTransient() throws Exception {
        SendResult result = send("3".repeat(64));

        assertThat(result.kind()).isEqualTo(Kind.TRANSIENT);
        assertThat(result.providerCode()).isEqualTo("403 ExpiredProviderToken");
    }

    @Test
    void otherRejectionsArePermanent() throws Exception {
        SendResult result = send("2".repeat(64));

        assertThat(result.kind()).isEqualTo(Kind.PERMANENT);
        assertThat(result.providerCode()).isEqualTo("413 PayloadTooLarge");
    }

    @Test
    void aSigningKeyApnsDoesNotKnowIsPermanent() throws Exception {
        KeyPairGenerator ec = KeyPairGenerator.getInstance("EC");
        ec.initialize(new ECGenParameterSpec("secp256r1"));
        Path strangerKey = dir.resolve("stranger.p8");
        Files.writeString(strangerKey, "-----BEGIN PRIVATE KEY-----\n"
                + Base64.getEncoder().encodeToString(ec.generateKeyPair().getPrivate().getEncoded())
                + "\n-----END PRIVATE KEY-----\n");
        ApnsTransport stranger = new ApnsTransport(
                ApnsTransport.clientBuilder("localhost", apns.port(), strangerKey, TEAM_ID, KEY_ID)
                        .setTrustedServerCertificateChain(apns.certificate).setEventLoopGroup(eventLoop).build(), BUNDLE_ID);
        try {
            SendResult result = send(stranger, "m-stranger", MockApns.OK);

            assertThat(result.kind()).isEqualTo(Kind.PERMANENT);
            assertThat(result.providerCode()).isEqualTo("403 InvalidProviderToken");
        } finally {
            stranger.close();
        }
    }

    @Test
    void connectionFailureIsTransient() throws Exception {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = socket.getLocalPort();
        }
        ApnsTransport unreachable = new ApnsTransport(client(closedPort).build(), BUNDLE_ID);
        try {
            SendResult result = send(unreachable, "m-unreachable", MockApns.OK);

            assertThat(result.kind()).isEqualTo(Kind.TRANSIENT);
            assertThat(result.providerCode()).isNull();
            assertThat(result.detail()).startsWith("not sent: ");
        } finally {
            unreachable.close();
        }
    }
}

package dev.herald.sender.push;

import com.eatthepath.pushy.apns.server.MockApnsServer;
import com.eatthepath.pushy.apns.server.MockApnsServerBuilder;
import com.eatthepath.pushy.apns.server.PushNotificationHandler;
import com.eatthepath.pushy.apns.server.RejectedNotificationException;
import com.eatthepath.pushy.apns.server.RejectionReason;
import com.eatthepath.pushy.apns.server.UnregisteredDeviceTokenException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.netty.handler.codec.http2.Http2Headers;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PublicKey;
import java.security.Signature;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/**
 * Pushy's mock APNs server over TLS with a self-signed certificate for {@code localhost}, with a handler that checks
 * the provider token (an ES256 JWT) against the signing key's public half, then answers by device token:
 * {@link #REJECTIONS} name the tokens it rejects and why ({@link #UNREGISTERED} answers 410 with a timestamp),
 * any other token is accepted.
 */
final class MockApns implements AutoCloseable {

    static final String OK = "a".repeat(64);
    static final String UNREGISTERED = "b".repeat(64);
    static final Map<String, RejectionReason> REJECTIONS = Map.of(
            "c".repeat(64), RejectionReason.BAD_DEVICE_TOKEN,
            "d".repeat(64), RejectionReason.DEVICE_TOKEN_NOT_FOR_TOPIC,
            "e".repeat(64), RejectionReason.TOO_MANY_REQUESTS,
            "f".repeat(64), RejectionReason.SERVICE_UNAVAILABLE,
            "0".repeat(64), RejectionReason.INTERNAL_SERVER_ERROR,
            "1".repeat(64), RejectionReason.SHUTDOWN,
            "2".repeat(64), RejectionReason.PAYLOAD_TOO_LARGE,
            "3".repeat(64), RejectionReason.EXPIRED_PROVIDER_TOKEN);

    record Request(String token, String apnsId, String topic, String pushType, JsonNode payload) {
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    final X509Certificate certificate;
    final List<Request> requests = new CopyOnWriteArrayList<>();
    private final MockApnsServer server;
    private final int port;
    private final PublicKey providerKey;
    private final String teamId;
    private final String keyId;

    MockApns(PublicKey providerKey, String teamId, String keyId, io.netty.channel.EventLoopGroup eventLoop) throws Exception {
        this.providerKey = providerKey;
        this.teamId = teamId;
        this.keyId = keyId;
        KeyPairGenerator ec = KeyPairGenerator.getInstance("EC");
        ec.initialize(new ECGenParameterSpec("secp256r1"));
        KeyPair tlsKey = ec.generateKeyPair();
        certificate = selfSigned(tlsKey);
        server = new MockApnsServerBuilder()
                .setServerCredentials(new X509Certificate[]{certificate}, tlsKey.getPrivate(), null)
                .setHandlerFactory(sslSession -> handler())
                .setEventLoopGroup(eventLoop)
                .build();
        port = server.start(0).get(5, TimeUnit.SECONDS);
    }

    int port() {
        return port;
    }

    private static X509Certificate selfSigned(KeyPair key) throws Exception {
        X500Name name = new X500Name("CN=localhost");
        Instant now = Instant.now();
        JcaX509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(name, BigInteger.valueOf(now.toEpochMilli()),
                Date.from(now.minusSeconds(60)), Date.from(now.plusSeconds(3600)), name, key.getPublic());
        builder.addExtension(Extension.subjectAlternativeName, false,
                new GeneralNames(new GeneralName(GeneralName.dNSName, "localhost")));
        return new JcaX509CertificateConverter().getCertificate(
                builder.build(new JcaContentSignerBuilder("SHA256withECDSA").build(key.getPrivate())));
    }

    private PushNotificationHandler handler() {
        return (Http2Headers headers, io.netty.buffer.ByteBuf payload) -> {
            verifyProviderToken(String.valueOf(headers.get("authorization")));
            String path = String.valueOf(headers.path());
            String token = path.substring(path.lastIndexOf('/') + 1);
            try {
                requests.add(new Request(token, String.valueOf(headers.get("apns-id")), String.valueOf(headers.get("apns-topic")),
                        String.valueOf(headers.get("apns-push-type")), JSON.readTree(payload.toString(StandardCharsets.UTF_8))));
            } catch (java.io.IOException e) {
                throw new RejectedNotificationException(RejectionReason.PAYLOAD_EMPTY);
            }
            if (token.equals(UNREGISTERED)) {
                throw new UnregisteredDeviceTokenException(Instant.parse("2026-12-01T00:00:00Z"));
            }
            RejectionReason rejection = REJECTIONS.get(token);
            if (rejection != null) {
                throw new RejectedNotificationException(rejection);
            }
        };
    }

    /** Apple's check of the provider token: an ES256 JWT from the team, with the key's id, signed by the key. */
    private void verifyProviderToken(String authorization) throws RejectedNotificationException {
        if (!authorization.startsWith("bearer ")) {
            throw new RejectedNotificationException(RejectionReason.MISSING_PROVIDER_TOKEN);
        }
        String[] jwt = authorization.substring("bearer ".length()).split("\\.");
        try {
            JsonNode header = JSON.readTree(Base64.getUrlDecoder().decode(jwt[0]));
            JsonNode claims = JSON.readTree(Base64.getUrlDecoder().decode(jwt[1]));
            byte[] signature = Base64.getUrlDecoder().decode(jwt[2]);
            // JWS's ES256 is R||S (64 bytes); Pushy 0.15 sends the DER encoding the JDK signs in: accept both.
            Signature es256 = Signature.getInstance(signature.length == 64 ? "SHA256withECDSAinP1363Format" : "SHA256withECDSA");
            es256.initVerify(providerKey);
            es256.update((jwt[0] + "." + jwt[1]).getBytes(StandardCharsets.US_ASCII));
            if (es256.verify(signature)
                    && "ES256".equals(header.path("alg").asText()) && keyId.equals(header.path("kid").asText())
                    && teamId.equals(claims.path("iss").asText())) {
                return;
            }
        } catch (Exception invalid) {
            // Falls through to the rejection.
        }
        throw new RejectedNotificationException(RejectionReason.INVALID_PROVIDER_TOKEN);
    }

    @Override
    public void close() throws Exception {
        server.shutdown().get(5, TimeUnit.SECONDS);
    }
}

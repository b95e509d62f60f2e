package dev.herald.sender.push;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.herald.avro.PushPlatform;
import dev.herald.sender.SendResult;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PublicKey;
import java.security.Signature;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The JWT bearer exchange against a local token endpoint that checks the JWT with the service account's public key. */
class GoogleServiceAccountTokensTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String CLIENT_EMAIL = "herald-sender@herald-test.iam.gserviceaccount.com";

    private static KeyPair serviceAccountKey;
    private static HttpServer tokenEndpoint;
    private static final List<JsonNode> verifiedClaims = new CopyOnWriteArrayList<>();
    private static final AtomicInteger issued = new AtomicInteger();
    private static volatile int answerStatus = 200;
    private static volatile long expiresIn = 3599;

    /** A clock the tests move. */
    private static final class MutableClock extends Clock {
        volatile Instant now = Instant.parse("2026-12-03T12:00:00Z");

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }

    @BeforeAll
    static void start() throws Exception {
        KeyPairGenerator rsa = KeyPairGenerator.getInstance("RSA");
        rsa.initialize(2048);
        serviceAccountKey = rsa.generateKeyPair();
        tokenEndpoint = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        tokenEndpoint.createContext("/token", GoogleServiceAccountTokensTest::exchange);
        tokenEndpoint.start();
    }

    @AfterAll
    static void stop() {
        tokenEndpoint.stop(0);
    }

    @BeforeEach
    void reset() {
        verifiedClaims.clear();
        answerStatus = 200;
        expiresIn = 3599;
    }

    private static URI tokenUri() {
        return URI.create("http://127.0.0.1:" + tokenEndpoint.getAddress().getPort() + "/token");
    }

    /** Google's token endpoint, as far as the JWT bearer grant goes: verifies the assertion, issues a token. */
    private static void exchange(HttpExchange exchange) throws IOException {
        try (exchange) {
            Map<String, String> form = new HashMap<>();
            for (String pair : new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8).split("&")) {
                String[] kv = pair.split("=", 2);
                form.put(URLDecoder.decode(kv[0], StandardCharsets.UTF_8), URLDecoder.decode(kv[1], StandardCharsets.UTF_8));
            }
            if (answerStatus != 200) {
                answer(exchange, answerStatus, "{\"error\":\"server_error\"}");
                return;
            }
            if (!"urn:ietf:params:oauth:grant-type:jwt-bearer".equals(form.get("grant_type"))) {
                answer(exchange, 400, "{\"error\":\"unsupported_grant_type\"}");
                return;
            }
            String[] jwt = form.getOrDefault("assertion", "").split("\\.");
            if (jwt.length != 3 || !verifies(serviceAccountKey.getPublic(), jwt)) {
                answer(exchange, 400, "{\"error\":\"invalid_grant\",\"error_description\":\"Invalid JWT Signature.\"}");
                return;
            }
            JsonNode header = JSON.readTree(Base64.getUrlDecoder().decode(jwt[0]));
            JsonNode claims = JSON.readTree(Base64.getUrlDecoder().decode(jwt[1]));
            if (!"RS256".equals(header.path("alg").asText())) {
                answer(exchange, 400, "{\"error\":\"invalid_grant\"}");
                return;
            }
            verifiedClaims.add(claims);
            answer(exchange, 200, "{\"access_token\":\"ya29.token-" + issued.incrementAndGet() + "\",\"expires_in\":"
                    + expiresIn + ",\"token_type\":\"Bearer\"}");
        } catch (Exception e) {
            throw new IOException(e);
        }
    }

    private static boolean verifies(PublicKey key, String[] jwt) throws Exception {
        Signature rs256 = Signature.getInstance("SHA256withRSA");
        rs256.initVerify(key);
        rs256.update((jwt[0] + "." + jwt[1]).getBytes(StandardCharsets.US_ASCII));
        return rs256.verify(Base64.getUrlDecoder().decode(jwt[2]));
    }

    private static void answer(HttpExchange exchange, int status, String json) throws IOException {
        byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
    }

    private static String serviceAccountJson(KeyPair key) {
        String pem = "-----BEGIN PRIVATE KEY-----\n"
                + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(key.getPrivate().getEncoded())
                + "\n-----END PRIVATE KEY-----\n";
        return JSON.createObjectNode()
                .put("type", "service_account")
                .put("project_id", "herald-test")
                .put("private_key_id", "key-1")
                .put("private_key", pem)
                .put("client_email", CLIENT_EMAIL)
                .put("token_uri", tokenUri().toString())
                .toString();
    }

    private static GoogleServiceAccountTokens tokens(KeyPair key, Clock clock) throws IOException {
        return GoogleServiceAccountTokens.fromJson(serviceAccountJson(key), HttpClient.newHttpClient(),
                Duration.ofSeconds(2), clock);
    }

    @Test
    void exchangesASignedJwtForAnAccessTokenWithTheFcmScope() throws Exception {
        MutableClock clock = new MutableClock();

        String token = tokens(serviceAccountKey, clock).accessToken().get(5, TimeUnit.SECONDS);

        assertThat(token).startsWith("ya29.token-");
        assertThat(verifiedClaims).hasSize(1);
        JsonNode claims = verifiedClaims.get(0);
        assertThat(claims.path("iss").asText()).isEqualTo(CLIENT_EMAIL);
        assertThat(claims.path("scope").asText()).isEqualTo("https://www.googleapis.com/auth/firebase.messaging");
        assertThat(claims.path("aud").asText()).isEqualTo(tokenUri().toString());
        assertThat(claims.path("iat").asLong()).isEqualTo(clock.now.getEpochSecond());
        assertThat(claims.path("exp").asLong()).isEqualTo(clock.now.getEpochSecond() + 3600);
    }

    @Test
    void cachesTheTokenUntilShortlyBeforeItExpires() throws Exception {
        MutableClock clock = new MutableClock();
        expiresIn = 600;
        GoogleServiceAccountTokens tokens = tokens(serviceAccountKey, clock);

        String first = tokens.accessToken().get(5, TimeUnit.SECONDS);
        clock.now = clock.now.plusSeconds(500);
        String cached = tokens.accessToken().get(5, TimeUnit.SECONDS);
        clock.now = clock.now.plusSeconds(41); // 59 s before expiry: inside the refresh margin
        String refreshed = tokens.accessToken().get(5, TimeUnit.SECONDS);

        assertThat(cached).isEqualTo(first);
        assertThat(refreshed).isNotEqualTo(first);
        assertThat(verifiedClaims).hasSize(2);
    }

    @Test
    void concurrentCallersShareOneExchangeAndInvalidateForcesANewOne() throws Exception {
        GoogleServiceAccountTokens tokens = tokens(serviceAccountKey, new MutableClock());

        CompletableFuture<String> a = tokens.accessToken();
        CompletableFuture<String> b = tokens.accessToken();
        assertThat(a.get(5, TimeUnit.SECONDS)).isEqualTo(b.get(5, TimeUnit.SECONDS));
        tokens.invalidate(a.join());
        String next = tokens.accessToken().get(5, TimeUnit.SECONDS);

        assertThat(next).isNotEqualTo(a.join());
        assertThat(verifiedClaims).hasSize(2);
    }

    @Test
    void aKeyTheEndpointDoesNotKnowIsRefusedForGood() throws Exception {
        KeyPairGenerator rsa = KeyPairGenerator.getInstance("RSA");
        rsa.initialize(2048);
        GoogleServiceAccountTokens stranger = tokens(rsa.generateKeyPair(), new MutableClock());

        assertThatThrownBy(() -> stranger.accessToken().get(5, TimeUnit.SECONDS))
                .isInstanceOf(ExecutionException.class)
                .cause().isInstanceOfSatisfying(AccessTokens.AccessTokenException.class, e -> {
                    assertThat(e.retryable()).isFalse();
                    assertThat(e.getMessage()).contains("400").contains("Invalid JWT Signature");
                });
    }

    @Test
    void anEndpointErrorIsRetryableAndNotCached() throws Exception {
        GoogleServiceAccountTokens tokens = tokens(serviceAccountKey, new MutableClock());
        answerStatus = 503;

        assertThatThrownBy(() -> tokens.accessToken().get(5, TimeUnit.SECONDS))
                .cause().isInstanceOfSatisfying(AccessTokens.AccessTokenException.class,
                        e -> assertThat(e.retryable()).isTrue());
        answerStatus = 200;
        assertThat(tokens.accessToken().get(5, TimeUnit.SECONDS)).startsWith("ya29.token-");
    }

    @Test
    void fcmTransportSendsWithTheExchangedToken() throws Exception {
        GoogleServiceAccountTokens tokens = tokens(serviceAccountKey, new MutableClock());
        try (FakeFcm fcm = new FakeFcm()) {
            fcm.bearer = tokens.accessToken().get(5, TimeUnit.SECONDS);
            try (FcmTransport transport = new FcmTransport(fcm.baseUrl(), "herald-test", tokens,
                    FcmTransport.defaultHttpClient(Duration.ofSeconds(1)), Duration.ofSeconds(2), Clock.systemUTC())) {

            SendResult result = transport.send(PushMessages.push("m-1", PushPlatform.ANDROID, "ok-1"))
                    .get(5, TimeUnit.SECONDS);

            assertThat(result.kind()).isEqualTo(SendResult.Kind.DELIVERED);
            assertThat(fcm.requests.get(0).authorization()).isEqualTo("Bearer " + fcm.bearer);
            }
        }
    }
}

package dev.herald.sender.push;

import dev.herald.avro.PushPlatform;
import dev.herald.sender.SendResult;
import dev.herald.sender.SendResult.Kind;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

class FcmTransportTest {

    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-12-03T12:00:00Z"), ZoneOffset.UTC);

    private static FakeFcm fcm;
    private static FcmTransport transport;
    /** Every transport made here: each owns a started HTTP client, stopped after the class. */
    private static final List<FcmTransport> made = new ArrayList<>();

    @BeforeAll
    static void start() throws Exception {
        fcm = new FakeFcm();
        transport = transport(fcm.baseUrl(), AccessTokens.fixed("test-access-token"), Duration.ofSeconds(1));
    }

    @AfterAll
    static void stop() {
        made.forEach(FcmTransport::close);
        fcm.close();
    }

    private static FcmTransport transport(URI baseUrl, AccessTokens tokens, Duration timeout) {
        return transport(baseUrl, "herald-test", tokens, timeout);
    }

    private static FcmTransport transport(URI baseUrl, String project, AccessTokens tokens, Duration timeout) {
        FcmTransport t = new FcmTransport(baseUrl, project, tokens, FcmTransport.defaultHttpClient(Duration.ofSeconds(1)),
                timeout, CLOCK);
        made.add(t);
        return t;
    }

    private static SendResult send(FcmTransport transport, String token) throws Exception {
        return transport.send(PushMessages.push("m-" + token, PushPlatform.ANDROID, token)).get(5, TimeUnit.SECONDS);
    }

    @Test
    void acceptedMessageIsDeliveredWithItsNameAndCarriesTheMessageIdInData() throws Exception {
        SendResult result = send(transport, "ok-1");

        assertThat(result.kind()).isEqualTo(Kind.DELIVERED);
        assertThat(result.providerCode()).isEqualTo("200");
        assertThat(result.detail()).startsWith("projects/herald-test/messages/0:");
        FakeFcm.Request request = fcm.requests.stream()
                .filter(r -> r.body().path("message").path("token").asText().equals("ok-1")).findFirst().orElseThrow();
        assertThat(request.path()).isEqualTo("/v1/projects/herald-test/messages:send");
        assertThat(request.authorization()).isEqualTo("Bearer test-access-token");
        assertThat(request.body().path("message").path("notification").path("title").asText()).isEqualTo("Spring sale");
        assertThat(request.body().path("message").path("notification").path("body").asText()).isEqualTo("20% off until Sunday");
        assertThat(request.body().path("message").path("data").path("deeplink").asText()).isEqualTo("herald://sale");
        assertThat(request.body().path("message").path("data").path("herald_message_id").asText()).isEqualTo("m-ok-1");
    }

    @Test
    void unregisteredTokenIsARejectedTarget() throws Exception {
        SendResult result = send(transport, FakeFcm.UNREGISTERED);

        assertThat(result.kind()).isEqualTo(Kind.REJECTED_TARGET);
        assertThat(result.providerCode()).isEqualTo("404 UNREGISTERED");
        assertThat(result.detail()).isEqualTo("Requested entity was not found.");
    }

    @Test
    void invalidRegistrationTokenIsARejectedTarget() throws Exception {
        SendResult result = send(transport, FakeFcm.INVALID_TOKEN);

        assertThat(result.kind()).isEqualTo(Kind.REJECTED_TARGET);
        assertThat(result.providerCode()).isEqualTo("400 INVALID_ARGUMENT");
        assertThat(result.detail()).contains("not a valid FCM registration token");
    }

    @Test
    void invalidArgumentAboutTheMessageIsPermanent() throws Exception {
        SendResult result = send(transport, FakeFcm.MALFORMED);

        assertThat(result.kind()).isEqualTo(Kind.PERMANENT);
        assertThat(result.providerCode()).isEqualTo("400 INVALID_ARGUMENT");
    }

    @Test
    void quotaExceededIsTransientWithRetryAfterSeconds() throws Exception {
        SendResult result = send(transport, FakeFcm.RATE_LIMITED);

        assertThat(result.kind()).isEqualTo(Kind.TRANSIENT);
        assertThat(result.providerCode()).isEqualTo("429 QUOTA_EXCEEDED");
        assertThat(result.retryAfter()).isEqualTo(Duration.ofSeconds(30));
    }

    @Test
    void quotaExceededIsTransientWithRetryAfterAsAnHttpDate() throws Exception {
        SendResult result = send(transport, FakeFcm.RATE_LIMITED_DATE);

        assertThat(result.kind()).isEqualTo(Kind.TRANSIENT);
        assertThat(result.retryAfter()).isEqualTo(Duration.ofSeconds(60));
    }

    @Test
    void unavailableIsTransientWithRetryAfter() throws Exception {
        SendResult result = send(transport, FakeFcm.UNAVAILABLE);

        assertThat(result.kind()).isEqualTo(Kind.TRANSIENT);
        assertThat(result.providerCode()).isEqualTo("503 UNAVAILABLE");
        assertThat(result.retryAfter()).isEqualTo(Duration.ofSeconds(5));
    }

    @Test
    void internalErrorIsTransientWithoutRetryAfter() throws Exception {
        SendResult result = send(transport, FakeFcm.INTERNAL);

        assertThat(result.kind()).isEqualTo(Kind.TRANSIENT);
        assertThat(result.providerCode()).isEqualTo("500 INTERNAL");
        assertThat(result.retryAfter()).isNull();
    }

    @Test
    void senderIdMismatchIsPermanentNotTheTokensFault() throws Exception {
        SendResult result = send(transport, FakeFcm.SENDER_MISMATCH);

        assertThat(result.kind()).isEqualTo(Kind.PERMANENT);
        assertThat(result.providerCode()).isEqualTo("403 SENDER_ID_MISMATCH");
    }

    @Test
    void refusedCredentialsArePermanentAndTheTokenIsInvalidated() throws Exception {
        CompletableFuture<String> invalidated = new CompletableFuture<>();
        AccessTokens wrong = new AccessTokens() {
            @Override
            public CompletableFuture<String> accessToken() {
                return CompletableFuture.completedFuture("expired-token");
            }

            @Override
            public void invalidate(String token) {
                invalidated.complete(token);
            }
        };

        SendResult result = send(transport(fcm.baseUrl(), wrong, Duration.ofSeconds(1)), "ok-2");

        assertThat(result.kind()).isEqualTo(Kind.PERMANENT);
        assertThat(result.providerCode()).isEqualTo("401 UNAUTHENTICATED");
        assertThat(invalidated).isCompletedWithValue("expired-token");
    }

    @Test
    void notFoundWithoutUnregisteredIsPermanentNotTheTokensFault() throws Exception {
        FcmTransport wrongProject = transport(fcm.baseUrl(), "no-such-project", AccessTokens.fixed("test-access-token"),
                Duration.ofSeconds(1));

        SendResult result = send(wrongProject, "ok-6");

        assertThat(result.kind()).isEqualTo(Kind.PERMANENT);
        assertThat(result.providerCode()).isEqualTo("404 NOT_FOUND");
    }

    @Test
    void timeoutIsTransient() throws Exception {
        SendResult result = send(transport(fcm.baseUrl(), AccessTokens.fixed("test-access-token"), Duration.ofMillis(300)),
                FakeFcm.SLOW);

        assertThat(result.kind()).isEqualTo(Kind.TRANSIENT);
        assertThat(result.providerCode()).isNull();
        assertThat(result.detail()).containsIgnoringCase("timeout");
    }

    @Test
    void connectionRefusedIsTransient() throws Exception {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = socket.getLocalPort();
        }

        SendResult result = send(transport(URI.create("http://127.0.0.1:" + closedPort),
                AccessTokens.fixed("test-access-token"), Duration.ofSeconds(1)), "ok-3");

        assertThat(result.kind()).isEqualTo(Kind.TRANSIENT);
        assertThat(result.detail()).contains("ConnectException");
    }

    @Test
    void noAccessTokenIsTransientOrPermanentAsTheTokenFailureSays() throws Exception {
        AccessTokens down = () -> CompletableFuture.failedFuture(
                new AccessTokens.AccessTokenException("token endpoint unreachable", true, null));
        AccessTokens refused = () -> CompletableFuture.failedFuture(
                new AccessTokens.AccessTokenException("token endpoint answered 400: invalid_grant", false, null));

        SendResult retried = send(transport(fcm.baseUrl(), down, Duration.ofSeconds(1)), "ok-4");
        SendResult failed = send(transport(fcm.baseUrl(), refused, Duration.ofSeconds(1)), "ok-5");

        assertThat(retried.kind()).isEqualTo(Kind.TRANSIENT);
        assertThat(retried.providerCode()).isEqualTo("oauth");
        assertThat(failed.kind()).isEqualTo(Kind.PERMANENT);
        assertThat(failed.detail()).contains("invalid_grant");
    }

    @Test
    void retryAfterParsesSecondsAndDatesAndIgnoresGarbage() {
        assertThat(RetryAfter.parse("120", CLOCK)).isEqualTo(Duration.ofMinutes(2));
        assertThat(RetryAfter.parse("Thu, 03 Dec 2026 11:59:00 GMT", CLOCK)).isEqualTo(Duration.ZERO);
        assertThat(RetryAfter.parse("soon", CLOCK)).isNull();
        assertThat(RetryAfter.parse(null, CLOCK)).isNull();
    }
}

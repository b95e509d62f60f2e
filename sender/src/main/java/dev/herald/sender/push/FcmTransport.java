package dev.herald.sender.push;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.herald.avro.PushMessage;
import dev.herald.sender.SendResult;
import dev.herald.sender.Transport;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.client.api.Result;
import org.eclipse.jetty.client.dynamic.HttpClientTransportDynamic;
import org.eclipse.jetty.client.http.HttpClientConnectionFactory;
import org.eclipse.jetty.client.util.BufferingResponseListener;
import org.eclipse.jetty.client.util.StringRequestContent;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpMethod;
import org.eclipse.jetty.http2.client.HTTP2Client;
import org.eclipse.jetty.http2.client.http.ClientConnectionFactoryOverHTTP2;
import org.eclipse.jetty.io.ClientConnector;
import org.eclipse.jetty.util.ssl.SslContextFactory;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

/**
 * Sends push messages to Android and web tokens through Firebase Cloud Messaging's HTTP v1 API.
 *
 * <p>One {@code POST {baseUrl}/v1/projects/{projectId}/messages:send} per message, asynchronous, with
 * {@code Authorization: Bearer} from {@link AccessTokens}, on Jetty's HTTP client: HTTP/2 over TLS (ALPN), many
 * messages multiplexed on one connection, as Google serves it (HTTP/1.1 only for a plain {@code http://} test
 * endpoint). Not the JDK's client: on 2 cores it spent about 0.6 ms of CPU per request over HTTP/2 and TLS, a
 * tenth of what the providers' target needs (measured by the benchmark harness's sender case). The body is
 * {@code {"message":{"token":…,"notification":{"title":…,"body":…},"data":{…,"herald_message_id":…}}}}: the message's
 * data plus its id, so the app can drop a duplicate after a retry.
 *
 * <p>Classification (Google's documented FCM v1 errors; providerCode is {@code "<status> <errorCode>"}, the errorCode
 * from the {@code FcmError} detail, else the error's {@code status}):
 * <table>
 *   <caption>FCM answers</caption>
 *   <tr><th>answer</th><th>result</th></tr>
 *   <tr><td>200</td><td>DELIVERED, providerCode {@code "200"}, detail the message name</td></tr>
 *   <tr><td>404 {@code UNREGISTERED}</td><td>REJECTED_TARGET</td></tr>
 *   <tr><td>400 {@code INVALID_ARGUMENT} about the registration token (a {@code BadRequest} field violation on
 *       {@code message.token}, or a message naming the registration token)</td><td>REJECTED_TARGET</td></tr>
 *   <tr><td>400 {@code INVALID_ARGUMENT} about anything else</td><td>PERMANENT</td></tr>
 *   <tr><td>429 {@code QUOTA_EXCEEDED} / {@code RESOURCE_EXHAUSTED}</td><td>TRANSIENT, retryAfter from
 *       {@code Retry-After} (seconds or HTTP-date)</td></tr>
 *   <tr><td>500 {@code INTERNAL}, 503 {@code UNAVAILABLE}, any 5xx</td><td>TRANSIENT, retryAfter if given</td></tr>
 *   <tr><td>401 (also invalidates the cached access token), 403 ({@code THIRD_PARTY_AUTH_ERROR},
 *       {@code SENDER_ID_MISMATCH}, {@code PERMISSION_DENIED})</td><td>PERMANENT: a configuration problem, not the
 *       token's (a wrong project id answers SENDER_ID_MISMATCH for every token, which must not kill them all)</td></tr>
 *   <tr><td>any other status</td><td>PERMANENT</td></tr>
 *   <tr><td>connection failure, timeout</td><td>TRANSIENT, providerCode null</td></tr>
 *   <tr><td>no access token: endpoint unreachable / credentials refused</td><td>TRANSIENT / PERMANENT, providerCode
 *       {@code "oauth"}</td></tr>
 * </table>
 */
public final class FcmTransport implements Transport<PushMessage> {

    public static final URI DEFAULT_BASE_URL = URI.create("https://fcm.googleapis.com");
    public static final String MESSAGE_ID_KEY = "herald_message_id";

    private static final ObjectMapper JSON = new ObjectMapper();
    /** Google's answers are a few hundred bytes; anything longer is cut (the classification needs the start). */
    private static final int MAX_ANSWER_BYTES = 64 * 1024;

    private final URI sendUri;
    private final AccessTokens tokens;
    private final HttpClient http;
    private final Duration requestTimeout;
    private final Clock clock;

    /**
     * @param baseUrl        {@link #DEFAULT_BASE_URL} in production
     * @param projectId      the Firebase project id
     * @param tokens         access tokens, {@link GoogleServiceAccountTokens} in production
     * @param http           a started client, e.g. {@link #defaultHttpClient(Duration)}; the transport stops it on close
     * @param requestTimeout each request's timeout (a timeout is TRANSIENT)
     * @param clock          to turn a Retry-After date into a delay
     */
    public FcmTransport(URI baseUrl, String projectId, AccessTokens tokens, HttpClient http, Duration requestTimeout,
                        Clock clock) {
        Objects.requireNonNull(baseUrl, "baseUrl");
        Objects.requireNonNull(projectId, "projectId");
        String base = baseUrl.toString().replaceAll("/+$", "");
        this.sendUri = URI.create(base + "/v1/projects/" + projectId + "/messages:send");
        this.tokens = Objects.requireNonNull(tokens, "tokens");
        this.http = Objects.requireNonNull(http, "http");
        this.requestTimeout = Objects.requireNonNull(requestTimeout, "requestTimeout");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** Production defaults: Google's endpoint, a 10 s request timeout, a new HTTP/2 client. */
    public FcmTransport(String projectId, AccessTokens tokens) {
        this(DEFAULT_BASE_URL, projectId, tokens, defaultHttpClient(Duration.ofSeconds(10)), Duration.ofSeconds(10),
                Clock.systemUTC());
    }

    /**
     * A started client that speaks HTTP/2 over TLS (negotiated by ALPN, trusting the JVM's default trust store) and
     * HTTP/1.1 in clear text, on daemon threads, with a connect timeout.
     */
    public static HttpClient defaultHttpClient(Duration connectTimeout) {
        ClientConnector connector = new ClientConnector();
        connector.setSslContextFactory(new SslContextFactory.Client());
        connector.setConnectTimeout(connectTimeout);
        QueuedThreadPool threads = new QueuedThreadPool(16, 2);
        threads.setName("herald-fcm");
        threads.setDaemon(true);
        connector.setExecutor(threads);
        // HTTP/1.1 first: a clear-text URL then uses it; over TLS both are offered and the server picks (h2).
        HttpClient client = new HttpClient(new HttpClientTransportDynamic(connector,
                HttpClientConnectionFactory.HTTP11, new ClientConnectionFactoryOverHTTP2.HTTP2(new HTTP2Client(connector))));
        client.setExecutor(threads);
        client.setFollowRedirects(false);
        client.setMaxRequestsQueuedPerDestination(100_000);
        try {
            client.start();
        } catch (Exception e) {
            throw new IllegalStateException("could not start the FCM HTTP client: " + e, e);
        }
        // Installed by start(). FCM's 401 carries no WWW-Authenticate challenge, which the authentication handler
        // would call a protocol violation: the transport classifies every status itself.
        client.getProtocolHandlers().clear();
        return client;
    }

    @Override
    public String name() {
        return "fcm";
    }

    /** Stops the HTTP client: requests still in flight fail (and their messages are retried by the sender). */
    @Override
    public void close() {
        try {
            http.stop();
        } catch (Exception e) {
            // Stopping is best effort: its threads are daemons.
        }
    }

    URI sendUri() {
        return sendUri;
    }

    @Override
    public CompletableFuture<SendResult> send(PushMessage message) {
        String body = requestBody(message);
        return tokens.accessToken()
                .thenCompose(token -> post(token, body))
                .exceptionally(FcmTransport::classifyFailure);
    }

    private CompletableFuture<SendResult> post(String token, String body) {
        CompletableFuture<SendResult> answer = new CompletableFuture<>();
        http.newRequest(sendUri)
                .method(HttpMethod.POST)
                .timeout(requestTimeout.toMillis(), TimeUnit.MILLISECONDS)
                .headers(headers -> headers.put(HttpHeader.AUTHORIZATION, "Bearer " + token))
                .body(new StringRequestContent("application/json; charset=UTF-8", body, StandardCharsets.UTF_8))
                .send(new BufferingResponseListener(MAX_ANSWER_BYTES) {
                    @Override
                    public void onComplete(Result result) {
                        if (result.isFailed()) {
                            answer.completeExceptionally(result.getFailure());
                            return;
                        }
                        int status = result.getResponse().getStatus();
                        if (status == 401) {
                            // Before the answer completes: whoever sees the 401 must find the token forgotten.
                            tokens.invalidate(token);
                        }
                        try {
                            answer.complete(classify(status, getContentAsString(StandardCharsets.UTF_8),
                                    result.getResponse().getHeaders().get(HttpHeader.RETRY_AFTER)));
                        } catch (RuntimeException e) {
                            answer.completeExceptionally(e);
                        }
                    }
                });
        return answer;
    }

    /** The FCM v1 request body for a message. */
    static String requestBody(PushMessage message) {
        ObjectNode root = JSON.createObjectNode();
        ObjectNode msg = root.putObject("message");
        msg.put("token", message.getToken());
        msg.putObject("notification").put("title", message.getTitle()).put("body", message.getBody());
        ObjectNode data = msg.putObject("data");
        if (message.getData() != null) {
            for (Map.Entry<String, String> entry : message.getData().entrySet()) {
                data.put(entry.getKey(), entry.getValue());
            }
        }
        data.put(MESSAGE_ID_KEY, message.getMessageId());
        return root.toString();
    }

    /** Classifies an FCM answer (see the class's table). */
    SendResult classify(int status, String body, String retryAfterHeader) {
        if (status == 200) {
            String name = null;
            try {
                name = JSON.readTree(body).path("name").asText(null);
            } catch (IOException | RuntimeException ignored) {
                // Accepted all the same.
            }
            return new SendResult(SendResult.Kind.DELIVERED, "200", name, null);
        }
        FcmError error = FcmError.parse(body);
        String code = error.code() == null ? String.valueOf(status) : status + " " + error.code();
        String detail = error.message() == null ? abbreviate(body) : error.message();
        if (status == 404 && "UNREGISTERED".equals(error.code())) {
            return SendResult.rejectedTarget(code, detail);
        }
        if (status == 400 && error.aboutToken()) {
            return SendResult.rejectedTarget(code, detail);
        }
        if (status == 429 || "QUOTA_EXCEEDED".equals(error.code()) || "RESOURCE_EXHAUSTED".equals(error.code())
                || status >= 500) {
            return SendResult.transientError(code, detail, RetryAfter.parse(retryAfterHeader, clock));
        }
        return SendResult.permanent(code, detail);
    }

    private static SendResult classifyFailure(Throwable failure) {
        Throwable cause = failure;
        while ((cause instanceof CompletionException || cause instanceof java.util.concurrent.ExecutionException)
                && cause.getCause() != null) {
            cause = cause.getCause();
        }
        if (cause instanceof AccessTokens.AccessTokenException tokenFailure) {
            return tokenFailure.retryable()
                    ? SendResult.transientError("oauth", tokenFailure.getMessage(), null)
                    : SendResult.permanent("oauth", tokenFailure.getMessage());
        }
        if (cause instanceof IOException || cause instanceof TimeoutException) {
            // A request or connect timeout, a refused or reset connection, a failed TLS handshake.
            return SendResult.transientError(null, cause.getClass().getSimpleName() + ": " + cause.getMessage(), null);
        }
        throw failure instanceof CompletionException ce ? ce : new CompletionException(failure);
    }

    private static String abbreviate(String text) {
        return text == null ? null : text.length() <= 300 ? text : text.substring(0, 300) + "…";
    }

    /** The parts of Google's error JSON that classify an answer. */
    record FcmError(String code, String message, boolean aboutToken) {

        static FcmError parse(String body) {
            JsonNode error;
            try {
                error = JSON.readTree(body == null ? "" : body).path("error");
            } catch (IOException | RuntimeException notJson) {
                return new FcmError(null, null, false);
            }
            if (!error.isObject()) {
                return new FcmError(null, null, false);
            }
            String status = error.path("status").asText(null);
            String message = error.path("message").asText(null);
            String fcmCode = null;
            boolean tokenField = false;
            for (JsonNode detail : error.path("details")) {
                String type = detail.path("@type").asText("");
                if (type.endsWith("google.firebase.fcm.v1.FcmError")) {
                    fcmCode = detail.path("errorCode").asText(null);
                } else if (type.endsWith("google.rpc.BadRequest")) {
                    for (JsonNode violation : detail.path("fieldViolations")) {
                        if ("message.token".equals(violation.path("field").asText())) {
                            tokenField = true;
                        }
                    }
                }
            }
            String code = fcmCode != null ? fcmCode : status;
            boolean aboutToken = tokenField
                    || ("INVALID_ARGUMENT".equals(code) && message != null
                        && message.toLowerCase(java.util.Locale.ROOT).contains("registration token"));
            return new FcmError(code, message, aboutToken);
        }
    }
}

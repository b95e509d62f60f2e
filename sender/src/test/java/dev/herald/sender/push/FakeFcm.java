package dev.herald.sender.push;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * A local FCM HTTP v1 endpoint answering as Google documents, keyed by the message's token: {@code ok-*} accepted,
 * {@link #UNREGISTERED}, {@link #INVALID_TOKEN}, {@link #MALFORMED}, {@link #RATE_LIMITED} (Retry-After: 30),
 * {@link #RATE_LIMITED_DATE} (Retry-After as an HTTP-date), {@link #UNAVAILABLE} (503, Retry-After: 5),
 * {@link #INTERNAL} (500), {@link #SENDER_MISMATCH} (403), {@link #SLOW} (answers after 2 s). A bearer other than
 * {@link #bearer} answers 401, a project other than {@link #PROJECT} 404 without an FcmError.
 */
final class FakeFcm implements AutoCloseable {

    static final String UNREGISTERED = "tok-unregistered";
    static final String INVALID_TOKEN = "tok-invalid";
    static final String MALFORMED = "tok-malformed-message";
    static final String RATE_LIMITED = "tok-rate-limited";
    static final String RATE_LIMITED_DATE = "tok-rate-limited-date";
    static final String UNAVAILABLE = "tok-unavailable";
    static final String INTERNAL = "tok-internal";
    static final String SENDER_MISMATCH = "tok-sender-mismatch";
    static final String SLOW = "tok-slow";

    static final String PROJECT = "herald-test";
    static final String RETRY_DATE = "Thu, 03 Dec 2026 12:01:00 GMT";

    private static final ObjectMapper JSON = new ObjectMapper();

    record Request(String path, String authorization, JsonNode body) {
    }

    final List<Request> requests = new CopyOnWriteArrayList<>();
    volatile String bearer = "test-access-token";
    private final HttpServer server;
    private final ExecutorService executor = Executors.newCachedThreadPool();

    FakeFcm() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/v1/projects/", this::handle);
        server.setExecutor(executor);
        server.start();
    }

    URI baseUrl() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange; InputStream in = exchange.getRequestBody()) {
            JsonNode body = JSON.readTree(in);
            String auth = exchange.getRequestHeaders().getFirst("Authorization");
            requests.add(new Request(exchange.getRequestURI().getPath(), auth, body));
            if (!exchange.getRequestMethod().equals("POST") || !exchange.getRequestURI().getPath().endsWith("/messages:send")) {
                answer(exchange, 404, "{}");
                return;
            }
            if (!("Bearer " + bearer).equals(auth)) {
                answer(exchange, 401, error(401, "Request had invalid authentication credentials. Expected OAuth 2 access token,"
                        + " login cookie or other valid authentication credential.", "UNAUTHENTICATED", null));
                return;
            }
            if (!exchange.getRequestURI().getPath().equals("/v1/projects/" + PROJECT + "/messages:send")) {
                answer(exchange, 404, error(404, "Requested entity was not found.", "NOT_FOUND", null));
                return;
            }
            String token = body.path("message").path("token").asText();
            switch (token) {
                case UNREGISTERED -> answer(exchange, 404,
                        error(404, "Requested entity was not found.", "NOT_FOUND", "UNREGISTERED"));
                case INVALID_TOKEN -> answer(exchange, 400, """
                        {"error":{"code":400,"message":"The registration token is not a valid FCM registration token",
                         "status":"INVALID_ARGUMENT","details":[
                          {"@type":"type.googleapis.com/google.firebase.fcm.v1.FcmError","errorCode":"INVALID_ARGUMENT"},
                          {"@type":"type.googleapis.com/google.rpc.BadRequest","fieldViolations":[
                            {"field":"message.token","description":"The registration token is not a valid FCM registration token"}]}]}}""");
                case MALFORMED -> answer(exchange, 400, """
                        {"error":{"code":400,"message":"Invalid JSON payload received. Unknown name \\"colour\\" at 'message.notification'",
                         "status":"INVALID_ARGUMENT","details":[
                          {"@type":"type.googleapis.com/google.rpc.BadRequest","fieldViolations":[
                            {"field":"message.notification","description":"Invalid JSON payload received. Unknown name \\"colour\\""}]}]}}""");
                case RATE_LIMITED -> {
                    exchange.getResponseHeaders().add("Retry-After", "30");
                    answer(exchange, 429, error(429, "Quota exceeded for quota metric 'Send requests'.",
                            "RESOURCE_EXHAUSTED", "QUOTA_EXCEEDED"));
                }
                case RATE_LIMITED_DATE -> {
                    exchange.getResponseHeaders().add("Retry-After", RETRY_DATE);
                    answer(exchange, 429, error(429, "Quota exceeded.", "RESOURCE_EXHAUSTED", "QUOTA_EXCEEDED"));
                }
                case UNAVAILABLE -> {
                    exchange.getResponseHeaders().add("Retry-After", "5");
                    answer(exchange, 503, error(503, "The service is currently unavailable.", "UNAVAILABLE", "UNAVAILABLE"));
                }
                case INTERNAL -> answer(exchange, 500, error(500, "Internal error encountered.", "INTERNAL", "INTERNAL"));
                case SENDER_MISMATCH -> answer(exchange, 403, error(403, "SenderId mismatch", "PERMISSION_DENIED",
                        "SENDER_ID_MISMATCH"));
                case SLOW -> {
                    try {
                        Thread.sleep(2_000);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                    answer(exchange, 200, "{\"name\":\"projects/p/messages/slow\"}");
                }
                default -> answer(exchange, 200,
                        "{\"name\":\"projects/herald-test/messages/0:" + requests.size() + "\"}");
            }
        } catch (IOException | RuntimeException e) {
            // The client may have given up (a timeout): nothing to answer.
        }
    }

    private static String error(int code, String message, String status, String fcmErrorCode) {
        String details = fcmErrorCode == null ? "" : ",\"details\":[{\"@type\":\"type.googleapis.com/google.firebase.fcm.v1.FcmError\","
                + "\"errorCode\":\"" + fcmErrorCode + "\"}]";
        return "{\"error\":{\"code\":" + code + ",\"message\":\"" + message + "\",\"status\":\"" + status + "\"" + details + "}}";
    }

    private static void answer(HttpExchange exchange, int status, String json) throws IOException {
        byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", "application/json; charset=UTF-8");
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}

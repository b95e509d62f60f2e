package dev.herald.app.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.herald.query.routing.ApiToken;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;

/**
 * Herald's HTTP API as the command line reads it: JSON answers, problem documents turned into exit codes, and the
 * 503 a rebalancing instance answers waited out for a while (its Retry-After), as a dashboard would.
 */
final class HeraldHttp {
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(15);
    /** How long a command waits out 503s before it gives up: a rebalance normally ends well within it. */
    private static final Duration UNAVAILABLE_PATIENCE = Duration.ofSeconds(60);

    private final String baseUrl;
    private final ApiToken token;
    private final ObjectMapper json;
    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    HeraldHttp(String baseUrl, ApiToken token, ObjectMapper json) {
        this.baseUrl = baseUrl;
        this.token = token;
        this.json = json;
    }

    /** GET {@code pathAndQuery} (already encoded); 404 is {@link ExitCodes#NOT_FOUND}, 400 a usage error. */
    JsonNode get(String pathAndQuery) {
        URI uri = URI.create(baseUrl + pathAndQuery);
        long deadline = System.nanoTime() + UNAVAILABLE_PATIENCE.toNanos();
        while (true) {
            HttpResponse<String> response;
            try {
                HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(REQUEST_TIMEOUT).GET();
                token.authorization().ifPresent(value -> request.header("Authorization", value));
                response = client.send(request.build(), HttpResponse.BodyHandlers.ofString());
            } catch (ConnectException e) {
                throw new CliException(ExitCodes.UNAVAILABLE, "cannot reach Herald's HTTP API at " + baseUrl
                        + " (is Herald running? set --http.url or herald.http.url)", e);
            } catch (HttpTimeoutException e) {
                throw new CliException(ExitCodes.UNAVAILABLE, "Herald at " + baseUrl + " did not answer GET "
                        + pathAndQuery + " within " + REQUEST_TIMEOUT.toSeconds() + " s", e);
            } catch (IOException e) {
                throw new CliException(ExitCodes.UNAVAILABLE, "GET " + uri + " failed: " + e.getMessage(), e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new CliException(ExitCodes.UNAVAILABLE, "interrupted", e);
            }
            int status = response.statusCode();
            if (status == 200) {
                return parse(response.body(), uri);
            }
            if (status == 401) {
                throw new CliException(ExitCodes.USAGE, "Herald at " + baseUrl + " needs a token: set "
                        + "herald.http.auth.token or herald.http.auth.token.file (or --http.auth.token)");
            }
            if (status == 503 && System.nanoTime() < deadline) {
                sleep(response.headers().firstValue("Retry-After").map(HeraldHttp::seconds).orElse(1L));
                continue;
            }
            String detail = parse(response.body(), uri).path("detail").asText(response.body());
            throw new CliException(switch (status) {
                case 404 -> ExitCodes.NOT_FOUND;
                case 400 -> ExitCodes.USAGE;
                default -> ExitCodes.UNAVAILABLE;
            }, detail + (status == 503 ? " (still unavailable after " + UNAVAILABLE_PATIENCE.toSeconds() + " s)" : ""));
        }
    }

    private JsonNode parse(String body, URI uri) {
        try {
            return json.readTree(body);
        } catch (IOException e) {
            throw new CliException(ExitCodes.UNAVAILABLE, uri + " answered something that is not JSON: "
                    + body.substring(0, Math.min(200, body.length())), e);
        }
    }

    private static long seconds(String retryAfter) {
        try {
            return Math.max(1, Math.min(10, Long.parseLong(retryAfter.trim())));
        } catch (NumberFormatException e) {
            return 1;
        }
    }

    static void sleep(long seconds) {
        sleepMillis(seconds * 1000);
    }

    static void sleepMillis(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CliException(ExitCodes.UNAVAILABLE, "interrupted", e);
        }
    }
}

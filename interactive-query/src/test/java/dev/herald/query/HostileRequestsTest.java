package dev.herald.query;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.herald.query.routing.ForwardedHeader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Assume;
import net.jqwik.api.Combinators;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

/**
 * Any request a client can send, however hostile (any method, path segment, query value or header, the forwarding
 * header included), is answered without a 5xx, and every error answer is a problem document.
 */
class HostileRequestsTest {
    private static final List<String> ROUTES = List.of("/api/campaigns", "/api/campaigns/{}", "/api/campaigns/{}/summary",
            "/api/campaigns/{}/runs", "/api/runs/{}", "/api/summary", "/api/instances", "/health/live",
            "/health/ready", "/metrics", "/{}", "/api/{}/{}", "/api/campaigns/{}/{}");
    private static final List<String> INSTANTS = List.of("+999999999-12-31T23:59:59Z", "-999999999-01-01T00:00:00Z",
            "+1000000000-01-01T00:00:00Z", "1970-01-01T00:00:00Z", "0000-01-01T00:00:00Z", "2026-05-01T10:00:00Z",
            "2026-05-01T10:00:00+14:00", "2026-05-01T10:00:00-12:00", "9999-12-31T23:59:59.999999999Z",
            "2026-02-30T10:00:00Z", "2026-05-01", "2026-05-01T25:00:00Z", "now", "");
    private static final List<String> NUMBERS = List.of("0", "-1", "1", "9223372036854775807",
            "9223372036854775808", "-9223372036854775808", "1e309", "NaN", "0x10", " 5", "1m", "1h", "1d", "60s");

    private static ScenarioServer server;
    private static final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private static final ObjectMapper json = new ObjectMapper();

    @BeforeContainer
    static void start() {
        server = new ScenarioServer();
    }

    @AfterContainer
    static void stop() {
        server.close();
    }

    @Property(tries = 600)
    void noRequestIsAnsweredWithA5xxAndEveryErrorIsAProblemDocument(@ForAll("methods") String method,
            @ForAll("paths") String path, @ForAll("queries") String query, @ForAll("headers") List<String> headers)
            throws Exception {
        URI uri;
        try {
            uri = URI.create("http://127.0.0.1:" + server.port() + path + query);
        } catch (IllegalArgumentException e) {
            Assume.that(false); // not a request any HTTP client could send
            return;
        }
        HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10))
                .method(method, HttpRequest.BodyPublishers.noBody());
        for (int i = 0; i + 1 < headers.size(); i += 2) {
            request.header(headers.get(i), headers.get(i + 1));
        }
        HttpResponse<String> response = client.send(request.build(), HttpResponse.BodyHandlers.ofString());

        String what = method + " " + path + query + " " + headers + " -> " + response.statusCode() + " "
                + response.body();
        assertThat(response.statusCode()).as(what).isLessThan(500);
        if (response.statusCode() >= 400 && !method.equals("HEAD")) {
            assertThat(response.headers().firstValue("Content-Type").orElse("")).as(what)
                    .startsWith("application/problem+json");
            JsonNode problem = json.readTree(response.body());
            assertThat(problem.path("status").asInt()).as(what).isEqualTo(response.statusCode());
            assertThat(problem.path("type").asText()).as(what).isNotBlank();
            assertThat(problem.path("detail").asText()).as(what).isNotBlank();
        }
    }

    /** Instants at the ends of what ISO-8601 allows, in every range parameter: the window fetch must not overflow. */
    @Example
    void rangesAtTheEndsOfTimeAreAnsweredNotCrashed() throws Exception {
        for (String route : List.of("/api/campaigns/" + Scenario.SPRING + "/summary", "/api/summary")) {
            for (String param : List.of("to", "from")) {
                for (String instant : INSTANTS) {
                    noRequestIsAnsweredWithA5xxAndEveryErrorIsAProblemDocument("GET", route,
                            "?" + param + "=" + encode(instant), List.of());
                    noRequestIsAnsweredWithA5xxAndEveryErrorIsAProblemDocument("GET", route,
                            "?window=1m&from=" + encode(instant) + "&to=" + encode(instant), List.of());
                }
            }
        }
    }

    @Provide
    Arbitrary<String> methods() {
        return Arbitraries.of("GET", "GET", "GET", "HEAD", "POST", "PUT", "DELETE", "PATCH", "OPTIONS", "BREW");
    }

    @Provide
    Arbitrary<String> paths() {
        // Summary routes weigh more: their range parameters reach the stores' arithmetic.
        Arbitrary<String> routes = Arbitraries.frequencyOf(net.jqwik.api.Tuple.of(3, Arbitraries.of(ROUTES)),
                net.jqwik.api.Tuple.of(2, Arbitraries.of("/api/campaigns/{}/summary", "/api/summary")));
        return Combinators.combine(routes, segment(), segment())
                .as((route, first, second) -> route.replaceFirst("\\{}", first).replaceFirst("\\{}", second));
    }

    /** A path segment as it appears on the wire: known ids, hostile text percent-encoded, or raw oddities. */
    private static Arbitrary<String> segment() {
        Arbitrary<String> known = Arbitraries.of(Scenario.SPRING, Scenario.DIGEST, Scenario.PAUSED,
                encode(Scenario.SPRING_RUN), "ghost");
        Arbitrary<String> hostile = Arbitraries.strings().all().ofMaxLength(60).map(HostileRequestsTest::encode);
        Arbitrary<String> raw = Arbitraries.of("", ".", "..", "%2F", "%2e%2e", "%00", "%", "%ZZ", "a;b", "%2525",
                "x".repeat(5000), "%C3%28", "%FF%FE", "@", "a:b", "~");
        return Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(3, known), net.jqwik.api.Tuple.of(4, hostile), net.jqwik.api.Tuple.of(2, raw));
    }

    @Provide
    Arbitrary<String> queries() {
        Arbitrary<String> name = Arbitraries.oneOf(Arbitraries.of("from", "to", "window", "maxLag", "from", "to"),
                Arbitraries.strings().all().ofMaxLength(10).map(HostileRequestsTest::encode));
        Arbitrary<String> value = Arbitraries.oneOf(Arbitraries.of(INSTANTS).map(HostileRequestsTest::encode),
                Arbitraries.of(NUMBERS).map(HostileRequestsTest::encode),
                Arbitraries.strings().all().ofMaxLength(40).map(HostileRequestsTest::encode),
                Arbitraries.of("%", "%ZZ", "a=b", "&&", "%00"));
        Arbitrary<String> pair = Combinators.combine(name, value).as((n, v) -> n + "=" + v);
        return pair.list().ofMaxSize(4).map(pairs -> pairs.isEmpty() ? "" : "?" + String.join("&", pairs));
    }

    /** Name and value, alternating: the forwarding header with anything in it, and others clients send. */
    @Provide
    Arbitrary<List<String>> headers() {
        Arbitrary<String> value = Arbitraries.oneOf(Arbitraries.strings().ascii().ofMaxLength(40)
                        .map(s -> s.replaceAll("[\\x00-\\x1f\\x7f]", "").strip()),
                Arbitraries.of("127.0.0.1:1", "", "localhost:8080", "true", "*/*", "application/json",
                        "Bearer x"));
        Arbitrary<String> name = Arbitraries.of(ForwardedHeader.NAME, ForwardedHeader.NAME, "Accept",
                "Authorization", "Accept-Encoding", "X-Anything");
        return Combinators.combine(name, value).as((n, v) -> List.of(n, v)).list().ofMaxSize(3)
                .map(pairs -> pairs.stream().flatMap(List::stream).toList());
    }

    /** Percent-encodes every byte outside the unreserved set, as a client library would. */
    private static String encode(String text) {
        StringBuilder out = new StringBuilder();
        for (byte b : text.getBytes(StandardCharsets.UTF_8)) {
            int c = b & 0xff;
            if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || "-._~".indexOf(c) >= 0) {
                out.append((char) c);
            } else {
                out.append('%').append(String.format("%02X", c));
            }
        }
        return out.toString();
    }
}

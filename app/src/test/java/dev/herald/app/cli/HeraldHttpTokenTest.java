package dev.herald.app.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import dev.herald.query.routing.ApiToken;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The command line's queries carry the configured API token, and a missing one is a clear usage error. */
class HeraldHttpTokenTest {
    private HttpServer server;
    private String url;

    @BeforeEach
    void start() throws Exception {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", exchange -> {
            boolean admitted = "Bearer t0ken".equals(exchange.getRequestHeaders().getFirst("Authorization"));
            byte[] body = (admitted ? "{\"ok\":true}" : "{\"status\":401}").getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(admitted ? 200 : 401, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.start();
        url = "http://127.0.0.1:" + server.getAddress().getPort();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    @Test
    void queriesCarryTheTokenAndAMissingOneIsAUsageError() {
        assertThat(new HeraldHttp(url, ApiToken.of("t0ken"), new ObjectMapper()).get("/api/campaigns")
                .path("ok").asBoolean()).isTrue();
        assertThatThrownBy(() -> new HeraldHttp(url, ApiToken.NONE, new ObjectMapper()).get("/api/campaigns"))
                .isInstanceOfSatisfying(CliException.class, e -> assertThat(e.getMessage())
                        .contains("herald.http.auth.token"));
    }
}

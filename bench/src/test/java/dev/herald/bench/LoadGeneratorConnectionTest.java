package dev.herald.bench;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The load generator's own HTTP/1.1 connection reads whole answers of every framing and keeps its socket. */
class LoadGeneratorConnectionTest {
    private HttpServer server;
    private final AtomicInteger requests = new AtomicInteger();
    private final ConcurrentHashMap<Object, Boolean> peers = new ConcurrentHashMap<>();

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", exchange -> {
            requests.incrementAndGet();
            peers.put(exchange.getRemoteAddress(), true);
            String path = exchange.getRequestURI().getPath();
            byte[] body = ("{\"path\":\"" + path + "\"}").getBytes(StandardCharsets.UTF_8);
            switch (path) {
                case "/chunked" -> {
                    exchange.sendResponseHeaders(200, 0); // length 0: chunked
                    try (OutputStream out = exchange.getResponseBody()) {
                        out.write(body, 0, 3);
                        out.flush();
                        out.write(body, 3, body.length - 3);
                    }
                }
                case "/missing" -> {
                    exchange.sendResponseHeaders(404, body.length);
                    exchange.getResponseBody().write(body);
                    exchange.close();
                }
                case "/close" -> {
                    exchange.getResponseHeaders().add("Connection", "close");
                    exchange.sendResponseHeaders(200, body.length);
                    exchange.getResponseBody().write(body);
                    exchange.close();
                }
                default -> {
                    exchange.sendResponseHeaders(200, body.length);
                    exchange.getResponseBody().write(body);
                    exchange.close();
                }
            }
        });
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    private URI uri(String path) {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + path);
    }

    @Test
    void answersWithALengthOrInChunksAreReadWholeOnOneKeptConnection() throws IOException {
        for (String path : new String[] {"/sized", "/chunked"}) {
            peers.clear();
            try (LoadGenerator.Connection connection = new LoadGenerator.Connection(uri(path))) {
                for (int i = 0; i < 50; i++) {
                    assertThat(connection.get()).as(path + " request " + i).isEqualTo(200);
                }
            }
            assertThat(peers).as("client sockets seen by the server for " + path).hasSize(1);
        }
        assertThat(requests).hasValue(100);
    }

    @Test
    void statusIsReportedAndAClosedConnectionIsReopened() throws IOException {
        try (LoadGenerator.Connection missing = new LoadGenerator.Connection(uri("/missing"))) {
            assertThat(missing.get()).isEqualTo(404);
        }
        peers.clear();
        try (LoadGenerator.Connection closing = new LoadGenerator.Connection(uri("/close"))) {
            for (int i = 0; i < 3; i++) {
                assertThat(closing.get()).isEqualTo(200);
            }
        }
        assertThat(peers).as("a new socket after each Connection: close").hasSize(3);
    }
}

package dev.herald.query.http;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * The dashboard page served at {@code /}: static HTML and a script from the jar that poll the JSON API, with
 * uPlot from its WebJar for the charts. No data of its own, so it needs no token (the API calls it makes do).
 */
final class Dashboard {
    static final String PAGE = "/";
    static final String SCRIPT = "/dashboard.js";
    /** The WebJar the page loads uPlot from; must equal the uplot dependency's version. */
    static final String UPLOT_VERSION = "1.6.30";

    final String html = resource("dashboard.html").replace("UPLOT_VERSION", UPLOT_VERSION);
    final String script = resource("dashboard.js");

    private static String resource(String name) {
        try (InputStream in = Dashboard.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("missing resource " + name + " next to " + Dashboard.class);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

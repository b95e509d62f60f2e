package dev.herald.query.http;

import java.util.concurrent.atomic.LongAdder;
import org.eclipse.jetty.io.Connection;

/** Counts the connections the HTTP server accepts, which shows whether callers reuse theirs. */
final class ConnectionCounter implements Connection.Listener {
    private final LongAdder opened = new LongAdder();

    @Override
    public void onOpened(Connection connection) {
        opened.increment();
    }

    @Override
    public void onClosed(Connection connection) {
        // Only openings tell reuse apart from a connection per request.
    }

    double opened() {
        return opened.sum();
    }
}

package dev.herald.bench;

import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.locks.LockSupport;
import java.util.function.ObjIntConsumer;

/**
 * HTTP load on loopback, bounded in count and time, over keep-alive connections of its own.
 *
 * <p>Each worker thread owns one blocking HTTP/1.1 connection and writes a ready-made request on it, so the client
 * costs one write and one read per request. The JDK {@code HttpClient} it replaced hands every synchronous request to
 * its selector thread and back, and that was part of every latency: two clients of each kind against the same
 * trivial local server on a 2-core host (one other build running) made 2,000-2,900 requests/s at p50 0.41-0.43 ms
 * with the JDK client, and 8,000-11,600 at p50 0.10-0.11 ms with this one, so saturation cases measured the client.
 *
 * <p>At a fixed rate it is open-loop in the manner of wrk2: request i is due at start + i/rate, a fixed set of
 * connections shares the schedule, and each latency counts from the instant its request was due, so a server that
 * falls behind is charged for the queue it builds rather than slowing the generator down to its pace. Requests still
 * unsent a few seconds after the phase should have ended are dropped and counted.
 *
 * <p>At saturation it is closed-loop: a few clients each send the next request as soon as the previous is answered.
 */
final class LoadGenerator {
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(5);
    /** Connections sharing a fixed-rate schedule: plenty for thousands of sub-millisecond requests a second. */
    static final int CONNECTIONS = 8;
    /** How far past its planned end a fixed-rate phase may run before the rest of its requests are dropped. */
    private static final Duration GRACE = Duration.ofSeconds(5);

    Latencies fixedRate(String endpoint, String phase, URI uri, int rate, double seconds) {
        int count = Math.max(1, (int) Math.round(rate * seconds));
        double interval = 1e9 / rate;
        long start = System.nanoTime() + 1_000_000;
        long deadline = start + (long) (seconds * 1e9) + GRACE.toNanos();
        Worker[] workers = run(CONNECTIONS, uri, (w, c) -> {
            for (int i = c; i < count; i += CONNECTIONS) {
                long due = start + (long) (i * interval);
                long wait;
                while ((wait = due - System.nanoTime()) > 0) {
                    LockSupport.parkNanos(wait);
                }
                if (System.nanoTime() > deadline) {
                    w.dropped += (count - 1 - i) / CONNECTIONS + 1;
                    break;
                }
                w.send(due);
            }
        });
        return result(endpoint, phase, uri, rate, 0, start, workers);
    }

    Latencies saturation(String endpoint, String phase, URI uri, int clients, double seconds) {
        long start = System.nanoTime();
        long end = start + (long) (seconds * 1e9);
        Worker[] workers = run(clients, uri, (w, c) -> {
            while (System.nanoTime() < end) {
                w.send(System.nanoTime());
            }
        });
        return result(endpoint, phase, uri, 0, clients, start, workers);
    }

    /** Runs {@code threads} bodies, each with a {@link Worker} (and connection) of its own, and waits for all. */
    private static Worker[] run(int threads, URI uri, ObjIntConsumer<Worker> body) {
        Worker[] workers = new Worker[threads];
        Thread[] started = new Thread[threads];
        for (int c = 0; c < threads; c++) {
            Worker w = new Worker(new Connection(uri));
            workers[c] = w;
            int index = c;
            started[c] = new Thread(() -> {
                try (Connection connection = w.connection) {
                    body.accept(w, index);
                }
            }, "bench-load-" + c);
            started[c].setDaemon(true);
            started[c].start();
        }
        for (Thread t : started) {
            try {
                t.join(); // also makes each worker's counts visible here
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        return workers;
    }

    private static Latencies result(String endpoint, String phase, URI uri, int rate, int clients, long start,
            Worker[] workers) {
        long sent = 0;
        long errors = 0;
        long dropped = 0;
        long last = start + 1;
        for (Worker w : workers) {
            sent += w.sent;
            errors += w.errors;
            dropped += w.dropped;
            last = Math.max(last, w.lastAnswer);
        }
        long[] ok = Arrays.stream(workers).flatMapToLong(w -> Arrays.stream(w.latencies, 0, w.ok)).toArray();
        String path = uri.getRawPath() + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery());
        return Latencies.of(endpoint, phase, path, rate, clients, sent, errors, dropped, (last - start) / 1e9, ok);
    }

    /** One connection's share of a phase: what it sent and how that went. Confined to its thread until joined. */
    private static final class Worker {
        final Connection connection;
        long[] latencies = new long[1024];
        int ok;
        long sent;
        long errors;
        long dropped;
        long lastAnswer;

        Worker(Connection connection) {
            this.connection = connection;
        }

        void send(long dueNanos) {
            sent++;
            try {
                int status = connection.get();
                long now = System.nanoTime();
                lastAnswer = now;
                if (status == 200) {
                    if (ok == latencies.length) {
                        latencies = Arrays.copyOf(latencies, ok * 2);
                    }
                    latencies[ok++] = now - dueNanos;
                } else {
                    errors++;
                }
            } catch (IOException | RuntimeException e) {
                lastAnswer = System.nanoTime();
                errors++;
            }
        }
    }

    /**
     * One keep-alive HTTP/1.1 connection sending the same GET: reads each answer whole (by Content-Length or chunks)
     * so the next can follow on the same socket, and reconnects after an error or a {@code Connection: close}.
     */
    static final class Connection implements AutoCloseable {
        private final URI uri;
        private final byte[] request;
        private Socket socket;
        private InputStream in;
        private OutputStream out;
        private final StringBuilder line = new StringBuilder(128);

        Connection(URI uri) {
            this.uri = uri;
            String path = uri.getRawPath() + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery());
            this.request = ("GET " + path + " HTTP/1.1\r\nHost: " + uri.getHost() + ":" + uri.getPort()
                    + "\r\nAccept: application/json\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
        }

        /** Sends the request and reads the whole answer; returns its status. */
        int get() throws IOException {
            if (socket == null) {
                open();
            }
            try {
                out.write(request);
                out.flush();
                return readAnswer();
            } catch (IOException | RuntimeException e) {
                close();
                throw e;
            }
        }

        private void open() throws IOException {
            Socket s = new Socket();
            s.setTcpNoDelay(true);
            s.setSoTimeout((int) REQUEST_TIMEOUT.toMillis());
            s.connect(new InetSocketAddress(uri.getHost(), uri.getPort()), 2_000);
            socket = s;
            in = new BufferedInputStream(s.getInputStream(), 64 * 1024);
            out = s.getOutputStream();
        }

        private int readAnswer() throws IOException {
            String status = readLine();
            if (!status.startsWith("HTTP/1.") || status.length() < 12) {
                throw new IOException("not an HTTP answer: " + status);
            }
            int code = Integer.parseInt(status.substring(9, 12));
            long length = -1;
            boolean chunked = false;
            boolean closeAfter = false;
            for (String header = readLine(); !header.isEmpty(); header = readLine()) {
                int colon = header.indexOf(':');
                if (colon < 0) {
                    continue;
                }
                String name = header.substring(0, colon).trim();
                String value = header.substring(colon + 1).trim();
                if (name.equalsIgnoreCase("Content-Length")) {
                    length = Long.parseLong(value);
                } else if (name.equalsIgnoreCase("Transfer-Encoding")) {
                    chunked = value.equalsIgnoreCase("chunked");
                } else if (name.equalsIgnoreCase("Connection")) {
                    closeAfter = value.equalsIgnoreCase("close");
                }
            }
            if (chunked) {
                for (long size = chunkSize(); size > 0; size = chunkSize()) {
                    skip(size);
                    readLine();
                }
                while (!readLine().isEmpty()) {
                    // trailers
                }
            } else if (length >= 0) {
                skip(length);
            } else {
                while (in.read() >= 0) {
                    // an answer without a length ends with its connection
                }
                closeAfter = true;
            }
            if (closeAfter) {
                close();
            }
            return code;
        }

        private long chunkSize() throws IOException {
            String size = readLine();
            int ext = size.indexOf(';');
            return Long.parseLong((ext < 0 ? size : size.substring(0, ext)).trim(), 16);
        }

        private void skip(long n) throws IOException {
            for (long left = n; left > 0; ) {
                long skipped = in.skip(left);
                if (skipped <= 0) {
                    if (in.read() < 0) {
                        throw new EOFException("connection closed in an answer's body");
                    }
                    skipped = 1;
                }
                left -= skipped;
            }
        }

        private String readLine() throws IOException {
            line.setLength(0);
            for (int b = in.read(); b != '\n'; b = in.read()) {
                if (b < 0) {
                    throw new EOFException("connection closed in an answer's head");
                }
                if (b != '\r') {
                    line.append((char) b);
                }
            }
            return line.toString();
        }

        @Override
        public void close() {
            if (socket != null) {
                try {
                    socket.close();
                } catch (IOException e) {
                    // closing a connection the server may already have closed
                }
                socket = null;
            }
        }
    }
}

package dev.herald.bench;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.locks.LockSupport;
import java.util.function.ObjIntConsumer;

/**
 * HTTP load on loopback with the JDK client, bounded in count and time.
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
    private static final int CONNECTIONS = 8;
    /** How far past its planned end a fixed-rate phase may run before the rest of its requests are dropped. */
    private static final Duration GRACE = Duration.ofSeconds(5);

    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(2)).build();

    Latencies fixedRate(String endpoint, String phase, URI uri, int rate, double seconds) {
        HttpRequest request = HttpRequest.newBuilder(uri).timeout(REQUEST_TIMEOUT).GET().build();
        int count = Math.max(1, (int) Math.round(rate * seconds));
        double interval = 1e9 / rate;
        long start = System.nanoTime() + 1_000_000;
        long deadline = start + (long) (seconds * 1e9) + GRACE.toNanos();
        Worker[] workers = run(CONNECTIONS, (w, c) -> {
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
                w.send(client, request, due);
            }
        });
        return result(endpoint, phase, uri, rate, 0, start, workers);
    }

    Latencies saturation(String endpoint, String phase, URI uri, int clients, double seconds) {
        HttpRequest request = HttpRequest.newBuilder(uri).timeout(REQUEST_TIMEOUT).GET().build();
        long start = System.nanoTime();
        long end = start + (long) (seconds * 1e9);
        Worker[] workers = run(clients, (w, c) -> {
            while (System.nanoTime() < end) {
                w.send(client, request, System.nanoTime());
            }
        });
        return result(endpoint, phase, uri, 0, clients, start, workers);
    }

    /** Runs {@code threads} bodies, each with a {@link Worker} of its own, and waits for all. */
    private static Worker[] run(int threads, ObjIntConsumer<Worker> body) {
        Worker[] workers = new Worker[threads];
        Thread[] started = new Thread[threads];
        for (int c = 0; c < threads; c++) {
            Worker w = new Worker();
            workers[c] = w;
            int index = c;
            started[c] = new Thread(() -> body.accept(w, index), "bench-load-" + c);
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
        long[] latencies = new long[1024];
        int ok;
        long sent;
        long errors;
        long dropped;
        long lastAnswer;

        void send(HttpClient client, HttpRequest request, long dueNanos) {
            sent++;
            try {
                int status = client.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
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
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                errors++;
            } catch (Exception e) {
                lastAnswer = System.nanoTime();
                errors++;
            }
        }
    }
}

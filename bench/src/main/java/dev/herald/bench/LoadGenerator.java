package dev.herald.bench;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * HTTP load on loopback with the JDK client, bounded in count and time. At a fixed rate it is open-loop: request i is
 * due at start + i/rate whatever became of the earlier ones, and its latency counts from that instant, so a server
 * that stalls is charged for the queue it builds. At saturation it is closed-loop: a few clients each send the next
 * request as soon as the previous is answered.
 */
final class LoadGenerator {
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(5);
    /** At a fixed rate, requests beyond this many outstanding are not sent and count as errors. */
    private static final int MAX_OUTSTANDING = 256;

    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(2)).build();

    Latencies fixedRate(String endpoint, String phase, URI uri, int rate, double seconds) {
        HttpRequest request = HttpRequest.newBuilder(uri).timeout(REQUEST_TIMEOUT).GET().build();
        int count = Math.max(1, (int) Math.round(rate * seconds));
        double interval = 1e9 / rate;
        long[] latency = new long[count];
        Arrays.fill(latency, -1);
        AtomicLong errors = new AtomicLong();
        AtomicLong lastAnswer = new AtomicLong();
        Semaphore outstanding = new Semaphore(MAX_OUTSTANDING);
        long start = System.nanoTime();
        for (int i = 0; i < count; i++) {
            long due = start + (long) (i * interval);
            long wait;
            while ((wait = due - System.nanoTime()) > 0) {
                LockSupport.parkNanos(wait);
            }
            if (!outstanding.tryAcquire()) {
                errors.incrementAndGet();
                continue;
            }
            int index = i;
            client.sendAsync(request, HttpResponse.BodyHandlers.discarding()).whenComplete((response, failure) -> {
                long now = System.nanoTime();
                if (failure == null && response.statusCode() == 200) {
                    latency[index] = now - due;
                } else {
                    errors.incrementAndGet();
                }
                lastAnswer.accumulateAndGet(now, Math::max);
                outstanding.release();
            });
        }
        try {
            // Every answer in (or timed out): the writes to latency[] happen-before this acquire.
            if (!outstanding.tryAcquire(MAX_OUTSTANDING, REQUEST_TIMEOUT.toSeconds() + 5, TimeUnit.SECONDS)) {
                Bench.say("some " + endpoint + " requests never finished");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        long[] ok = Arrays.stream(latency).filter(l -> l >= 0).toArray();
        long end = Math.max(lastAnswer.get(), start + 1);
        return Latencies.of(endpoint, phase, uri.getRawPath() + (uri.getRawQuery() == null ? ""
                : "?" + uri.getRawQuery()), rate, 0, count, errors.get(), (end - start) / 1e9, ok);
    }

    Latencies saturation(String endpoint, String phase, URI uri, int clients, double seconds) {
        HttpRequest request = HttpRequest.newBuilder(uri).timeout(REQUEST_TIMEOUT).GET().build();
        long start = System.nanoTime();
        long end = start + (long) (seconds * 1e9);
        List<Thread> threads = new ArrayList<>();
        long[][] latencies = new long[clients][];
        long[] errors = new long[clients];
        long[] sent = new long[clients];
        for (int c = 0; c < clients; c++) {
            int client = c;
            Thread t = new Thread(() -> {
                long[] mine = new long[1024];
                int n = 0;
                while (System.nanoTime() < end) {
                    long t0 = System.nanoTime();
                    sent[client]++;
                    try {
                        int status = this.client.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
                        if (status == 200) {
                            if (n == mine.length) {
                                mine = Arrays.copyOf(mine, n * 2);
                            }
                            mine[n++] = System.nanoTime() - t0;
                        } else {
                            errors[client]++;
                        }
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        break;
                    } catch (Exception e) {
                        errors[client]++;
                    }
                }
                latencies[client] = Arrays.copyOf(mine, n);
            }, "bench-saturation-" + c);
            threads.add(t);
            t.start();
        }
        for (Thread t : threads) {
            try {
                t.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        double elapsed = (System.nanoTime() - start) / 1e9;
        long[] ok = Arrays.stream(latencies).flatMapToLong(Arrays::stream).toArray();
        return Latencies.of(endpoint, phase, uri.getRawPath() + (uri.getRawQuery() == null ? ""
                : "?" + uri.getRawQuery()), 0, clients, Arrays.stream(sent).sum(), Arrays.stream(errors).sum(),
                elapsed, ok);
    }
}

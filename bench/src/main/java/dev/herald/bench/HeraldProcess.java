package dev.herald.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;

/**
 * One Herald instance in a JVM of its own, started as an operator would start it against a cluster
 * ({@code dev.herald.app.Herald --bootstrap.servers=... }), so it can get its own heap, be measured from outside
 * (peak resident memory) and be killed. Stopped with SIGTERM, so Herald's shutdown hook runs; SIGKILL only when a
 * case asks for a crash.
 */
final class HeraldProcess implements AutoCloseable {
    private static final String MAIN = "dev.herald.app.Herald";
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(60);

    private final String name;
    private final List<String> command;
    private final Path log;
    private final int httpPort;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(2)).build();
    private final ObjectMapper json = new ObjectMapper();
    private Process process;
    private long spawnedAt;

    private HeraldProcess(String name, List<String> command, Path log, int httpPort) {
        this.name = name;
        this.command = command;
        this.log = log;
        this.httpPort = httpPort;
    }

    /**
     * The command for instance {@code name}: cluster mode against the harness's broker and registry, its own
     * application id and topic prefix (so instances never see each other's data unless they share them on purpose),
     * state under {@code dir}, Herald's defaults for everything else.
     */
    static HeraldProcess create(String name, BenchBroker broker, String applicationId, String topicPrefix, Path dir,
            String maxHeap, List<String> jvmArgs, List<String> heraldArgs) {
        int port = freePort();
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        if (maxHeap != null) {
            cmd.add("-Xmx" + maxHeap);
        }
        cmd.addAll(jvmArgs);
        cmd.add("-cp");
        cmd.add(classPath());
        cmd.add(MAIN);
        Map<String, String> flags = new LinkedHashMap<>();
        flags.put("bootstrap.servers", broker.bootstrapServers());
        flags.put("schema.registry.url", broker.registryUrl());
        flags.put("application.id", applicationId);
        flags.put("topic.prefix", topicPrefix);
        flags.put("data.dir", dir.resolve("data").toString());
        flags.put("http.host", "127.0.0.1");
        flags.put("http.port", Integer.toString(port));
        flags.put("advertised.host", "127.0.0.1");
        flags.put("demo", "false");
        flags.forEach((k, v) -> cmd.add("--" + k + "=" + v));
        cmd.addAll(heraldArgs);
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new HeraldProcess(name, List.copyOf(cmd), dir.resolve("herald.log"), port);
    }

    /**
     * The harness's own classpath: it holds Herald and all it needs. Under {@code java -jar} that is the bench jar,
     * whose manifest Class-Path names the libraries, which a JVM honours for any jar on its classpath.
     */
    private static String classPath() {
        List<String> entries = new ArrayList<>();
        for (String entry : System.getProperty("java.class.path").split(java.io.File.pathSeparator)) {
            if (!entry.isBlank()) {
                entries.add(Path.of(entry).toAbsolutePath().toString());
            }
        }
        return String.join(java.io.File.pathSeparator, entries);
    }

    static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    String name() {
        return name;
    }

    int httpPort() {
        return httpPort;
    }

    String address() {
        return "127.0.0.1:" + httpPort;
    }

    URI uri(String pathAndQuery) {
        return URI.create("http://" + address() + pathAndQuery);
    }

    /** Spawns the JVM (again, after a stop or kill: same data directory, same port). */
    void spawn() {
        if (process != null && process.isAlive()) {
            throw new IllegalStateException(name + " is already running");
        }
        ProcessBuilder builder = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        // Herald reads HERALD_* and KAFKA_* variables: the harness's own environment must not change the instance.
        builder.environment().keySet().removeIf(k -> k.startsWith("HERALD_") || k.startsWith("KAFKA_"));
        try {
            spawnedAt = System.nanoTime();
            process = builder.start();
        } catch (IOException e) {
            throw new UncheckedIOException("could not start " + name + ": " + e.getMessage(), e);
        }
    }

    /** Seconds from {@link #spawn} until /health/ready answers 200. */
    double awaitReady(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException(name + " exited with " + process.exitValue() + " before it was ready;"
                        + " see " + log);
            }
            if (status("/health/ready") == 200) {
                return BenchBroker.seconds(System.nanoTime() - spawnedAt);
            }
            Bench.sleep(50);
        }
        throw new IllegalStateException(name + " was not ready within " + timeout + "; see " + log);
    }

    /** GET {@code path}; the status code, or -1 when there was no answer. */
    int status(String path) {
        try {
            return http.send(HttpRequest.newBuilder(uri(path)).timeout(Duration.ofSeconds(5)).GET().build(),
                    HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (IOException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    /** GET {@code path} as JSON; throws unless the answer is 200. */
    JsonNode get(String path) {
        try {
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(uri(path))
                    .timeout(Duration.ofSeconds(10)).GET().build(), HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                throw new IllegalStateException("GET " + path + " on " + name + " answered " + response.statusCode()
                        + ": " + response.body());
            }
            return json.readTree(response.body());
        } catch (IOException e) {
            throw new UncheckedIOException("GET " + path + " on " + name + " failed: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Waits until GET {@code path} answers 200. */
    void awaitOk(String path, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (status(path) != 200) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("GET " + path + " on " + name + " not 200 within " + timeout);
            }
            Bench.sleep(100);
        }
    }

    /** CPU time the process has used so far, user and system, when the platform tells. */
    Optional<Duration> cpuTime() {
        return process.toHandle().info().totalCpuDuration();
    }

    /**
     * Waits until the process has used less than {@code cores} of a core over one {@code window}, for at most
     * {@code max}, and returns how long that took. A freshly finished large run leaves work behind (RocksDB compacts
     * what it wrote, the JIT compiles, the collector ages what the run left): on two cores, queries measured in that
     * time measure it too, and an idle phase is meant to measure Herald with nothing else to do.
     */
    Duration awaitQuiet(double cores, Duration window, Duration max) {
        long start = System.nanoTime();
        long deadline = start + max.toNanos();
        Optional<Duration> before = cpuTime();
        while (before.isPresent() && System.nanoTime() < deadline) {
            long t0 = System.nanoTime();
            Bench.sleep(window.toMillis());
            Optional<Duration> after = cpuTime();
            if (after.isEmpty()) {
                break;
            }
            double used = (after.get().toNanos() - before.get().toNanos()) / (double) (System.nanoTime() - t0);
            if (used < cores) {
                break;
            }
            before = after;
        }
        return Duration.ofNanos(System.nanoTime() - start);
    }

    /** Peak resident memory so far (VmHWM from /proc/&lt;pid&gt;/status), when the platform has it. */
    OptionalLong peakResidentBytes() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(process.pid()), "status"))) {
                if (line.startsWith("VmHWM:")) {
                    String[] parts = line.substring(6).trim().split("\\s+");
                    return OptionalLong.of(Long.parseLong(parts[0]) * 1024);
                }
            }
        } catch (IOException | RuntimeException e) {
            // not Linux
        }
        return OptionalLong.empty();
    }

    /** SIGTERM: Herald's shutdown hook stops HTTP, leaves the group and closes the streams cleanly. */
    void stop() {
        if (process == null || !process.isAlive()) {
            return;
        }
        process.destroy();
        try {
            if (!process.waitFor(STOP_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
                Bench.say(name + " did not stop within " + STOP_TIMEOUT + " of SIGTERM; killing it");
                kill();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            kill();
        }
    }

    /** SIGKILL: a crash, nothing flushed, no group left. */
    void kill() {
        if (process == null) {
            return;
        }
        process.destroyForcibly();
        try {
            process.waitFor(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** System.nanoTime of the latest {@link #spawn}. */
    long spawnedAtNanos() {
        return spawnedAt;
    }

    boolean alive() {
        return process != null && process.isAlive();
    }

    Path log() {
        return log;
    }

    @Override
    public void close() {
        stop();
    }
}

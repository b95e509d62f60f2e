package dev.herald.devstack;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import kafka.tools.StorageTool;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.utils.Time;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** A real single-node Kafka broker (KRaft, broker and controller in one) in this JVM, keeping its data in a folder. */
public final class EmbeddedKafka implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(EmbeddedKafka.class);

    private static final String HOST = "127.0.0.1";
    // Fixed, because meta.properties records it: a later start with another id would refuse the directory.
    private static final int NODE_ID = 1;
    private static final String CLIENT_LISTENER = "PLAINTEXT";
    private static final String CONTROLLER_LISTENER = "CONTROLLER";
    private static final String META_PROPERTIES = "meta.properties";
    private static final String LOCK_FILE = "herald-embedded.lock";
    private static final Duration READY_TIMEOUT = Duration.ofSeconds(60);
    // Only ports we picked ourselves can be lost to a race with another process; retrying with fresh ones fixes that.
    private static final int START_ATTEMPTS = 3;

    /** Broker-side loggers; client ones (org.apache.kafka.clients, .streams, .common) are left to the application. */
    private static final List<String> BROKER_LOGGERS = List.of(
            "kafka", "state.change.logger",
            "org.apache.kafka.server", "org.apache.kafka.controller", "org.apache.kafka.raft",
            "org.apache.kafka.metadata", "org.apache.kafka.image", "org.apache.kafka.storage",
            "org.apache.kafka.coordinator", "org.apache.kafka.queue", "org.apache.kafka.snapshot",
            "org.apache.kafka.security", "org.apache.kafka.network", "org.apache.kafka.deferred",
            "org.apache.kafka.timeline");

    private final KafkaRaftServer server;
    private final DirectoryLock lock;
    private final Path dataDir;
    private final int port;
    private final String clusterId;
    private final AtomicBoolean closed = new AtomicBoolean();

    private EmbeddedKafka(KafkaRaftServer server, DirectoryLock lock, Path dataDir, int port, String clusterId) {
        this.server = server;
        this.lock = lock;
        this.dataDir = dataDir;
        this.port = port;
        this.clusterId = clusterId;
    }

    /**
     * Starts a broker keeping its data in {@code dataDir} (formatted on first use, reused afterwards) and serving
     * clients on 127.0.0.1:{@code port} (0 picks a free port); returns once clients can use it.
     *
     * <p>This is Kafka's own server ({@link KafkaRaftServer}) with its own fault handling: a fatal metadata fault
     * halts the JVM, as it would halt a broker process.
     *
     * @throws IllegalStateException naming the directory and port when the broker cannot start
     */
    public static EmbeddedKafka start(Path dataDir, int port) {
        Objects.requireNonNull(dataDir, "dataDir");
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("Embedded Kafka port must be 0..65535: " + port);
        }
        Path dir = dataDir.toAbsolutePath().normalize();
        quietBrokerLogging();
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new IllegalStateException("Embedded Kafka cannot create its data directory " + dir + ": " + e, e);
        }
        DirectoryLock lock = DirectoryLock.acquire(dir);
        try {
            return start(dir, port, lock);
        } catch (RuntimeException | Error e) {
            lock.release();
            throw e;
        }
    }

    private static EmbeddedKafka start(Path dir, int port, DirectoryLock lock) {
        if (port != 0 && !isFree(port)) {
            throw new IllegalStateException("Embedded Kafka cannot listen on " + HOST + ":" + port
                    + ": the port is in use (another Herald or Kafka running?). Data directory: " + dir);
        }
        String clusterId = ensureFormatted(dir);
        long started = System.nanoTime();
        RuntimeException last = null;
        for (int attempt = 1; attempt <= START_ATTEMPTS; attempt++) {
            int clientPort = port != 0 ? port : freePort(-1);
            int controllerPort = freePort(clientPort);
            try {
                KafkaRaftServer server = startServer(dir, clientPort, controllerPort);
                EmbeddedKafka kafka = new EmbeddedKafka(server, lock, dir, clientPort, clusterId);
                log.info("Embedded Kafka ready at {} (cluster {}, data in {}) after {} ms", kafka.bootstrapServers(),
                        clusterId, dir, TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started));
                return kafka;
            } catch (RuntimeException e) {
                last = e;
                if (!isBindFailure(e) || attempt == START_ATTEMPTS) {
                    break;
                }
                log.warn("Embedded Kafka lost port {} or {} to another process; retrying with other ports",
                        clientPort, controllerPort);
            }
        }
        String address = HOST + ":" + (port == 0 ? "<free port>" : String.valueOf(port));
        throw new IllegalStateException("Embedded Kafka failed to start on " + address + " with data directory " + dir
                + ": " + rootMessage(last), last);
    }

    private static KafkaRaftServer startServer(Path dir, int clientPort, int controllerPort) {
        KafkaConfig config = new KafkaConfig(brokerProperties(dir, clientPort, controllerPort), false);
        KafkaRaftServer server = new KafkaRaftServer(config, Time.SYSTEM);
        try {
            server.startup();
            awaitReady(HOST + ":" + clientPort);
            return server;
        } catch (RuntimeException e) {
            try {
                server.shutdown();
                server.awaitShutdown();
            } catch (RuntimeException shutdownFailure) {
                e.addSuppressed(shutdownFailure);
            }
            throw e;
        }
    }

    private static Properties brokerProperties(Path dir, int clientPort, int controllerPort) {
        Properties p = new Properties();
        p.put("process.roles", "broker,controller");
        p.put("node.id", String.valueOf(NODE_ID));
        // A static voter set (kraft.version 0): the voters come from this setting on every start rather than from the
        // log, so the controller may get a different free port each time.
        p.put("controller.quorum.voters", NODE_ID + "@" + HOST + ":" + controllerPort);
        p.put("controller.listener.names", CONTROLLER_LISTENER);
        p.put("listeners", CLIENT_LISTENER + "://" + HOST + ":" + clientPort + ","
                + CONTROLLER_LISTENER + "://" + HOST + ":" + controllerPort);
        p.put("advertised.listeners", CLIENT_LISTENER + "://" + HOST + ":" + clientPort);
        p.put("inter.broker.listener.name", CLIENT_LISTENER);
        p.put("listener.security.protocol.map", CLIENT_LISTENER + ":PLAINTEXT," + CONTROLLER_LISTENER + ":PLAINTEXT");
        p.put("log.dirs", dir.toString());

        // One node: every internal topic must make do with one replica, or groups and transactions never start.
        p.put("default.replication.factor", "1");
        p.put("min.insync.replicas", "1");
        p.put("offsets.topic.replication.factor", "1");
        p.put("transaction.state.log.replication.factor", "1");
        p.put("transaction.state.log.min.isr", "1");
        p.put("share.coordinator.state.topic.replication.factor", "1");
        p.put("share.coordinator.state.topic.min.isr", "1");
        // The defaults (50 partitions each) take many seconds to create on a small machine.
        p.put("offsets.topic.num.partitions", "4");
        p.put("transaction.state.log.num.partitions", "4");
        p.put("share.coordinator.state.topic.num.partitions", "1");
        p.put("num.partitions", "1");
        // Nobody else will join: do not make the first consumer group wait for more members.
        p.put("group.initial.rebalance.delay.ms", "0");
        p.put("group.streams.initial.rebalance.delay.ms", "0");
        // Topics come from Herald's topic setup; a typo in a client must fail, not create a stray topic.
        p.put("auto.create.topics.enable", "false");

        // Sized for a laptop rather than a server: threads for two cores, a 32 MiB instead of 128 MiB cleaner buffer.
        p.put("num.network.threads", "2");
        p.put("num.io.threads", "4");
        p.put("num.recovery.threads.per.data.dir", "1");
        p.put("log.cleaner.dedupe.buffer.size", String.valueOf(32 * 1024 * 1024));
        // Unfencing waits for a heartbeat round trip; a shorter interval shortens every start. After a crash the
        // controller accepts the restarted broker only once the old registration's session has expired (9 s by
        // default); broker and controller share this process, so a short session risks little.
        p.put("broker.heartbeat.interval.ms", "500");
        p.put("broker.session.timeout.ms", "3000");
        return p;
    }

    /**
     * Formats {@code dir} with {@code kafka-storage.sh format}, run in this JVM, if it holds no meta.properties yet,
     * and returns the cluster id, old or new. A directory formatted for another node id is refused here with a clear
     * message rather than by the broker later.
     */
    private static String ensureFormatted(Path dir) {
        Path metaFile = dir.resolve(META_PROPERTIES);
        if (Files.exists(metaFile)) {
            Properties meta = new Properties();
            try (var in = Files.newBufferedReader(metaFile, StandardCharsets.UTF_8)) {
                meta.load(in);
            } catch (IOException e) {
                throw new IllegalStateException("Embedded Kafka cannot read " + metaFile + ": " + e, e);
            }
            String nodeId = meta.getProperty("node.id");
            if (nodeId != null && !nodeId.strip().equals(String.valueOf(NODE_ID))) {
                throw new IllegalStateException("Embedded Kafka data directory " + dir + " belongs to node " + nodeId
                        + ", not to the embedded node " + NODE_ID);
            }
            String clusterId = meta.getProperty("cluster.id");
            if (clusterId == null || clusterId.isBlank()) {
                throw new IllegalStateException("Embedded Kafka data directory " + dir
                        + " has a meta.properties without a cluster.id (damaged, or not a KRaft data directory?)");
            }
            log.info("Reusing Kafka data in {} (cluster {})", dir, clusterId.strip());
            return clusterId.strip();
        }
        String clusterId = Uuid.randomUuid().toString();
        ByteArrayOutputStream output = new ByteArrayOutputStream();
        Path configFile = null;
        try {
            // StorageTool reads the same properties the broker gets: log.dirs, node.id, the controller listener and
            // controller.quorum.voters, whose presence makes it format for a static quorum.
            configFile = Files.createTempFile("herald-kafka-format", ".properties");
            try (var out = Files.newBufferedWriter(configFile, StandardCharsets.UTF_8)) {
                brokerProperties(dir, 0, freePort(-1)).store(out, "Herald embedded Kafka, for formatting only");
            }
            int exitCode = StorageTool.execute(
                    new String[] {"format", "--cluster-id", clusterId, "--config", configFile.toString()},
                    new PrintStream(output, true, StandardCharsets.UTF_8));
            if (exitCode != 0) {
                throw new IllegalStateException("kafka-storage format exited with " + exitCode + ": "
                        + output.toString(StandardCharsets.UTF_8).strip());
            }
        } catch (Exception e) {
            throw new IllegalStateException("Embedded Kafka could not format its data directory " + dir + ": " + e, e);
        } finally {
            if (configFile != null) {
                try {
                    Files.deleteIfExists(configFile);
                } catch (IOException e) {
                    log.debug("Could not delete {}", configFile, e);
                }
            }
        }
        output.toString(StandardCharsets.UTF_8).lines().filter(line -> !line.isBlank())
                .forEach(line -> log.debug("kafka-storage format: {}", line));
        log.info("Formatted new Kafka data directory {} (cluster {})", dir, clusterId);
        return clusterId;
    }

    /** Waits until the broker, not just its sockets, answers: a client sees it unfenced in the cluster metadata. */
    private static void awaitReady(String bootstrap) {
        Map<String, Object> config = Map.of(
                AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 5_000,
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 10_000,
                AdminClientConfig.CLIENT_ID_CONFIG, "herald-embedded-kafka-probe");
        long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
        Exception last = null;
        try (Admin admin = Admin.create(config)) {
            while (System.nanoTime() < deadline) {
                try {
                    Collection<Node> nodes = admin.describeCluster(new DescribeClusterOptions().timeoutMs(5_000))
                            .nodes().get(10, TimeUnit.SECONDS);
                    if (nodes.stream().anyMatch(node -> node.id() == NODE_ID)) {
                        return;
                    }
                } catch (ExecutionException | TimeoutException e) {
                    last = e;
                }
                Thread.sleep(100);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while waiting for the embedded Kafka broker at " + bootstrap,
                    e);
        }
        throw new IllegalStateException("Embedded Kafka broker at " + bootstrap + " was not ready within "
                + READY_TIMEOUT.toSeconds() + " s" + (last == null ? "" : ": " + rootMessage(last)), last);
    }

    /** "127.0.0.1:port" of the client listener. */
    public String bootstrapServers() {
        return HOST + ":" + port;
    }

    /** The directory holding the broker's data. */
    public Path dataDir() {
        return dataDir;
    }

    /** The KRaft cluster id, the same on every start from the same data directory. */
    public String clusterId() {
        return clusterId;
    }

    /** Shuts the broker down in order (flushing logs, releasing the directory lock) and waits for it; idempotent. */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        long started = System.nanoTime();
        try {
            server.shutdown();
            server.awaitShutdown();
        } finally {
            lock.release();
        }
        log.info("Embedded Kafka at {} stopped after {} ms", bootstrapServers(),
                TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started));
    }

    @Override
    public String toString() {
        return "EmbeddedKafka[" + bootstrapServers() + ", " + dataDir + "]";
    }

    /**
     * Lowers the broker's own loggers to WARN unless the application's logging configuration already sets them: at
     * INFO the broker prints its whole configuration and every partition state change.
     */
    private static void quietBrokerLogging() {
        if (!(LoggerFactory.getILoggerFactory() instanceof LoggerContext context)) {
            return;
        }
        for (String name : BROKER_LOGGERS) {
            ch.qos.logback.classic.Logger logger = context.getLogger(name);
            if (logger.getLevel() == null) {
                logger.setLevel(Level.WARN);
            }
        }
    }

    private static boolean isFree(int port) {
        try (ServerSocket socket = new ServerSocket()) {
            socket.setReuseAddress(true);
            socket.bind(new InetSocketAddress(InetAddress.getByName(HOST), port));
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static int freePort(int avoid) {
        for (int i = 0; i < 10; i++) {
            try (ServerSocket socket = new ServerSocket()) {
                socket.setReuseAddress(true);
                socket.bind(new InetSocketAddress(InetAddress.getByName(HOST), 0));
                int port = socket.getLocalPort();
                if (port != avoid) {
                    return port;
                }
            } catch (IOException e) {
                throw new UncheckedIOException("Embedded Kafka found no free port on " + HOST, e);
            }
        }
        throw new IllegalStateException("Embedded Kafka found no free port on " + HOST);
    }

    private static boolean isBindFailure(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof BindException
                    || Optional.ofNullable(t.getMessage()).orElse("").contains("failed to bind")) {
                return true;
            }
        }
        return false;
    }

    private static String rootMessage(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root == e ? String.valueOf(e.getMessage()) : e.getMessage() + " (cause: " + root + ")";
    }

    /**
     * Herald's own lock on the data directory, held from before formatting until after shutdown. Kafka's lock is not
     * enough: in combined mode it is taken by the broker half, after the controller half has already opened (and may
     * have written to) the metadata log of a directory another instance is using.
     */
    private static final class DirectoryLock {
        private final FileChannel channel;
        private final FileLock lock;

        private DirectoryLock(FileChannel channel, FileLock lock) {
            this.channel = channel;
            this.lock = lock;
        }

        static DirectoryLock acquire(Path dir) {
            Path file = dir.resolve(LOCK_FILE);
            FileChannel channel;
            try {
                channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            } catch (IOException e) {
                throw new IllegalStateException("Embedded Kafka cannot open its lock file " + file + ": " + e, e);
            }
            FileLock lock;
            try {
                lock = channel.tryLock();
            } catch (OverlappingFileLockException sameJvm) {
                lock = null;
            } catch (IOException e) {
                closeQuietly(channel);
                throw new IllegalStateException("Embedded Kafka cannot lock " + file + ": " + e, e);
            }
            if (lock == null) {
                closeQuietly(channel);
                throw new IllegalStateException("Embedded Kafka data directory " + dir
                        + " is in use by another embedded Kafka (in this or another process)");
            }
            return new DirectoryLock(channel, lock);
        }

        void release() {
            try {
                lock.release();
            } catch (IOException e) {
                log.debug("Could not release {}", LOCK_FILE, e);
            } finally {
                closeQuietly(channel);
            }
        }

        private static void closeQuietly(FileChannel channel) {
            try {
                channel.close();
            } catch (IOException e) {
                log.debug("Could not close {}", LOCK_FILE, e);
            }
        }
    }
}

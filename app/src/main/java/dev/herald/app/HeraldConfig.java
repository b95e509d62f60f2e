package dev.herald.app;

import dev.herald.topology.HeraldTopologyConfig;
import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.TreeMap;

/**
 * Herald's whole configuration, resolved once at start-up: defaults in code, then an optional properties file, then
 * environment variables, then command-line flags. A bad or missing setting stops start-up with a message naming it.
 *
 * <p>Names are {@code herald.*} (env: {@code HERALD_HTTP_PORT} for {@code herald.http.port}); any {@code kafka.*}
 * setting is passed to Kafka Streams and its clients without the prefix (env: {@code KAFKA_NUM_STREAM_THREADS}).
 * Unknown names are errors in files and flags; in the environment they are ignored with a warning.
 */
public record HeraldConfig(
        String bootstrapServers,
        String schemaRegistryUrl,
        String applicationId,
        Path stateDir,
        Path dataDir,
        String httpHost,
        int httpPort,
        String advertisedHost,
        int advertisedPort,
        int campaignPartitions,
        boolean demo,
        int demoRecipients,
        int embeddedKafkaPort,
        int embeddedRegistryPort,
        HeraldTopologyConfig topology,
        Map<String, String> kafka) {

    public static final String CONFIG_FILE = "herald.config.file";

    static final Map<String, String> DEFAULTS = defaults();
    private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(HeraldConfig.class);

    private static Map<String, String> defaults() {
        HeraldTopologyConfig t = HeraldTopologyConfig.defaults();
        Map<String, String> d = new LinkedHashMap<>();
        d.put("herald.bootstrap.servers", "");
        d.put("herald.schema.registry.url", "");
        d.put("herald.application.id", "herald");
        d.put("herald.data.dir", ".herald");
        d.put("herald.state.dir", "");
        d.put("herald.http.host", "0.0.0.0");
        d.put("herald.http.port", "8080");
        d.put("herald.advertised.host", "");
        d.put("herald.advertised.port", "");
        d.put("herald.topic.prefix", t.topicPrefix());
        d.put("herald.campaign.partitions", "2");
        d.put("herald.recipients.partitions", Integer.toString(t.recipientsPartitions()));
        d.put("herald.scheduler.interval", t.schedulerInterval().toString());
        d.put("herald.scheduler.misfire.threshold", t.misfireThreshold().toString());
        d.put("herald.fanout.interval", t.fanoutInterval().toString());
        d.put("herald.fanout.chunk.size", Integer.toString(t.fanoutChunkSize()));
        d.put("herald.summary.retention", t.summaryRetention().toString());
        d.put("herald.summary.grace", t.summaryGrace().toString());
        d.put("herald.demo", "auto");
        d.put("herald.demo.recipients", "100000");
        d.put("herald.embedded.kafka.port", "19092");
        d.put("herald.embedded.registry.port", "18081");
        return Map.copyOf(d);
    }

    /** Resolves the configuration from all sources; {@code env} and {@code args} are passed in so tests need no globals. */
    public static HeraldConfig load(Map<String, String> env, String... args) {
        Map<String, String> flags = parseFlags(args);
        Map<String, String> settings = new TreeMap<>(DEFAULTS);
        String file = Optional.ofNullable(flags.get(CONFIG_FILE)).orElse(env.get(envName(CONFIG_FILE)));
        if (file != null && !file.isBlank()) {
            settings.putAll(readFile(Path.of(file)));
        }
        env.forEach((name, value) -> {
            String setting = name.toLowerCase().replace('_', '.');
            if (name.startsWith("KAFKA_") || DEFAULTS.containsKey(setting)) {
                settings.put(setting, value);
            } else if (name.startsWith("HERALD_") && !setting.equals(CONFIG_FILE)) {
                // Platforms inject variables of their own (Kubernetes: HERALD_PORT for a service named herald).
                log.warn("Ignoring environment variable {}: {} is not a Herald setting", name, setting);
            }
        });
        settings.putAll(flags);
        settings.remove(CONFIG_FILE);
        return from(settings);
    }

    /** Builds the configuration from resolved settings; every value is checked and errors name the setting. */
    public static HeraldConfig from(Map<String, String> raw) {
        Map<String, String> s = new TreeMap<>(DEFAULTS);
        s.putAll(raw);
        for (String name : s.keySet()) {
            if (name.startsWith("herald.") && !DEFAULTS.containsKey(name)) {
                throw new ConfigException(name, "is not a Herald setting (known: " + DEFAULTS.keySet() + ")");
            }
        }
        String bootstrap = s.get("herald.bootstrap.servers").trim();
        String registry = s.get("herald.schema.registry.url").trim();
        if (!bootstrap.isEmpty() && registry.isEmpty()) {
            throw new ConfigException("herald.schema.registry.url",
                    "is required when herald.bootstrap.servers is set (a cluster needs its schema registry)");
        }
        if (!registry.isEmpty() && !registry.matches("(https?|mock)://.+")) {
            throw new ConfigException("herald.schema.registry.url", "must be an http(s):// URL (was '" + registry + "')");
        }
        Path dataDir = Path.of(nonBlank(s, "herald.data.dir"));
        String stateDir = s.get("herald.state.dir").trim();
        int httpPort = port(s, "herald.http.port", false);
        String advertisedPort = s.get("herald.advertised.port").trim();
        HeraldTopologyConfig topology;
        try {
            topology = new HeraldTopologyConfig(
                    s.get("herald.topic.prefix"),
                    positiveInt(s, "herald.recipients.partitions"),
                    duration(s, "herald.scheduler.interval"),
                    duration(s, "herald.scheduler.misfire.threshold"),
                    duration(s, "herald.fanout.interval"),
                    positiveInt(s, "herald.fanout.chunk.size"),
                    duration(s, "herald.summary.retention"),
                    duration(s, "herald.summary.grace"));
        } catch (IllegalArgumentException e) {
            throw e instanceof ConfigException ? e : new ConfigException(e.getMessage());
        }
        String demo = s.get("herald.demo").trim().toLowerCase();
        if (!List.of("auto", "true", "false").contains(demo)) {
            throw new ConfigException("herald.demo", "must be auto, true or false (was '" + demo + "')");
        }
        Map<String, String> kafka = new TreeMap<>();
        s.forEach((name, value) -> {
            if (name.startsWith("kafka.")) {
                kafka.put(name.substring("kafka.".length()), value);
            }
        });
        return new HeraldConfig(
                bootstrap.isEmpty() ? null : bootstrap,
                registry.isEmpty() ? null : registry,
                nonBlank(s, "herald.application.id"),
                stateDir.isEmpty() ? dataDir.resolve("state") : Path.of(stateDir),
                dataDir,
                nonBlank(s, "herald.http.host"),
                httpPort,
                advertisedHost(s, bootstrap.isEmpty()),
                advertisedPort.isEmpty() ? httpPort : port(s, "herald.advertised.port", false),
                positiveInt(s, "herald.campaign.partitions"),
                demo.equals("true") || (demo.equals("auto") && bootstrap.isEmpty()),
                positiveInt(s, "herald.demo.recipients"),
                port(s, "herald.embedded.kafka.port", true),
                port(s, "herald.embedded.registry.port", true),
                topology,
                Map.copyOf(kafka));
    }

    /** True when Herald runs its own broker and registry (no bootstrap servers given). */
    public boolean embedded() {
        return bootstrapServers == null;
    }

    public String advertised() {
        return advertisedHost + ":" + advertisedPort;
    }

    /** The same configuration pointed at a running broker and registry (used once the embedded ones are up). */
    public HeraldConfig withServers(String bootstrap, String registryUrl) {
        return new HeraldConfig(bootstrap, registryUrl, applicationId, stateDir, dataDir, httpHost, httpPort,
                advertisedHost, advertisedPort, campaignPartitions, demo, demoRecipients, embeddedKafkaPort,
                embeddedRegistryPort, topology, kafka);
    }

    private static Map<String, String> parseFlags(String... args) {
        Map<String, String> flags = new LinkedHashMap<>();
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            if (!arg.startsWith("--")) {
                throw new ConfigException("unexpected argument '" + arg + "' (settings are --name=value)");
            }
            String body = arg.substring(2);
            String name;
            String value;
            int eq = body.indexOf('=');
            if (eq >= 0) {
                name = body.substring(0, eq);
                value = body.substring(eq + 1);
            } else if (i + 1 < args.length && !args[i + 1].startsWith("--")) {
                name = body;
                value = args[++i];
            } else {
                throw new ConfigException("flag --" + body + " needs a value (--" + body + "=value)");
            }
            if (name.equals("config")) {
                name = CONFIG_FILE;
            } else if (!name.startsWith("herald.") && !name.startsWith("kafka.")) {
                name = "herald." + name;
            }
            flags.put(name, value);
        }
        return flags;
    }

    private static Map<String, String> readFile(Path file) {
        if (!Files.isReadable(file)) {
            throw new ConfigException(CONFIG_FILE, "file " + file.toAbsolutePath() + " cannot be read");
        }
        Properties props = new Properties();
        try (Reader in = Files.newBufferedReader(file)) {
            props.load(in);
        } catch (IOException e) {
            throw new ConfigException(CONFIG_FILE, "file " + file + " is not a properties file: " + e.getMessage());
        }
        Map<String, String> out = new LinkedHashMap<>();
        props.forEach((k, v) -> out.put(k.toString().trim(), v.toString().trim()));
        return out;
    }

    static String envName(String setting) {
        return setting.toUpperCase().replace('.', '_');
    }

    /** Instances find each other by it: a shared default such as localhost would make them all one. */
    private static String advertisedHost(Map<String, String> s, boolean embedded) {
        String host = s.get("herald.advertised.host").trim();
        if (!host.isEmpty()) {
            return host;
        }
        if (embedded) {
            return "localhost";
        }
        throw new ConfigException("herald.advertised.host",
                "is required with herald.bootstrap.servers: it is how other instances reach this one");
    }

    private static String nonBlank(Map<String, String> s, String name) {
        String v = s.get(name);
        if (v == null || v.isBlank()) {
            throw new ConfigException(name, "must not be empty");
        }
        return v.trim();
    }

    private static int positiveInt(Map<String, String> s, String name) {
        try {
            int v = Integer.parseInt(s.get(name).trim());
            if (v < 1) {
                throw new ConfigException(name, "must be at least 1 (was " + v + ")");
            }
            return v;
        } catch (NumberFormatException e) {
            throw new ConfigException(name, "must be a whole number (was '" + s.get(name) + "')");
        }
    }

    private static int port(Map<String, String> s, String name, boolean zeroAllowed) {
        try {
            int v = Integer.parseInt(s.get(name).trim());
            if (v < (zeroAllowed ? 0 : 1) || v > 65535) {
                throw new ConfigException(name, "must be a port number " + (zeroAllowed ? 0 : 1) + "-65535 (was " + v
                        + ")");
            }
            return v;
        } catch (NumberFormatException e) {
            throw new ConfigException(name, "must be a port number (was '" + s.get(name) + "')");
        }
    }

    private static Duration duration(Map<String, String> s, String name) {
        String v = s.get(name).trim().toLowerCase();
        try {
            java.util.regex.Matcher short_ = java.util.regex.Pattern.compile("(\\d+)(ms|s|m|h|d)").matcher(v);
            if (short_.matches()) {
                long n = Long.parseLong(short_.group(1));
                return switch (short_.group(2)) {
                    case "ms" -> Duration.ofMillis(n);
                    case "s" -> Duration.ofSeconds(n);
                    case "m" -> Duration.ofMinutes(n);
                    case "h" -> Duration.ofHours(n);
                    default -> Duration.ofDays(n);
                };
            }
            return Duration.parse(v.toUpperCase());
        } catch (DateTimeParseException | NumberFormatException e) {
            throw new ConfigException(name, "must be a duration such as 500ms, 1s, 5m, 7d or PT1H (was '" + v + "')");
        }
    }

    /** A setting that cannot be used; the message starts with the setting's name. */
    public static final class ConfigException extends IllegalArgumentException {
        public ConfigException(String setting, String problem) {
            super(setting + " " + problem);
        }

        public ConfigException(String message) {
            super(message);
        }
    }
}

package dev.herald.app;

import com.eatthepath.pushy.apns.ApnsClientBuilder;
import dev.herald.query.routing.ApiToken;
import dev.herald.topology.HeraldTopologyConfig;
import dev.herald.topology.InvalidParameterException;
import java.io.IOException;
import java.io.Reader;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Properties;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Herald's whole configuration, resolved once at start-up: defaults in code, then an optional properties file, then
 * environment variables, then command-line flags. A bad or missing setting stops start-up with a message naming it.
 *
 * <p>Names are {@code herald.*} (env: {@code HERALD_HTTP_PORT} for {@code herald.http.port}); any {@code kafka.*}
 * setting is passed to Kafka Streams and its clients without the prefix (env: {@code KAFKA_NUM_STREAM_THREADS}).
 * Unknown names are errors in files and flags; in the environment they are ignored with a warning.
 *
 * <p>This is the only place that knows the settings' names, defaults and parsing: the topology and the topic setup
 * take typed values and name a bad one by its parameter, which {@link #settingError} turns back into the setting.
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
        String topicPrefix,
        int campaignPartitions,
        boolean demo,
        int demoRecipients,
        int embeddedKafkaPort,
        int embeddedRegistryPort,
        ApiToken apiToken,
        boolean metricsNeedToken,
        int standbyReplicas,
        HeraldTopologyConfig topology,
        int streamThreads,
        String instanceId,
        Map<String, String> kafka,
        Sender sender) {

    public static final String CONFIG_FILE = "herald.config.file";

    /**
     * Every setting with its default. A constant's name is also the parameter the topology or the topic setup report
     * a bad value by, in camel case ({@code RECIPIENTS_PARTITIONS}: {@code recipientsPartitions}).
     */
    enum Setting {
        BOOTSTRAP_SERVERS("herald.bootstrap.servers", ""),
        SCHEMA_REGISTRY_URL("herald.schema.registry.url", ""),
        APPLICATION_ID("herald.application.id", "herald"),
        DATA_DIR("herald.data.dir", ".herald"),
        STATE_DIR("herald.state.dir", ""),
        HTTP_HOST("herald.http.host", "0.0.0.0"),
        HTTP_PORT("herald.http.port", "8080"),
        ADVERTISED_HOST("herald.advertised.host", ""),
        ADVERTISED_PORT("herald.advertised.port", ""),
        TOPIC_PREFIX("herald.topic.prefix", "herald."),
        CAMPAIGN_PARTITIONS("herald.campaign.partitions", "2"),
        RECIPIENTS_PARTITIONS("herald.recipients.partitions", "4"),
        SCHEDULER_INTERVAL("herald.scheduler.interval", "1s"),
        MISFIRE_THRESHOLD("herald.scheduler.misfire.threshold", "1m"),
        FANOUT_INTERVAL("herald.fanout.interval", "100ms"),
        FANOUT_CHUNK_SIZE("herald.fanout.chunk.size", "2000"),
        FANOUT_STEP_BUDGET("herald.fanout.step.budget", "200ms"),
        OUTCOMES_TOPIC("herald.outcomes.topic", ""),
        SUMMARY_RETENTION("herald.summary.retention", "7d"),
        SUMMARY_GRACE("herald.summary.grace", "5m"),
        RUNS_RETENTION("herald.runs.retention", "30d"),
        DROP_DEAD_TARGETS("herald.receipts.drop.dead.targets", "false"),
        DEMO("herald.demo", "auto"),
        DEMO_RECIPIENTS("herald.demo.recipients", "100000"),
        EMBEDDED_KAFKA_PORT("herald.embedded.kafka.port", "19092"),
        EMBEDDED_REGISTRY_PORT("herald.embedded.registry.port", "18081"),
        HTTP_AUTH_TOKEN("herald.http.auth.token", ""),
        HTTP_AUTH_TOKEN_FILE("herald.http.auth.token.file", ""),
        HTTP_AUTH_METRICS("herald.http.auth.metrics", "false"),
        STANDBY_REPLICAS("herald.standby.replicas", "1"),
        HTTP_URL("herald.http.url", ""),
        STREAM_THREADS("herald.stream.threads", "auto"),
        INSTANCE_ID("herald.instance.id", "auto"),
        SENDER_ENABLED("herald.sender.enabled", "auto"),
        SENDER_MAIL_TRANSPORT("herald.sender.mail.transport", "log"),
        SENDER_PUSH_TRANSPORT("herald.sender.push.transport", "log"),
        SENDER_PUSH_FCM_PROJECT("herald.sender.push.fcm.project", ""),
        SENDER_PUSH_FCM_CREDENTIALS("herald.sender.push.fcm.credentials", ""),
        SENDER_PUSH_FCM_URL("herald.sender.push.fcm.url", "https://fcm.googleapis.com"),
        SENDER_PUSH_APNS_KEY("herald.sender.push.apns.key", ""),
        SENDER_PUSH_APNS_TEAM("herald.sender.push.apns.team", ""),
        SENDER_PUSH_APNS_KEY_ID("herald.sender.push.apns.key.id", ""),
        SENDER_PUSH_APNS_BUNDLE("herald.sender.push.apns.bundle", ""),
        SENDER_PUSH_APNS_ENVIRONMENT("herald.sender.push.apns.environment", "production"),
        SENDER_PUSH_APNS_HOST("herald.sender.push.apns.host", ""),
        SENDER_PUSH_APNS_PORT("herald.sender.push.apns.port", "443"),
        SENDER_SMTP_HOST("herald.sender.mail.smtp.host", ""),
        SENDER_SMTP_PORT("herald.sender.mail.smtp.port", "25"),
        SENDER_SMTP_USERNAME("herald.sender.mail.smtp.username", ""),
        SENDER_SMTP_PASSWORD("herald.sender.mail.smtp.password", ""),
        SENDER_SMTP_STARTTLS("herald.sender.mail.smtp.starttls", "false"),
        SENDER_SMTP_FROM("herald.sender.mail.smtp.from", ""),
        SENDER_SMTP_CONNECTIONS("herald.sender.mail.smtp.connections", "4"),
        SENDER_RETRY_BACKOFFS("herald.sender.retry.backoffs", "1s,5s,30s"),
        SENDER_MAIL_RATE("herald.sender.mail.rate", "0"),
        SENDER_PUSH_RATE("herald.sender.push.rate", "0"),
        SENDER_MAX_IN_FLIGHT("herald.sender.max.in.flight", "64");


        final String key;
        final String defaultValue;

        Setting(String key, String defaultValue) {
            this.key = key;
            this.defaultValue = defaultValue;
        }

        String parameter() {
            return Pattern.compile("_([a-z])").matcher(name().toLowerCase()).replaceAll(m -> m.group(1).toUpperCase());
        }
    }

    static final Map<String, String> DEFAULTS = Arrays.stream(Setting.values())
            .collect(Collectors.toUnmodifiableMap(setting -> setting.key, setting -> setting.defaultValue));
    private static final Pattern GROUP_INSTANCE_ID = Pattern.compile("[a-zA-Z0-9._-]{1,200}");
    private static final Pattern SHORT_DURATION = Pattern.compile("(\\d+)(ms|s|m|h|d)");
    private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(HeraldConfig.class);

    /** Resolves the configuration from all sources; {@code env} and {@code args} are passed in so tests need no globals. */
    public static HeraldConfig load(Map<String, String> env, String... args) {
        return from(resolve(env, args));
    }

    /**
     * The configuration of {@code herald sender}: the server's own settings (same file, environment, flags), but as
     * it serves no HTTP it needs no advertised host. Without {@code herald.bootstrap.servers} it connects to the
     * embedded default's broker and registry on this host (a running {@code java -jar herald.jar}).
     */
    public static HeraldConfig loadSender(Map<String, String> env, String... args) {
        Map<String, String> raw = resolve(env, args);
        if (raw.getOrDefault(Setting.ADVERTISED_HOST.key, "").isBlank()) {
            raw.put(Setting.ADVERTISED_HOST.key, "localhost");
        }
        HeraldConfig config = from(raw);
        ClientSettings client = loadClient(env, args);
        return config.withServers(client.bootstrapServers(), client.schemaRegistryUrl());
    }

    /**
     * What the command line connects to, resolved from the same sources as the server's configuration (so one file
     * or environment serves both). Without {@code herald.bootstrap.servers} it is the embedded default's broker and
     * registry on this host, at their configured ports.
     */
    public static ClientSettings loadClient(Map<String, String> env, String... args) {
        Values s = known(resolve(env, args));
        Map<String, String> all = s.all();
        String bootstrap = s.text(Setting.BOOTSTRAP_SERVERS);
        String registry = s.text(Setting.SCHEMA_REGISTRY_URL);
        if (bootstrap.isEmpty()) {
            bootstrap = "127.0.0.1:" + s.port(Setting.EMBEDDED_KAFKA_PORT, false);
            if (registry.isEmpty()) {
                registry = "http://127.0.0.1:" + s.port(Setting.EMBEDDED_REGISTRY_PORT, false);
            }
        } else if (registry.isEmpty()) {
            throw new ConfigException(Setting.SCHEMA_REGISTRY_URL.key, "is required when "
                    + Setting.BOOTSTRAP_SERVERS.key + " is set (a cluster needs its schema registry)");
        }
        if (!registry.matches("(https?|mock)://.+")) {
            throw new ConfigException(Setting.SCHEMA_REGISTRY_URL.key,
                    "must be an http(s):// URL (was '" + registry + "')");
        }
        String httpUrl = s.text(Setting.HTTP_URL);
        if (httpUrl.isEmpty()) {
            httpUrl = "http://localhost:" + s.port(Setting.HTTP_PORT, false);
        } else if (!httpUrl.matches("https?://.+")) {
            throw new ConfigException(Setting.HTTP_URL.key, "must be an http(s):// URL (was '" + httpUrl + "')");
        }
        String prefix = all.get(Setting.TOPIC_PREFIX.key);
        if (!prefix.matches("[A-Za-z0-9._-]*")) {
            throw new ConfigException(Setting.TOPIC_PREFIX.key,
                    "may hold only letters, digits, '.', '_' and '-' (was " + prefix + ")");
        }
        Map<String, String> kafka = new TreeMap<>();
        all.forEach((name, value) -> {
            if (name.startsWith("kafka.")) {
                kafka.put(name.substring("kafka.".length()), value);
            }
        });
        return new ClientSettings(bootstrap, registry, httpUrl.replaceAll("/+$", ""), apiToken(s), prefix,
                Map.copyOf(kafka));
    }

    /**
     * Where the command line finds Herald: the Kafka cluster and schema registry it produces to and reads from, the
     * HTTP API it queries, the topic prefix, and the {@code kafka.*} client settings (security, say).
     */
    public record ClientSettings(String bootstrapServers, String schemaRegistryUrl, String httpUrl,
            ApiToken apiToken, String topicPrefix, Map<String, String> kafka) {
    }

    /** Defaults, then the file, then the environment, then the flags: every setting by its full name. */
    private static Map<String, String> resolve(Map<String, String> env, String... args) {
        Map<String, String> flags = parseFlags(args);
        Map<String, String> settings = new TreeMap<>(DEFAULTS);
        String file = Optional.ofNullable(flags.get(CONFIG_FILE))
                .orElse(env.get(CONFIG_FILE.toUpperCase().replace('.', '_')));
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
        return settings;
    }

    /** The defaults overridden by {@code raw}, refusing any {@code herald.*} name that is not a setting. */
    private static Values known(Map<String, String> raw) {
        Map<String, String> all = new TreeMap<>(DEFAULTS);
        all.putAll(raw);
        for (String name : all.keySet()) {
            if (name.startsWith("herald.") && !DEFAULTS.containsKey(name)) {
                throw new ConfigException(name, "is not a Herald setting (known: " + DEFAULTS.keySet() + ")");
            }
        }
        return new Values(all);
    }

    /** Builds the configuration from resolved settings; every value is checked and errors name the setting. */
    public static HeraldConfig from(Map<String, String> raw) {
        Values s = known(raw);
        Map<String, String> all = s.all();
        String bootstrap = s.text(Setting.BOOTSTRAP_SERVERS);
        String registry = s.text(Setting.SCHEMA_REGISTRY_URL);
        if (!bootstrap.isEmpty() && registry.isEmpty()) {
            throw new ConfigException(Setting.SCHEMA_REGISTRY_URL.key, "is required when "
                    + Setting.BOOTSTRAP_SERVERS.key + " is set (a cluster needs its schema registry)");
        }
        if (!registry.isEmpty() && !registry.matches("(https?|mock)://.+")) {
            throw new ConfigException(Setting.SCHEMA_REGISTRY_URL.key,
                    "must be an http(s):// URL (was '" + registry + "')");
        }
        String prefix = all.get(Setting.TOPIC_PREFIX.key);
        if (!prefix.matches("[A-Za-z0-9._-]*")) {
            throw new ConfigException(Setting.TOPIC_PREFIX.key,
                    "may hold only letters, digits, '.', '_' and '-' (was " + prefix + ")");
        }
        Path dataDir = Path.of(s.nonBlank(Setting.DATA_DIR));
        String stateDir = s.text(Setting.STATE_DIR);
        int httpPort = s.port(Setting.HTTP_PORT, true);
        HeraldTopologyConfig topology;
        try {
            topology = new HeraldTopologyConfig(
                    s.positiveInt(Setting.RECIPIENTS_PARTITIONS),
                    s.duration(Setting.SCHEDULER_INTERVAL),
                    s.duration(Setting.MISFIRE_THRESHOLD),
                    s.duration(Setting.FANOUT_INTERVAL),
                    s.positiveInt(Setting.FANOUT_CHUNK_SIZE),
                    s.duration(Setting.SUMMARY_RETENTION),
                    s.duration(Setting.SUMMARY_GRACE),
                    s.duration(Setting.FANOUT_STEP_BUDGET),
                    s.text(Setting.OUTCOMES_TOPIC).isEmpty() ? null : s.text(Setting.OUTCOMES_TOPIC),
                    s.duration(Setting.RUNS_RETENTION),
                    s.bool(Setting.DROP_DEAD_TARGETS));
        } catch (InvalidParameterException e) {
            throw settingError(e);
        }
        String demo = s.text(Setting.DEMO).toLowerCase();
        if (!List.of("auto", "true", "false").contains(demo)) {
            throw new ConfigException(Setting.DEMO.key, "must be auto, true or false (was '" + demo + "')");
        }
        Map<String, String> kafka = new TreeMap<>();
        all.forEach((name, value) -> {
            if (name.startsWith("kafka.")) {
                kafka.put(name.substring("kafka.".length()), value);
            }
        });
        boolean demoOn = demo.equals("true") || (demo.equals("auto") && bootstrap.isEmpty());
        Sender sender = sender(s, demoOn);
        return new HeraldConfig(
                bootstrap.isEmpty() ? null : bootstrap,
                registry.isEmpty() ? null : registry,
                s.nonBlank(Setting.APPLICATION_ID),
                stateDir.isEmpty() ? dataDir.resolve("state") : Path.of(stateDir),
                dataDir,
                s.nonBlank(Setting.HTTP_HOST),
                httpPort,
                advertisedHost(s, bootstrap.isEmpty()),
                s.text(Setting.ADVERTISED_PORT).isEmpty() ? httpPort : s.port(Setting.ADVERTISED_PORT, false),
                prefix,
                s.positiveInt(Setting.CAMPAIGN_PARTITIONS),
                demoOn,
                s.positiveInt(Setting.DEMO_RECIPIENTS),
                s.port(Setting.EMBEDDED_KAFKA_PORT, true),
                s.port(Setting.EMBEDDED_REGISTRY_PORT, true),
                apiToken(s),
                s.bool(Setting.HTTP_AUTH_METRICS),
                s.nonNegativeInt(Setting.STANDBY_REPLICAS),
                topology,
                streamThreads(s),
                instanceId(s),
                Map.copyOf(kafka),
                sender);
    }

    /**
     * The senders' settings ({@code herald.sender.*}): whether this instance runs them, the transport of each channel,
     * SMTP, the retry backoffs and the rates.
     *
     * @param enabled       run the senders in this process (in-process with the server)
     * @param mailTransport {@code log} or {@code smtp}
     * @param pushTransport {@code log} or {@code providers}
     * @param smtp          the SMTP server (used when mailTransport is smtp)
     * @param fcm           FCM (used when pushTransport is providers), or null when not configured
     * @param apns          APNs (used when pushTransport is providers), or null when not configured
     * @param backoffs      delays before retry 1, 2, ...; empty: no retries
     * @param mailRate      mails per second per instance at most; 0: unlimited
     * @param pushRate      pushes per second per instance at most; 0: unlimited
     * @param maxInFlight   messages sent concurrently per channel at most
     */
    public record Sender(boolean enabled, String mailTransport, String pushTransport, Smtp smtp, Fcm fcm, Apns apns,
            List<Duration> backoffs, double mailRate, double pushRate, int maxInFlight) {

        /** The push providers configured, for logs: {@code FCM (project p), APNs (production, bundle b)}. */
        public String pushProviders() {
            if (!pushTransport.equals("providers")) {
                return pushTransport;
            }
            return Stream.of(fcm, apns).filter(Objects::nonNull).map(Object::toString)
                    .collect(Collectors.joining(", "));
        }
    }

    /**
     * Firebase Cloud Messaging (Android, web and other tokens): the Firebase project, the service account's JSON key
     * file, and the API's base URL ({@code https://fcm.googleapis.com}; another for tests or an emulator).
     */
    public record Fcm(String project, Path credentials, URI url) {
        @Override
        public String toString() {
            return "FCM (project " + project + ")";
        }
    }

    /**
     * Apple Push Notification service (iOS tokens) with token-based authentication: the .p8 signing key file, the
     * team id, the key id, the app's bundle id (the notifications' topic), {@code production} or {@code sandbox}, and
     * the server it connects to (the environment's, unless overridden for tests).
     */
    public record Apns(Path key, String team, String keyId, String bundle, String environment, String host,
            int port) {
        @Override
        public String toString() {
            return "APNs (" + environment + ", bundle " + bundle + ")";
        }
    }

    /** An SMTP server: host, port, optional login, STARTTLS, the From address, connections at most. */
    public record Smtp(String host, int port, String username, String password, boolean startTls, String from,
            int connections) {
        @Override
        public String toString() {
            // Never the password.
            return "Smtp[" + host + ":" + port + (username.isEmpty() ? "" : ", user " + username)
                    + (startTls ? ", starttls" : "") + ", from " + from + "]";
        }
    }

    private static Sender sender(Values s, boolean demo) {
        String enabled = s.text(Setting.SENDER_ENABLED).toLowerCase();
        if (!List.of("auto", "true", "false").contains(enabled)) {
            throw new ConfigException(Setting.SENDER_ENABLED.key, "must be auto, true or false (was '" + enabled + "')");
        }
        String mail = s.text(Setting.SENDER_MAIL_TRANSPORT).toLowerCase();
        if (!List.of("log", "smtp").contains(mail)) {
            throw new ConfigException(Setting.SENDER_MAIL_TRANSPORT.key, "must be log or smtp (was '" + mail + "')");
        }
        String push = s.text(Setting.SENDER_PUSH_TRANSPORT).toLowerCase();
        if (!List.of("log", "providers").contains(push)) {
            throw new ConfigException(Setting.SENDER_PUSH_TRANSPORT.key, "must be log or providers (was '" + push
                    + "')");
        }
        Fcm fcm = null;
        Apns apns = null;
        if (push.equals("providers")) {
            fcm = fcm(s);
            apns = apns(s);
            if (fcm == null && apns == null) {
                throw new ConfigException(Setting.SENDER_PUSH_TRANSPORT.key, "is providers but no provider is "
                        + "configured: set " + Setting.SENDER_PUSH_FCM_PROJECT.key + " and "
                        + Setting.SENDER_PUSH_FCM_CREDENTIALS.key + " (FCM), or the herald.sender.push.apns.* settings "
                        + "(APNs), or both");
            }
        }
        String host = s.text(Setting.SENDER_SMTP_HOST);
        String from = s.text(Setting.SENDER_SMTP_FROM);
        String username = s.text(Setting.SENDER_SMTP_USERNAME);
        if (mail.equals("smtp")) {
            if (host.isEmpty()) {
                throw new ConfigException(Setting.SENDER_SMTP_HOST.key, "is required when "
                        + Setting.SENDER_MAIL_TRANSPORT.key + " is smtp");
            }
            if (!from.matches("[^@\\s]+@[^@\\s]+")) {
                throw new ConfigException(Setting.SENDER_SMTP_FROM.key, "must be a mail address when "
                        + Setting.SENDER_MAIL_TRANSPORT.key + " is smtp (was '" + from + "')");
            }
        }
        Smtp smtp = new Smtp(host, s.port(Setting.SENDER_SMTP_PORT, false), username,
                s.all().get(Setting.SENDER_SMTP_PASSWORD.key), s.bool(Setting.SENDER_SMTP_STARTTLS), from,
                s.positiveInt(Setting.SENDER_SMTP_CONNECTIONS));
        return new Sender(enabled.equals("true") || (enabled.equals("auto") && demo), mail, push, smtp, fcm, apns,
                s.durations(Setting.SENDER_RETRY_BACKOFFS), s.rate(Setting.SENDER_MAIL_RATE),
                s.rate(Setting.SENDER_PUSH_RATE), s.positiveInt(Setting.SENDER_MAX_IN_FLIGHT));
    }

    /** FCM when its project or credentials are set (then both must be), else null. */
    private static Fcm fcm(Values s) {
        String project = s.text(Setting.SENDER_PUSH_FCM_PROJECT);
        String credentials = s.text(Setting.SENDER_PUSH_FCM_CREDENTIALS);
        if (project.isEmpty() && credentials.isEmpty()) {
            return null;
        }
        if (project.isEmpty()) {
            throw new ConfigException(Setting.SENDER_PUSH_FCM_PROJECT.key, "is required with "
                    + Setting.SENDER_PUSH_FCM_CREDENTIALS.key + " (the Firebase project id)");
        }
        if (!project.matches("[A-Za-z0-9._:-]+")) {
            throw new ConfigException(Setting.SENDER_PUSH_FCM_PROJECT.key, "must be a Firebase project id (was '"
                    + project + "')");
        }
        if (credentials.isEmpty()) {
            throw new ConfigException(Setting.SENDER_PUSH_FCM_CREDENTIALS.key, "is required with "
                    + Setting.SENDER_PUSH_FCM_PROJECT.key + " (the service account's JSON key file)");
        }
        String url = s.nonBlank(Setting.SENDER_PUSH_FCM_URL);
        if (!url.matches("https?://[^\\s]+")) {
            throw new ConfigException(Setting.SENDER_PUSH_FCM_URL.key, "must be an http(s):// URL (was '" + url + "')");
        }
        URI uri;
        try {
            uri = URI.create(url);
        } catch (IllegalArgumentException e) {
            throw new ConfigException(Setting.SENDER_PUSH_FCM_URL.key, "must be an http(s):// URL (was '" + url + "')");
        }
        return new Fcm(project, readableFile(Setting.SENDER_PUSH_FCM_CREDENTIALS, credentials), uri);
    }

    /** APNs when any of its key, team, key id or bundle is set (then all must be), else null. */
    private static Apns apns(Values s) {
        List<Setting> required = List.of(Setting.SENDER_PUSH_APNS_KEY, Setting.SENDER_PUSH_APNS_TEAM,
                Setting.SENDER_PUSH_APNS_KEY_ID, Setting.SENDER_PUSH_APNS_BUNDLE);
        List<Setting> set = required.stream().filter(setting -> !s.text(setting).isEmpty()).toList();
        if (set.isEmpty()) {
            return null;
        }
        for (Setting setting : required) {
            if (s.text(setting).isEmpty()) {
                throw new ConfigException(setting.key, "is required with " + set.get(0).key + ": APNs needs "
                        + required.stream().map(r -> r.key).collect(Collectors.joining(", ")));
            }
        }
        String environment = s.text(Setting.SENDER_PUSH_APNS_ENVIRONMENT).toLowerCase();
        if (!List.of("production", "sandbox").contains(environment)) {
            throw new ConfigException(Setting.SENDER_PUSH_APNS_ENVIRONMENT.key, "must be production or sandbox (was '"
                    + environment + "')");
        }
        String host = s.text(Setting.SENDER_PUSH_APNS_HOST);
        if (host.isEmpty()) {
            host = environment.equals("production") ? ApnsClientBuilder.PRODUCTION_APNS_HOST
                    : ApnsClientBuilder.DEVELOPMENT_APNS_HOST;
        }
        Path key = readableFile(Setting.SENDER_PUSH_APNS_KEY, s.text(Setting.SENDER_PUSH_APNS_KEY));
        return new Apns(key, s.text(Setting.SENDER_PUSH_APNS_TEAM), s.text(Setting.SENDER_PUSH_APNS_KEY_ID),
                s.text(Setting.SENDER_PUSH_APNS_BUNDLE), environment, host,
                s.port(Setting.SENDER_PUSH_APNS_PORT, false));
    }

    /** A file a setting names, which must exist and be readable now (its content is never logged). */
    private static Path readableFile(Setting setting, String value) {
        Path file;
        try {
            file = Path.of(value);
        } catch (RuntimeException e) {
            throw new ConfigException(setting.key, "must be a file path (was '" + value + "')");
        }
        if (!Files.isRegularFile(file) || !Files.isReadable(file)) {
            throw new ConfigException(setting.key, "file " + file.toAbsolutePath() + " does not exist or cannot be "
                    + "read");
        }
        return file;
    }

    /** The token from the setting or from the file it names (one of the two), or none: the API is then open. */
    private static ApiToken apiToken(Values s) {
        String inline = s.text(Setting.HTTP_AUTH_TOKEN);
        String file = s.text(Setting.HTTP_AUTH_TOKEN_FILE);
        if (!inline.isEmpty() && !file.isEmpty()) {
            throw new ConfigException(Setting.HTTP_AUTH_TOKEN_FILE.key, "and " + Setting.HTTP_AUTH_TOKEN.key
                    + " are both set: give the token one way");
        }
        Setting source = file.isEmpty() ? Setting.HTTP_AUTH_TOKEN : Setting.HTTP_AUTH_TOKEN_FILE;
        String token = inline;
        if (!file.isEmpty()) {
            try {
                token = Files.readString(Path.of(file)).strip();
            } catch (IOException | RuntimeException e) {
                throw new ConfigException(source.key, "file " + file + " cannot be read");
            }
            if (token.isEmpty()) {
                throw new ConfigException(source.key, "file " + file + " is empty");
            }
        }
        if (token.isEmpty()) {
            return ApiToken.NONE;
        }
        try {
            return ApiToken.of(token);
        } catch (IllegalArgumentException e) {
            // The message says what is wrong with it, never the token.
            throw new ConfigException(source.key, e.getMessage());
        }
    }

    /**
     * Stream threads: {@code auto} is one per core the JVM sees, as one thread per instance left all but one core
     * idle while the fan-out, the channels and the summaries waited on each other.
     */
    private static int streamThreads(Values s) {
        return s.text(Setting.STREAM_THREADS).equals("auto") ? Runtime.getRuntime().availableProcessors()
                : s.positiveInt(Setting.STREAM_THREADS);
    }

    /** {@code auto}, {@code none}, or an id Kafka accepts as a group instance id (Kafka Streams adds a suffix). */
    private static String instanceId(Values s) {
        String id = s.nonBlank(Setting.INSTANCE_ID);
        if (!id.equals("auto") && !id.equals("none") && !GROUP_INSTANCE_ID.matcher(id).matches()) {
            throw new ConfigException(Setting.INSTANCE_ID.key, "must be auto, none, or 1 to 200 of the characters "
                    + "a-z A-Z 0-9 . _ - (was '" + id + "')");
        }
        return id;
    }

    /**
     * The consumer group instance id of this instance's stream threads (static membership, KIP-345), or empty for
     * dynamic membership. A restarted instance, even one killed with SIGKILL, comes back under the same id and takes
     * its tasks back at once; a new dynamic member would wait out the dead member's session (45 s by default).
     * {@code auto} derives it from the advertised address, which is already unique per instance and stable across
     * restarts unless the HTTP port is chosen at start ({@code herald.http.port=0}).
     */
    public Optional<String> groupInstanceId() {
        return switch (instanceId) {
            case "none" -> Optional.empty();
            case "auto" -> Optional.of(applicationId + "-" + advertised().replaceAll("[^a-zA-Z0-9._-]", "_"));
            default -> Optional.of(instanceId);
        };
    }

    /** A parameter the topology or the topic setup rejected, as the problem of the setting behind it. */
    static ConfigException settingError(InvalidParameterException e) {
        return Arrays.stream(Setting.values())
                .filter(setting -> setting.parameter().equals(e.parameter()))
                .findFirst()
                .map(setting -> new ConfigException(setting.key, e.problem()))
                .orElseGet(() -> new ConfigException(e.getMessage()));
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
                advertisedHost, advertisedPort, topicPrefix, campaignPartitions, demo, demoRecipients,
                embeddedKafkaPort, embeddedRegistryPort, apiToken, metricsNeedToken, standbyReplicas, topology, streamThreads,
                instanceId, kafka, sender);
    }

    /** This configuration advertising {@code port}: the HTTP port bound when {@code herald.http.port} was 0. */
    public HeraldConfig withAdvertisedPort(int port) {
        return new HeraldConfig(bootstrapServers, schemaRegistryUrl, applicationId, stateDir, dataDir, httpHost, httpPort,
                advertisedHost, port, topicPrefix, campaignPartitions, demo, demoRecipients,
                embeddedKafkaPort, embeddedRegistryPort, apiToken, metricsNeedToken, standbyReplicas, topology, streamThreads,
                instanceId, kafka, sender);
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

    /** Instances find each other by it: a shared default such as localhost would make them all one. */
    private static String advertisedHost(Values s, boolean embedded) {
        String host = s.text(Setting.ADVERTISED_HOST);
        if (!host.isEmpty()) {
            return host;
        }
        if (embedded) {
            return "localhost";
        }
        throw new ConfigException(Setting.ADVERTISED_HOST.key, "is required with " + Setting.BOOTSTRAP_SERVERS.key
                + ": it is how other instances reach this one");
    }

    /** Resolved settings read as typed values; a value that does not parse is an error naming its setting. */
    private record Values(Map<String, String> all) {

        String text(Setting setting) {
            return all.get(setting.key).trim();
        }

        String nonBlank(Setting setting) {
            String v = text(setting);
            if (v.isEmpty()) {
                throw new ConfigException(setting.key, "must not be empty");
            }
            return v;
        }

        boolean bool(Setting setting) {
            String v = text(setting).toLowerCase();
            if (!v.equals("true") && !v.equals("false")) {
                throw new ConfigException(setting.key, "must be true or false (was '" + all.get(setting.key) + "')");
            }
            return v.equals("true");
        }

        int nonNegativeInt(Setting setting) {
            return intAtLeast(setting, 0);
        }

        int positiveInt(Setting setting) {
            return intAtLeast(setting, 1);
        }

        private int intAtLeast(Setting setting, int min) {
            try {
                int v = Integer.parseInt(text(setting));
                if (v < min) {
                    throw new ConfigException(setting.key, (min == 0 ? "must be 0 or more" : "must be at least " + min)
                            + " (was " + v + ")");
                }
                return v;
            } catch (NumberFormatException e) {
                throw new ConfigException(setting.key, "must be a whole number (was '" + all.get(setting.key) + "')");
            }
        }

        int port(Setting setting, boolean zeroAllowed) {
            try {
                int v = Integer.parseInt(text(setting));
                if (v < (zeroAllowed ? 0 : 1) || v > 65535) {
                    throw new ConfigException(setting.key, "must be a port number " + (zeroAllowed ? 0 : 1)
                            + "-65535 (was " + v + ")");
                }
                return v;
            } catch (NumberFormatException e) {
                throw new ConfigException(setting.key, "must be a port number (was '" + all.get(setting.key) + "')");
            }
        }

        /** A comma-separated list of durations; empty or {@code none}: no durations. */
        List<Duration> durations(Setting setting) {
            String v = text(setting).toLowerCase();
            if (v.isEmpty() || v.equals("none")) {
                return List.of();
            }
            List<Duration> out = Arrays.stream(v.split(",")).map(one -> duration(setting, one.trim())).toList();
            if (out.stream().anyMatch(Duration::isNegative)) {
                throw new ConfigException(setting.key, "must not hold a negative duration (was '" + v + "')");
            }
            return out;
        }

        /** A number of messages per second, 0 or more (0: unlimited). */
        double rate(Setting setting) {
            try {
                double v = Double.parseDouble(text(setting));
                if (!(v >= 0) || Double.isInfinite(v)) {
                    throw new NumberFormatException();
                }
                return v;
            } catch (NumberFormatException e) {
                throw new ConfigException(setting.key, "must be a number of messages per second, 0 or more "
                        + "(0: unlimited) (was '" + all.get(setting.key) + "')");
            }
        }

        Duration duration(Setting setting) {
            return duration(setting, text(setting).toLowerCase());
        }

        private Duration duration(Setting setting, String v) {
            try {
                Matcher short_ = SHORT_DURATION.matcher(v);
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
                throw new ConfigException(setting.key,
                        "must be a duration such as 500ms, 1s, 5m, 7d or PT1H (was '" + v + "')");
            }
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

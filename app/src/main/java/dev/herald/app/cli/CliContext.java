package dev.herald.app.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import dev.herald.app.HeraldConfig;
import dev.herald.serdes.SchemaRegistryClient;
import dev.herald.serdes.SchemaRegistryClients;
import dev.herald.topology.HeraldSerdes;
import dev.herald.topology.HeraldTopics;
import java.io.PrintWriter;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

/**
 * What every command shares: the connection options (inherited by every subcommand, resolved with the server's own
 * configuration sources), the output streams and format, the clock, and the schema registry and topics once a
 * command needs them. One per invocation.
 */
final class CliContext implements AutoCloseable {

    /** How results are printed: aligned tables for people, JSON for scripts. */
    enum Output { table, json }

    @Option(names = "--config", scope = ScopeType.INHERIT, paramLabel = "FILE",
            description = "Properties file with Herald's settings (as the server's --config; also HERALD_CONFIG_FILE).")
    String configFile;

    @Option(names = "--bootstrap.servers", scope = ScopeType.INHERIT, paramLabel = "HOST:PORT",
            description = "Kafka bootstrap servers (default: the embedded default's, 127.0.0.1:19092).")
    String bootstrapServers;

    @Option(names = "--schema.registry.url", scope = ScopeType.INHERIT, paramLabel = "URL",
            description = "Schema registry (default: the embedded default's, http://127.0.0.1:18081).")
    String schemaRegistryUrl;

    @Option(names = "--http.url", scope = ScopeType.INHERIT, paramLabel = "URL",
            description = "Herald's HTTP API, for queries (default: http://localhost:<herald.http.port>).")
    String httpUrl;

    @Option(names = {"-o", "--output"}, scope = ScopeType.INHERIT, paramLabel = "FORMAT", defaultValue = "table",
            description = "table (default) or json.")
    Output output = Output.table;

    final Map<String, String> env;
    final PrintWriter out;
    final PrintWriter err;
    final Clock clock;
    /** Progress bars only on a terminal: in scripts and logs they are noise. */
    final boolean progress;
    final ObjectMapper json = new ObjectMapper().registerModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);

    private HeraldConfig.ClientSettings settings;
    private SchemaRegistryClient registry;
    private HeraldTopics topics;
    private HeraldHttp http;

    CliContext(Map<String, String> env, PrintWriter out, PrintWriter err, Clock clock, boolean progress) {
        this.env = env;
        this.out = out;
        this.err = err;
        this.clock = clock;
        this.progress = progress;
    }

    /** The connection settings: flags over environment over file over defaults, as for the server. */
    HeraldConfig.ClientSettings settings() {
        if (settings == null) {
            List<String> flags = new ArrayList<>();
            add(flags, "config", configFile);
            add(flags, "bootstrap.servers", bootstrapServers);
            add(flags, "schema.registry.url", schemaRegistryUrl);
            add(flags, "http.url", httpUrl);
            try {
                settings = HeraldConfig.loadClient(env, flags.toArray(String[]::new));
            } catch (HeraldConfig.ConfigException e) {
                throw new CliException(ExitCodes.USAGE, e.getMessage(), e);
            }
        }
        return settings;
    }

    HeraldTopics topics() {
        if (topics == null) {
            registry = SchemaRegistryClients.fromUrl(settings().schemaRegistryUrl());
            topics = HeraldTopics.of(settings().topicPrefix(), HeraldSerdes.using(registry));
        }
        return topics;
    }

    HeraldHttp http() {
        if (http == null) {
            http = new HeraldHttp(settings().httpUrl(), settings().apiToken(), json);
        }
        return http;
    }

    KafkaAccess kafka() {
        return new KafkaAccess(settings(), topics());
    }

    boolean json() {
        return output == Output.json;
    }

    /** Prints {@code value} as indented JSON (for --output json). */
    void printJson(Object value) {
        try {
            out.println(json.writerWithDefaultPrettyPrinter().writeValueAsString(value));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("cannot write JSON: " + e.getMessage(), e);
        }
        out.flush();
    }

    private static void add(List<String> flags, String name, String value) {
        if (value != null) {
            flags.add("--" + name + "=" + value);
        }
    }

    @Override
    public void close() {
        if (registry != null) {
            registry.close();
        }
    }
}

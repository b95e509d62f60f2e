package dev.herald.app.cli;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.joran.JoranConfigurator;
import ch.qos.logback.core.joran.spi.JoranException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Map;
import java.util.Set;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Spec;

/**
 * The {@code herald} command line: {@code java -jar herald.jar <command>}. Without a command the jar runs the
 * server; with one, this parses it and runs it against the cluster, registry and HTTP API the server's own
 * settings name (file, environment, flags), defaulting to the embedded default's.
 */
@Command(name = "herald", mixinStandardHelpOptions = true, versionProvider = HeraldCli.Version.class,
        description = {"Operate Herald: campaigns, recipients, runs, summaries, dead letters, parked messages, senders.",
                "Without a command, java -jar herald.jar runs the Herald server (see README)."},
        subcommands = {CampaignCommands.class, RecipientsCommands.class, RunsCommands.class, SummaryCommand.class,
                DeadLettersCommands.class, ParkedCommands.class, SenderCommand.class, CommandLine.HelpCommand.class},
        footer = {"", "Exit codes: 0 done; 1 some input refused (invalid file or lines, replay refused);",
                "2 usage error or bad setting; 3 Kafka, registry or Herald unreachable or failing;",
                "4 campaign, run or parked message not found."})
public final class HeraldCli implements Runnable {

    /** Options that make {@code main} run the command line (its help, its version) instead of the server. */
    private static final Set<String> ENTRY_WORDS = Set.of("-h", "--help", "-V", "--version");

    @Mixin
    CliContext context;

    @Spec
    CommandLine.Model.CommandSpec spec;

    HeraldCli(CliContext context) {
        this.context = context;
    }

    /**
     * True when {@code args} name a command or ask for help. The server's arguments all start with {@code --}
     * ({@code --name=value}), so any other first word is a command, and a mistyped one gets the command line's
     * "did you mean" rather than the server's complaint about settings.
     */
    public static boolean isCommand(String[] args) {
        return args.length > 0 && (ENTRY_WORDS.contains(args[0]) || !args[0].startsWith("--"));
    }

    /** Runs one command with the process's streams; returns its exit code. */
    public static int run(Map<String, String> env, String... args) {
        quietLogging();
        PrintWriter out = new PrintWriter(System.out, true, StandardCharsets.UTF_8);
        PrintWriter err = new PrintWriter(System.err, true, StandardCharsets.UTF_8);
        return run(new CliContext(env, out, err, Clock.systemUTC(), System.console() != null), args);
    }

    /** Runs one command in {@code context} (tests give their own streams, environment and clock). */
    static int run(CliContext context, String... args) {
        try (context) {
            return commandLine(context).execute(args);
        }
    }

    static CommandLine commandLine(CliContext context) {
        CommandLine cli = new CommandLine(HeraldCli.class, new Factory(context));
        cli.setOut(context.out);
        cli.setErr(context.err);
        cli.setCaseInsensitiveEnumValuesAllowed(true);
        cli.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
            if (e instanceof CliException failure) {
                commandLine.getErr().println("herald: " + failure.getMessage());
                return failure.exitCode();
            }
            commandLine.getErr().println("herald: " + e);
            return ExitCodes.UNAVAILABLE;
        });
        return cli;
    }

    @Override
    public void run() {
        // No subcommand: say what there is (the server runs only when the jar gets no command at all).
        spec.commandLine().usage(context.out);
    }

    /**
     * Kafka's clients log to the console what a command reports itself (and would break --output json on stdout):
     * the command line keeps only errors, on stderr.
     */
    private static void quietLogging() {
        if (LoggerFactory.getILoggerFactory() instanceof LoggerContext logback) {
            logback.reset();
            JoranConfigurator configurator = new JoranConfigurator();
            configurator.setContext(logback);
            try {
                configurator.doConfigure(HeraldCli.class.getResource("/logback-cli.xml"));
            } catch (JoranException e) {
                System.err.println("herald: logging not configured: " + e.getMessage());
            }
        }
    }

    /** Builds commands with the invocation's context, and the context itself where it is a mixin. */
    private record Factory(CliContext context) implements CommandLine.IFactory {
        @Override
        public <K> K create(Class<K> type) throws Exception {
            if (type == CliContext.class) {
                return type.cast(context);
            }
            try {
                var constructor = type.getDeclaredConstructor(CliContext.class);
                return constructor.newInstance(context);
            } catch (NoSuchMethodException e) {
                return CommandLine.defaultFactory().create(type);
            }
        }
    }

    /** The jar's version, from its manifest when built by Maven. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String version = HeraldCli.class.getPackage().getImplementationVersion();
            return new String[] {"herald " + (version == null ? "(development build)" : version)};
        }
    }
}

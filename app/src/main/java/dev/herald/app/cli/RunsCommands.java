package dev.herald.app.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code herald runs ...}: follow a run until it completes, then its results per channel and reason. */
@Command(name = "runs", mixinStandardHelpOptions = true, description = "Watch and show runs.")
final class RunsCommands {
    /** How long {@code watch} waits for a run that does not exist yet: the tick may still be on its way. */
    private static final Duration APPEAR_WITHIN = Duration.ofSeconds(60);
    /** Without a terminal, a progress line at most this often. */
    private static final Duration LOG_EVERY = Duration.ofSeconds(5);

    private final CliContext context;

    RunsCommands(CliContext context) {
        this.context = context;
    }

    @Command(name = "watch", mixinStandardHelpOptions = true,
            description = {"Follow a run (a progress bar on a terminal) until it is COMPLETED, then print its "
                    + "results per channel and reason.", "Waits up to a minute for a run that has not started yet."})
    int watch(@Parameters(paramLabel = "RUN_ID") String runId,
            @Option(names = "--interval", paramLabel = "MILLIS", defaultValue = "500",
                    description = "Poll interval in milliseconds (default ${DEFAULT-VALUE}).") long interval) {
        String path = "/api/runs/" + URLEncoder.encode(runId, StandardCharsets.UTF_8);
        long appearBy = System.nanoTime() + APPEAR_WITHIN.toNanos();
        long lastLog = 0;
        JsonNode run;
        try (Progress progress = Progress.start(context.progress, "Run", " deliveries", 0)) {
            while (true) {
                try {
                    run = context.http().get(path);
                } catch (CliException e) {
                    if (e.exitCode() != ExitCodes.NOT_FOUND || System.nanoTime() > appearBy) {
                        throw e;
                    }
                    HeraldHttp.sleepMillis(interval);
                    continue;
                }
                long counted = run.path("counted").asLong();
                long expected = run.path("expected").asLong();
                progress.to(counted, Math.max(expected, counted));
                progress.message(run.path("partitionsReported").asInt() + "/" + run.path("partitionCount").asInt()
                        + " partitions reported");
                if ("COMPLETED".equals(run.path("status").asText())) {
                    break;
                }
                if (!context.progress && !context.json() && System.nanoTime() - lastLog > LOG_EVERY.toNanos()) {
                    lastLog = System.nanoTime();
                    context.err.printf("%s %s: %,d of %,d deliveries counted (%s partitions of %s reported)%n",
                            run.path("status").asText(), runId, counted, expected,
                            run.path("partitionsReported").asText(), run.path("partitionCount").asText());
                    context.err.flush();
                }
                HeraldHttp.sleepMillis(interval);
            }
        }
        if (context.json()) {
            context.printJson(run);
        } else {
            printRun(run, context.out);
        }
        return ExitCodes.OK;
    }

    /** A run's headline, its per-channel counts and its reasons. */
    static void printRun(JsonNode run, PrintWriter out) {
        out.printf("%s %s: %,d of %,d deliveries (%s%%), started %s, completed %s%n", run.path("runId").asText(),
                run.path("status").asText(), run.path("counted").asLong(), run.path("expected").asLong(),
                run.path("percent").asText(), run.path("startedAt").asText("-"),
                run.path("completedAt").asText("-"));
        channelTable(run.path("push"), run.path("mail")).print(out);
        reasonTable(run.path("reasons")).print(out);
    }

    static Table channelTable(JsonNode push, JsonNode mail) {
        Table table = new Table("CHANNEL", "SUCCESS", "ERROR", "MISSING", "FILTERED", "MESSAGES");
        channelRow(table, "push", push);
        channelRow(table, "mail", mail);
        return table;
    }

    static void channelRow(Table table, String label, JsonNode counts) {
        table.row(label, counts.path("success").asLong(), counts.path("error").asLong(),
                counts.path("missing").asLong(), counts.path("filtered").asLong(), counts.path("messages").asLong());
    }

    static Table reasonTable(JsonNode reasons) {
        Table table = new Table("REASON", "DELIVERIES");
        reasons.fields().forEachRemaining(r -> table.row(r.getKey(), r.getValue().asLong()));
        return table;
    }
}

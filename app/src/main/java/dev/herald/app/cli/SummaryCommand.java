package dev.herald.app.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.StringJoiner;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code herald summary CAMPAIGN}: a campaign's counts per 1-minute or 1-hour window, and their totals. */
@Command(name = "summary", mixinStandardHelpOptions = true,
        description = "A campaign's outcomes per window (1m or 1h) and their totals.")
final class SummaryCommand implements Callable<Integer> {
    private final CliContext context;

    @Parameters(paramLabel = "CAMPAIGN")
    String campaignId;

    @Option(names = "--window", paramLabel = "1m|1h", defaultValue = "1h",
            description = "Window size (default ${DEFAULT-VALUE}).")
    String window;

    @Option(names = "--from", paramLabel = "WHEN",
            description = "ISO-8601 instant or age (30m, 2h, 7d); default 24 hours before --to.")
    String from;

    @Option(names = "--to", paramLabel = "WHEN", description = "ISO-8601 instant or age; default now.")
    String to;

    SummaryCommand(CliContext context) {
        this.context = context;
    }

    @Override
    public Integer call() {
        if (!window.equals("1m") && !window.equals("1h")) {
            throw new CliException(ExitCodes.USAGE, "--window must be 1m or 1h (was '" + window + "')");
        }
        StringJoiner query = new StringJoiner("&", "?", "");
        query.add("window=" + window);
        add(query, "from", TimeArgs.parse("--from", from, context.clock));
        add(query, "to", TimeArgs.parse("--to", to, context.clock));
        JsonNode answer = context.http().get("/api/campaigns/" + URLEncoder.encode(campaignId, StandardCharsets.UTF_8)
                + "/summary" + query);
        if (context.json()) {
            context.printJson(answer);
            return ExitCodes.OK;
        }
        context.out.println(campaignId + ", " + window + " windows from " + answer.path("from").asText() + " to "
                + answer.path("to").asText()
                + (answer.hasNonNull("retainedFrom") ? " (older windows are past the retention)" : ""));
        Table table = new Table("WINDOW", "CHANNEL", "SUCCESS", "ERROR", "MISSING", "FILTERED", "MESSAGES");
        for (JsonNode w : answer.path("windows")) {
            row(table, w.path("start").asText(), "push", w.path("push"));
            row(table, "", "mail", w.path("mail"));
        }
        JsonNode totals = answer.path("totals");
        row(table, "total", "push", totals.path("push"));
        row(table, "", "mail", totals.path("mail"));
        table.print(context.out);
        RunsCommands.reasonTable(totals.path("reasons")).print(context.out);
        return ExitCodes.OK;
    }

    /** One channel's counts in a window; the window is named on its first row only. */
    private static void row(Table table, String window, String channel, JsonNode counts) {
        table.row(window, channel, counts.path("success").asLong(), counts.path("error").asLong(),
                counts.path("missing").asLong(), counts.path("filtered").asLong(), counts.path("messages").asLong());
    }

    private static void add(StringJoiner query, String name, Instant value) {
        if (value != null) {
            query.add(name + "=" + URLEncoder.encode(value.toString(), StandardCharsets.UTF_8));
        }
    }
}

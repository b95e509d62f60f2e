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
        JsonNode totals = answer.path("totals");
        boolean receipts = RunsCommands.hasReceipts(totals.path("push")) || RunsCommands.hasReceipts(totals.path("mail"));
        Table table = new Table(RunsCommands.header(receipts, "WINDOW", "CHANNEL"));
        for (JsonNode w : answer.path("windows")) {
            // The window is named on its first row only.
            table.row(RunsCommands.cells(receipts, w.path("push"), w.path("start").asText(), "push"));
            table.row(RunsCommands.cells(receipts, w.path("mail"), "", "mail"));
        }
        table.row(RunsCommands.cells(receipts, totals.path("push"), "total", "push"));
        table.row(RunsCommands.cells(receipts, totals.path("mail"), "", "mail"));
        table.print(context.out);
        RunsCommands.reasonTable(totals.path("reasons")).print(context.out);
        return ExitCodes.OK;
    }

    private static void add(StringJoiner query, String name, Instant value) {
        if (value != null) {
            query.add(name + "=" + URLEncoder.encode(value.toString(), StandardCharsets.UTF_8));
        }
    }
}

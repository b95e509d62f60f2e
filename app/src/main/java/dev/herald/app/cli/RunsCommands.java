package dev.herald.app.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.herald.avro.RunAction;
import dev.herald.avro.RunControl;
import dev.herald.serdes.SchemaRegistryException;
import dev.herald.topology.RunIds;
import dev.herald.topology.Topic;
import java.io.PrintWriter;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.SerializationException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code herald runs ...}: pause, resume or cancel one run in flight (a control on the run-controls topic, keyed by
 * the run's campaign id), and follow a run until it completes or is cancelled, then its results per channel and
 * reason.
 */
@Command(name = "runs", mixinStandardHelpOptions = true, description = "Pause, resume, cancel and watch runs.")
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
            description = {"Follow a run (a progress bar on a terminal) until it is COMPLETED or CANCELLED, then "
                    + "print its results per channel and reason.",
                    "Waits up to a minute for a run that has not started yet; a PAUSED run is followed until it "
                    + "is resumed or cancelled."})
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
                progress.message(progressMessage(run));
                if (isFinal(run)) {
                    break;
                }
                if (!context.progress && !context.json() && System.nanoTime() - lastLog > LOG_EVERY.toNanos()) {
                    lastLog = System.nanoTime();
                    context.err.println(progressLine(runId, run));
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

    @Command(name = "pause", mixinStandardHelpOptions = true,
            description = {"Pause one run in flight: every partition stops within one fan-out step and keeps its "
                    + "place; nothing else of the campaign changes.",
                    "The run stays paused until resumed, also while its campaign is SCHEDULED."})
    int pause(@Parameters(paramLabel = "RUN_ID") String runId,
            @Option(names = "--by", paramLabel = "NAME", description = "Who asks, for the log.") String by) {
        return control(runId, RunAction.PAUSE, by);
    }

    @Command(name = "resume", mixinStandardHelpOptions = true,
            description = {"Resume a run paused with runs pause, from where each partition stopped; nothing is sent "
                    + "twice.", "A run whose campaign is PAUSED stays paused until the campaign is resumed too."})
    int resume(@Parameters(paramLabel = "RUN_ID") String runId,
            @Option(names = "--by", paramLabel = "NAME", description = "Who asks, for the log.") String by) {
        return control(runId, RunAction.RESUME, by);
    }

    @Command(name = "cancel", mixinStandardHelpOptions = true,
            description = {"Cancel one run in flight: partitions stop, what they did not send is counted as not "
                    + "sent (reason cancelled) and the run completes as CANCELLED.",
                    "Final: a later resume is ignored. The campaign itself is not changed."})
    int cancel(@Parameters(paramLabel = "RUN_ID") String runId,
            @Option(names = "--by", paramLabel = "NAME", description = "Who asks, for the log.") String by) {
        return control(runId, RunAction.CANCEL, by);
    }

    /** Produces one control for the run, keyed by its campaign id (the run-controls topic's key), and says so. */
    private int control(String runId, RunAction action, String by) {
        RunIds.RunId parsed = RunIds.parse(runId).orElseThrow(() -> new CliException(ExitCodes.USAGE,
                "'" + runId + "' is not a run id: expected CAMPAIGN_ID@INSTANT as herald campaign run prints it "
                        + "(e.g. spring-sale@2026-05-01T10:00:00Z)"));
        String requestedBy = by == null || by.isBlank() ? null : by.strip();
        RunControl control = RunControl.newBuilder()
                .setCampaignId(parsed.campaignId())
                .setRunId(runId)
                .setAction(action)
                .setRequestedAt(context.clock.instant().truncatedTo(ChronoUnit.MILLIS))
                .setRequestedBy(requestedBy)
                .build();
        Topic<String, RunControl> topic = context.topics().runControls();
        KafkaAccess kafka = context.kafka();
        try (KafkaProducer<String, RunControl> producer = kafka.producer(topic.keySerde().serializer(),
                topic.valueSerde().serializer())) {
            KafkaAccess.awaitAll(List.of(producer.send(new ProducerRecord<>(topic.name(), parsed.campaignId(),
                    control))), "producing to " + topic.name());
        } catch (KafkaException e) {
            if (e instanceof SerializationException || e.getCause() instanceof SchemaRegistryException) {
                throw new CliException(ExitCodes.UNAVAILABLE, "cannot write to Herald's topics: " + e.getMessage(),
                        e);
            }
            throw kafka.unreachable(e);
        }
        if (context.json()) {
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("runId", runId);
            out.put("campaignId", parsed.campaignId());
            out.put("action", action.name());
            out.put("requestedAt", control.getRequestedAt().toString());
            out.put("requestedBy", requestedBy);
            out.put("topic", topic.name());
            context.printJson(out);
        } else {
            context.out.println(runId + ": " + action + " sent to " + topic.name() + " (key " + parsed.campaignId()
                    + ", requested at " + control.getRequestedAt() + (requestedBy == null ? "" : " by " + requestedBy)
                    + ")");
            context.out.flush();
        }
        return ExitCodes.OK;
    }

    /** COMPLETED, CANCELLED and DELIVERED are final: no more deliveries will be counted. */
    static boolean isFinal(JsonNode run) {
        String status = run.path("status").asText();
        return "COMPLETED".equals(status) || "CANCELLED".equals(status) || "DELIVERED".equals(status);
    }

    /** What the progress bar says next to its count: the status when not RUNNING, partitions, ETA. */
    static String progressMessage(JsonNode run) {
        StringBuilder message = new StringBuilder();
        String status = run.path("status").asText();
        if (!"RUNNING".equals(status)) {
            message.append(status).append(", ");
        }
        message.append(run.path("partitionsReported").asInt()).append('/').append(run.path("partitionCount").asInt())
                .append(" partitions done");
        if (run.path("partitionsPaused").asInt() > 0 && !"PAUSED".equals(status)) {
            message.append(", ").append(run.path("partitionsPaused").asInt()).append(" paused");
        }
        if (present(run, "eta")) {
            message.append(", ETA ").append(run.path("eta").asText());
        }
        return message.toString();
    }

    /** The line logged while following a run without a terminal. */
    static String progressLine(String runId, JsonNode run) {
        String status = run.path("status").asText();
        StringBuilder line = new StringBuilder(String.format("%s %s: %,d of %s%,d deliveries counted", status, runId,
                run.path("counted").asLong(), estimated(run) ? "~" : "", run.path("expected").asLong()));
        if (present(run, "percent")) {
            line.append(" (").append(run.path("percent").asText()).append("%)");
        }
        line.append(String.format(" (%s partitions of %s done)", run.path("partitionsReported").asText(),
                run.path("partitionCount").asText()));
        if ("PAUSED".equals(status) && present(run, "pausedAt")) {
            line.append(", paused since ").append(run.path("pausedAt").asText());
        } else if (run.path("partitionsPaused").asInt() > 0) {
            line.append(", ").append(run.path("partitionsPaused").asInt()).append(" partitions paused");
        }
        if (present(run, "ratePerSecond")) {
            line.append(String.format(", %,.1f/s", run.path("ratePerSecond").asDouble()));
        }
        if (present(run, "eta")) {
            line.append(", ETA ").append(run.path("eta").asText());
        }
        return line.toString();
    }

    /** A run's headline, its per-channel counts and its reasons. */
    static void printRun(JsonNode run, PrintWriter out) {
        String status = run.path("status").asText();
        StringBuilder headline = new StringBuilder(String.format("%s %s: %,d of %s%,d deliveries",
                run.path("runId").asText(), status, run.path("counted").asLong(), estimated(run) ? "~" : "",
                run.path("expected").asLong()));
        if (present(run, "percent")) {
            headline.append(" (").append(run.path("percent").asText()).append("%)");
        }
        if (run.path("notSent").asLong() > 0) {
            headline.append(String.format(", %,d not sent", run.path("notSent").asLong()));
        }
        headline.append(", started ").append(run.path("startedAt").asText("-"));
        if (present(run, "pausedAt")) {
            headline.append(", paused ").append(run.path("pausedAt").asText());
        }
        if (present(run, "cancelledAt")) {
            headline.append(", cancelled ").append(run.path("cancelledAt").asText());
        }
        if (present(run, "eta")) {
            headline.append(", ETA ").append(run.path("eta").asText());
        }
        headline.append(", completed ").append(run.path("completedAt").asText("-"));
        long messages = run.path("push").path("messages").asLong() + run.path("mail").path("messages").asLong();
        if (run.path("receipted").asLong() > 0) {
            headline.append(String.format("; %,d of %,d messages with a final receipt", run.path("receipted").asLong(),
                    messages));
        }
        if (present(run, "deliveredAt")) {
            headline.append(", delivered ").append(run.path("deliveredAt").asText());
        }
        out.println(headline);
        channelTable(run.path("push"), run.path("mail")).print(out);
        reasonTable(run.path("reasons")).print(out);
    }

    /** Expected is still an estimate: not every partition has finished (runs of older versions do not say). */
    private static boolean estimated(JsonNode run) {
        return run.has("expectedFinal") && !run.path("expectedFinal").asBoolean() && !run.path("complete").asBoolean();
    }

    private static boolean present(JsonNode run, String field) {
        JsonNode value = run.path(field);
        return !value.isMissingNode() && !value.isNull();
    }

    /** Receipt columns, shown next to the rendering ones once any sender has reported. */
    static final List<String> RECEIPT_COLUMNS = List.of("DELIVERED", "FAILED", "REJECTED", "RETRIES");
    private static final List<String> RECEIPT_FIELDS = List.of("delivered", "failed", "rejectedTarget", "retries");

    static Table channelTable(JsonNode push, JsonNode mail) {
        boolean receipts = hasReceipts(push) || hasReceipts(mail);
        Table table = new Table(header(receipts, "CHANNEL"));
        table.row(cells(receipts, push, "push"));
        table.row(cells(receipts, mail, "mail"));
        return table;
    }

    /** The header of a channel table: the leading columns, the rendering counts and, with receipts, theirs. */
    static String[] header(boolean receipts, String... leading) {
        List<String> header = new ArrayList<>(List.of(leading));
        header.addAll(List.of("SUCCESS", "ERROR", "MISSING", "FILTERED", "MESSAGES"));
        if (receipts) {
            header.addAll(RECEIPT_COLUMNS);
        }
        return header.toArray(String[]::new);
    }

    /** One row of a channel table: the leading cells, then the counts the header has. */
    static Object[] cells(boolean receipts, JsonNode counts, Object... leading) {
        List<Object> cells = new ArrayList<>(List.of(leading));
        for (String field : List.of("success", "error", "missing", "filtered", "messages")) {
            cells.add(counts.path(field).asLong());
        }
        if (receipts) {
            RECEIPT_FIELDS.forEach(field -> cells.add(counts.path(field).asLong()));
        }
        return cells.toArray();
    }

    /** Whether a sender has reported on any of these counts' messages. */
    static boolean hasReceipts(JsonNode counts) {
        return RECEIPT_FIELDS.stream().anyMatch(field -> counts.path(field).asLong() > 0);
    }

    static Table reasonTable(JsonNode reasons) {
        Table table = new Table("REASON", "DELIVERIES");
        reasons.fields().forEachRemaining(r -> table.row(r.getKey(), r.getValue().asLong()));
        return table;
    }
}

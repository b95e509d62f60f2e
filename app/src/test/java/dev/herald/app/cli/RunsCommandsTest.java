package dev.herald.app.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@code herald runs} without a broker: watch follows a run through PAUSED to CANCELLED as a stub API answers it,
 * and a control for something that is not a run id is refused before anything is produced.
 */
class RunsCommandsTest {
    /** Nothing listens here: a command that tried to reach Kafka or HTTP would exit 3. */
    private static final String NOWHERE = "127.0.0.1:1";
    private static final String RUN_ID = "sale@2026-05-01T10:00:00Z";

    private static final String RUNNING = """
            {"runId":"sale@2026-05-01T10:00:00Z","campaignId":"sale","status":"RUNNING","expected":1000,
             "expectedFinal":false,"counted":250,"percent":25.0,"notSent":0,"partitionsReported":0,
             "partitionCount":2,"partitionsPaused":0,"complete":false,"push":{},"mail":{},"reasons":{},
             "messagesPerSecond":100,"ratePerSecond":50.0,"eta":"2026-05-01T10:00:26Z",
             "startedAt":"2026-05-01T10:00:01Z","updatedAt":"2026-05-01T10:00:11Z","pausedAt":null,
             "cancelledAt":null,"completedAt":null,"servedBy":"stub"}""";
    private static final String PAUSED = """
            {"runId":"sale@2026-05-01T10:00:00Z","campaignId":"sale","status":"PAUSED","expected":1000,
             "expectedFinal":false,"counted":300,"percent":30.0,"notSent":0,"partitionsReported":0,
             "partitionCount":2,"partitionsPaused":2,"complete":false,"push":{},"mail":{},"reasons":{},
             "messagesPerSecond":100,"ratePerSecond":null,"eta":null,"startedAt":"2026-05-01T10:00:01Z",
             "updatedAt":"2026-05-01T10:00:12Z","pausedAt":"2026-05-01T10:00:12Z","cancelledAt":null,
             "completedAt":null,"servedBy":"stub"}""";
    private static final String CANCELLED = """
            {"runId":"sale@2026-05-01T10:00:00Z","campaignId":"sale","status":"CANCELLED","expected":300,
             "expectedFinal":true,"counted":300,"percent":100.0,"notSent":700,"partitionsReported":2,
             "partitionCount":2,"partitionsPaused":0,"complete":true,
             "push":{"success":300,"error":0,"missing":0,"filtered":0,"messages":300},
             "mail":{"success":0,"error":0,"missing":0,"filtered":0,"messages":0},"reasons":{"cancelled":700},
             "messagesPerSecond":100,"ratePerSecond":null,"eta":null,"startedAt":"2026-05-01T10:00:01Z",
             "updatedAt":"2026-05-01T10:00:20Z","pausedAt":null,"cancelledAt":"2026-05-01T10:00:19Z",
             "completedAt":"2026-05-01T10:00:20Z","servedBy":"stub"}""";

    private static final String DELIVERED = """
            {"runId":"sale@2026-05-01T10:00:00Z","campaignId":"sale","status":"DELIVERED","expected":2,
             "expectedFinal":true,"counted":2,"percent":100.0,"notSent":0,"partitionsReported":2,
             "partitionCount":2,"partitionsPaused":0,"complete":true,
             "push":{"success":1,"error":0,"missing":0,"filtered":0,"messages":2,"delivered":1,"failed":0,
              "rejectedTarget":1,"retries":3},
             "mail":{"success":1,"error":0,"missing":0,"filtered":0,"messages":1,"delivered":1,"failed":0,
              "rejectedTarget":0,"retries":0},"reasons":{},
             "messagesPerSecond":null,"ratePerSecond":null,"eta":null,"startedAt":"2026-05-01T10:00:01Z",
             "updatedAt":"2026-05-01T10:00:20Z","pausedAt":null,"cancelledAt":null,
             "completedAt":"2026-05-01T10:00:05Z","receipted":3,"deliveredAt":"2026-05-01T10:00:20Z",
             "servedBy":"stub"}""";

    private HttpServer server;
    private String url;
    private List<String> answers;
    private final AtomicInteger asked = new AtomicInteger();

    @BeforeEach
    void start() throws Exception {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/api/runs/", exchange -> {
            // Each request gets the next answer; the last one is repeated.
            String answer = answers.get(Math.min(asked.getAndIncrement(), answers.size() - 1));
            byte[] body = answer.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.start();
        url = "http://127.0.0.1:" + server.getAddress().getPort();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    @Test
    void watchFollowsARunThroughAPauseAndEndsWhenItIsCancelled() {
        answers = List.of(RUNNING, PAUSED, PAUSED, CANCELLED);

        CliRun run = CliRun.run(Map.of(), "runs", "watch", RUN_ID, "--interval=10", "--http.url=" + url);

        assertThat(run.exitCode()).as(run.toString()).isZero();
        assertThat(asked.get()).as("polled until CANCELLED, not beyond").isEqualTo(4);
        // Without a terminal the first answer is logged with its estimate, percent, rate and ETA.
        assertThat(run.err()).contains("RUNNING " + RUN_ID + ": 250 of ~1,000 deliveries counted (25.0%)",
                "50.0/s", "ETA 2026-05-01T10:00:26Z");
        assertThat(run.out()).contains(RUN_ID + " CANCELLED: 300 of 300 deliveries (100.0%), 700 not sent, "
                + "started 2026-05-01T10:00:01Z, cancelled 2026-05-01T10:00:19Z, completed 2026-05-01T10:00:20Z");
        assertThat(run.out()).containsPattern("cancelled\\s+700");
    }

    @Test
    void aDeliveredRunEndsAWatchAndShowsItsReceiptsNextToItsOutcomes() {
        answers = List.of(DELIVERED);

        CliRun run = CliRun.run(Map.of(), "runs", "watch", RUN_ID, "--interval=10", "--http.url=" + url);

        assertThat(run.exitCode()).as(run.toString()).isZero();
        assertThat(asked.get()).isEqualTo(1);
        assertThat(run.out()).contains(RUN_ID + " DELIVERED: 2 of 2 deliveries (100.0%)",
                "; 3 of 3 messages with a final receipt, delivered 2026-05-01T10:00:20Z");
        assertThat(run.out()).containsPattern("DELIVERED\\s+FAILED\\s+REJECTED\\s+RETRIES")
                .containsPattern("push\\s+1\\s+0\\s+0\\s+0\\s+2\\s+1\\s+0\\s+1\\s+3");
    }

    @Test
    void aRunWithoutReceiptsShowsNoReceiptColumns() {
        answers = List.of(CANCELLED);

        CliRun run = CliRun.run(Map.of(), "runs", "watch", RUN_ID, "--interval=10", "--http.url=" + url);

        assertThat(run.out()).doesNotContain("DELIVERED", "RETRIES", "final receipt");
    }

    @Test
    void aPausedRunIsShownAsPausedAndIsNotTheEndOfAWatch() {
        String line = RunsCommands.progressLine(RUN_ID, parse(PAUSED));

        assertThat(line).isEqualTo("PAUSED " + RUN_ID + ": 300 of ~1,000 deliveries counted (30.0%) "
                + "(0 partitions of 2 done), paused since 2026-05-01T10:00:12Z");
        assertThat(RunsCommands.isFinal(parse(PAUSED))).isFalse();
        assertThat(RunsCommands.progressMessage(parse(PAUSED))).startsWith("PAUSED, 0/2 partitions done");
        assertThat(RunsCommands.isFinal(parse(CANCELLED))).isTrue();
        assertThat(RunsCommands.progressMessage(parse(RUNNING))).isEqualTo(
                "0/2 partitions done, ETA 2026-05-01T10:00:26Z");
    }

    @Test
    void aControlForSomethingThatIsNotARunIdIsAUsageErrorBeforeAnythingIsProduced() {
        for (String notARunId : List.of("sale", "sale@yesterday", "sale@2026-05-01T10:00:00.000Z",
                "bad id@2026-05-01T10:00:00Z")) {
            for (String action : List.of("pause", "resume", "cancel")) {
                // Kafka and the registry are unreachable: a command that tried to produce would exit 3.
                CliRun run = CliRun.run(Map.of(), "runs", action, notARunId, "--bootstrap.servers=" + NOWHERE,
                        "--schema.registry.url=http://" + NOWHERE);

                assertThat(run.exitCode()).as(action + " " + notARunId + ": " + run).isEqualTo(ExitCodes.USAGE);
                assertThat(run.err()).contains("'" + notARunId + "' is not a run id",
                        "CAMPAIGN_ID@INSTANT");
            }
        }
        CliRun missing = CliRun.run(Map.of(), "runs", "pause");
        assertThat(missing.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(missing.err()).contains("RUN_ID");
    }

    @Test
    void helpSaysWhatEachControlDoes() {
        CliRun pause = CliRun.run(Map.of(), "runs", "pause", "--help");
        CliRun cancel = CliRun.run(Map.of(), "runs", "cancel", "--help");
        CliRun campaignPause = CliRun.run(Map.of(), "campaign", "pause", "--help");

        assertThat(pause.out()).contains("Usage: herald runs pause", "RUN_ID", "--by=NAME");
        assertThat(cancel.out()).contains("not sent", "Final");
        assertThat(campaignPause.out()).contains("runs in flight pause too");
    }

    private static JsonNode parse(String json) {
        try {
            return new ObjectMapper().readTree(json);
        } catch (JsonProcessingException e) {
            throw new AssertionError(e);
        }
    }
}

package dev.herald.app.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.herald.app.Herald;
import dev.herald.app.HeraldConfig;
import dev.herald.avro.RunAction;
import dev.herald.avro.RunControl;
import dev.herald.devstack.EmbeddedKafka;
import dev.herald.devstack.EmbeddedSchemaRegistry;
import dev.herald.serdes.SchemaRegistryClient;
import dev.herald.serdes.SchemaRegistryClients;
import dev.herald.topology.HeraldSerdes;
import dev.herald.topology.HeraldTopics;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.streams.KafkaStreams;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The command line against a real broker, schema registry and Herald instance in this JVM: what an operator does
 * on a fresh install, from applying a campaign to watching its run, and replaying dead letters.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CommandLineBrokerTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(90);

    private final ObjectMapper json = new ObjectMapper();
    private Path root;
    private EmbeddedKafka kafka;
    private EmbeddedSchemaRegistry registry;
    private Herald herald;
    private Map<String, String> env;

    @BeforeAll
    void start() throws IOException {
        String id = "herald-cli-" + UUID.randomUUID().toString().substring(0, 8);
        root = Files.createDirectories(Path.of("target", "it", id)).toAbsolutePath();
        kafka = EmbeddedKafka.start(root.resolve("kafka"), 0);
        registry = EmbeddedSchemaRegistry.start(kafka.bootstrapServers(), EmbeddedSchemaRegistry.DEFAULT_TOPIC,
                "127.0.0.1", 0);
        int httpPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            httpPort = socket.getLocalPort();
        }
        Map<String, String> s = new HashMap<>();
        s.put("herald.bootstrap.servers", kafka.bootstrapServers());
        s.put("herald.schema.registry.url", registry.url());
        s.put("herald.application.id", id);
        s.put("herald.data.dir", root.resolve("herald").toString());
        s.put("herald.http.host", "127.0.0.1");
        s.put("herald.http.port", Integer.toString(httpPort));
        s.put("herald.advertised.host", "127.0.0.1");
        s.put("herald.scheduler.interval", "200ms");
        s.put("herald.fanout.interval", "50ms");
        s.put("herald.demo", "false");
        s.put("kafka.commit.interval.ms", "100");
        herald = Herald.start(HeraldConfig.from(s));
        // The command line finds everything through the server's own environment variables.
        env = Map.of("HERALD_BOOTSTRAP_SERVERS", kafka.bootstrapServers(),
                "HERALD_SCHEMA_REGISTRY_URL", registry.url(),
                "HERALD_HTTP_URL", "http://127.0.0.1:" + httpPort);
        await("Kafka Streams RUNNING", () -> herald.streams().state() == KafkaStreams.State.RUNNING);
    }

    @AfterAll
    void stop() {
        if (herald != null) {
            herald.close();
        }
        if (registry != null) {
            registry.close();
        }
        if (kafka != null) {
            kafka.close();
        }
    }

    @Test
    void aFreshInstallHasTheInputSubjectsSoProducersThatDoNotRegisterCanUseTheLatestVersion() throws Exception {
        HttpClient client = HttpClient.newHttpClient();
        for (String subject : List.of("herald.campaigns-value", "herald.recipients-value",
                "herald.schedule-ticks-value", "herald.run-controls-value")) {
            HttpResponse<String> latest = client.send(HttpRequest.newBuilder(
                    URI.create(registry.url() + "/subjects/" + subject + "/versions/latest")).GET().build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(latest.statusCode()).as(subject + ": " + latest.body()).isEqualTo(200);
            assertThat(json.readTree(latest.body()).path("schema").asText()).contains("dev.herald.avro");
        }
    }

    @Test
    void applyImportRunWatchAndSummarize() throws IOException {
        Path campaign = Files.writeString(root.resolve("it-launch.yaml"), String.join("\n",
                "id: it-launch", "name: IT launch", "status: SCHEDULED", "channels: [PUSH, MAIL]",
                "schedule: {type: ONCE, sendAt: '2099-01-01T09:00:00Z'}", "audience: {segments: [it]}",
                "push: {title: 'Hi {{firstName}}', body: Launch}", "mail: {subject: Launch, text: 'Hi {{firstName}}'}"));
        List<String> lines = new ArrayList<>(List.of("id,email,segments,pushTokens,attributes.firstName"));
        for (int i = 0; i < 30; i++) {
            lines.add("r" + i + ",r" + i + "@example.com,it,IOS:token-" + i + ",R" + i);
        }
        lines.add(5, "r-bad,r-bad@example.com,it,PIGEON:coo,Bad");
        lines.add("no-name-column");
        Path csv = Files.writeString(root.resolve("it.csv"), String.join("\n", lines) + "\n");

        CliRun applied = cli("campaign", "apply", campaign.toString());
        CliRun imported = cli("recipients", "import", csv.toString());
        CliRun importedAgain = cli("recipients", "import", csv.toString());

        assertThat(applied.exitCode()).as(applied.toString()).isZero();
        assertThat(applied.out()).contains("1 applied to herald.campaigns");
        assertThat(imported.exitCode()).as(imported.toString()).isEqualTo(ExitCodes.REJECTED);
        assertThat(imported.err()).contains(csv + ": line 6: pushTokens[0].platform: 'PIGEON' is not one of",
                csv + ": line 33: has 1 cells; the header has 5");
        assertThat(imported.out()).contains("Imported 30 recipients", "33 lines, 2 rejected");
        assertThat(importedAgain.exitCode()).isEqualTo(ExitCodes.REJECTED);

        CliRun run = cli("campaign", "run", "it-launch");
        assertThat(run.exitCode()).as(run.toString()).isZero();
        String runId = run.out().trim();
        assertThat(runId).matches("it-launch@\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ");

        CliRun watched = cli("runs", "watch", runId, "--interval=200");
        // Imported twice, still 30 recipients: 60 deliveries, not 120.
        assertThat(watched.exitCode()).as(watched.toString()).isZero();
        assertThat(watched.out()).contains(runId + " COMPLETED: 60 of 60 deliveries (100.0%)");
        assertThat(lineOf(watched.out(), "push")).containsSubsequence("30", "0", "0", "0", "30");
        assertThat(lineOf(watched.out(), "mail")).containsSubsequence("30", "0", "0", "0", "30");

        CliRun list = cli("campaign", "list");
        CliRun show = cli("-o", "json", "campaign", "show", "it-launch");
        assertThat(list.out()).contains("it-launch", "SCHEDULED", "PUSH+MAIL", "IT launch");
        assertThat(json.readTree(show.out()).path("audience").path("segments").get(0).asText()).isEqualTo("it");
        // The windowed summaries trail the run ledger by up to a commit: wait for the run's outcomes to be in them.
        await("the 1m summary to count the run", () -> {
            CliRun summary = cli("summary", "it-launch", "--window", "1m", "--from", "1h");
            assertThat(summary.exitCode()).as(summary.toString()).isZero();
            return lineOf(summary.out(), "total").matches("total\\s+push\\s+30\\s+0\\s+0\\s+0\\s+30");
        });
    }

    @Test
    void pauseResumeAndCancelDecideWhetherARunIsAccepted() throws IOException {
        Path campaign = Files.writeString(root.resolve("it-pause.json"), "{\"id\": \"it-pause\", \"name\": \"P\","
                + " \"status\": \"SCHEDULED\", \"channels\": [\"PUSH\"], \"schedule\": {\"type\": \"CRON\","
                + " \"cron\": \"0 9 * * MON\"}, \"audience\": {}, \"push\": {\"title\": \"t\", \"body\": \"b\"}}");
        assertThat(cli("campaign", "apply", campaign.toString()).exitCode()).isZero();

        CliRun paused = cli("campaign", "pause", "it-pause");
        CliRun runWhilePaused = cli("campaign", "run", "it-pause");
        CliRun resumed = cli("campaign", "resume", "it-pause");
        CliRun resumedAgain = cli("campaign", "resume", "it-pause");
        CliRun cancelled = cli("-o", "json", "campaign", "cancel", "it-pause");
        CliRun runCancelled = cli("campaign", "run", "it-pause");
        CliRun unknown = cli("campaign", "pause", "no-such-campaign");

        assertThat(paused.out()).contains("it-pause: SCHEDULED -> PAUSED");
        assertThat(runWhilePaused.exitCode()).isEqualTo(ExitCodes.REJECTED);
        assertThat(runWhilePaused.err()).contains("campaign it-pause is PAUSED", "herald campaign resume it-pause");
        assertThat(resumed.out()).contains("it-pause: PAUSED -> SCHEDULED");
        assertThat(resumedAgain.out()).contains("already SCHEDULED; nothing produced");
        assertThat(json.readTree(cancelled.out()).path("status").asText()).isEqualTo("CANCELLED");
        assertThat(runCancelled.exitCode()).isEqualTo(ExitCodes.REJECTED);
        assertThat(unknown.exitCode()).isEqualTo(ExitCodes.NOT_FOUND);
        await("the campaign list to show it-pause CANCELLED", () -> cli("-o", "json", "campaign", "show", "it-pause")
                .out().contains("\"CANCELLED\""));
    }

    @Test
    void runControlsAreProducedKeyedByTheRunsCampaignWithWhoAskedAndWhen() {
        String runId = "it-controls@2026-05-01T10:00:00Z";
        Instant now = Instant.parse("2026-05-01T10:00:42.123456Z");
        Clock clock = Clock.fixed(now, ZoneOffset.UTC);

        CliRun paused = CliRun.run(env, clock, "runs", "pause", runId, "--by", "ops-alice");
        CliRun resumed = CliRun.run(env, clock, "-o", "json", "runs", "resume", runId);
        CliRun cancelled = CliRun.run(env, clock, "runs", "cancel", runId, "--by=ops-bob");

        assertThat(paused.exitCode()).as(paused.toString()).isZero();
        assertThat(paused.out()).contains(runId + ": PAUSE sent to herald.run-controls (key it-controls, "
                + "requested at 2026-05-01T10:00:42.123Z by ops-alice)");
        assertThat(resumed.exitCode()).as(resumed.toString()).isZero();
        assertThat(resumed.out()).contains("\"action\" : \"RESUME\"", "\"campaignId\" : \"it-controls\"");
        assertThat(cancelled.exitCode()).as(cancelled.toString()).isZero();

        List<ConsumerRecord<String, RunControl>> controls = new ArrayList<>();
        await("the three controls on herald.run-controls", () -> {
            controls.clear();
            controls.addAll(runControls(runId));
            return controls.size() >= 3;
        });
        assertThat(controls).hasSize(3);
        assertThat(controls).extracting(ConsumerRecord::key).containsOnly("it-controls");
        assertThat(controls).extracting(r -> r.value().getAction())
                .containsExactly(RunAction.PAUSE, RunAction.RESUME, RunAction.CANCEL);
        assertThat(controls).extracting(r -> r.value().getRequestedBy())
                .containsExactly("ops-alice", null, "ops-bob");
        assertThat(controls).allSatisfy(r -> {
            assertThat(r.value().getCampaignId()).isEqualTo("it-controls");
            assertThat(r.value().getRunId()).isEqualTo(runId);
            assertThat(r.value().getRequestedAt()).isEqualTo(Instant.parse("2026-05-01T10:00:42.123Z"));
        });
    }

    @Test
    void aReplayedRecordThatFailsAgainIsNotReplayedASecondTime() throws Exception {
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()), new ByteArraySerializer(),
                new ByteArraySerializer())) {
            producer.send(new ProducerRecord<>("herald.recipients", "garbage".getBytes(), new byte[] {1, 2, 3}))
                    .get();
        }
        JsonNode first = awaitLetters(letters -> letters.size() == 1).get(0);
        assertThat(first.path("topic").asText()).isEqualTo("herald.recipients");
        assertThat(first.path("key").asText()).isEqualTo("garbage");
        assertThat(first.path("replayedFrom").isNull()).isTrue();

        Instant beforeReplay = Instant.now();
        CliRun replayed = cli("dead-letters", "replay", "--topic", "herald.recipients");
        assertThat(replayed.exitCode()).as(replayed.toString()).isZero();
        assertThat(replayed.out()).contains("replayed to herald.recipients", "replayed 1, refused 0");

        // The bytes are still garbage: dead-lettered again, with the replay's mark.
        JsonNode again = awaitLetters(letters -> letters.size() == 2).get(1);
        assertThat(again.path("replayedFrom").asText()).isEqualTo(first.path("deadLetter").asText());

        CliRun refused = cli("dead-letters", "replay", "--since", beforeReplay.toString());
        assertThat(refused.exitCode()).as(refused.toString()).isEqualTo(ExitCodes.REJECTED);
        assertThat(refused.out()).contains("refused: already replayed once", "replayed 0, refused 1");
        // Without --since the first dead letter is there too: its replay failed, so it is not replayed again.
        CliRun refusedBoth = cli("dead-letters", "replay", "--topic", "herald.recipients");
        assertThat(refusedBoth.exitCode()).as(refusedBoth.toString()).isEqualTo(ExitCodes.REJECTED);
        assertThat(refusedBoth.out()).contains("refused: replayed before and failed again", "replayed 0, refused 2");
        CliRun listed = cli("dead-letters", "list", "--stage", "deserialization");
        assertThat(listed.out()).contains("herald.recipients-", "garbage", "2 dead letters");
    }

    private List<JsonNode> awaitLetters(Predicate<List<JsonNode>> condition) throws IOException {
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        while (true) {
            CliRun list = cli("-o", "json", "dead-letters", "list", "--topic", "herald.recipients");
            List<JsonNode> letters = new ArrayList<>();
            json.readTree(list.out()).forEach(letters::add);
            if (condition.test(letters)) {
                return letters;
            }
            assertThat(System.nanoTime()).as("dead letters so far: " + letters).isLessThan(deadline);
            sleep();
        }
    }

    /** Every control for {@code runId} on the run-controls topic, in the order produced (one key, one partition). */
    private List<ConsumerRecord<String, RunControl>> runControls(String runId) {
        try (SchemaRegistryClient client = SchemaRegistryClients.fromUrl(registry.url());
             KafkaConsumer<String, RunControl> consumer = new KafkaConsumer<>(Map.of(
                     ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(),
                     ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed"), new StringDeserializer(),
                     HeraldTopics.of("herald.", HeraldSerdes.using(client)).runControls().valueSerde()
                             .deserializer())) {
            String topic = "herald.run-controls";
            List<TopicPartition> partitions = consumer.partitionsFor(topic).stream()
                    .map(p -> new TopicPartition(topic, p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            List<ConsumerRecord<String, RunControl>> found = new ArrayList<>();
            long deadline = System.nanoTime() + TIMEOUT.toNanos();
            while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p))
                    && System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(200)).forEach(r -> {
                    if (r.value() != null && runId.equals(r.value().getRunId())) {
                        found.add(r);
                    }
                });
            }
            return found;
        }
    }

    private CliRun cli(String... args) {
        return CliRun.run(env, args);
    }

    private static String lineOf(String out, String start) {
        return out.lines().filter(l -> l.startsWith(start)).findFirst().orElseThrow(
                () -> new AssertionError("no line starting with '" + start + "' in\n" + out));
    }

    private static void await(String what, java.util.function.BooleanSupplier condition) {
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for " + what);
            }
            sleep();
        }
    }

    private static void sleep() {
        try {
            Thread.sleep(300);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }
}

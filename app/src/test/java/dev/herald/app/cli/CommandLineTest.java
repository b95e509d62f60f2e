package dev.herald.app.cli;

import static org.assertj.core.api.Assertions.assertThat;
import dev.herald.query.routing.ApiToken;

import dev.herald.app.HeraldConfig;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The command line without a broker: dispatch, options and settings, validation before anything is produced. */
class CommandLineTest {
    /** Nothing listens here: a command that tried to reach Kafka or HTTP would exit 3. */
    private static final String NOWHERE = "127.0.0.1:1";
    private static final Path EXAMPLES = Path.of("..", "examples", "campaigns");

    @TempDir
    Path dir;

    @Test
    void theJarRunsTheServerWithoutACommandAndTheCommandLineWithOne() {
        assertThat(HeraldCli.isCommand(new String[0])).isFalse();
        assertThat(HeraldCli.isCommand(new String[] {"--http.port=8081"})).isFalse();
        assertThat(HeraldCli.isCommand(new String[] {"--config", "herald.properties"})).isFalse();
        assertThat(HeraldCli.isCommand(new String[] {"campaign", "list"})).isTrue();
        assertThat(HeraldCli.isCommand(new String[] {"dead-letters", "replay"})).isTrue();
        assertThat(HeraldCli.isCommand(new String[] {"--help"})).isTrue();
        assertThat(HeraldCli.isCommand(new String[] {"campaigns", "list"})).isTrue();
    }

    @Test
    void aMistypedCommandGetsASuggestion() {
        CliRun run = CliRun.run(Map.of(), "campaigns", "list");

        assertThat(run.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(run.err()).contains("Unmatched argument", "campaign");
    }

    @Test
    void helpListsEveryCommandAndTheExitCodes() {
        CliRun run = CliRun.run(Map.of(), "--help");

        assertThat(run.exitCode()).as(run.toString()).isZero();
        assertThat(run.out()).contains("campaign", "recipients", "runs", "summary", "dead-letters",
                "Exit codes: 0 done; 1 some input refused");
        for (String command : new String[] {"campaign apply", "campaign run", "recipients import", "runs watch",
                "summary", "dead-letters replay"}) {
            CliRun help = CliRun.run(Map.of(), (command + " --help").split(" "));
            assertThat(help.exitCode()).as(command).isZero();
            assertThat(help.out()).as(command).contains("Usage: herald " + command, "--bootstrap.servers");
        }
    }

    @Test
    void usageErrorsExitWithTwo() {
        assertThat(CliRun.run(Map.of(), "campaign", "frobnicate").exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(CliRun.run(Map.of(), "campaign", "apply").exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(CliRun.run(Map.of(), "summary", "spring-sale", "--window=5m", "--http.url=http://" + NOWHERE)
                .exitCode()).isEqualTo(ExitCodes.USAGE);
        CliRun badSetting = CliRun.run(Map.of(), "campaign", "list", "--schema.registry.url=registry:8081");
        assertThat(badSetting.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(badSetting.err()).contains("herald.schema.registry.url must be an http(s):// URL");
    }

    @Test
    void connectionSettingsComeFromTheServersSourcesWithFlagsOnAnySubcommand() throws IOException {
        Path file = Files.writeString(dir.resolve("herald.properties"), String.join("\n",
                "herald.bootstrap.servers=kafka-from-file:9092",
                "herald.schema.registry.url=http://registry-from-file:8081",
                "herald.http.port=8085",
                "herald.topic.prefix=acme.",
                "kafka.security.protocol=SSL"));

        HeraldConfig.ClientSettings defaults = settings(Map.of());
        HeraldConfig.ClientSettings fromFile = settings(Map.of("HERALD_CONFIG_FILE", file.toString()));
        HeraldConfig.ClientSettings envOverFile = settings(Map.of("HERALD_CONFIG_FILE", file.toString(),
                "HERALD_BOOTSTRAP_SERVERS", "kafka-from-env:9092"));
        HeraldConfig.ClientSettings flagsOverEnv = settings(Map.of("HERALD_BOOTSTRAP_SERVERS", "kafka-from-env:9092",
                "HERALD_SCHEMA_REGISTRY_URL", "http://registry-from-env:8081"),
                "campaign", "list", "--bootstrap.servers=kafka-from-flag:9092", "--http.url=http://herald-1:8080/");

        assertThat(defaults).isEqualTo(new HeraldConfig.ClientSettings("127.0.0.1:19092", "http://127.0.0.1:18081",
                "http://localhost:8080", ApiToken.NONE, "herald.", Map.of()));
        assertThat(fromFile).isEqualTo(new HeraldConfig.ClientSettings("kafka-from-file:9092",
                "http://registry-from-file:8081", "http://localhost:8085", ApiToken.NONE, "acme.",
                Map.of("security.protocol", "SSL")));
        assertThat(envOverFile.bootstrapServers()).isEqualTo("kafka-from-env:9092");
        assertThat(flagsOverEnv).isEqualTo(new HeraldConfig.ClientSettings("kafka-from-flag:9092",
                "http://registry-from-env:8081", "http://herald-1:8080", ApiToken.NONE, "herald.", Map.of()));
    }

    @Test
    void validCampaignFilesPassADryRun() {
        CliRun run = CliRun.run(Map.of(), "campaign", "apply", "--dry-run", "--bootstrap.servers=" + NOWHERE,
                EXAMPLES.resolve("spring-sale.yaml").toString(), EXAMPLES.resolve("weekly-digest.json").toString());

        assertThat(run.exitCode()).as(run.toString()).isZero();
        assertThat(run.out()).contains("spring-sale", "weekly-digest", "cron 0 9 * * MON Europe/Berlin",
                "2 valid, nothing applied (--dry-run)");
    }

    @Test
    void anInvalidFileStopsTheWholeApplyBeforeAnythingIsProducedAndNamesFileAndField() throws IOException {
        Path bad = Files.writeString(dir.resolve("late.yaml"), String.join("\n",
                "id: late", "name: Late", "status: SCHEDULED", "channels: [PUSH]",
                "schedule: {type: ONCE, sendAt: '2026-05-01T09:00:00Z'}", "audience: {}",
                "push: {title: Hi, body: There}", "limits: {quietHours: {start: '25:00', end: '08:00'}}"));

        // Not a dry run, and Kafka is unreachable: a command that tried to produce would exit 3, not 1.
        CliRun run = CliRun.run(Map.of(), "campaign", "apply", "--bootstrap.servers=" + NOWHERE,
                "--schema.registry.url=http://" + NOWHERE, EXAMPLES.resolve("welcome.yaml").toString(),
                bad.toString());

        assertThat(run.exitCode()).as(run.toString()).isEqualTo(ExitCodes.REJECTED);
        assertThat(run.err()).contains(bad + ": limits.quietHours.start: '25:00' is not HH:mm",
                "1 of 2 files invalid; nothing applied");
    }

    @Test
    void twoFilesWithOneIdAreRefused() {
        CliRun run = CliRun.run(Map.of(), "campaign", "apply", "--dry-run",
                EXAMPLES.resolve("welcome.yaml").toString(), EXAMPLES.resolve("welcome.yaml").toString());

        assertThat(run.exitCode()).isEqualTo(ExitCodes.REJECTED);
        assertThat(run.err()).contains("id: 'welcome' is also the id in");
    }

    @Test
    void recipientImportReportsEveryBadLineByNumberAndExitsWithOne() throws IOException {
        Path csv = Files.writeString(dir.resolve("people.csv"), String.join("\n",
                "id,email,timeZone,segments,optOuts,pushTokens,attributes.firstName",
                "ana,ana@example.com,Europe/Lisbon,vip;newsletter,,IOS:tok-a;ANDROID:tok-b,Ana",
                ",nobody@example.com,,,,,",
                "bo,bo@example.com,,new,SMS,,Bo",
                "",
                "cy,\"cy, the third\",UTC,,,WINDOWS:tok-c,\"Cy \"\"C\"\"\"",
                "di,di@example.com,,,,,Di,extra",
                "ed,ed@example.com,,,,,"));

        CliRun run = CliRun.run(Map.of(), "recipients", "import", "--dry-run", csv.toString());

        assertThat(run.exitCode()).as(run.toString()).isEqualTo(ExitCodes.REJECTED);
        assertThat(run.err()).contains(
                csv + ": line 3: id: is required",
                csv + ": line 4: optOuts[0]: 'SMS' is not one of PUSH, MAIL",
                csv + ": line 6: pushTokens[0].platform: 'WINDOWS' is not one of",
                csv + ": line 7: has 8 cells; the header has 7");
        assertThat(run.out()).contains("Validated 2 recipients", "8 lines, 4 rejected");
    }

    @Test
    void jsonLinesAreReadByTheSchemasFieldNames() throws IOException {
        Path jsonl = Files.writeString(dir.resolve("people.jsonl"), String.join("\n",
                "{\"id\": \"ana\", \"segments\": [\"vip\"], \"pushTokens\": [{\"platform\": \"IOS\", \"token\": \"t\"}]}",
                "{\"id\": \"bo\", \"attributes\": [\"gold\"]}",
                "{\"id\": \"cy\", \"nickname\": \"C\"}",
                "not json"));

        CliRun run = CliRun.run(Map.of(), "-o", "json", "recipients", "import", "--dry-run", jsonl.toString());

        assertThat(run.exitCode()).as(run.toString()).isEqualTo(ExitCodes.REJECTED);
        assertThat(run.out()).contains("\"imported\" : 1", "\"rejected\" : 3", "\"format\" : \"jsonl\"",
                "\"line\" : 2", "attributes: must be an object of names to values",
                "\"line\" : 3", "nickname: is not a field of Recipient", "\"line\" : 4", "is not JSON");
    }

    @Test
    void aHeaderWithAnUnknownColumnRefusesTheWholeFile() throws IOException {
        Path csv = Files.writeString(dir.resolve("typo.csv"), "id,emial\nana,ana@example.com\n");

        CliRun run = CliRun.run(Map.of(), "recipients", "import", "--dry-run", csv.toString());

        assertThat(run.exitCode()).isEqualTo(ExitCodes.REJECTED);
        assertThat(run.err()).contains("line 1: column 'emial' is not a recipient field");
    }

    @Test
    void anUnreachableHeraldExitsWithThreeAndSaysWhereItLooked() {
        CliRun run = CliRun.run(Map.of(), "campaign", "list", "--http.url=http://" + NOWHERE);

        assertThat(run.exitCode()).isEqualTo(ExitCodes.UNAVAILABLE);
        assertThat(run.err()).contains("cannot reach Herald's HTTP API at http://" + NOWHERE);
    }

    private static HeraldConfig.ClientSettings settings(Map<String, String> env, String... args) {
        CliContext context = new CliContext(env, new PrintWriter(new StringWriter()),
                new PrintWriter(new StringWriter()), Clock.systemUTC(), false);
        HeraldCli.commandLine(context).parseArgs(args);
        return context.settings();
    }
}

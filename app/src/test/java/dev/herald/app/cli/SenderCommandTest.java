package dev.herald.app.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@code herald sender} refuses bad settings before it connects anywhere; {@code herald parked} needs ids or --all. */
class SenderCommandTest {

    @Test
    void aBadSenderSettingStopsItNamingTheSetting() {
        CliRun run = CliRun.run(Map.of("HERALD_SENDER_MAIL_TRANSPORT", "ses"), "sender");
        assertThat(run.exitCode()).as(run.toString()).isEqualTo(ExitCodes.USAGE);
        assertThat(run.err()).contains("herald.sender.mail.transport must be log or smtp");
    }

    @Test
    void smtpWithoutAHostIsRefused() {
        CliRun run = CliRun.run(Map.of("HERALD_SENDER_MAIL_TRANSPORT", "smtp"), "sender");
        assertThat(run.exitCode()).as(run.toString()).isEqualTo(ExitCodes.USAGE);
        assertThat(run.err()).contains("herald.sender.mail.smtp.host is required");
    }

    @Test
    void replayWantsIdsOrAll() {
        CliRun run = CliRun.run(Map.of(), "parked", "replay");
        assertThat(run.exitCode()).as(run.toString()).isEqualTo(ExitCodes.USAGE);
        CliRun both = CliRun.run(Map.of(), "parked", "replay", "--all", "m-1");
        assertThat(both.exitCode()).as(both.toString()).isEqualTo(ExitCodes.USAGE);
    }

    @Test
    void helpListsTheNewCommands() {
        CliRun run = CliRun.run(Map.of(), "--help");
        assertThat(run.out()).contains("parked", "sender");
    }
}

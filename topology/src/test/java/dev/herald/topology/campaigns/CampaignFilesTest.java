package dev.herald.topology.campaigns;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.herald.avro.Campaign;
import dev.herald.avro.CampaignStatus;
import dev.herald.avro.Channel;
import dev.herald.avro.MisfirePolicy;
import dev.herald.avro.ScheduleType;
import dev.herald.serdes.InMemorySchemaRegistry;
import dev.herald.topology.HeraldSerdes;
import dev.herald.topology.campaigns.CampaignFiles.Format;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import org.assertj.core.api.AbstractThrowableAssert;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Campaign files: Avro field names, ISO-8601 instants, the topology's rules, and errors that say where and what. */
class CampaignFilesTest {
    private static final Instant NOW = Instant.parse("2026-05-01T10:00:00.123456Z");

    private static final String YAML = """
            id: spring-sale
            name: Spring sale
            owner: marketing
            status: SCHEDULED
            channels: [PUSH, MAIL]
            schedule:
              type: CRON
              cron: "0 9 * * MON"
              timeZone: Europe/Berlin
              startAt: 2026-05-01T00:00:00Z
              misfirePolicy: SKIP
            audience:
              segments: [vip, newsletter]
              attributes: {country: DE}
            push:
              title: "Hi {{firstName}}"
              body: Twenty percent off
              data: {deeplink: "app://sale/{{run.id}}"}
            mail:
              subject: Spring sale
              text: "Dear {{firstName}}"
            limits:
              messagesPerSecond: 500
              quietHours: {start: 22:00, end: 08:00}
            """;

    @Test
    void yamlWithAvroFieldNamesReadsIntoTheCampaignRecord() {
        Campaign c = CampaignFiles.parse(YAML, Format.YAML, "spring-sale.yaml", NOW);

        assertThat(c.getId()).isEqualTo("spring-sale");
        assertThat(c.getDescription()).isNull();
        assertThat(c.getStatus()).isEqualTo(CampaignStatus.SCHEDULED);
        assertThat(c.getChannels()).containsExactly(Channel.PUSH, Channel.MAIL);
        assertThat(c.getSchedule().getType()).isEqualTo(ScheduleType.CRON);
        assertThat(c.getSchedule().getStartAt()).isEqualTo(Instant.parse("2026-05-01T00:00:00Z"));
        assertThat(c.getSchedule().getMisfirePolicy()).isEqualTo(MisfirePolicy.SKIP);
        assertThat(c.getAudience().getSegments()).containsExactly("vip", "newsletter");
        assertThat(c.getAudience().getAttributes()).containsExactly(Map.entry("country", "DE"));
        assertThat(c.getAudience().getRecipientIds()).as("schema default").isEmpty();
        assertThat(c.getPush().getData()).containsEntry("deeplink", "app://sale/{{run.id}}");
        assertThat(c.getMail().getHtml()).isNull();
        assertThat(c.getLimits().getMessagesPerSecond()).isEqualTo(500);
        assertThat(c.getLimits().getQuietHours().getStart()).as("unquoted HH:mm stays text").isEqualTo("22:00");
        assertThat(c.getCreatedAt()).as("left out: the apply time, in milliseconds as Avro keeps it")
                .isEqualTo(Instant.parse("2026-05-01T10:00:00.123Z"));
        assertThat(c.getUpdatedAt()).isEqualTo(c.getCreatedAt());
    }

    @Test
    void schemaDefaultsFillWhatTheFileLeavesOut() {
        Campaign c = CampaignFiles.parse("""
                {"id": "once", "name": "Once", "status": "DRAFT", "channels": ["MAIL"],
                 "schedule": {"type": "ONCE", "sendAt": "2026-06-01T09:00:00+02:00"},
                 "audience": {},
                 "mail": {"subject": "s", "text": "t"},
                 "createdAt": "2026-01-01T00:00:00Z"}
                """, Format.JSON, "once.json", NOW);

        assertThat(c.getSchedule().getSendAt()).isEqualTo(Instant.parse("2026-06-01T07:00:00Z"));
        assertThat(c.getSchedule().getTimeZone()).isEqualTo("UTC");
        assertThat(c.getSchedule().getMisfirePolicy()).isEqualTo(MisfirePolicy.FIRE_ONCE);
        assertThat(c.getAudience().getSegments()).isEmpty();
        assertThat(c.getPush()).isNull();
        assertThat(c.getLimits()).isNull();
        assertThat(c.getCreatedAt()).isEqualTo(Instant.parse("2026-01-01T00:00:00Z"));
        assertThat(c.getUpdatedAt()).isEqualTo(Instant.parse("2026-05-01T10:00:00.123Z"));
    }

    @Test
    void whatAFileReadsIsARecordTheSerdeWrites() {
        Campaign c = CampaignFiles.parse(YAML, Format.YAML, "spring-sale.yaml", NOW);
        HeraldSerdes serdes = HeraldSerdes.using(new InMemorySchemaRegistry());

        byte[] bytes = serdes.campaign().serializer().serialize("herald.campaigns", c);

        assertThat(serdes.campaign().deserializer().deserialize("herald.campaigns", bytes)).isEqualTo(c);
    }

    @Test
    void readChoosesTheNotationByExtensionAndNamesTheFile(@TempDir Path dir) throws IOException {
        Path json = Files.writeString(dir.resolve("a.json"), """
                {"id": "a", "name": "A", "status": "SCHEDULED", "channels": ["PUSH"],
                 "schedule": {"type": "ONCE", "sendAt": "2026-06-01T09:00:00Z"}, "audience": {},
                 "push": {"title": "t", "body": "b"}}
                """);
        Path yaml = Files.writeString(dir.resolve("a.yml"), "id: a\n");
        Path text = Files.writeString(dir.resolve("a.txt"), "id: a\n");

        assertThat(CampaignFiles.read(json, NOW).getId()).isEqualTo("a");
        assertThatThrownBy(() -> CampaignFiles.read(yaml, NOW)).hasMessage(yaml + ": name: is required");
        assertThatThrownBy(() -> CampaignFiles.read(text, NOW)).hasMessageContaining("neither .json nor .yaml");
        assertThatThrownBy(() -> CampaignFiles.read(dir.resolve("gone.yaml"), NOW))
                .hasMessage(dir.resolve("gone.yaml") + ": does not exist");
    }

    @Test
    void errorsNameTheFieldAndWhatIsWrong() {
        fails(YAML.replace("owner:", "ownr:"), "ownr", "is not a field of Campaign (its fields: id, name,");
        fails(YAML.replace("status: SCHEDULED", "status: scheduled"), "status",
                "'scheduled' is not one of DRAFT, SCHEDULED, PAUSED, CANCELLED, COMPLETED; symbols are upper case");
        fails(YAML.replace("2026-05-01T00:00:00Z", "1 May 2026"), "schedule.startAt",
                "'1 May 2026' is not an ISO-8601 instant such as 2026-05-01T09:00:00Z");
        fails(YAML.replace("segments: [vip, newsletter]", "segments: [vip, [x]]"), "audience.segments[1]",
                "must be text (was a list)");
        fails(YAML.replace("messagesPerSecond: 500", "messagesPerSecond: fast"), "limits.messagesPerSecond",
                "must be a whole number up to 2147483647 (was 'fast')");
        fails(YAML.replace("  subject: Spring sale\n", ""), "mail.subject", "is required");
        fails(YAML.replace("channels: [PUSH, MAIL]", "channels: PUSH"), "channels", "must be a list (was 'PUSH')");
    }

    @Test
    void theTopologysRulesApplyWithTheFieldTheyAreAbout() {
        fails(YAML.replace("start: 22:00", "start: '25:00'"), "limits.quietHours.start", "'25:00' is not HH:mm");
        fails(YAML.replace("0 9 * * MON", "61 9 * * MON"), "schedule.cron", "invalid expression '61 9 * * MON'");
        fails(YAML.replace("Europe/Berlin", "Europe/Atlantis"), "schedule.timeZone", "unknown time zone");
        fails(YAML.replace("messagesPerSecond: 500", "messagesPerSecond: 0"), "limits.messagesPerSecond",
                "must be at least 1 (was 0)");
        fails(YAML.replace("channels: [PUSH, MAIL]", "channels: []"), "channels", "is empty");
        fails(YAML.replace("id: spring-sale", "id: spring sale"), "id", "may hold only letters, digits");
        fails(YAML.substring(0, YAML.indexOf("push:")) + YAML.substring(YAML.indexOf("mail:")), "push",
                "is required: channels include PUSH");
    }

    @Test
    void brokenSyntaxSaysWhereAndOneFileHoldsOneCampaign() {
        assertThatThrownBy(() -> CampaignFiles.parse("id: a\nname: [unclosed\n", Format.YAML, "x.yaml", NOW))
                .isInstanceOf(CampaignFileException.class)
                .hasMessageStartingWith("x.yaml: is not valid YAML (line ");
        assertThatThrownBy(() -> CampaignFiles.parse("{\"id\": \"a\", \"id\": \"b\"}", Format.JSON, "x.json", NOW))
                .hasMessageContaining("Duplicate field 'id'");
        assertThatThrownBy(() -> CampaignFiles.parse("id: a\n---\nid: b\n", Format.YAML, "x.yaml", NOW))
                .hasMessageStartingWith("x.yaml: is not valid YAML");
        assertThatThrownBy(() -> CampaignFiles.parse("", Format.YAML, "x.yaml", NOW))
                .hasMessage("x.yaml: is empty: expected one campaign");
        assertThatThrownBy(() -> CampaignFiles.parse("[1, 2]", Format.JSON, "x.json", NOW))
                .hasMessageStartingWith("x.json: must be an object with fields id, name,");
    }

    private static void fails(String yaml, String field, String problem) {
        AbstractThrowableAssert<?, ? extends Throwable> thrown =
                assertThatThrownBy(() -> CampaignFiles.parse(yaml, Format.YAML, "c.yaml", NOW))
                        .isInstanceOf(CampaignFileException.class)
                        .hasMessageStartingWith("c.yaml: " + field + ": ")
                        .hasMessageContaining(problem);
        thrown.extracting(e -> ((CampaignFileException) e).field()).isEqualTo(field);
    }
}

package dev.herald.sender;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.herald.avro.MailMessage;
import dev.herald.avro.PushMessage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LogTransportTest {
    private final Clock clock = Clock.fixed(Instant.parse("2026-12-03T13:00:00Z"), ZoneOffset.UTC);

    @Test
    void writesOneJsonLinePerMessage(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("sent").resolve("mail.jsonl");
        try (LogTransport<MailMessage> log = new LogTransport<>(file, clock)) {
            assertThat(log.send(Messages.mail("m-1", "r-1", "ada@example.com")).get().kind())
                    .isEqualTo(SendResult.Kind.DELIVERED);
            log.send(Messages.mail("m-2", "r-2", "bob@example.com")).get();
        }
        List<String> lines = Files.readAllLines(file);
        assertThat(lines).hasSize(2);
        JsonNode first = new ObjectMapper().readTree(lines.get(0));
        assertThat(first.fieldNames().next()).isEqualTo("messageId");
        assertThat(first.get("messageId").asText()).isEqualTo("m-1");
        assertThat(first.get("sentAt").asText()).isEqualTo("2026-12-03T13:00:00Z");
        assertThat(first.get("to").asText()).isEqualTo("ada@example.com");
        assertThat(first.get("createdAt").asText()).isEqualTo("2026-12-03T12:00:00Z");
        assertThat(first.get("html").isNull()).isTrue();
    }

    @Test
    void appendsAcrossRestartsAndWritesPushData(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("push.jsonl");
        try (LogTransport<PushMessage> log = new LogTransport<>(file, clock)) {
            log.send(Messages.push("p-1", "r-1", "tok-1")).get();
        }
        try (LogTransport<PushMessage> log = new LogTransport<>(file, clock)) {
            log.send(Messages.push("p-2", "r-2", "tok-2")).get();
        }
        List<String> lines = Files.readAllLines(file);
        assertThat(lines).hasSize(2);
        JsonNode second = new ObjectMapper().readTree(lines.get(1));
        assertThat(second.get("messageId").asText()).isEqualTo("p-2");
        assertThat(second.get("data").get("k").asText()).isEqualTo("v");
        assertThat(second.get("platform").asText()).isNotEmpty();
    }
}

package dev.herald.devstack;

import static org.assertj.core.api.Assertions.assertThat;

import dev.herald.avro.Recipient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;

/**
 * Optional: runs {@code src/test/js/check.mjs}, the real {@code @kafkajs/confluent-schema-registry} client, against
 * the embedded registry. Off unless {@code -Dherald.js.check=true}, so the suite never needs Node; first run
 * {@code npm install} in {@code devstack/src/test/js}.
 */
@EnabledIfSystemProperty(named = "herald.js.check", matches = "true")
class KafkajsClientNodeCheckTest {

    @TempDir
    Path dir;

    @Test
    void theJavaScriptClientRegistersEvolvesAndIsRefusedAnIncompatibleSchema() throws Exception {
        Path script = Path.of("src/test/js/check.mjs").toAbsolutePath();
        assertThat(script.resolveSibling("node_modules/@kafkajs/confluent-schema-registry"))
                .as("run npm install in " + script.getParent()).isDirectory();
        Path schema = Files.writeString(dir.resolve("recipient.avsc"), Recipient.getClassSchema().toString());

        try (EmbeddedKafka kafka = EmbeddedKafka.start(dir.resolve("kafka"), 0);
             EmbeddedSchemaRegistry registry = EmbeddedSchemaRegistry.start(kafka.bootstrapServers(),
                     EmbeddedSchemaRegistry.DEFAULT_TOPIC, "127.0.0.1", 0)) {
            Process node = new ProcessBuilder("node", script.toString(), registry.url(), schema.toString())
                    .directory(script.getParent().toFile())
                    .redirectErrorStream(true)
                    .start();
            boolean finished = node.waitFor(2, TimeUnit.MINUTES);
            String output = new String(node.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!finished) {
                node.destroyForcibly();
            }

            assertThat(finished).as(output).isTrue();
            assertThat(node.exitValue()).as(output).isZero();
            assertThat(output).contains("OK");
        }
    }
}

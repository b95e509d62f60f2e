package dev.herald.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The README's example test is this project's CampaignsTest, character for character, so it cannot rot. */
class ReadmeExampleTest {
    private static final Path README = Path.of("..", "..", "README.md");
    private static final Path EXAMPLE = Path.of("src", "test", "java", "dev", "herald", "examples",
            "CampaignsTest.java");
    private static final String SECTION = "## Testing your campaigns";

    @Test
    void theReadmeShowsCampaignsTestAsItIs() throws IOException {
        String readme = Files.readString(README);
        int section = readme.indexOf(SECTION);
        assertThat(section).as("README section '%s'", SECTION).isNotNegative();
        int start = readme.indexOf("```java\n", section);
        assertThat(start).as("a ```java block in the section").isNotNegative();
        start += "```java\n".length();
        int end = readme.indexOf("```", start);

        assertThat(readme.substring(start, end)).isEqualTo(Files.readString(EXAMPLE));
    }
}

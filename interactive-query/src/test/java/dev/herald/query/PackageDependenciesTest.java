package dev.herald.query;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The module's packages depend one way only (http on the rest, nothing on http), read from the sources' imports. */
class PackageDependenciesTest {
    private static final Path SOURCES = Path.of("src", "main", "java");
    private static final String ROOT = "dev.herald.query";
    private static final Pattern IMPORT = Pattern.compile("^import (?:static )?((dev\\.herald\\.query[\\w.]*)\\.\\w+);",
            Pattern.MULTILINE);
    private static final Pattern PACKAGE = Pattern.compile("^package ([\\w.]+);", Pattern.MULTILINE);

    /** What each package may import from the module; anything else would allow a cycle. */
    private static final Map<String, Set<String>> ALLOWED = Map.of(
            ROOT + ".model", Set.of(),
            ROOT + ".store", Set.of(ROOT + ".model"),
            ROOT + ".routing", Set.of(ROOT + ".model"),
            ROOT, Set.of(ROOT + ".model", ROOT + ".store", ROOT + ".routing"),
            ROOT + ".http", Set.of(ROOT, ROOT + ".model", ROOT + ".store", ROOT + ".routing"));

    @Test
    void everyPackageImportsOnlyThePackagesBelowIt() throws IOException {
        Set<String> violations = new TreeSet<>();
        Set<String> packages = new TreeSet<>();
        for (Path file : javaFiles()) {
            String source = Files.readString(file);
            Matcher pkg = PACKAGE.matcher(source);
            assertThat(pkg.find()).as(file.toString()).isTrue();
            String from = pkg.group(1);
            packages.add(from);
            Matcher imports = IMPORT.matcher(source);
            while (imports.find()) {
                String to = packageOf(imports.group(2));
                if (!to.equals(from) && !ALLOWED.getOrDefault(from, Set.of()).contains(to)) {
                    violations.add(file.getFileName() + " (" + from + ") imports " + imports.group(1));
                }
            }
        }
        assertThat(packages).as("packages with rules").isEqualTo(new TreeSet<>(ALLOWED.keySet()));
        assertThat(violations).isEmpty();
    }

    /** The package part of an imported name, which may name a nested type (Answer.Found, Peers.Reply). */
    private static String packageOf(String qualifier) {
        String[] parts = qualifier.split("\\.");
        StringBuilder pkg = new StringBuilder();
        for (String part : parts) {
            if (Character.isUpperCase(part.charAt(0))) {
                break;
            }
            pkg.append(pkg.isEmpty() ? "" : ".").append(part);
        }
        return pkg.toString();
    }

    private static List<Path> javaFiles() throws IOException {
        try (Stream<Path> files = Files.walk(SOURCES)) {
            return files.filter(f -> f.toString().endsWith(".java")).toList();
        }
    }
}

package dev.herald.sender;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import org.apache.avro.Schema;
import org.apache.avro.specific.SpecificRecord;

/**
 * A transport for demos and tests: appends each message as one JSON line ({@code sentAt} and the message's fields,
 * {@code messageId} first) to a file, such as {@code <data-dir>/sent/mail.jsonl}. Always DELIVERED.
 */
public final class LogTransport<M extends SpecificRecord> implements Transport<M> {
    private final Path file;
    private final Clock clock;
    private final ObjectMapper json = new ObjectMapper();
    private final BufferedWriter out;

    public LogTransport(Path file, Clock clock) {
        this.file = Objects.requireNonNull(file, "file");
        this.clock = Objects.requireNonNull(clock, "clock");
        try {
            Path parent = file.toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            out = Files.newBufferedWriter(file, StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                    StandardOpenOption.APPEND, StandardOpenOption.WRITE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open " + file, e);
        }
    }

    public Path file() {
        return file;
    }

    @Override
    public CompletableFuture<SendResult> send(M message) {
        Map<String, Object> line = new LinkedHashMap<>();
        line.put("messageId", String.valueOf(message.get(message.getSchema().getField("messageId").pos())));
        line.put("sentAt", clock.instant().toString());
        for (Schema.Field field : message.getSchema().getFields()) {
            line.putIfAbsent(field.name(), plain(message.get(field.pos())));
        }
        try {
            String text = json.writeValueAsString(line);
            synchronized (out) {
                out.write(text);
                out.newLine();
                out.flush();
            }
            return CompletableFuture.completedFuture(SendResult.delivered("log"));
        } catch (IOException e) {
            return CompletableFuture.completedFuture(SendResult.transientError("io", e.toString(), null));
        }
    }

    private static Object plain(Object value) {
        if (value == null || value instanceof Number || value instanceof Boolean) {
            return value;
        }
        if (value instanceof Map<?, ?> map) {
            Map<String, Object> copy = new LinkedHashMap<>();
            map.forEach((k, v) -> copy.put(String.valueOf(k), plain(v)));
            return copy;
        }
        if (value instanceof Instant instant) {
            return instant.toString();
        }
        return value.toString();
    }

    @Override
    public String name() {
        return "log";
    }

    @Override
    public void close() {
        synchronized (out) {
            try {
                out.close();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }
}

package dev.herald.app.cli;

import dev.herald.app.cli.RecipientLines.LineException;
import dev.herald.avro.Recipient;
import dev.herald.topology.Topic;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.ApiException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Serializer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code herald recipients import FILE}: CSV with a header row or JSON lines, each line validated on its own (bad
 * lines reported with their numbers and reasons, the rest produced), keyed by recipient id on the compacted
 * recipients topic, so importing the same file again changes nothing.
 */
@Command(name = "recipients", mixinStandardHelpOptions = true, description = "Import recipients.")
final class RecipientsCommands {
    private static final int PROGRESS_EVERY = 10_000;
    /** Records handed to the sending thread at a time. */
    private static final int CHUNK = 1_000;

    private final CliContext context;

    RecipientsCommands(CliContext context) {
        this.context = context;
    }

    /** What an import did. */
    record Report(String file, String format, long lines, long imported, long rejected, double seconds,
            long linesPerSecond, List<LineError> errors, boolean dryRun) {
    }

    /** One bad line: its number in the file (the header is line 1) and why it was not imported. */
    record LineError(long line, String reason) {
    }

    @Command(name = "import", mixinStandardHelpOptions = true,
            description = {"Import recipients from CSV (header row: id, email, locale, timeZone, segments, optOuts, "
                    + "pushTokens, attributes.NAME; lists separated by ';', tokens as PLATFORM:token) or JSON lines "
                    + "(one Recipient per line, the Avro schema's field names).",
                    "Bad lines are reported with their line numbers and reasons, the rest imported (exit code 1 "
                            + "when some failed). Idempotent: recipients are keyed by id."})
    int importFile(@Parameters(paramLabel = "FILE") Path file,
            @Option(names = "--format", paramLabel = "csv|jsonl",
                    description = "Notation (default: by extension, else by the first line).")
            RecipientLines.Format format,
            @Option(names = "--dry-run", description = "Validate every line; produce nothing.") boolean dryRun,
            @Option(names = "--show-errors", paramLabel = "N", defaultValue = "20",
                    description = "Bad lines listed (default ${DEFAULT-VALUE}); all are counted.") int shown) {
        if (!Files.isReadable(file)) {
            throw new CliException(ExitCodes.USAGE, file + ": cannot be read (does it exist?)");
        }
        long total = context.progress ? countLines(file) : 0;
        long started = System.nanoTime();
        List<LineError> errors = new ArrayList<>();
        long lines = 0;
        long imported = 0;
        long rejected = 0;
        RecipientLines reader;
        Topic<String, Recipient> topic = dryRun ? null : context.topics().recipients();
        Serializer<Recipient> values = dryRun ? null : topic.valueSerde().serializer();
        try (BufferedReader in = new BufferedReader(new InputStreamReader(Files.newInputStream(file),
                StandardCharsets.UTF_8), 1 << 20);
                Sender sender = dryRun ? null : new Sender(context.kafka(), topic.name());
                Progress progress = Progress.start(context.progress, "Importing", " lines", total)) {
            String first = in.readLine();
            lines = first == null ? 0 : 1;
            RecipientLines.Format notation = format != null ? format : RecipientLines.Format.of(file, first);
            String pending = null;
            if (notation == RecipientLines.Format.csv) {
                if (first == null) {
                    throw new CliException(ExitCodes.REJECTED, file + ": empty (a CSV file needs a header row)");
                }
                try {
                    reader = RecipientLines.csv(first);
                } catch (LineException e) {
                    throw new CliException(ExitCodes.REJECTED, file + ": line 1: " + e.getMessage()
                            + "; nothing imported");
                }
            } else {
                reader = RecipientLines.jsonLines();
                pending = first;
            }
            List<ProducerRecord<byte[], byte[]>> chunk = new ArrayList<>(CHUNK);
            for (String line = pending != null ? pending : in.readLine(); line != null; line = in.readLine()) {
                if (pending == null) {
                    lines++;
                }
                pending = null;
                if (line.isBlank()) {
                    continue;
                }
                Recipient recipient;
                try {
                    recipient = reader.parse(line);
                } catch (LineException e) {
                    rejected++;
                    if (errors.size() < shown) {
                        errors.add(new LineError(lines, e.getMessage()));
                    }
                    continue;
                }
                imported++;
                if (sender != null) {
                    chunk.add(new ProducerRecord<>(topic.name(), recipient.getId().getBytes(StandardCharsets.UTF_8),
                            serialize(values, topic.name(), recipient)));
                    if (chunk.size() == CHUNK) {
                        sender.send(chunk);
                        chunk = new ArrayList<>(CHUNK);
                    }
                }
                if (lines % PROGRESS_EVERY == 0) {
                    progress.to(lines, Math.max(total, lines));
                }
            }
            if (sender != null) {
                sender.send(chunk);
                sender.finish();
            }
            progress.to(lines, Math.max(total, lines));
        } catch (IOException e) {
            throw new CliException(ExitCodes.USAGE, file + ": cannot be read: " + e.getMessage(), e);
        }
        double seconds = (System.nanoTime() - started) / 1e9;
        Report report = new Report(file.toString(), reader.format().name(), lines, imported, rejected,
                Math.round(seconds * 100) / 100.0, Math.round(lines / Math.max(seconds, 1e-3)), errors, dryRun);
        print(report);
        return rejected > 0 ? ExitCodes.REJECTED : ExitCodes.OK;
    }

    private static byte[] serialize(Serializer<Recipient> values, String topic, Recipient recipient) {
        try {
            return values.serialize(topic, recipient);
        } catch (RuntimeException e) {
            // Every record alike: the registry is away or refuses the schema, which is no line's fault.
            throw new CliException(ExitCodes.UNAVAILABLE, "cannot write recipients: " + e.getMessage(), e);
        }
    }

    /**
     * Sends chunks of serialized records from a thread of its own, so reading and serializing lines (this thread)
     * and compressing them into batches (the sender's) use two cores. The queue is short: a slow broker slows the
     * reading down instead of filling the heap.
     */
    private static final class Sender implements AutoCloseable {
        private static final List<ProducerRecord<byte[], byte[]>> END = List.of();

        private final KafkaAccess kafka;
        private final String topic;
        private final KafkaProducer<byte[], byte[]> producer;
        private final BlockingQueue<List<ProducerRecord<byte[], byte[]>>> queue = new ArrayBlockingQueue<>(16);
        private final AtomicLong failed = new AtomicLong();
        private final AtomicReference<Exception> firstFailure = new AtomicReference<>();
        private final Thread thread;

        Sender(KafkaAccess kafka, String topic) {
            this.kafka = kafka;
            this.topic = topic;
            this.producer = kafka.bulkProducer(new ByteArraySerializer(), new ByteArraySerializer());
            this.thread = new Thread(this::run, "herald-import-sender");
            thread.setDaemon(true);
            thread.start();
        }

        void send(List<ProducerRecord<byte[], byte[]>> chunk) {
            try {
                while (!queue.offer(chunk, 1, TimeUnit.SECONDS)) {
                    check();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new CliException(ExitCodes.UNAVAILABLE, "interrupted", e);
            }
            check();
        }

        /** Waits until every record is acknowledged; any failure is the command's. */
        void finish() {
            send(END);
            try {
                thread.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new CliException(ExitCodes.UNAVAILABLE, "interrupted", e);
            }
            check();
        }

        private void run() {
            try {
                for (List<ProducerRecord<byte[], byte[]>> chunk = queue.take(); chunk != END; chunk = queue.take()) {
                    for (ProducerRecord<byte[], byte[]> record : chunk) {
                        producer.send(record, (metadata, exception) -> {
                            if (exception != null) {
                                failed.incrementAndGet();
                                firstFailure.compareAndSet(null, exception);
                            }
                        });
                    }
                }
                producer.flush();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (RuntimeException e) {
                failed.incrementAndGet();
                firstFailure.compareAndSet(null, e);
                queue.clear();
            }
        }

        private void check() {
            Exception failure = firstFailure.get();
            if (failure instanceof KafkaException kafkaFailure && !(failure instanceof ApiException)) {
                throw kafka.unreachable(kafkaFailure);
            }
            if (failure != null) {
                throw new CliException(ExitCodes.UNAVAILABLE, failed.get() + " recipients could not be written to "
                        + topic + ": " + failure.getMessage(), failure);
            }
        }

        @Override
        public void close() {
            thread.interrupt();
            producer.close();
        }
    }

    private void print(Report report) {
        if (context.json()) {
            context.printJson(report);
            return;
        }
        for (LineError error : report.errors()) {
            context.err.println(report.file() + ": line " + error.line() + ": " + error.reason());
        }
        if (report.rejected() > report.errors().size()) {
            context.err.println("... and " + (report.rejected() - report.errors().size())
                    + " more bad lines (--show-errors=N lists more)");
        }
        context.err.flush();
        // A rate over a handful of lines measures the JVM starting, not the import.
        String rate = report.lines() >= 10_000 ? String.format(", %,d lines/s", report.linesPerSecond()) : "";
        context.out.printf("%s %,d recipients from %s (%s): %,d lines, %,d rejected, %.2f s%s%n",
                report.dryRun() ? "Validated" : "Imported", report.imported(), report.file(), report.format(),
                report.lines(), report.rejected(), report.seconds(), rate);
        context.out.flush();
    }

    /** Lines in the file, for the progress bar's end: a quick byte scan, well under a second for a million lines. */
    private static long countLines(Path file) {
        long count = 0;
        byte[] buffer = new byte[1 << 16];
        try (InputStream in = Files.newInputStream(file)) {
            for (int n = in.read(buffer); n > 0; n = in.read(buffer)) {
                for (int i = 0; i < n; i++) {
                    if (buffer[i] == '\n') {
                        count++;
                    }
                }
            }
        } catch (IOException e) {
            return 0;
        }
        return count;
    }
}

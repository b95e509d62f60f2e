package dev.herald.app.cli;

import dev.herald.avro.DeadLetter;
import dev.herald.serdes.DeadLetterHeaders;
import dev.herald.topology.HeraldTopics;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Future;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code herald dead-letters list|replay}: read the dead-letters topic, and re-produce dead letters' original key and
 * value bytes to their source topic once the operator has fixed the cause. A replayed record carries the header
 * {@value DeadLetterHeaders#REPLAYED}; if it fails again, its new dead letter carries it too and replay refuses both
 * that one and the one it came from, so a record that keeps failing is never replayed in a loop.
 */
@Command(name = "dead-letters", mixinStandardHelpOptions = true,
        description = "List dead letters and replay them to their source topic.")
final class DeadLettersCommands {
    private final CliContext context;

    DeadLettersCommands(CliContext context) {
        this.context = context;
    }

    /** The filters both commands take. */
    static final class Filters {
        @Option(names = "--since", paramLabel = "WHEN",
                description = "Only dead letters written since: ISO-8601 instant or age (30m, 2h, 7d).")
        String since;

        @Option(names = "--stage", paramLabel = "STAGE",
                description = "Only this stage: deserialization, processing or production.")
        String stage;

        @Option(names = "--topic", paramLabel = "TOPIC",
                description = "Only records that failed on this topic (full name, e.g. herald.campaigns).")
        String topic;
    }

    /** A dead letter as listed: where it is, where it came from, why. */
    record Letter(String deadLetter, Instant failedAt, String stage, String processorNode, String source,
            String topic, String key, String errorClass, String errorMessage, String replayedFrom) {
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "List dead letters, oldest first.")
    int list(@Mixin Filters filters) {
        List<Found> found = read(filters);
        if (context.json()) {
            context.printJson(found.stream().map(Found::letter).toList());
            return ExitCodes.OK;
        }
        Table table = new Table("FAILED AT", "STAGE", "SOURCE", "KEY", "REPLAYED", "ERROR");
        for (Found f : found) {
            Letter l = f.letter();
            table.row(l.failedAt(), l.stage(), l.source(), l.key(), l.replayedFrom() == null ? "no" : "yes",
                    l.errorMessage());
        }
        table.print(context.out);
        context.out.println(found.size() + " dead letters");
        context.out.flush();
        return ExitCodes.OK;
    }

    @Command(name = "replay", mixinStandardHelpOptions = true,
            description = {"Re-produce dead letters' original key and value bytes to their source topic (campaigns, "
                    + "recipients, schedule-ticks or run-controls), marked with the header " + DeadLetterHeaders.REPLAYED + ".",
                    "Refused, and exit code 1: dead letters of a replay, and those whose replay failed again (fix "
                            + "the cause first), from other topics, or of stage production (their bytes are Herald's "
                            + "output).", "Each run replays every matching dead letter: narrow it with --since."})
    int replay(@Mixin Filters filters,
            @Option(names = "--dry-run", description = "Say what would be replayed; produce nothing.")
            boolean dryRun) {
        HeraldTopics topics = context.topics();
        Set<String> inputs = Set.of(topics.campaigns().name(), topics.recipients().name(),
                topics.scheduleTicks().name(), topics.runControls().name());
        Set<String> failedAgain = new HashSet<>();
        List<Found> found = read(filters, failedAgain);
        Table table = new Table("DEAD LETTER", "SOURCE", "KEY", "RESULT");
        List<Found> replay = new ArrayList<>();
        int refused = 0;
        for (Found f : found) {
            Letter l = f.letter();
            String refusal = l.replayedFrom() != null ? "refused: already replayed once (from " + l.replayedFrom()
                    + ") and failed again"
                    : failedAgain.contains(l.deadLetter()) ? "refused: replayed before and failed again"
                    : "production".equals(l.stage()) ? "refused: stage production (bytes Herald wrote, not input)"
                    : !inputs.contains(l.topic()) ? "refused: " + l.topic() + " is not an input topic"
                    : null;
            if (refusal != null) {
                refused++;
            } else {
                replay.add(f);
            }
            table.row(l.deadLetter(), l.source(), l.key(), refusal != null ? refusal
                    : dryRun ? "would replay to " + l.topic() : "replayed to " + l.topic());
        }
        if (!dryRun && !replay.isEmpty()) {
            KafkaAccess kafka = context.kafka();
            try (KafkaProducer<byte[], byte[]> producer = kafka.producer(new ByteArraySerializer(),
                    new ByteArraySerializer())) {
                List<Future<?>> sends = new ArrayList<>();
                for (Found f : replay) {
                    RecordHeaders headers = new RecordHeaders();
                    headers.add(DeadLetterHeaders.REPLAYED, f.letter().deadLetter().getBytes(StandardCharsets.UTF_8));
                    // Partition left to the default partitioner: the same one the original producer had to use.
                    sends.add(producer.send(new ProducerRecord<>(f.letter().topic(), null, bytes(f.value().getKey()),
                            bytes(f.value().getValue()), headers)));
                }
                KafkaAccess.awaitAll(sends, "replaying dead letters");
            } catch (KafkaException e) {
                throw kafka.unreachable(e);
            }
        }
        if (context.json()) {
            context.printJson(java.util.Map.of("replayed", dryRun ? 0 : replay.size(), "refused", refused,
                    "dryRun", dryRun, "letters", found.stream().map(Found::letter).toList()));
        } else {
            table.print(context.out);
            context.out.println((dryRun ? "would replay " : "replayed ") + replay.size() + ", refused " + refused);
            context.out.flush();
        }
        return refused > 0 ? ExitCodes.REJECTED : ExitCodes.OK;
    }

    /** A dead letter read from the topic. */
    private record Found(DeadLetter value, Letter letter) {
    }

    private List<Found> read(Filters filters) {
        return read(filters, new HashSet<>());
    }

    /**
     * The dead letters that pass the filters, oldest first; {@code failedAgain} receives every dead letter (filtered
     * or not) that a later one names in its replay header: it was replayed and failed again.
     */
    private List<Found> read(Filters filters, Set<String> failedAgain) {
        Instant since = TimeArgs.parse("--since", filters.since, context.clock);
        HeraldTopics topics = context.topics();
        String topic = topics.deadLetters().name();
        List<Found> found = new ArrayList<>();
        context.kafka().readAll(topic, since == null ? 0 : since.toEpochMilli(), record -> {
            Header replayed = record.headers().lastHeader(DeadLetterHeaders.REPLAYED);
            if (replayed != null) {
                failedAgain.add(new String(replayed.value(), StandardCharsets.UTF_8));
            }
            DeadLetter value = topics.deadLetters().valueSerde().deserializer().deserialize(topic, record.value());
            if (value == null) {
                return;
            }
            if ((filters.stage != null && !filters.stage.equals(value.getStage()))
                    || (filters.topic != null && !filters.topic.equals(value.getTopic()))
                    || (since != null && value.getFailedAt().isBefore(since))) {
                return;
            }
            found.add(new Found(value, letter(record, value)));
        });
        return found;
    }

    private static Letter letter(ConsumerRecord<byte[], byte[]> record, DeadLetter value) {
        Header replayed = record.headers().lastHeader(DeadLetterHeaders.REPLAYED);
        byte[] key = bytes(value.getKey());
        return new Letter(record.topic() + "-" + record.partition() + "@" + record.offset(), value.getFailedAt(),
                value.getStage(), value.getProcessorNode(),
                value.getTopic() + "-" + value.getPartition() + "@" + value.getOffset(), value.getTopic(),
                key == null ? null : new String(key, StandardCharsets.UTF_8), value.getErrorClass(),
                value.getErrorMessage(), replayed == null ? null : new String(replayed.value(), StandardCharsets.UTF_8));
    }

    private static byte[] bytes(ByteBuffer buffer) {
        if (buffer == null) {
            return null;
        }
        byte[] out = new byte[buffer.remaining()];
        buffer.duplicate().get(out);
        return out;
    }
}

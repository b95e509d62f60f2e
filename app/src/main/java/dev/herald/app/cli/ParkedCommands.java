package dev.herald.app.cli;

import dev.herald.avro.Channel;
import dev.herald.avro.MailMessage;
import dev.herald.avro.Parked;
import dev.herald.avro.PushMessage;
import dev.herald.sender.SenderHeaders;
import dev.herald.topology.HeraldTopics;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Future;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code herald parked list|replay}: the messages the senders gave up on (FAILED after the last retry, or a permanent
 * error), and sending them again once the cause is fixed: a replay puts the message on its channel's retry topic as
 * attempt 1, due now, so it gets the whole retry schedule again.
 */
@Command(name = "parked", mixinStandardHelpOptions = true,
        description = "List the messages the senders parked (FAILED) and replay them.")
final class ParkedCommands {
    private final CliContext context;

    ParkedCommands(CliContext context) {
        this.context = context;
    }

    /** A parked message as listed. */
    record Entry(String parked, Instant parkedAt, String channel, String messageId, String campaignId, String runId,
            String recipientId, String target, int attempts, String providerCode, String detail) {
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "List parked messages, oldest first.")
    int list() {
        List<Found> found = read();
        if (context.json()) {
            context.printJson(found.stream().map(Found::entry).toList());
            return ExitCodes.OK;
        }
        Table table = new Table("PARKED AT", "CHANNEL", "MESSAGE", "CAMPAIGN", "RECIPIENT", "TARGET", "ATTEMPTS",
                "CODE", "DETAIL");
        for (Found f : found) {
            Entry e = f.entry();
            table.row(e.parkedAt(), e.channel(), e.messageId(), e.campaignId(), e.recipientId(), e.target(),
                    e.attempts(), e.providerCode(), e.detail());
        }
        table.print(context.out);
        context.out.println(found.size() + " parked");
        context.out.flush();
        return ExitCodes.OK;
    }

    /** Which parked messages to replay: all, or those with the ids given. */
    static final class Which {
        @Option(names = "--all", required = true, description = "Every parked message.")
        boolean all;

        @Parameters(paramLabel = "MESSAGE_ID", arity = "1..*", description = "The message ids to replay.")
        List<String> ids;
    }

    @Command(name = "replay", mixinStandardHelpOptions = true,
            description = {"Send parked messages again: each goes to its channel's retry topic as attempt 1, due now "
                    + "(headers " + SenderHeaders.ATTEMPT + " and " + SenderHeaders.NOT_BEFORE + "), and gets the "
                    + "whole retry schedule again.",
                    "A message parked more than once is replayed once. Parked records stay on the topic: a replayed "
                            + "message that fails again is parked again."})
    int replay(@ArgGroup(exclusive = true, multiplicity = "1") Which which,
            @Option(names = "--dry-run", description = "Say what would be replayed; produce nothing.") boolean dryRun) {
        HeraldTopics topics = context.topics();
        List<Found> found = read();
        Map<String, Found> chosen = new LinkedHashMap<>();
        for (Found f : found) {
            if (which.all || which.ids.contains(f.entry().messageId())) {
                chosen.put(f.entry().messageId(), f);
            }
        }
        List<String> unknown = which.all ? List.of()
                : which.ids.stream().filter(id -> !chosen.containsKey(id)).distinct().toList();
        if (!dryRun && !chosen.isEmpty()) {
            KafkaAccess kafka = context.kafka();
            long now = context.clock.millis();
            try (KafkaProducer<byte[], byte[]> producer = kafka.producer(new ByteArraySerializer(),
                    new ByteArraySerializer())) {
                List<Future<?>> sends = new ArrayList<>();
                for (Found f : chosen.values()) {
                    RecordHeaders headers = new RecordHeaders();
                    SenderHeaders.set(headers, 1, now);
                    // Its final receipt then replaces the FAILED one in the run's counts.
                    SenderHeaders.markReplay(headers);
                    sends.add(producer.send(retryRecord(topics, f.value(), headers)));
                }
                KafkaAccess.awaitAll(sends, "replaying parked messages");
            } catch (KafkaException e) {
                throw kafka.unreachable(e);
            }
        }
        if (context.json()) {
            context.printJson(Map.of("replayed", dryRun ? 0 : chosen.size(), "dryRun", dryRun, "notFound", unknown,
                    "messages", chosen.values().stream().map(Found::entry).toList()));
        } else {
            Table table = new Table("MESSAGE", "CHANNEL", "RECIPIENT", "RESULT");
            for (Found f : chosen.values()) {
                Entry e = f.entry();
                String topic = e.channel().equals("PUSH") ? topics.pushRetry().name() : topics.mailRetry().name();
                table.row(e.messageId(), e.channel(), e.recipientId(),
                        (dryRun ? "would replay to " : "replayed to ") + topic);
            }
            unknown.forEach(id -> table.row(id, null, null, "not found: no parked message has this id"));
            table.print(context.out);
            context.out.println((dryRun ? "would replay " : "replayed ") + chosen.size()
                    + (unknown.isEmpty() ? "" : ", not found " + unknown.size()));
            context.out.flush();
        }
        return unknown.isEmpty() ? ExitCodes.OK : ExitCodes.NOT_FOUND;
    }

    private static ProducerRecord<byte[], byte[]> retryRecord(HeraldTopics topics, Parked parked,
            RecordHeaders headers) {
        if (parked.getChannel() == Channel.PUSH) {
            PushMessage m = parked.getPush();
            String topic = topics.pushRetry().name();
            return new ProducerRecord<>(topic, null, topics.pushRetry().keySerde().serializer()
                    .serialize(topic, m.getRecipientId()), topics.pushRetry().valueSerde().serializer()
                    .serialize(topic, m), headers);
        }
        MailMessage m = parked.getMail();
        String topic = topics.mailRetry().name();
        return new ProducerRecord<>(topic, null, topics.mailRetry().keySerde().serializer()
                .serialize(topic, m.getRecipientId()), topics.mailRetry().valueSerde().serializer()
                .serialize(topic, m), headers);
    }

    private record Found(Parked value, Entry entry) {
    }

    /** Every parked message with its message (records without one are skipped), oldest first per partition. */
    private List<Found> read() {
        HeraldTopics topics = context.topics();
        String topic = topics.parked().name();
        List<Found> found = new ArrayList<>();
        context.kafka().readAll(topic, 0, record -> {
            Parked value = topics.parked().valueSerde().deserializer().deserialize(topic, record.value());
            if (value == null) {
                return;
            }
            String where = record.topic() + "-" + record.partition() + "@" + record.offset();
            if (value.getChannel() == Channel.PUSH && value.getPush() != null) {
                PushMessage m = value.getPush();
                found.add(new Found(value, new Entry(where, value.getParkedAt(), "PUSH", m.getMessageId(),
                        m.getCampaignId(), m.getRunId(), m.getRecipientId(), m.getToken(), value.getAttempts(),
                        value.getProviderCode(), value.getDetail())));
            } else if (value.getChannel() == Channel.MAIL && value.getMail() != null) {
                MailMessage m = value.getMail();
                found.add(new Found(value, new Entry(where, value.getParkedAt(), "MAIL", m.getMessageId(),
                        m.getCampaignId(), m.getRunId(), m.getRecipientId(), m.getTo(), value.getAttempts(),
                        value.getProviderCode(), value.getDetail())));
            }
        });
        found.sort(java.util.Comparator.comparing(f -> f.entry().parkedAt()));
        return found;
    }
}

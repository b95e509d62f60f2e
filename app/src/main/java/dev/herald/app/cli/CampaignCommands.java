package dev.herald.app.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.herald.avro.Campaign;
import dev.herald.avro.CampaignStatus;
import dev.herald.avro.ScheduleTick;
import dev.herald.avro.Trigger;
import dev.herald.serdes.SchemaRegistryException;
import dev.herald.topology.RunIds;
import dev.herald.topology.Topic;
import dev.herald.topology.campaigns.CampaignFileException;
import dev.herald.topology.campaigns.CampaignFiles;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Future;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.SerializationException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code herald campaign ...}: apply campaign files, pause, resume and cancel a campaign (and with it its runs in
 * flight), run it now, list and show campaigns. Definitions are produced to the campaigns topic (the latest one per
 * id is the campaign); lists and details come from Herald's HTTP API.
 */
@Command(name = "campaign", mixinStandardHelpOptions = true,
        description = "Apply, pause, resume, cancel, run, list and show campaigns.")
final class CampaignCommands {
    /** Manual ticks for a campaign in these states are rejected by the topology, so the command refuses them first. */
    private static final Set<CampaignStatus> NOT_RUNNABLE =
            EnumSet.of(CampaignStatus.PAUSED, CampaignStatus.DRAFT, CampaignStatus.CANCELLED);

    private final CliContext context;

    CampaignCommands(CliContext context) {
        this.context = context;
    }

    @Command(name = "apply", mixinStandardHelpOptions = true,
            description = {"Validate campaign files (JSON or YAML, the Avro schema's field names, instants as "
                    + "ISO-8601) by the rules the topology applies, then produce them.",
                    "Nothing is produced unless every file is valid."})
    int apply(@Option(names = "--dry-run", description = "Validate only; produce nothing.") boolean dryRun,
            @Parameters(paramLabel = "FILE", arity = "1..*", description = "Campaign files (.json, .yaml, .yml).")
            List<Path> files) {
        Instant now = context.clock.instant();
        Map<String, Campaign> campaigns = new LinkedHashMap<>();
        Map<String, Path> fileOf = new LinkedHashMap<>();
        List<String> errors = new ArrayList<>();
        for (Path file : files) {
            try {
                Campaign campaign = CampaignFiles.read(file, now);
                Path earlier = fileOf.putIfAbsent(campaign.getId(), file);
                if (earlier != null) {
                    errors.add(file + ": id: '" + campaign.getId() + "' is also the id in " + earlier);
                } else {
                    campaigns.put(campaign.getId(), campaign);
                }
            } catch (CampaignFileException e) {
                errors.add(e.getMessage());
            }
        }
        if (!errors.isEmpty()) {
            errors.forEach(context.err::println);
            context.err.println(errors.size() + " of " + files.size() + " files invalid; nothing applied");
            context.err.flush();
            return ExitCodes.REJECTED;
        }
        if (!dryRun) {
            Topic<String, Campaign> topic = context.topics().campaigns();
            KafkaAccess kafka = context.kafka();
            try (KafkaProducer<String, Campaign> producer = kafka.producer(topic.keySerde().serializer(),
                    topic.valueSerde().serializer())) {
                List<Future<?>> sends = new ArrayList<>();
                campaigns.forEach((id, campaign) -> sends.add(producer.send(
                        new ProducerRecord<>(topic.name(), id, campaign))));
                KafkaAccess.awaitAll(sends, "producing to " + topic.name());
            } catch (KafkaException e) {
                throw failure(kafka, e);
            }
        }
        if (context.json()) {
            List<Map<String, Object>> out = new ArrayList<>();
            campaigns.forEach((id, c) -> out.add(Map.of("id", id, "status", c.getStatus().name(),
                    "file", fileOf.get(id).toString(), "applied", !dryRun)));
            context.printJson(out);
        } else {
            Table table = new Table("CAMPAIGN", "STATUS", "CHANNELS", "SCHEDULE", "FILE");
            campaigns.forEach((id, c) -> table.row(id, c.getStatus(), channels(c), schedule(c), fileOf.get(id)));
            table.print(context.out);
            context.out.println(dryRun ? campaigns.size() + " valid, nothing applied (--dry-run)"
                    : campaigns.size() + " applied to " + context.topics().campaigns().name());
        }
        return ExitCodes.OK;
    }

    @Command(name = "pause", mixinStandardHelpOptions = true,
            description = {"Pause a SCHEDULED campaign: no fires until resumed (missed ones follow its misfire "
                    + "policy).", "Its runs in flight pause too, within one fan-out step, and keep their place."})
    int pause(@Parameters(paramLabel = "ID") String id) {
        return setStatus(id, CampaignStatus.PAUSED, EnumSet.of(CampaignStatus.SCHEDULED));
    }

    @Command(name = "resume", mixinStandardHelpOptions = true,
            description = {"Resume a PAUSED campaign (status SCHEDULED again).",
                    "Its paused runs go on from where they stopped (not those paused with runs pause)."})
    int resume(@Parameters(paramLabel = "ID") String id) {
        return setStatus(id, CampaignStatus.SCHEDULED, EnumSet.of(CampaignStatus.PAUSED));
    }

    @Command(name = "cancel", mixinStandardHelpOptions = true,
            description = {"Cancel a campaign: it never fires again and manual runs are rejected.",
                    "Its runs in flight are cancelled too: what they did not send is counted as not sent."})
    int cancel(@Parameters(paramLabel = "ID") String id) {
        return setStatus(id, CampaignStatus.CANCELLED, EnumSet.complementOf(EnumSet.of(CampaignStatus.CANCELLED)));
    }

    @Command(name = "run", mixinStandardHelpOptions = true,
            description = {"Run a campaign now (a MANUAL schedule tick); prints the run id.",
                    "The same --at twice is the same run."})
    int run(@Parameters(paramLabel = "ID") String id,
            @Option(names = "--at", paramLabel = "INSTANT",
                    description = "The run's scheduledFor, ISO-8601 (default: now, to the second).") Instant at) {
        KafkaAccess kafka = context.kafka();
        Campaign campaign = kafka.campaign(id).orElseThrow(() -> notFound(id));
        if (NOT_RUNNABLE.contains(campaign.getStatus())) {
            throw new CliException(ExitCodes.REJECTED, "campaign " + id + " is " + campaign.getStatus()
                    + ": Herald would reject the run" + (campaign.getStatus() == CampaignStatus.PAUSED
                    ? " (resume it first: herald campaign resume " + id + ")" : ""));
        }
        // Avro keeps milliseconds; whole seconds make run ids people can type.
        Instant scheduledFor = (at != null ? at : context.clock.instant()).truncatedTo(
                at != null ? ChronoUnit.MILLIS : ChronoUnit.SECONDS);
        String runId = RunIds.of(id, scheduledFor);
        ScheduleTick tick = ScheduleTick.newBuilder().setCampaignId(id).setRunId(runId)
                .setScheduledFor(scheduledFor).setTrigger(Trigger.MANUAL).build();
        Topic<String, ScheduleTick> topic = context.topics().scheduleTicks();
        try (KafkaProducer<String, ScheduleTick> producer = kafka.producer(topic.keySerde().serializer(),
                topic.valueSerde().serializer())) {
            KafkaAccess.awaitAll(List.of(producer.send(new ProducerRecord<>(topic.name(), id, tick))),
                    "producing to " + topic.name());
        } catch (KafkaException e) {
            throw failure(kafka, e);
        }
        if (context.json()) {
            context.printJson(Map.of("runId", runId, "campaignId", id, "scheduledFor", scheduledFor.toString()));
        } else {
            context.out.println(runId);
            context.out.flush();
        }
        return ExitCodes.OK;
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "List campaigns (from Herald's HTTP API).")
    int list() {
        JsonNode answer = context.http().get("/api/campaigns");
        if (context.json()) {
            context.printJson(answer);
            return ExitCodes.OK;
        }
        Table table = new Table("CAMPAIGN", "STATUS", "CHANNELS", "SCHEDULE", "NEXT FIRE", "NAME");
        for (JsonNode c : answer.path("campaigns")) {
            JsonNode schedule = c.path("schedule");
            String when = schedule.path("type").asText().equals("CRON")
                    ? "cron " + schedule.path("cron").asText() + " " + schedule.path("timeZone").asText("UTC")
                    : "once " + schedule.path("sendAt").asText();
            List<String> channels = new ArrayList<>();
            c.path("channels").forEach(ch -> channels.add(ch.asText()));
            table.row(c.path("id").asText(), c.path("status").asText(), String.join("+", channels), when,
                    text(c.path("nextFireAt")), c.path("name").asText());
        }
        table.print(context.out);
        partialNote(answer);
        return ExitCodes.OK;
    }

    @Command(name = "show", mixinStandardHelpOptions = true,
            description = "Show a campaign: definition, status, next fire (from Herald's HTTP API).")
    int show(@Parameters(paramLabel = "ID") String id) {
        JsonNode answer = context.http().get("/api/campaigns/" + URLEncoder.encode(id, StandardCharsets.UTF_8));
        if (context.json()) {
            context.printJson(answer);
            return ExitCodes.OK;
        }
        Table table = new Table("FIELD", "VALUE");
        flatten("", answer, table);
        table.print(context.out);
        return ExitCodes.OK;
    }

    private int setStatus(String id, CampaignStatus status, Set<CampaignStatus> from) {
        KafkaAccess kafka = context.kafka();
        Campaign campaign = kafka.campaign(id).orElseThrow(() -> notFound(id));
        CampaignStatus before = campaign.getStatus();
        if (before == status) {
            report(id, before, status, "already " + status + "; nothing produced");
            return ExitCodes.OK;
        }
        if (!from.contains(before)) {
            throw new CliException(ExitCodes.REJECTED, "campaign " + id + " is " + before + "; only " + from
                    + " can become " + status);
        }
        campaign.setStatus(status);
        campaign.setUpdatedAt(context.clock.instant().truncatedTo(ChronoUnit.MILLIS));
        Topic<String, Campaign> topic = context.topics().campaigns();
        try (KafkaProducer<String, Campaign> producer = kafka.producer(topic.keySerde().serializer(),
                topic.valueSerde().serializer())) {
            KafkaAccess.awaitAll(List.of(producer.send(new ProducerRecord<>(topic.name(), id, campaign))),
                    "producing to " + topic.name());
        } catch (KafkaException e) {
            throw failure(kafka, e);
        }
        report(id, before, status, null);
        return ExitCodes.OK;
    }

    private void report(String id, CampaignStatus before, CampaignStatus after, String note) {
        if (context.json()) {
            context.printJson(Map.of("id", id, "before", before.name(), "status", after.name(),
                    "produced", note == null));
        } else {
            context.out.println(id + ": " + before + " -> " + after + (note == null ? "" : " (" + note + ")"));
            context.out.flush();
        }
    }

    private void partialNote(JsonNode answer) {
        if (answer.path("partial").asBoolean()) {
            context.err.println("partial answer: instances " + answer.path("missing") + " did not answer");
            context.err.flush();
        }
    }

    private static void flatten(String prefix, JsonNode node, Table table) {
        if (node.isObject()) {
            node.fields().forEachRemaining(f -> flatten(prefix.isEmpty() ? f.getKey() : prefix + "." + f.getKey(),
                    f.getValue(), table));
        } else if (node.isArray() && node.size() > 0 && node.get(0).isValueNode()) {
            List<String> items = new ArrayList<>();
            node.forEach(item -> items.add(item.asText()));
            table.row(prefix, String.join(", ", items));
        } else if (node.isArray() && node.size() > 0) {
            for (int i = 0; i < node.size(); i++) {
                flatten(prefix + "[" + i + "]", node.get(i), table);
            }
        } else if (!node.isNull() && !(node.isContainerNode() && node.isEmpty())) {
            table.row(prefix, node.asText());
        }
    }

    private static String text(JsonNode node) {
        return node.isMissingNode() || node.isNull() ? "-" : node.asText();
    }

    private static String channels(Campaign c) {
        return String.join("+", c.getChannels().stream().map(Enum::name).toList());
    }

    private static String schedule(Campaign c) {
        var s = c.getSchedule();
        return switch (s.getType()) {
            case ONCE -> "once " + s.getSendAt();
            case CRON -> "cron " + s.getCron() + " " + (s.getTimeZone() == null ? "UTC" : s.getTimeZone());
        };
    }

    private static CliException notFound(String id) {
        return new CliException(ExitCodes.NOT_FOUND, "campaign " + id + " not found");
    }

    private CliException failure(KafkaAccess kafka, KafkaException e) {
        if (e instanceof SerializationException || e.getCause() instanceof SchemaRegistryException) {
            return new CliException(ExitCodes.UNAVAILABLE, "cannot write to Herald's topics: " + e.getMessage(), e);
        }
        return kafka.unreachable(e);
    }
}

package dev.herald.app;

import com.eatthepath.pushy.apns.ApnsClient;
import com.fasterxml.jackson.core.JsonProcessingException;
import dev.herald.avro.MailMessage;
import dev.herald.avro.PushMessage;
import dev.herald.avro.ReceiptStatus;
import dev.herald.sender.ChannelSender;
import dev.herald.sender.ErrorPolicy;
import dev.herald.sender.LogTransport;
import dev.herald.sender.RateLimiter;
import dev.herald.sender.SenderChannel;
import dev.herald.sender.SmtpTransport;
import dev.herald.sender.Transport;
import dev.herald.sender.push.ApnsTransport;
import dev.herald.sender.push.FcmTransport;
import dev.herald.sender.push.GoogleServiceAccountTokens;
import dev.herald.sender.push.PushRouter;
import dev.herald.topology.HeraldTopics;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The senders of one process, one per channel (push, mail), built from {@code herald.sender.*}: in the server when
 * {@code herald.sender.enabled}, or alone with {@code herald sender}. Each runs on its own thread.
 */
public final class Senders implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Senders.class);
    /** How long a batch may wait for its slowest answer before that one counts as a transient error. */
    static final Duration SEND_TIMEOUT = Duration.ofSeconds(60);
    /**
     * Messages per batch (and transaction) at most. The sender stops sending while it commits a batch, so small
     * batches leave the provider idle: on the harness's sender case, 200 gave 12,600 push messages/s and 1,000 gave
     * 18,400. The cost is the duplicates a crash can cause, which are at most one batch.
     */
    static final int MAX_POLL_RECORDS = 1_000;
    /** A rate-limited batch is at most this much sending, so it ends well within the consumer's poll interval. */
    static final Duration MAX_BATCH_TIME = Duration.ofSeconds(60);
    /** FCM's connect and request timeouts (a timeout is a transient error). */
    static final Duration PROVIDER_TIMEOUT = Duration.ofSeconds(10);

    private final List<ChannelSender<?>> senders;
    private final List<Transport<?>> transports;

    private Senders(List<ChannelSender<?>> senders, List<Transport<?>> transports) {
        this.senders = senders;
        this.transports = transports;
    }

    /** Where the log transport writes a channel's messages: {@code <data-dir>/sent/<channel>.jsonl}. */
    public static Path logFile(HeraldConfig config, String channel) {
        return config.dataDir().resolve("sent").resolve(channel + ".jsonl");
    }

    /**
     * Starts both channels' senders. {@code standalone}: a {@code herald sender} process, whose transactional ids
     * get a random part unless {@code herald.instance.id} names the process (several may run with the same settings).
     */
    public static Senders start(HeraldConfig config, HeraldTopics topics, boolean standalone) {
        HeraldConfig.Sender settings = config.sender();
        Clock clock = Clock.systemUTC();
        List<Transport<?>> transports = new ArrayList<>();
        List<ChannelSender<?>> senders = new ArrayList<>();
        try {
            Transport<MailMessage> mail = settings.mailTransport().equals("smtp")
                    ? new SmtpTransport(smtp(settings.smtp()))
                    : new LogTransport<>(logFile(config, "mail"), clock);
            transports.add(mail);
            Transport<PushMessage> push = pushTransport(config, clock);
            transports.add(push);
            String base = transactionalBase(config, standalone);
            senders.add(sender(config, SenderChannel.mail(topics), mail, settings.mailRate(), base, clock).start());
            senders.add(sender(config, SenderChannel.push(topics), push, settings.pushRate(), base, clock).start());
            log.info("Senders started: mail through {}, push through {}, retries after {}", mail.name(),
                    settings.pushProviders(), settings.backoffs());
            return new Senders(senders, transports);
        } catch (RuntimeException e) {
            new Senders(senders, transports).close();
            throw e;
        }
    }

    /**
     * The push channel's transport: the log, or with {@code providers} a {@link PushRouter} over FCM and APNs (either
     * may be missing: its platforms' messages are then PERMANENT). Builds clients but connects to nothing yet.
     * A credentials or key file that cannot be used is an error naming its setting; nothing of its content is shown.
     */
    static Transport<PushMessage> pushTransport(HeraldConfig config, Clock clock) {
        HeraldConfig.Sender settings = config.sender();
        if (!settings.pushTransport().equals("providers")) {
            return new LogTransport<>(logFile(config, "push"), clock);
        }
        Transport<PushMessage> fcm = settings.fcm() == null ? null : fcm(settings.fcm(), clock);
        try {
            Transport<PushMessage> apns = settings.apns() == null ? null : apns(settings.apns(), clock);
            return new PushRouter(apns, fcm);
        } catch (RuntimeException e) {
            if (fcm != null) {
                fcm.close();
            }
            throw e;
        }
    }

    private static FcmTransport fcm(HeraldConfig.Fcm fcm, Clock clock) {
        String setting = HeraldConfig.Setting.SENDER_PUSH_FCM_CREDENTIALS.key;
        GoogleServiceAccountTokens tokens;
        try {
            tokens = GoogleServiceAccountTokens.fromFile(fcm.credentials());
        } catch (JsonProcessingException e) {
            // Jackson's message may quote the file: say only where it broke.
            throw new HeraldConfig.ConfigException(setting, "file " + fcm.credentials().toAbsolutePath()
                    + " is not a service account's JSON key (not JSON at line "
                    + (e.getLocation() == null ? "?" : e.getLocation().getLineNr()) + ")");
        } catch (IOException | RuntimeException e) {
            throw new HeraldConfig.ConfigException(setting, "file " + fcm.credentials().toAbsolutePath()
                    + " is not a usable service account's JSON key: " + e.getMessage());
        }
        return new FcmTransport(fcm.url(), fcm.project(), tokens, FcmTransport.defaultHttpClient(PROVIDER_TIMEOUT),
                PROVIDER_TIMEOUT, clock);
    }

    private static ApnsTransport apns(HeraldConfig.Apns apns, Clock clock) {
        ApnsClient client;
        try {
            client = ApnsTransport.clientBuilder(apns.host(), apns.port(), apns.key(), apns.team(), apns.keyId())
                    .build();
        } catch (IOException | RuntimeException e) {
            throw new HeraldConfig.ConfigException(HeraldConfig.Setting.SENDER_PUSH_APNS_KEY.key, "file "
                    + apns.key().toAbsolutePath() + " is not a usable APNs .p8 signing key: " + e.getMessage());
        }
        return new ApnsTransport(client, apns.bundle(), clock, Duration.ofSeconds(10));
    }

    private static String transactionalBase(HeraldConfig config, boolean standalone) {
        String explicit = config.instanceId().equals("auto") || config.instanceId().equals("none") ? null
                : config.instanceId();
        if (standalone) {
            return explicit != null ? explicit + "-standalone"
                    : config.applicationId() + "-standalone-" + UUID.randomUUID().toString().substring(0, 8);
        }
        return config.groupInstanceId()
                .orElseGet(() -> config.applicationId() + "-" + UUID.randomUUID().toString().substring(0, 8));
    }

    private static <M> ChannelSender<M> sender(HeraldConfig config, SenderChannel<M> channel, Transport<M> transport,
            double rate, String base, Clock clock) {
        Map<String, Object> kafka = new HashMap<>(config.kafka());
        ChannelSender.Config c = new ChannelSender.Config(config.bootstrapServers(),
                ChannelSender.groupId(config.applicationId(), channel), base + "-sender-" + channel.name(), kafka,
                new ErrorPolicy(config.sender().backoffs()), new RateLimiter(rate), config.sender().maxInFlight(),
                SEND_TIMEOUT, maxPollRecords(rate));
        return new ChannelSender<>(channel, transport, c, clock);
    }

    /**
     * {@link #MAX_POLL_RECORDS}, or fewer under a rate limit: at most {@link #MAX_BATCH_TIME} of sending (at 2
     * messages/s, 120), as a batch must be committed before {@code max.poll.interval.ms} (5 minutes) runs out.
     */
    static int maxPollRecords(double rate) {
        if (rate <= 0) {
            return MAX_POLL_RECORDS;
        }
        return (int) Math.max(1, Math.min(MAX_POLL_RECORDS, Math.floor(rate * MAX_BATCH_TIME.toSeconds())));
    }

    private static SmtpTransport.Settings smtp(HeraldConfig.Smtp smtp) {
        return new SmtpTransport.Settings(smtp.host(), smtp.port(), smtp.username().isEmpty() ? null : smtp.username(),
                smtp.password(), smtp.startTls(), smtp.from(), smtp.connections(), Duration.ofSeconds(30));
    }

    public List<ChannelSender<?>> senders() {
        return senders;
    }

    /**
     * Publishes each channel's sender as {@code herald_sender_sent_total} (sends, retries included),
     * {@code herald_sender_receipts_total} by status (committed receipts), {@code herald_sender_batches_total} and
     * {@code herald_sender_running} (0 once it stopped on a fatal error), tagged by channel.
     */
    public void bindTo(MeterRegistry registry) {
        for (ChannelSender<?> sender : senders) {
            Tags channel = Tags.of("channel", sender.channel().name());
            FunctionCounter.builder("herald.sender.sent", sender, ChannelSender::sent)
                    .description("messages sent through the transport, retries included").tags(channel)
                    .register(registry);
            FunctionCounter.builder("herald.sender.batches", sender, ChannelSender::batches)
                    .description("batches committed").tags(channel).register(registry);
            for (ReceiptStatus status : ReceiptStatus.values()) {
                FunctionCounter.builder("herald.sender.receipts", sender, s -> s.receipts(status))
                        .description("receipts committed, by status").tags(channel.and("status", status.name()))
                        .register(registry);
            }
            Gauge.builder("herald.sender.running", sender, s -> s.isRunning() && s.failure() == null ? 1 : 0)
                    .description("1 while the sender runs, 0 once it stopped on a fatal error").tags(channel)
                    .register(registry);
        }
    }

    /** True while every sender runs; false once one stopped on a fatal error (its failure is logged). */
    public boolean healthy() {
        return senders.stream().allMatch(s -> s.isRunning() && s.failure() == null);
    }

    /** Stops the senders (each finishes and commits its batch), then the transports. */
    @Override
    public void close() {
        // Signal every sender first, so they finish their batches together, then wait for each.
        for (ChannelSender<?> sender : senders) {
            try {
                sender.close(Duration.ZERO);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        for (ChannelSender<?> sender : senders) {
            try {
                if (!sender.close(SEND_TIMEOUT.plusSeconds(15))) {
                    log.warn("Sender {} did not stop in time", sender.channel().name());
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        for (Transport<?> transport : transports) {
            try {
                transport.close();
            } catch (RuntimeException e) {
                log.warn("Closing transport {} failed: {}", transport.name(), e.toString());
            }
        }
    }
}

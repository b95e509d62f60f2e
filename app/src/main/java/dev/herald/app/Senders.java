package dev.herald.app;

import dev.herald.avro.MailMessage;
import dev.herald.avro.PushMessage;
import dev.herald.sender.ChannelSender;
import dev.herald.sender.ErrorPolicy;
import dev.herald.sender.LogTransport;
import dev.herald.sender.RateLimiter;
import dev.herald.sender.SenderChannel;
import dev.herald.sender.SmtpTransport;
import dev.herald.sender.Transport;
import dev.herald.topology.HeraldTopics;
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
    static final int MAX_POLL_RECORDS = 200;

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
            Transport<PushMessage> push = new LogTransport<>(logFile(config, "push"), clock);
            transports.add(push);
            String base = transactionalBase(config, standalone);
            senders.add(sender(config, SenderChannel.mail(topics), mail, settings.mailRate(), base, clock).start());
            senders.add(sender(config, SenderChannel.push(topics), push, settings.pushRate(), base, clock).start());
            log.info("Senders started: mail through {}, push through {}, retries after {}", mail.name(), push.name(),
                    settings.backoffs());
            return new Senders(senders, transports);
        } catch (RuntimeException e) {
            new Senders(senders, transports).close();
            throw e;
        }
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
                SEND_TIMEOUT, MAX_POLL_RECORDS);
        return new ChannelSender<>(channel, transport, c, clock);
    }

    private static SmtpTransport.Settings smtp(HeraldConfig.Smtp smtp) {
        return new SmtpTransport.Settings(smtp.host(), smtp.port(), smtp.username().isEmpty() ? null : smtp.username(),
                smtp.password(), smtp.startTls(), smtp.from(), smtp.connections(), Duration.ofSeconds(30));
    }

    public List<ChannelSender<?>> senders() {
        return senders;
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

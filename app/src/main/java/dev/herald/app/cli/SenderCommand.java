package dev.herald.app.cli;

import dev.herald.app.HeraldConfig;
import dev.herald.app.Senders;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;

/**
 * {@code herald sender}: runs only the senders (push and mail) against the cluster the settings name, until SIGTERM
 * or Ctrl-C; they then finish and commit the batch in hand. Instances share the outboxes' partitions through their
 * consumer groups, so as many may run as there are partitions.
 */
@Command(name = "sender", mixinStandardHelpOptions = true,
        description = {"Run only the senders: consume push-outbox and mail-outbox, send through the configured "
                + "transports (herald.sender.*), write receipts; until SIGTERM or Ctrl-C.",
                "Against the embedded default (no herald.bootstrap.servers), it joins a running java -jar herald.jar."})
final class SenderCommand implements Callable<Integer> {
    private final CliContext context;

    SenderCommand(CliContext context) {
        this.context = context;
    }

    @Override
    public Integer call() throws InterruptedException {
        List<String> flags = new ArrayList<>();
        if (context.configFile != null) {
            flags.add("--config=" + context.configFile);
        }
        if (context.bootstrapServers != null) {
            flags.add("--bootstrap.servers=" + context.bootstrapServers);
        }
        if (context.schemaRegistryUrl != null) {
            flags.add("--schema.registry.url=" + context.schemaRegistryUrl);
        }
        HeraldConfig config;
        try {
            config = HeraldConfig.loadSender(context.env, flags.toArray(String[]::new));
        } catch (HeraldConfig.ConfigException e) {
            throw new CliException(ExitCodes.USAGE, e.getMessage(), e);
        }
        Senders senders = Senders.start(config, context.topics(), true);
        CountDownLatch stopped = new CountDownLatch(1);
        Thread hook = new Thread(() -> {
            senders.close();
            stopped.countDown();
        }, "herald-sender-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        context.err.println("herald sender: mail via " + config.sender().mailTransport() + ", push via "
                + config.sender().pushTransport() + " against " + config.bootstrapServers()
                + "; Ctrl-C to stop");
        context.err.flush();
        // Until the shutdown hook has stopped the senders, or one stopped on its own (a fatal error, logged).
        while (!stopped.await(1, java.util.concurrent.TimeUnit.SECONDS)) {
            if (!senders.healthy()) {
                Runtime.getRuntime().removeShutdownHook(hook);
                senders.close();
                context.err.println("herald sender: a sender stopped on an error; see the log");
                return ExitCodes.UNAVAILABLE;
            }
        }
        return ExitCodes.OK;
    }
}

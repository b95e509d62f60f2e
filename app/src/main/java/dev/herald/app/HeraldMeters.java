package dev.herald.app;

import dev.herald.topology.Counters;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.common.Metric;
import org.apache.kafka.common.MetricName;
import org.apache.kafka.streams.KafkaStreams;

/**
 * Publishes Herald's own counters as {@code herald_*_total}: outcomes and messages by channel and result, runs
 * started and completed, ticks rejected, and dead letters (the stream producers' sends to the dead-letters topic).
 * They are Kafka Streams sensors created when first counted, which Micrometer's Kafka binder would only discover on
 * its 60-second refresh; this looks every few seconds.
 */
final class HeraldMeters implements AutoCloseable {
    private static final long REFRESH_SECONDS = 5;

    private final KafkaStreams streams;
    private final String deadLetterTopic;
    private final MeterRegistry registry;
    private final Set<MetricName> bound = ConcurrentHashMap.newKeySet();
    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "herald-meters");
        t.setDaemon(true);
        return t;
    });

    HeraldMeters(KafkaStreams streams, String deadLetterTopic, MeterRegistry registry) {
        this.streams = streams;
        this.deadLetterTopic = deadLetterTopic;
        this.registry = registry;
        scheduler.scheduleWithFixedDelay(this::bindNew, 0, REFRESH_SECONDS, TimeUnit.SECONDS);
    }

    void bindNew() {
        streams.metrics().forEach((name, metric) -> {
            if (bound.contains(name)) {
                return;
            }
            if (name.group().equals(Counters.GROUP)) {
                bind(Counters.NAMESPACE + "." + name.name().replaceAll("-total$", "").replace('-', '.'), name, metric);
            } else if (name.group().equals("producer-topic-metrics") && name.name().equals("record-send-total")
                    && deadLetterTopic.equals(name.tags().get("topic"))) {
                bind("herald.dead.letters", name, metric);
            }
        });
    }

    private void bind(String meterName, MetricName name, Metric metric) {
        List<Tag> tags = new ArrayList<>();
        name.tags().forEach((k, v) -> tags.add(Tag.of(k.replace('-', '_'), v)));
        FunctionCounter.builder(meterName, metric, m -> ((Number) m.metricValue()).doubleValue())
                .description(name.description())
                .tags(tags)
                .register(registry);
        bound.add(name);
    }

    @Override
    public void close() {
        scheduler.shutdownNow();
    }
}

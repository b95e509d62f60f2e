package dev.herald.app.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.herald.app.Herald;
import dev.herald.topology.StoreNames;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.serialization.Serdes;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Measures what the record cache buys the summary stores: the same run on a real broker with Kafka Streams caching
 * on (10 MiB, the default) and off ({@code statestore.cache.max.bytes=0}), counting changelog records exactly and
 * timing tick-to-completion. Reports ratios against the cached baseline measured in the same run. Not part of the
 * suite (tag {@code benchmark}); run it with
 * {@code mvn -B -q install -DskipTests && mvn -B -pl app test -Dtest=SummaryCachingBenchmark -Dbenchmarks.excluded=none}.
 */
@Tag("benchmark")
class SummaryCachingBenchmark {
    private static final int RECIPIENTS = 20_000;
    /** Odd, so the median is one measured round, not the slower of two. */
    private static final int ROUNDS = 3;

    @Test
    void recordCacheVersusNoCacheOnTheSummaryChangelogs() throws Exception {
        List<Result> cached = new ArrayList<>();
        List<Result> uncached = new ArrayList<>();
        for (int round = 0; round < ROUNDS; round++) {
            cached.add(measure(null));
            uncached.add(measure("0"));
        }
        Result base = median(cached);
        Result off = median(uncached);
        System.out.printf("%nSummary store caching, %d recipients x 2 channels, median of %d rounds%n", RECIPIENTS,
                ROUNDS);
        System.out.printf("%-34s %12s %12s %8s%n", "", "cache 10MiB", "cache off", "ratio");
        row("summary-1m changelog records", base.minute, off.minute);
        row("summary-1h changelog records", base.hour, off.hour);
        row("run-summary changelog records", base.runs, off.runs);
        row("tick to completed (ms)", base.millis, off.millis);
    }

    private static void row(String name, long cached, long uncached) {
        System.out.printf("%-34s %12d %12d %8.1fx%n", name, cached, uncached, (double) uncached / Math.max(1, cached));
    }

    private static Result measure(String cacheBytes) throws Exception {
        try (HeraldFixture fixture = new HeraldFixture()) {
            Map<String, String> settings = fixture.settings("bench", 2);
            if (cacheBytes != null) {
                settings.put("kafka.statestore.cache.max.bytes", cacheBytes);
            }
            try (Herald herald = fixture.start(settings)) {
                HeraldFixture.awaitRunning(herald);
                fixture.produce(fixture.topics.recipients(), Population.recipients(RECIPIENTS));
                fixture.produce(fixture.topics.campaigns(), Map.of("bench", Population.campaign("bench", null)));
                HeraldFixture.await("campaign", () -> fixture.getRaw(herald, "/api/campaigns/bench").statusCode() == 200);
                Instant slot = Population.SLOT;
                String path = "/api/runs/" + URLEncoder.encode("bench@" + slot, StandardCharsets.UTF_8);
                long start = System.nanoTime();
                fixture.produce(fixture.topics.scheduleTicks(), Map.of("bench", Population.tick("bench", slot)));
                HeraldFixture.await("completed", () -> fixture.getRaw(herald, path).statusCode() == 200
                        && "COMPLETED".equals(fixture.get(herald, path).path("status").asText()));
                long millis = (System.nanoTime() - start) / 1_000_000;
                assertThat(fixture.get(herald, path).path("expected").asLong()).isEqualTo(2L * RECIPIENTS);
                herald.close(); // flush and commit everything before counting
                return new Result(
                        changelogRecords(fixture, StoreNames.SUMMARY_MINUTE),
                        changelogRecords(fixture, StoreNames.SUMMARY_HOUR),
                        changelogRecords(fixture, StoreNames.RUN_SUMMARY),
                        millis);
            }
        }
    }

    private static long changelogRecords(HeraldFixture fixture, String store) {
        var topic = new dev.herald.topology.Topic<>(fixture.applicationId + "-" + store + "-changelog",
                Serdes.String(), Serdes.ByteArray());
        return fixture.readCommitted(topic).size();
    }

    /** The round with the median tick-to-completed time (of an odd number of rounds). */
    private static Result median(List<Result> results) {
        List<Result> sorted = new ArrayList<>(results);
        sorted.sort((a, b) -> Long.compare(a.millis, b.millis));
        return sorted.get(sorted.size() / 2);
    }

    private record Result(long minute, long hour, long runs, long millis) {
    }
}

package dev.herald.bench;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What one query phase measured: requests sent and answered 200, the rate achieved, latency percentiles of the
 * successful ones (from the instant a request was due, so a stalled server cannot hide its queue), and errors
 * (non-200, failures, timeouts) apart from requests not sent because too many were outstanding (dropped).
 *
 * @param endpoint      what was asked, e.g. keyed_run
 * @param phase         when and how, e.g. idle, during_run, fixed_rate, saturation
 * @param path          the request path
 * @param requestedRate requests per second asked for, 0 at saturation
 * @param clients       concurrent clients at saturation, 0 for a fixed rate
 * @param sent          requests sent
 * @param ok            answered 200
 * @param errors        answered otherwise, failed or timed out
 * @param dropped       not sent: the server was already that far behind
 * @param seconds       first request due to last answer
 * @param p50Ms         median latency
 * @param p99Ms         99th percentile
 * @param maxMs         slowest
 */
record Latencies(String endpoint, String phase, String path, int requestedRate, int clients, long sent, long ok,
        long errors, long dropped, double seconds, double p50Ms, double p99Ms, double maxMs) {

    double achievedRate() {
        return seconds <= 0 ? 0 : ok / seconds;
    }

    static Latencies of(String endpoint, String phase, String path, int requestedRate, int clients, long sent,
            long errors, long dropped, double seconds, long[] okNanos) {
        long[] sorted = okNanos.clone();
        Arrays.sort(sorted);
        return new Latencies(endpoint, phase, path, requestedRate, clients, sent, sorted.length, errors, dropped,
                seconds,
                percentile(sorted, 0.50), percentile(sorted, 0.99),
                sorted.length == 0 ? Double.NaN : sorted[sorted.length - 1] / 1e6);
    }

    /** Nearest-rank percentile in milliseconds. */
    private static double percentile(long[] sorted, double q) {
        if (sorted.length == 0) {
            return Double.NaN;
        }
        int rank = (int) Math.ceil(q * sorted.length);
        return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))] / 1e6;
    }

    Map<String, Object> asMap(Latencies baseline, String baselineIs) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("endpoint", endpoint);
        m.put("phase", phase);
        m.put("path", path);
        m.put("requestedRate", requestedRate);
        m.put("clients", clients);
        m.put("sent", sent);
        m.put("ok", ok);
        m.put("errors", errors);
        m.put("dropped", dropped);
        m.put("seconds", seconds);
        m.put("achievedRate", achievedRate());
        m.put("p50Ms", p50Ms);
        m.put("p99Ms", p99Ms);
        m.put("maxMs", maxMs);
        if (baseline != null) {
            m.put("baseline", baselineIs);
            m.put("achievedRateRatio", ratio(achievedRate(), baseline.achievedRate()));
            m.put("p50Ratio", ratio(p50Ms, baseline.p50Ms));
            m.put("p99Ratio", ratio(p99Ms, baseline.p99Ms));
            m.put("maxRatio", ratio(maxMs, baseline.maxMs));
        }
        return m;
    }

    static Double ratio(double value, double baseline) {
        double r = value / baseline;
        return Double.isFinite(r) ? r : null;
    }
}

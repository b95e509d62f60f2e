package dev.herald.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Everything one harness run found: figures (each next to the baseline measured in the same run and their ratio),
 * query latencies (each with the phase it is compared to), correctness checks, and cases that failed. Printed as
 * tables and written as JSON with the same numbers.
 */
final class Report {
    private final List<Figure> figures = new ArrayList<>();
    private final List<LatencyRow> latencies = new ArrayList<>();
    private final List<Check> checks = new ArrayList<>();
    private final List<String> errors = new ArrayList<>();
    private final Map<String, Object> details = new LinkedHashMap<>();

    /**
     * One measured value; {@code ratio} is value / baseline.
     *
     * @param baseline   the reference measured in the same run, null when this figure is itself a reference
     * @param baselineIs what the reference is
     */
    record Figure(String id, String caseName, String label, double value, String unit, Double baseline,
            String baselineIs) {

        Double ratio() {
            return baseline == null ? null : Latencies.ratio(value, baseline);
        }
    }

    /** Latencies of one phase and the phase they are compared with (null when they are the reference). */
    record LatencyRow(String caseName, Latencies stats, Latencies baseline, String baselineIs) {
    }

    /** A correctness condition that held or did not. */
    record Check(String id, boolean passed, String detail) {
    }

    synchronized void figure(String id, String caseName, String label, double value, String unit, Double baseline,
            String baselineIs) {
        figures.add(new Figure(id, caseName, label, value, unit, baseline, baselineIs));
    }

    synchronized void latency(String caseName, Latencies stats, Latencies baseline, String baselineIs) {
        latencies.add(new LatencyRow(caseName, stats, baseline, baselineIs));
    }

    synchronized void check(String id, boolean passed, String detail) {
        checks.add(new Check(id, passed, detail));
        if (!passed) {
            Bench.say("CHECK FAILED " + id + ": " + detail);
        }
    }

    synchronized void error(String group, Exception e) {
        errors.add(group + ": " + e);
    }

    synchronized void detail(String key, Object value) {
        details.put(key, value);
    }

    synchronized List<Figure> figures() {
        return List.copyOf(figures);
    }

    synchronized List<Check> checks() {
        return List.copyOf(checks);
    }

    synchronized List<String> errors() {
        return List.copyOf(errors);
    }

    synchronized boolean passed() {
        return errors.isEmpty() && checks.stream().allMatch(Check::passed);
    }

    synchronized String table(Machine machine, BenchOptions options) {
        StringBuilder b = new StringBuilder();
        b.append("\nHerald benchmark (").append(options.mode()).append(") on ").append(machine.describe()).append('\n');
        b.append("ratio = value / baseline; every baseline was measured in this run\n\n");
        b.append(String.format("%-4s %-52s %14s %-6s %14s %9s  %s%n", "case", "figure", "value", "unit", "baseline",
                "ratio", "baseline is"));
        for (Figure f : figures) {
            b.append(String.format("%-4s %-52s %14s %-6s %14s %9s  %s%n", f.caseName(), f.label(), number(f.value()),
                    f.unit(), f.baseline() == null ? "-" : number(f.baseline()),
                    f.ratio() == null ? "-" : String.format("%.3fx", f.ratio()),
                    f.baselineIs() == null ? "(reference)" : f.baselineIs()));
        }
        if (!latencies.isEmpty()) {
            b.append(String.format("%n%-4s %-17s %-12s %9s %10s %8s %8s %8s %11s %7s %7s %7s  %s%n", "case",
                    "endpoint", "phase", "load", "achieved/s", "p50 ms", "p99 ms", "max ms", "err/dropped", "rate x",
                    "p50 x", "p99 x", "baseline is"));
            for (LatencyRow row : latencies) {
                Latencies l = row.stats();
                Latencies base = row.baseline();
                String load = l.requestedRate() > 0 ? l.requestedRate() + "/s" : l.clients() + " cl";
                b.append(String.format("%-4s %-17s %-12s %9s %10.0f %8.2f %8.2f %8.2f %11s %7s %7s %7s  %s%n",
                        row.caseName(), l.endpoint(), l.phase(), load, l.achievedRate(), l.p50Ms(), l.p99Ms(),
                        l.maxMs(), l.errors() + "/" + l.dropped(),
                        ratio(l.achievedRate(), base == null ? null : base.achievedRate()),
                        ratio(l.p50Ms(), base == null ? null : base.p50Ms()),
                        ratio(l.p99Ms(), base == null ? null : base.p99Ms()),
                        base == null ? "(reference)" : row.baselineIs()));
            }
        }
        if (!checks.isEmpty()) {
            b.append('\n');
            for (Check c : checks) {
                b.append(c.passed() ? "ok     " : "FAILED ").append(c.id()).append(": ").append(c.detail())
                        .append('\n');
            }
        }
        for (String e : errors) {
            b.append("ERROR  ").append(e).append('\n');
        }
        return b.toString();
    }

    synchronized void writeJson(Path file, Machine machine, BenchOptions options, Instant started, Instant finished) {
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("harness", "herald-bench");
        root.put("mode", options.mode());
        root.put("startedAt", started.toString());
        root.put("finishedAt", finished.toString());
        root.put("machine", machine.asMap());
        root.put("loadAverageAtEnd", Machine.loadAverage());
        root.put("parameters", options.asMap());
        root.put("ratio", "value / baseline");
        List<Map<String, Object>> fs = new ArrayList<>();
        for (Figure f : figures) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("id", f.id());
            m.put("case", f.caseName());
            m.put("label", f.label());
            m.put("value", finite(f.value()));
            m.put("unit", f.unit());
            m.put("baseline", f.baseline() == null ? null : finite(f.baseline()));
            m.put("baselineIs", f.baselineIs());
            m.put("ratio", f.ratio());
            fs.add(m);
        }
        root.put("figures", fs);
        List<Map<String, Object>> ls = new ArrayList<>();
        for (LatencyRow row : latencies) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("case", row.caseName());
            m.putAll(row.stats().asMap(row.baseline(), row.baselineIs()));
            m.replaceAll((k, v) -> v instanceof Double d ? finite(d) : v);
            ls.add(m);
        }
        root.put("latencies", ls);
        List<Map<String, Object>> cs = new ArrayList<>();
        for (Check c : checks) {
            cs.add(Map.of("id", c.id(), "passed", c.passed(), "detail", c.detail()));
        }
        root.put("checks", cs);
        root.put("errors", errors);
        root.put("details", details);
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(file.toFile(), root);
        } catch (IOException e) {
            throw new UncheckedIOException("could not write " + file + ": " + e.getMessage(), e);
        }
    }

    private static Double finite(double d) {
        return Double.isFinite(d) ? d : null;
    }

    private static String ratio(double value, Double baseline) {
        if (baseline == null) {
            return "-";
        }
        Double r = Latencies.ratio(value, baseline);
        return r == null ? "n/a" : String.format("%.2fx", r);
    }

    private static String number(double v) {
        if (!Double.isFinite(v)) {
            return "n/a";
        }
        if (Math.abs(v) >= 1000) {
            return String.format("%,.0f", v);
        }
        if (Math.abs(v) >= 10) {
            return String.format("%.1f", v);
        }
        return String.format("%.3f", v);
    }
}

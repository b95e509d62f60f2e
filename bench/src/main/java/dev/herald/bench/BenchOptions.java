package dev.herald.bench;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What one harness run measures and at which sizes: a preset ({@code --smoke} or {@code --full}) with any value
 * overridden by a flag.
 *
 * @param mode               smoke or full, with +custom when a flag changes what is measured
 * @param sizes              recipients of the tick-to-COMPLETED cases (b), each with its own baseline (a)
 * @param big                recipients of the large-table cases: segment in a table (c), small heap (d), SIGKILL (e),
 *                           queries during a run (f); one of {@code sizes}
 * @param segment            recipients in the segment of case c (a divisor of {@code big})
 * @param smallHeap          -Xmx of case d, e.g. 512m
 * @param queryRate          requests per second of case f, per endpoint
 * @param querySeconds       length of each query phase of case f
 * @param twoRate            requests per second of the two-instance case at a fixed rate
 * @param twoSeconds         length of each two-instance phase
 * @param twoRecipients      recipients of the two-instance case (its runs are small: the case is about routing)
 * @param saturationClients  concurrent closed-loop clients of the saturation phases
 * @param recoveryRate       messagesPerSecond limit of the SIGKILL run, or 0 for none (small runs end before a kill)
 * @param pushMessages       push messages of the sender case, about half to FCM and half to APNs
 * @param mailMessages       mails of the sender case
 * @param groups             which groups of cases run: sizes, big, small-heap, two, senders
 * @param heraldArgs         extra flags for every Herald JVM (e.g. --kafka.num.stream.threads=2)
 * @param jvmArgs            extra JVM options for every Herald JVM
 * @param out                where the JSON goes
 * @param workDir            broker data and Herald state; deleted at the end unless {@code keepWork}
 * @param keepWork           keep {@code workDir} (logs of the forked JVMs) after the run
 * @param seed               seed of the generated recipients
 */
public record BenchOptions(
        String mode,
        List<Integer> sizes,
        int big,
        int segment,
        String smallHeap,
        int queryRate,
        double querySeconds,
        int twoRate,
        double twoSeconds,
        int twoRecipients,
        int saturationClients,
        int recoveryRate,
        int pushMessages,
        int mailMessages,
        Set<String> groups,
        List<String> heraldArgs,
        List<String> jvmArgs,
        Path out,
        Path workDir,
        boolean keepWork,
        long seed) {

    public static final List<String> GROUPS = List.of("sizes", "big", "small-heap", "two", "senders");

    /** Small numbers, short phases: what {@code mvn verify} runs so the harness cannot rot. */
    public static BenchOptions smoke(Path targetDir) {
        return new BenchOptions("smoke", List.of(2_000), 2_000, 200, "512m", 100, 1.0, 100, 1.0, 200, 2, 1_000,
                2_000, 400, new LinkedHashSet<>(GROUPS), List.of(), List.of(), targetDir.resolve("bench-results.json"),
                targetDir.resolve("bench-work"), false, 7L);
    }

    /**
     * The sizes of issue 7 (100,000 and 1,000,000 recipients, a 10,000 segment, 2,000 requests/s) and of issue 10's
     * senders (200,000 push messages, 20,000 mails: ten seconds each at the targets).
     */
    public static BenchOptions full(Path targetDir) {
        return new BenchOptions("full", List.of(100_000, 1_000_000), 1_000_000, 10_000, "512m", 2_000, 10.0, 500,
                10.0, 2_000, 2, 0, 200_000, 20_000, new LinkedHashSet<>(GROUPS), List.of(), List.of(),
                targetDir.resolve("bench-results.json"), targetDir.resolve("bench-work"), false, 7L);
    }

    /** A preset chosen by --smoke or --full (default: smoke), then every other flag applied on top. */
    public static BenchOptions parse(Path targetDir, String... args) {
        List<String> rest = new ArrayList<>(Arrays.asList(args));
        BenchOptions o = rest.remove("--full") ? full(targetDir) : smoke(targetDir);
        rest.remove("--smoke");
        Map<String, String> values = new LinkedHashMap<>();
        List<String> heraldArgs = new ArrayList<>(o.heraldArgs);
        List<String> jvmArgs = new ArrayList<>(o.jvmArgs);
        boolean keep = o.keepWork;
        for (String arg : rest) {
            if (arg.equals("--keep-work")) {
                keep = true;
                continue;
            }
            int eq = arg.indexOf('=');
            if (!arg.startsWith("--") || eq < 0) {
                throw new IllegalArgumentException("unexpected argument '" + arg + "' (options are --name=value; "
                        + usage() + ")");
            }
            String name = arg.substring(2, eq);
            String value = arg.substring(eq + 1);
            switch (name) {
                case "herald-arg" -> heraldArgs.add(value);
                case "jvm-arg" -> jvmArgs.add(value);
                default -> values.put(name, value);
            }
        }
        List<Integer> sizes;
        int big;
        if (values.containsKey("recipients")) {
            // One size for everything: the quickest way to a medium run.
            big = positive("recipients", values.remove("recipients"));
            sizes = List.of(big);
        } else {
            sizes = values.containsKey("sizes") ? ints(values.remove("sizes")) : o.sizes;
            int largest = sizes.stream().mapToInt(Integer::intValue).max().orElseThrow();
            big = values.containsKey("big") ? positive("big", values.remove("big"))
                    : sizes.contains(o.big) ? o.big : largest;
        }
        boolean custom = values.keySet().stream().anyMatch(k -> !k.equals("out") && !k.equals("work-dir"))
                || !heraldArgs.equals(o.heraldArgs) || !jvmArgs.equals(o.jvmArgs) || !sizes.equals(o.sizes)
                || big != o.big;
        BenchOptions parsed = new BenchOptions(
                custom ? o.mode + "+custom" : o.mode,
                sizes,
                big,
                values.containsKey("segment") ? positive("segment", values.remove("segment")) : o.segment,
                values.containsKey("small-heap") ? values.remove("small-heap") : o.smallHeap,
                values.containsKey("query-rate") ? positive("query-rate", values.remove("query-rate")) : o.queryRate,
                values.containsKey("query-seconds") ? seconds("query-seconds", values.remove("query-seconds"))
                        : o.querySeconds,
                values.containsKey("two-rate") ? positive("two-rate", values.remove("two-rate")) : o.twoRate,
                values.containsKey("two-seconds") ? seconds("two-seconds", values.remove("two-seconds"))
                        : o.twoSeconds,
                values.containsKey("two-recipients") ? positive("two-recipients", values.remove("two-recipients"))
                        : o.twoRecipients,
                values.containsKey("saturation-clients")
                        ? positive("saturation-clients", values.remove("saturation-clients")) : o.saturationClients,
                values.containsKey("recovery-rate") ? Integer.parseInt(values.remove("recovery-rate").trim())
                        : o.recoveryRate,
                values.containsKey("push-messages") ? positive("push-messages", values.remove("push-messages"))
                        : o.pushMessages,
                values.containsKey("mail-messages") ? positive("mail-messages", values.remove("mail-messages"))
                        : o.mailMessages,
                values.containsKey("groups") ? groups(values.remove("groups")) : o.groups,
                List.copyOf(heraldArgs),
                List.copyOf(jvmArgs),
                values.containsKey("out") ? Path.of(values.remove("out")).toAbsolutePath() : o.out,
                values.containsKey("work-dir") ? Path.of(values.remove("work-dir")).toAbsolutePath() : o.workDir,
                keep,
                values.containsKey("seed") ? Long.parseLong(values.remove("seed").trim()) : o.seed);
        if (!values.isEmpty()) {
            throw new IllegalArgumentException("unknown options " + values.keySet() + " (" + usage() + ")");
        }
        return parsed.validated();
    }

    private BenchOptions validated() {
        if (!sizes.contains(big)) {
            throw new IllegalArgumentException("--big=" + big + " must be one of --sizes=" + sizes);
        }
        if (segment > big || big % segment != 0) {
            throw new IllegalArgumentException("--segment=" + segment + " must divide --big=" + big);
        }
        if (!smallHeap.matches("\\d+[kmgKMG]?")) {
            throw new IllegalArgumentException("--small-heap must be a -Xmx value such as 512m (was " + smallHeap
                    + ")");
        }
        return this;
    }

    static String usage() {
        return "usage: [--smoke|--full] [--recipients=N | --sizes=N,M --big=M] [--segment=N] [--small-heap=512m] "
                + "[--query-rate=N] [--query-seconds=S] [--two-rate=N] [--two-seconds=S] [--two-recipients=N] "
                + "[--saturation-clients=N] [--recovery-rate=N] [--push-messages=N] [--mail-messages=N] "
                + "[--groups=" + String.join(",", GROUPS) + "] "
                + "[--herald-arg=--name=value]... [--jvm-arg=-Xopt]... [--out=file.json] [--work-dir=dir] "
                + "[--keep-work] [--seed=N]";
    }

    /** Everything the figures depend on, for the JSON. */
    Map<String, Object> asMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("mode", mode);
        m.put("sizes", sizes);
        m.put("big", big);
        m.put("segment", segment);
        m.put("smallHeap", smallHeap);
        m.put("queryRate", queryRate);
        m.put("querySeconds", querySeconds);
        m.put("twoRate", twoRate);
        m.put("twoSeconds", twoSeconds);
        m.put("twoRecipients", twoRecipients);
        m.put("saturationClients", saturationClients);
        m.put("recoveryRate", recoveryRate);
        m.put("pushMessages", pushMessages);
        m.put("mailMessages", mailMessages);
        m.put("groups", List.copyOf(groups));
        m.put("heraldArgs", heraldArgs);
        m.put("jvmArgs", jvmArgs);
        m.put("seed", seed);
        return m;
    }

    private static List<Integer> ints(String csv) {
        List<Integer> out = new ArrayList<>();
        for (String part : csv.split(",")) {
            out.add(positive("sizes", part));
        }
        return List.copyOf(new LinkedHashSet<>(out));
    }

    private static Set<String> groups(String csv) {
        Set<String> out = new LinkedHashSet<>();
        for (String part : csv.split(",")) {
            String g = part.trim();
            if (!GROUPS.contains(g)) {
                throw new IllegalArgumentException("--groups: unknown group '" + g + "' (known: " + GROUPS + ")");
            }
            out.add(g);
        }
        return out;
    }

    private static int positive(String name, String value) {
        try {
            int v = Integer.parseInt(value.trim().replace("_", ""));
            if (v < 1) {
                throw new IllegalArgumentException("--" + name + " must be at least 1 (was " + v + ")");
            }
            return v;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--" + name + " must be a whole number (was '" + value + "')");
        }
    }

    private static double seconds(String name, String value) {
        try {
            double v = Double.parseDouble(value.trim());
            if (!(v > 0)) {
                throw new IllegalArgumentException("--" + name + " must be positive (was " + v + ")");
            }
            return v;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--" + name + " must be a number of seconds (was '" + value + "')");
        }
    }
}

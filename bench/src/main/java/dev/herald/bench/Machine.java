package dev.herald.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/** The machine the figures were taken on: they mean little without it, and a busy machine is worth knowing about. */
record Machine(int cores, long memoryBytes, String cpu, String jvm, String os, double loadAverageAtStart) {

    static Machine current() {
        long memory = -1;
        if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
            memory = os.getTotalMemorySize();
        }
        return new Machine(
                Runtime.getRuntime().availableProcessors(),
                memory,
                cpuModel(),
                System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version"),
                System.getProperty("os.name") + " " + System.getProperty("os.version") + " "
                        + System.getProperty("os.arch"),
                ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
    }

    static double loadAverage() {
        return ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
    }

    private static String cpuModel() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
                if (line.startsWith("model name")) {
                    return line.substring(line.indexOf(':') + 1).trim();
                }
            }
        } catch (IOException | RuntimeException e) {
            // Not Linux, or not readable: the model is a nicety.
        }
        return "unknown";
    }

    String describe() {
        return String.format("%d cores (%s), %.1f GiB, %s, %s; load average %.2f at start", cores, cpu,
                memoryBytes / (1024.0 * 1024 * 1024), jvm, os, loadAverageAtStart);
    }

    Map<String, Object> asMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("cores", cores);
        m.put("memoryBytes", memoryBytes);
        m.put("cpu", cpu);
        m.put("jvm", jvm);
        m.put("os", os);
        m.put("loadAverageAtStart", loadAverageAtStart);
        return m;
    }
}

package dev.herald.topology;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.kafka.common.MetricName;
import org.apache.kafka.common.metrics.Sensor;
import org.apache.kafka.common.metrics.stats.CumulativeSum;
import org.apache.kafka.streams.StreamsMetrics;
import org.apache.kafka.streams.processor.TaskId;

/**
 * Herald's own counters as Kafka Streams sensors (metric group {@value #GROUP}), so they are reported wherever Kafka
 * Streams metrics are: JMX, KafkaStreams#metrics() and the HTTP /metrics endpoint. One instance per processor; the
 * task id is a tag so tasks on one thread never share (and double-count) a sensor.
 */
public final class Counters {
    /** The first part of every counter's sensor and metric group name. */
    public static final String NAMESPACE = "herald";
    public static final String GROUP = NAMESPACE + "-metrics";

    private final StreamsMetrics metrics;
    private final String entity;
    private final TaskId taskId;
    private final Map<String, Sensor> sensors = new HashMap<>();

    public Counters(StreamsMetrics metrics, String entity, TaskId taskId) {
        this.metrics = metrics;
        this.entity = entity;
        this.taskId = taskId;
    }

    /** Adds one to {@code <entity>-<operation>-total}; {@code tags} are name/value pairs such as a reason. */
    public void count(String operation, String... tags) {
        add(operation, 1, tags);
    }

    public void add(String operation, long n, String... tags) {
        String key = operation + "|" + String.join("|", tags);
        sensors.computeIfAbsent(key, k -> sensor(operation, tags)).record(n);
    }

    private Sensor sensor(String operation, String... tags) {
        Map<String, String> tagMap = new LinkedHashMap<>();
        tagMap.put("task-id", taskId.toString());
        for (int i = 0; i + 1 < tags.length; i += 2) {
            tagMap.put(tags[i], tags[i + 1]);
        }
        String sensorName = NAMESPACE + "." + entity + "." + operation + "." + tagMap;
        Sensor sensor = metrics.addSensor(sensorName, Sensor.RecordingLevel.INFO);
        // add() is a no-op when a re-created task finds its sensor already registered.
        sensor.add(new MetricName(entity + "-" + operation + "-total", GROUP,
                "Total " + operation.replace('-', ' ') + " (" + entity + ")", tagMap), new CumulativeSum());
        return sensor;
    }
}

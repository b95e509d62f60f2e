package dev.herald.query.model;

import java.util.List;

/** The instances this one knows of, and this instance's Kafka Streams state. */
public record Instances(List<Instance> instances, String state, String servedBy) {

    /** One instance's {@code host:port}; {@code self} marks the one answering. */
    public record Instance(String address, boolean self) {
    }
}

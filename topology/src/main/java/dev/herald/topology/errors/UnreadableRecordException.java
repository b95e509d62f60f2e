package dev.herald.topology.errors;

import org.apache.kafka.common.errors.SerializationException;

/** An input record whose bytes are not a readable Avro record of its topic; dead-lettered at the deserialization stage. */
public class UnreadableRecordException extends RuntimeException {
    public UnreadableRecordException(SerializationException cause) {
        super(cause.getMessage(), cause);
    }
}

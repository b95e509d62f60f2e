package dev.herald.topology.errors;

/** A record that was read but breaks a contract rule; the processing handler sends it to dead-letters. */
public class InvalidRecordException extends RuntimeException {
    public InvalidRecordException(String message) {
        super(message);
    }

    public InvalidRecordException(String message, Throwable cause) {
        super(message, cause);
    }
}

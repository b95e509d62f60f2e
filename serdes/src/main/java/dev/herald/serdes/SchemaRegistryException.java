package dev.herald.serdes;

/** A schema registry refused or failed a request; the message names the subject or id concerned. */
public class SchemaRegistryException extends RuntimeException {
    public SchemaRegistryException(String message) {
        super(message);
    }

    public SchemaRegistryException(String message, Throwable cause) {
        super(message, cause);
    }
}

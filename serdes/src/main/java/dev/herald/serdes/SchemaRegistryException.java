package dev.herald.serdes;

/** A schema registry refused or failed a request; the message names the subject or id concerned. */
public class SchemaRegistryException extends RuntimeException {
    /** Marks "the registry gave no HTTP answer" (connection refused, timeout, interrupted). */
    public static final int NO_STATUS = -1;
    /** Marks "the answer carried no Confluent error_code". */
    public static final int NO_ERROR_CODE = -1;

    private final int httpStatus;
    private final int errorCode;

    public SchemaRegistryException(String message) {
        this(message, NO_STATUS, NO_ERROR_CODE, null);
    }

    public SchemaRegistryException(String message, Throwable cause) {
        this(message, NO_STATUS, NO_ERROR_CODE, cause);
    }

    public SchemaRegistryException(String message, int httpStatus, int errorCode) {
        this(message, httpStatus, errorCode, null);
    }

    public SchemaRegistryException(String message, int httpStatus, int errorCode, Throwable cause) {
        super(message, cause);
        this.httpStatus = httpStatus;
        this.errorCode = errorCode;
    }

    /** HTTP status of the registry's answer, or {@link #NO_STATUS} when there was none. */
    public int httpStatus() {
        return httpStatus;
    }

    /** The registry's Confluent {@code error_code} (e.g. 40403), or {@link #NO_ERROR_CODE}. */
    public int errorCode() {
        return errorCode;
    }

    /**
     * Whether asking again later may succeed (no answer, 5xx, 408, 429), as opposed to the registry
     * having judged this request (unknown id, incompatible or invalid schema). Serdes use it to tell a
     * bad record (dead-letter it) from a registry outage (do not dead-letter good records).
     */
    public boolean isRetriable() {
        return httpStatus == NO_STATUS || httpStatus >= 500 || httpStatus == 408 || httpStatus == 429;
    }
}

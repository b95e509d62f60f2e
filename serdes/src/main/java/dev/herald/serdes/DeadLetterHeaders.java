package dev.herald.serdes;

/**
 * Names of the headers every record on the dead-letters topic carries beside its DeadLetter value; part of
 * that topic's contract, so consumers can filter and route dead letters without decoding them.
 */
public final class DeadLetterHeaders {
    /** The stage that failed, as in DeadLetter.stage: deserialization, processing or production. */
    public static final String STAGE = "herald.error.stage";
    /** The class of the exception that made the record a dead letter. */
    public static final String CLASS = "herald.error.class";
    /** The exception's message. */
    public static final String MESSAGE = "herald.error.message";
    /** Where the record came from: {@code <topic>-<partition>@<offset>}. */
    public static final String SOURCE = "herald.error.source";
    /**
     * On a record the command line replayed from a dead letter: the dead letter's own coordinates
     * ({@code <topic>-<partition>@<offset>}). A replayed record that fails again is dead-lettered with this header
     * copied, and replay refuses such dead letters, so a record that keeps failing is not replayed in a loop.
     */
    public static final String REPLAYED = "herald.replayed";

    private DeadLetterHeaders() {
    }
}

package dev.herald.app.cli;

/** The command line's exit codes, one meaning each, as docs/operations.md lists them. */
final class ExitCodes {
    /** Everything asked was done. */
    static final int OK = 0;
    /** Some input was refused: an invalid campaign file, rejected recipient lines, a dead letter replay refused. */
    static final int REJECTED = 1;
    /** The command line itself was wrong: an unknown option, a missing argument, a bad setting. */
    static final int USAGE = 2;
    /** Kafka, the schema registry or Herald's HTTP API could not be reached or failed. */
    static final int UNAVAILABLE = 3;
    /** The campaign, run or parked message named does not exist. */
    static final int NOT_FOUND = 4;

    private ExitCodes() {
    }
}

package dev.herald.topology.campaigns;

/**
 * A campaign file that cannot be applied: the message names the file, the field (a path of Avro field names such
 * as {@code limits.quietHours.start}) and what is wrong with it.
 */
public final class CampaignFileException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final String source;
    private final String field;
    private final String problem;

    public CampaignFileException(String source, String field, String problem, Throwable cause) {
        super(source + ": " + (field == null || field.isEmpty() ? "" : field + ": ") + problem, cause);
        this.source = source;
        this.field = field;
        this.problem = problem;
    }

    /** The file (or other source) the campaign was read from. */
    public String source() {
        return source;
    }

    /** The offending field as a path of Avro field names, or null when the problem is the file as a whole. */
    public String field() {
        return field;
    }

    /** What is wrong, without the file and field. */
    public String problem() {
        return problem;
    }
}

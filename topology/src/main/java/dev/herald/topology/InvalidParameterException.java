package dev.herald.topology;

/**
 * A value the topology or its topics cannot work with, named by its parameter (such as {@link HeraldTopologyConfig}'s
 * {@code recipientsPartitions}); the application maps the parameter to the setting its users know.
 */
public final class InvalidParameterException extends IllegalArgumentException {
    private final String parameter;
    private final String problem;

    public InvalidParameterException(String parameter, String problem) {
        super(parameter + " " + problem);
        this.parameter = parameter;
        this.problem = problem;
    }

    public String parameter() {
        return parameter;
    }

    /** What is wrong with the value, without the parameter's name: "must be at least 1 (was 0)". */
    public String problem() {
        return problem;
    }
}

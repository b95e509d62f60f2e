package dev.herald.topology.channels;

/** A campaign template that cannot be compiled or rendered for a recipient (syntax error, missing variable). */
public final class TemplateException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public TemplateException(String message, Throwable cause) {
        super(message, cause);
    }
}

package dev.herald.query.routing;

/**
 * The loop guard between instances: a request carrying this header was sent by another instance, so it is answered
 * from local stores and never forwarded again, and instances that briefly disagree about ownership cannot bounce it
 * between them. Its value is the sender's {@code host:port}, for the receiver's logs.
 */
public final class ForwardedHeader {
    public static final String NAME = "X-Herald-Forwarded";

    private ForwardedHeader() {
    }
}

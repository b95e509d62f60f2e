package dev.herald.query.model;

import java.util.function.Function;

/** What a routed query produced: a value, or why there is none; HttpApi turns each case into a status. */
public sealed interface Answer<T> permits Answer.Found, Answer.NotFound, Answer.ServiceUnavailable {

    /** The value asked for. */
    record Found<T>(T value) implements Answer<T> {
    }

    /** The key is known to nobody (404). */
    record NotFound<T>(String detail) implements Answer<T> {
    }

    /** No trustworthy answer now (not ready, rebalancing, owner unknown or unreachable): retry shortly (503). */
    record ServiceUnavailable<T>(String detail) implements Answer<T> {
    }

    static <T> Answer<T> found(T value) {
        return new Found<>(value);
    }

    static <T> Answer<T> notFound(String detail) {
        return new NotFound<>(detail);
    }

    static <T> Answer<T> unavailable(String detail) {
        return new ServiceUnavailable<>(detail);
    }

    default <U> Answer<U> map(Function<? super T, ? extends U> f) {
        if (this instanceof Found<T> found) {
            return new Found<>(f.apply(found.value()));
        }
        if (this instanceof NotFound<T> notFound) {
            return new NotFound<>(notFound.detail());
        }
        return new ServiceUnavailable<>(((ServiceUnavailable<T>) this).detail());
    }
}

package dev.herald.sender.push;

import java.util.concurrent.CompletableFuture;

/**
 * OAuth 2 access tokens for a provider's API (FCM HTTP v1 takes {@code Authorization: Bearer <token>}).
 *
 * <p>A failed future carries an {@link AccessTokenException}, which says whether getting a token is worth retrying
 * (the token endpoint was unreachable or answered 5xx) or not (it refused the credentials).
 */
public interface AccessTokens {

    /** A valid access token, from a cache while it lasts. */
    CompletableFuture<String> accessToken();

    /** Forgets the cached token, so the next call gets a new one (after the provider answered 401 to it). */
    default void invalidate(String token) {
    }

    /** A fixed token: for tests and for tokens minted outside Herald. */
    static AccessTokens fixed(String token) {
        return () -> CompletableFuture.completedFuture(token);
    }

    /** Getting an access token failed. */
    final class AccessTokenException extends RuntimeException {
        private final boolean retryable;

        public AccessTokenException(String message, boolean retryable, Throwable cause) {
            super(message, cause);
            this.retryable = retryable;
        }

        /** True when the failure is the endpoint's or the network's (worth retrying), false when credentials were refused. */
        public boolean retryable() {
            return retryable;
        }
    }
}

package dev.herald.query.routing;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Objects;
import java.util.Optional;

/**
 * The HTTP API's optional bearer token: what a request must present, and what this instance's forwarded calls
 * carry to the others (every instance of a deployment shares it).
 */
public final class ApiToken {
    /** No token: the API is open, as on the embedded default. */
    public static final ApiToken NONE = new ApiToken(null);

    private final String token;
    private final byte[] digest;

    private ApiToken(String token) {
        this.token = token;
        this.digest = token == null ? null : sha256("Bearer " + token);
    }

    /** @throws IllegalArgumentException when {@code token} is blank or has characters a header cannot carry */
    public static ApiToken of(String token) {
        Objects.requireNonNull(token, "token");
        if (token.isBlank() || !token.chars().allMatch(c -> c > 0x20 && c < 0x7f)) {
            throw new IllegalArgumentException("must be printable ASCII without spaces, and not empty");
        }
        return new ApiToken(token);
    }

    public boolean required() {
        return token != null;
    }

    /**
     * Whether an {@code Authorization} header value admits a request. Digests of equal length are compared in
     * constant time, so the time taken says nothing of how much of a guess was right (not even its length).
     */
    public boolean admits(String authorization) {
        if (token == null) {
            return true;
        }
        return authorization != null && MessageDigest.isEqual(digest, sha256(authorization));
    }

    /** The {@code Authorization} header value forwarded calls carry, if a token is set. */
    public Optional<String> authorization() {
        return token == null ? Optional.empty() : Optional.of("Bearer " + token);
    }

    private static byte[] sha256(String text) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof ApiToken that && (digest == null ? that.digest == null
                : that.digest != null && MessageDigest.isEqual(digest, that.digest));
    }

    @Override
    public int hashCode() {
        return digest == null ? 0 : java.util.Arrays.hashCode(digest);
    }

    /** Never the token itself: configurations and logs print this. */
    @Override
    public String toString() {
        return token == null ? "ApiToken[none]" : "ApiToken[set]";
    }
}

package dev.herald.sender.push;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * Access tokens for FCM from a Google service account: the OAuth 2 JWT bearer flow (RFC 7523) Google documents for
 * server-to-server calls.
 *
 * <p>Reads the service account's JSON key ({@code client_email}, {@code private_key} as a PKCS#8 PEM,
 * {@code token_uri}, optionally {@code private_key_id}), signs a JWT with RS256 (issuer the client email, audience the
 * token URI, scope {@value #FCM_SCOPE}, valid one hour), exchanges it at the token URI
 * ({@code grant_type=urn:ietf:params:oauth:grant-type:jwt-bearer}) and caches the access token until
 * {@link #REFRESH_MARGIN} before it expires. Concurrent callers share one exchange; a failed exchange is not cached.
 *
 * <p>Failures: the token endpoint unreachable, timing out or answering 5xx/429 → {@link AccessTokens.AccessTokenException}
 * retryable; any other answer (400 {@code invalid_grant}, 401 {@code invalid_client}) → not retryable.
 */
public final class GoogleServiceAccountTokens implements AccessTokens {

    public static final String FCM_SCOPE = "https://www.googleapis.com/auth/firebase.messaging";
    public static final Duration REFRESH_MARGIN = Duration.ofMinutes(1);
    static final Duration JWT_LIFETIME = Duration.ofHours(1);

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Base64.Encoder B64URL = Base64.getUrlEncoder().withoutPadding();

    private final String clientEmail;
    private final String privateKeyId;
    private final PrivateKey privateKey;
    private final URI tokenUri;
    private final String scope;
    private final HttpClient http;
    private final Duration requestTimeout;
    private final Clock clock;

    private final Object lock = new Object();
    private CompletableFuture<Token> current;

    private record Token(String value, Instant expiresAt) {
    }

    /**
     * @param clientEmail    the service account's email, the JWT's issuer
     * @param privateKeyId   the key's id ({@code kid} in the JWT header), or null
     * @param privateKey     the service account's RSA private key
     * @param tokenUri       Google's token endpoint ({@code https://oauth2.googleapis.com/token})
     * @param scope          the scope asked for, {@link #FCM_SCOPE} for FCM
     * @param http           the client for the exchange
     * @param requestTimeout the exchange's timeout
     * @param clock          for the JWT's times and the cache's expiry
     */
    public GoogleServiceAccountTokens(String clientEmail, String privateKeyId, PrivateKey privateKey, URI tokenUri,
                                      String scope, HttpClient http, Duration requestTimeout, Clock clock) {
        this.clientEmail = Objects.requireNonNull(clientEmail, "clientEmail");
        this.privateKeyId = privateKeyId;
        this.privateKey = Objects.requireNonNull(privateKey, "privateKey");
        this.tokenUri = Objects.requireNonNull(tokenUri, "tokenUri");
        this.scope = Objects.requireNonNull(scope, "scope");
        this.http = Objects.requireNonNull(http, "http");
        this.requestTimeout = Objects.requireNonNull(requestTimeout, "requestTimeout");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** From a service account's JSON key file, with the FCM scope, a new HTTP client, a 10 s timeout. */
    public static GoogleServiceAccountTokens fromFile(Path serviceAccountJson) throws IOException {
        return fromJson(Files.readString(serviceAccountJson), HttpClient.newHttpClient(), Duration.ofSeconds(10),
                Clock.systemUTC());
    }

    /** From a service account's JSON key, with the FCM scope. */
    public static GoogleServiceAccountTokens fromJson(String serviceAccountJson, HttpClient http, Duration requestTimeout,
                                                      Clock clock) throws IOException {
        JsonNode key = JSON.readTree(serviceAccountJson);
        String clientEmail = required(key, "client_email");
        String pem = required(key, "private_key");
        String tokenUri = key.path("token_uri").asText("https://oauth2.googleapis.com/token");
        String keyId = key.hasNonNull("private_key_id") ? key.get("private_key_id").asText() : null;
        return new GoogleServiceAccountTokens(clientEmail, keyId, parsePkcs8Pem(pem), URI.create(tokenUri), FCM_SCOPE,
                http, requestTimeout, clock);
    }

    private static String required(JsonNode key, String field) throws IOException {
        JsonNode value = key.get(field);
        if (value == null || !value.isTextual() || value.asText().isBlank()) {
            throw new IOException("service account JSON has no " + field);
        }
        return value.asText();
    }

    /** An RSA private key from a PKCS#8 PEM ({@code -----BEGIN PRIVATE KEY-----}), as Google's keys are. */
    static PrivateKey parsePkcs8Pem(String pem) throws IOException {
        String base64 = pem.replace("-----BEGIN PRIVATE KEY-----", "")
                .replace("-----END PRIVATE KEY-----", "")
                .replaceAll("\\s", "");
        try {
            return KeyFactory.getInstance("RSA").generatePrivate(new PKCS8EncodedKeySpec(Base64.getDecoder().decode(base64)));
        } catch (IllegalArgumentException | GeneralSecurityException e) {
            throw new IOException("private_key is not a PKCS#8 RSA key in PEM", e);
        }
    }

    @Override
    public CompletableFuture<String> accessToken() {
        synchronized (lock) {
            if (current == null || current.isCompletedExceptionally() || (current.isDone() && stale(current.join()))) {
                current = exchange();
                // A failed exchange is forgotten, so the next caller tries again.
                CompletableFuture<Token> mine = current;
                mine.whenComplete((t, e) -> {
                    if (e != null) {
                        synchronized (lock) {
                            if (current == mine) {
                                current = null;
                            }
                        }
                    }
                });
            }
            return current.thenApply(Token::value);
        }
    }

    @Override
    public void invalidate(String token) {
        synchronized (lock) {
            if (current != null && current.isDone() && !current.isCompletedExceptionally()
                    && current.join().value().equals(token)) {
                current = null;
            }
        }
    }

    private boolean stale(Token token) {
        return !clock.instant().isBefore(token.expiresAt().minus(REFRESH_MARGIN));
    }

    private CompletableFuture<Token> exchange() {
        Instant now = clock.instant();
        String assertion;
        try {
            assertion = signedJwt(now);
        } catch (GeneralSecurityException e) {
            return CompletableFuture.failedFuture(new AccessTokenException("cannot sign the JWT: " + e, false, e));
        }
        String form = "grant_type=" + URLEncoder.encode("urn:ietf:params:oauth:grant-type:jwt-bearer", StandardCharsets.UTF_8)
                + "&assertion=" + URLEncoder.encode(assertion, StandardCharsets.UTF_8);
        HttpRequest request = HttpRequest.newBuilder(tokenUri)
                .timeout(requestTimeout)
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form))
                .build();
        return http.sendAsync(request, HttpResponse.BodyHandlers.ofString())
                .handle((response, failure) -> {
                    if (failure != null) {
                        Throwable cause = failure instanceof CompletionException && failure.getCause() != null
                                ? failure.getCause() : failure;
                        throw new AccessTokenException("token endpoint " + tokenUri + " unreachable: " + cause, true, cause);
                    }
                    return parse(response, now);
                });
    }

    private Token parse(HttpResponse<String> response, Instant requestedAt) {
        int status = response.statusCode();
        if (status != 200) {
            boolean retryable = status >= 500 || status == 429;
            throw new AccessTokenException("token endpoint answered " + status + ": " + abbreviate(response.body()),
                    retryable, null);
        }
        try {
            JsonNode body = JSON.readTree(response.body());
            String token = body.path("access_token").asText(null);
            if (token == null || token.isEmpty()) {
                throw new AccessTokenException("token endpoint answered without access_token", true, null);
            }
            long expiresIn = body.path("expires_in").asLong(3600);
            return new Token(token, requestedAt.plusSeconds(expiresIn));
        } catch (IOException e) {
            throw new AccessTokenException("token endpoint answered non-JSON: " + abbreviate(response.body()), true, e);
        }
    }

    private String signedJwt(Instant now) throws GeneralSecurityException {
        ObjectNode header = JSON.createObjectNode().put("alg", "RS256").put("typ", "JWT");
        if (privateKeyId != null) {
            header.put("kid", privateKeyId);
        }
        ObjectNode claims = JSON.createObjectNode()
                .put("iss", clientEmail)
                .put("scope", scope)
                .put("aud", tokenUri.toString())
                .put("iat", now.getEpochSecond())
                .put("exp", now.plus(JWT_LIFETIME).getEpochSecond());
        String signingInput = B64URL.encodeToString(header.toString().getBytes(StandardCharsets.UTF_8)) + "."
                + B64URL.encodeToString(claims.toString().getBytes(StandardCharsets.UTF_8));
        Signature rs256 = Signature.getInstance("SHA256withRSA");
        rs256.initSign(privateKey);
        rs256.update(signingInput.getBytes(StandardCharsets.US_ASCII));
        return signingInput + "." + B64URL.encodeToString(rs256.sign());
    }

    private static String abbreviate(String text) {
        return text == null ? "" : text.length() <= 300 ? text : text.substring(0, 300) + "…";
    }
}

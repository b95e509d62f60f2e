package dev.herald.query.http;

/** An RFC 9457 problem detail, the body of every error answer. */
record Problem(String type, String title, int status, String detail, String instance) {
    static final String CONTENT_TYPE = "application/problem+json";

    static final String INVALID_PARAMETER = "urn:herald:problem:invalid-parameter";
    static final String INVALID_REQUEST = "urn:herald:problem:invalid-request";
    static final String UNAUTHORIZED = "urn:herald:problem:unauthorized";
    static final String NOT_FOUND = "urn:herald:problem:not-found";
    static final String UNAVAILABLE = "urn:herald:problem:unavailable";
    static final String INTERNAL = "urn:herald:problem:internal-error";
}

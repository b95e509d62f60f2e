package dev.herald.devstack.registry;

/** An answer in Confluent's error format: an HTTP status plus a body {@code {"error_code": …, "message": …}}. */
public final class ApiException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final int status;
    private final int errorCode;

    public ApiException(int status, int errorCode, String message) {
        super(message, null, false, false);
        this.status = status;
        this.errorCode = errorCode;
    }

    public int status() {
        return status;
    }

    public int errorCode() {
        return errorCode;
    }

    // Confluent's codes and wording (io.confluent.kafka.schemaregistry.rest.exceptions.Errors), so clients that match
    // on either keep working.

    static ApiException notFound() {
        return new ApiException(404, 404, "HTTP 404 Not Found");
    }

    static ApiException methodNotAllowed() {
        return new ApiException(405, 405, "HTTP 405 Method Not Allowed");
    }

    static ApiException badRequest(String message) {
        return new ApiException(400, 400, message);
    }

    static ApiException subjectNotFound(String subject) {
        return new ApiException(404, 40401, "Subject '" + subject + "' not found.");
    }

    static ApiException versionNotFound(int version) {
        return new ApiException(404, 40402, "Version " + version + " not found.");
    }

    static ApiException schemaNotFound() {
        return new ApiException(404, 40403, "Schema not found");
    }

    static ApiException schemaNotFound(String id) {
        return new ApiException(404, 40403, "Schema " + id + " not found");
    }

    static ApiException subjectSoftDeleted(String subject) {
        return new ApiException(404, 40404, "Subject '" + subject + "' was soft deleted.Set permanent=true to delete "
                + "permanently");
    }

    static ApiException subjectNotSoftDeleted(String subject) {
        return new ApiException(404, 40405, "Subject '" + subject + "' was not deleted first before being permanently "
                + "deleted");
    }

    static ApiException versionSoftDeleted(String subject, int version) {
        return new ApiException(404, 40406, "Subject '" + subject + "' Version " + version + " was soft deleted.Set "
                + "permanent=true to delete permanently");
    }

    static ApiException versionNotSoftDeleted(String subject, int version) {
        return new ApiException(404, 40407, "Subject '" + subject + "' Version " + version + " was not deleted first "
                + "before being permanently deleted");
    }

    static ApiException subjectCompatibilityNotConfigured(String subject) {
        return new ApiException(404, 40408, "Subject '" + subject + "' does not have subject-level compatibility "
                + "configured");
    }

    static ApiException subjectModeNotConfigured(String subject) {
        return new ApiException(404, 40409, "Subject '" + subject + "' does not have subject-level mode configured");
    }

    /**
     * Error code 409, as Confluent answers up to 8.0.3 and 8.1.1 (and as the issue asks); 8.0.4, 8.1.2 and 8.2.0
     * onwards say 40901, with the same HTTP status 409.
     */
    static ApiException incompatible(String subject, Iterable<String> details) {
        return new ApiException(409, 409, "Schema being registered is incompatible with an earlier schema for subject "
                + "\"" + subject + "\", details: [" + String.join(", ", details) + "]");
    }

    static ApiException invalidSchema(String message) {
        return new ApiException(422, 42201, message);
    }

    static ApiException invalidVersion(String version) {
        return new ApiException(422, 42202, "The specified version '" + version + "' is not a valid version id. "
                + "Allowed values are between [1, 2^31-1] and the string \"latest\"");
    }

    static ApiException invalidCompatibilityLevel() {
        return new ApiException(422, 42203, "Invalid compatibility level. Valid values are none, backward, forward, "
                + "full, backward_transitive, forward_transitive, and full_transitive");
    }

    static ApiException invalidMode() {
        return new ApiException(422, 42204, "Invalid mode. The embedded schema registry is always READWRITE; other "
                + "modes (READONLY, IMPORT) are not supported");
    }

    static ApiException storeError(String message) {
        return new ApiException(500, 50001, message);
    }
}

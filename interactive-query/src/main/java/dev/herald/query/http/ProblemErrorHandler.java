package dev.herald.query.http;

import dev.herald.query.model.Json;
import io.javalin.http.HttpStatus;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.handler.ErrorHandler;

/**
 * Answers the errors Jetty raises before a request reaches Javalin (a request line or URI it refuses, an
 * ambiguous path) with the same problem document as every other error, instead of Jetty's HTML page.
 */
final class ProblemErrorHandler extends ErrorHandler {
    private final Json json = new Json();

    ProblemErrorHandler() {
        setShowStacks(false);
        setShowServlet(false);
    }

    @Override
    public ByteBuffer badMessageError(int status, String reason, HttpFields.Mutable fields) {
        fields.put(HttpHeader.CONTENT_TYPE, Problem.CONTENT_TYPE);
        return ByteBuffer.wrap(body(status, reason, null).getBytes(StandardCharsets.UTF_8));
    }

    @Override
    protected void generateAcceptableResponse(Request baseRequest, HttpServletRequest request,
            HttpServletResponse response, int code, String message) throws IOException {
        baseRequest.setHandled(true);
        response.setContentType(Problem.CONTENT_TYPE);
        response.getOutputStream().write(body(code, message, request.getRequestURI())
                .getBytes(StandardCharsets.UTF_8));
    }

    private String body(int status, String reason, String instance) {
        HttpStatus known = HttpStatus.forStatus(status);
        String title = known == HttpStatus.UNKNOWN ? "Error" : known.getMessage();
        String detail = reason == null || reason.isBlank() ? "the request cannot be served: " + title
                : "the request cannot be served: " + reason;
        String type = status == 404 ? Problem.NOT_FOUND : status < 500 ? Problem.INVALID_REQUEST : Problem.INTERNAL;
        return json.write(new Problem(type, title, status, detail, instance));
    }
}

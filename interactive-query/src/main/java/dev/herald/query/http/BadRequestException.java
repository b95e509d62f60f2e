package dev.herald.query.http;

/** A request parameter HttpApi cannot accept; becomes a 400 problem whose detail names the parameter. */
final class BadRequestException extends RuntimeException {
    BadRequestException(String detail) {
        super(detail);
    }
}

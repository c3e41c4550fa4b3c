package io.fleetwire.hub.api;

/**
 * A request the API refuses. Each subclass is one HTTP status; {@link ApiErrors} is the one place
 * that turns them into responses.
 */
public abstract sealed class ApiException extends RuntimeException
        permits ApiException.BadRequest, ApiException.Unauthorized, ApiException.NotFound,
        ApiException.Conflict, ApiException.Unavailable {

    private final String code;

    protected ApiException(String code, String message) {
        super(message, null, false, false);
        this.code = code;
    }

    public String code() {
        return code;
    }

    public abstract int status();

    public static final class BadRequest extends ApiException {
        public BadRequest(String message) {
            super("bad_request", message);
        }

        @Override
        public int status() {
            return 400;
        }
    }

    public static final class Unauthorized extends ApiException {
        public Unauthorized(String message) {
            super("unauthorized", message);
        }

        @Override
        public int status() {
            return 401;
        }
    }

    public static final class NotFound extends ApiException {
        public NotFound(String message) {
            super("not_found", message);
        }

        @Override
        public int status() {
            return 404;
        }
    }

    public static final class Conflict extends ApiException {
        public Conflict(String message) {
            super("conflict", message);
        }

        @Override
        public int status() {
            return 409;
        }
    }

    public static final class Unavailable extends ApiException {
        public Unavailable(String message) {
            super("unavailable", message);
        }

        @Override
        public int status() {
            return 503;
        }
    }
}

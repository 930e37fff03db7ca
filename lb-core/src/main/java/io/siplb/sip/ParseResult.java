package io.siplb.sip;

import static java.util.Objects.requireNonNull;

/**
 * The outcome of {@link SipParser#parse}: a message or a failure, never both.
 *
 * <p>On success the message owns the parsed buffer; on failure the caller still owns it.
 */
public final class ParseResult {

    private final SipMessage message;
    private final ParseFailure failure;

    private ParseResult(SipMessage message, ParseFailure failure) {
        this.message = message;
        this.failure = failure;
    }

    /** A successful result. */
    public static ParseResult success(SipMessage message) {
        return new ParseResult(requireNonNull(message, "message"), null);
    }

    /** A failed result. */
    public static ParseResult failure(ParseFailure failure) {
        return new ParseResult(null, requireNonNull(failure, "failure"));
    }

    /** A failed result. */
    public static ParseResult failure(ParseError error, int offset) {
        return new ParseResult(null, new ParseFailure(error, offset));
    }

    /** Whether parsing succeeded. */
    public boolean isSuccess() {
        return message != null;
    }

    /** The message; null on failure. */
    public SipMessage message() {
        return message;
    }

    /** The failure; null on success. */
    public ParseFailure failure() {
        return failure;
    }

    @Override
    public String toString() {
        return message != null ? "success(" + message + ')' : "failure(" + failure + ')';
    }
}

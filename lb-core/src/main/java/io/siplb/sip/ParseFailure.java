package io.siplb.sip;

import static java.util.Objects.requireNonNull;

/**
 * Why a message was rejected and where: {@code offset} is the absolute index, in the buffer
 * that was parsed, of the byte at which the problem was found.
 *
 * @param error  what is wrong (with the status code to answer with)
 * @param offset absolute byte index into the parsed buffer
 */
public record ParseFailure(ParseError error, int offset) {

    /** Validates the fields. */
    public ParseFailure {
        requireNonNull(error, "error");
    }

    /** The status code to answer with, 0 when the message must be dropped. */
    public int statusCode() {
        return error.statusCode();
    }

    @Override
    public String toString() {
        return error + " at " + offset + " (" + error.reason() + ')';
    }
}

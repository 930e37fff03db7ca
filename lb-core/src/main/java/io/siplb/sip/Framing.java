package io.siplb.sip;

/**
 * How a message's end is determined, which decides what a missing or wrong Content-Length
 * means (RFC 3261 §18.3).
 */
public enum Framing {
    /**
     * One message per datagram. Without Content-Length the body is the rest of the
     * datagram; a Content-Length larger than what remains is an error (400); a smaller one
     * leaves trailing octets that are ignored and cut off.
     */
    DATAGRAM,
    /**
     * The frame was cut out of a stream by {@link StreamFramer}. Content-Length is
     * mandatory on streams; the parser treats a missing one as 0, as the framer does.
     */
    STREAM
}

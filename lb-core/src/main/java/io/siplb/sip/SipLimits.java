package io.siplb.sip;

import static com.google.common.base.Preconditions.checkArgument;

/**
 * The size limits the codec enforces on every message, in one immutable value.
 *
 * <table>
 *   <caption>Limits</caption>
 *   <tr><th>name</th><th>default</th><th>what happens when exceeded</th></tr>
 *   <tr><td>{@code maxMessageBytes}</td><td>{@value #DEFAULT_MAX_MESSAGE_BYTES}</td>
 *       <td>{@link ParseError#MESSAGE_TOO_LARGE} (413): a datagram, or a stream message's
 *       header section plus declared Content-Length, is larger than this</td></tr>
 *   <tr><td>{@code maxHeaders}</td><td>{@value #DEFAULT_MAX_HEADERS}</td>
 *       <td>{@link ParseError#TOO_MANY_HEADERS} (513): more header values than this (each
 *       comma-separated Via/Route/Record-Route/Path/Contact value counts)</td></tr>
 *   <tr><td>{@code maxLineBytes}</td><td>{@value #DEFAULT_MAX_LINE_BYTES}</td>
 *       <td>{@link ParseError#LINE_TOO_LONG} (513): the start line, or one header field
 *       including its folded continuation lines, is longer than this</td></tr>
 * </table>
 *
 * <p>The message limit defaults to the largest UDP payload: a stream message above it
 * could never be forwarded over UDP, and RFC 3261 §18.1.1 expects large requests to move
 * to TCP, not to grow without bound.
 *
 * @param maxMessageBytes largest message, start line to last body byte
 * @param maxHeaders      most header values in one message, 1 ~ {@value #MAX_HEADERS_LIMIT}
 * @param maxLineBytes    longest start line or header field (with its continuation lines)
 */
public record SipLimits(int maxMessageBytes, int maxHeaders, int maxLineBytes) {

    /** Default for {@link #maxMessageBytes()}: the largest UDP payload over IPv4. */
    public static final int DEFAULT_MAX_MESSAGE_BYTES = 65_507;
    /** The largest {@link #maxHeaders()}. */
    public static final int MAX_HEADERS_LIMIT = 65_535;
    /** Default for {@link #maxHeaders()}. */
    public static final int DEFAULT_MAX_HEADERS = 256;
    /** Default for {@link #maxLineBytes()}. */
    public static final int DEFAULT_MAX_LINE_BYTES = 8_192;

    /** All defaults. */
    public static final SipLimits DEFAULTS =
            new SipLimits(DEFAULT_MAX_MESSAGE_BYTES, DEFAULT_MAX_HEADERS, DEFAULT_MAX_LINE_BYTES);

    /** Validates the limits. */
    public SipLimits {
        checkArgument(maxMessageBytes >= 64, "maxMessageBytes: %s (expected: >= 64)", maxMessageBytes);
        // the header index numbers its entries in 16 bits (HeaderIndex); lb-config allows up to 65535 too
        checkArgument(maxHeaders >= 1 && maxHeaders <= MAX_HEADERS_LIMIT,
                "maxHeaders: %s (expected: 1 ~ %s)", maxHeaders, MAX_HEADERS_LIMIT);
        checkArgument(maxLineBytes >= 32, "maxLineBytes: %s (expected: >= 32)", maxLineBytes);
    }

    /** A copy with another message limit. */
    public SipLimits withMaxMessageBytes(int value) {
        return new SipLimits(value, maxHeaders, maxLineBytes);
    }

    /** A copy with another header count limit. */
    public SipLimits withMaxHeaders(int value) {
        return new SipLimits(maxMessageBytes, value, maxLineBytes);
    }

    /** A copy with another line length limit. */
    public SipLimits withMaxLineBytes(int value) {
        return new SipLimits(maxMessageBytes, maxHeaders, value);
    }
}

package io.siplb.config;

/**
 * Limits on incoming SIP messages ({@code limits:} in the configuration). lb-netty's
 * {@code Assembly} maps them to lb-core's {@code SipLimits}.
 *
 * <table>
 *   <caption>limits keys</caption>
 *   <tr><th>key</th><th>default</th><th>range</th><th>what happens when exceeded</th></tr>
 *   <tr><td>max-message-bytes</td><td>{@value #DEFAULT_MAX_MESSAGE_BYTES}</td>
 *       <td>{@value #MIN_MAX_MESSAGE_BYTES} ~ {@value #MAX_MAX_MESSAGE_BYTES}</td>
 *       <td>the message is rejected (answered when it can be, else dropped) and counted;
 *       on TCP/TLS the connection is closed, since the stream cannot be re-framed</td></tr>
 *   <tr><td>max-headers</td><td>{@value #DEFAULT_MAX_HEADERS}</td>
 *       <td>{@value #MIN_MAX_HEADERS} ~ {@value #MAX_MAX_HEADERS}</td>
 *       <td>the message is answered 400 (or dropped when it cannot be answered) and counted</td></tr>
 *   <tr><td>max-line-bytes</td><td>{@value #DEFAULT_MAX_LINE_BYTES}</td>
 *       <td>{@value #MIN_MAX_LINE_BYTES} ~ max-message-bytes</td>
 *       <td>the message is answered 400 (or dropped when it cannot be answered) and counted</td></tr>
 * </table>
 *
 * <p>The default message size is the largest UDP datagram; a request that large over UDP
 * should have used TCP anyway (RFC 3261 §18.1.1).
 *
 * <p>The same section holds the flood-protection keys (connections, timeouts, rate limit, bans,
 * scanners): see {@link GuardConfig}.
 */
public record LimitsConfig(int maxMessageBytes, int maxHeaders, int maxLineBytes, GuardConfig guard) {

    public static final int DEFAULT_MAX_MESSAGE_BYTES = 65535;
    public static final int DEFAULT_MAX_HEADERS = 256;
    public static final int DEFAULT_MAX_LINE_BYTES = 8192;

    /** Smaller than this cannot hold an ordinary INVITE with SDP. */
    public static final int MIN_MAX_MESSAGE_BYTES = 1024;
    public static final int MAX_MAX_MESSAGE_BYTES = 16 * 1024 * 1024;
    /** A request needs at least Via, From, To, Call-ID, CSeq, Max-Forwards and a few more. */
    public static final int MIN_MAX_HEADERS = 16;
    public static final int MAX_MAX_HEADERS = 65535;
    public static final int MIN_MAX_LINE_BYTES = 256;

    /** Every key at its default. */
    public static final LimitsConfig DEFAULTS = new LimitsConfig(
            DEFAULT_MAX_MESSAGE_BYTES, DEFAULT_MAX_HEADERS, DEFAULT_MAX_LINE_BYTES);

    /** Message limits with the flood protection at its defaults. */
    public LimitsConfig(int maxMessageBytes, int maxHeaders, int maxLineBytes) {
        this(maxMessageBytes, maxHeaders, maxLineBytes, GuardConfig.DEFAULTS);
    }

    /** Validates; throws {@link IllegalArgumentException} listing every broken rule. */
    public LimitsConfig {
        guard = guard == null ? GuardConfig.DEFAULTS : guard;
        new FieldChecks()
                .check(maxMessageBytes >= MIN_MAX_MESSAGE_BYTES && maxMessageBytes <= MAX_MAX_MESSAGE_BYTES,
                        "max-message-bytes", "%s (expected: %s ~ %s)",
                        maxMessageBytes, MIN_MAX_MESSAGE_BYTES, MAX_MAX_MESSAGE_BYTES)
                .check(maxHeaders >= MIN_MAX_HEADERS && maxHeaders <= MAX_MAX_HEADERS,
                        "max-headers", "%s (expected: %s ~ %s)", maxHeaders, MIN_MAX_HEADERS, MAX_MAX_HEADERS)
                .check(maxLineBytes >= MIN_MAX_LINE_BYTES && maxLineBytes <= maxMessageBytes,
                        "max-line-bytes", "%s (expected: %s ~ max-message-bytes %s)",
                        maxLineBytes, MIN_MAX_LINE_BYTES, maxMessageBytes)
                .throwIfAny();
    }

    public LimitsConfig withMaxMessageBytes(int maxMessageBytes) {
        return new LimitsConfig(maxMessageBytes, maxHeaders, maxLineBytes, guard);
    }

    public LimitsConfig withMaxHeaders(int maxHeaders) {
        return new LimitsConfig(maxMessageBytes, maxHeaders, maxLineBytes, guard);
    }

    public LimitsConfig withMaxLineBytes(int maxLineBytes) {
        return new LimitsConfig(maxMessageBytes, maxHeaders, maxLineBytes, guard);
    }

    public LimitsConfig withGuard(GuardConfig guard) {
        return new LimitsConfig(maxMessageBytes, maxHeaders, maxLineBytes, guard);
    }
}

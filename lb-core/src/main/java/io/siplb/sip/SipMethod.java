package io.siplb.sip;

import java.nio.charset.StandardCharsets;

/**
 * SIP request methods. Methods are case-sensitive (RFC 3261 §7.1), so {@code invite} and
 * {@code RE%47IST%45R} are {@link #OTHER} (RFC 4475 §3.1.1.5: % is not an escape there).
 */
public enum SipMethod {
    INVITE, ACK, BYE, CANCEL, REGISTER, OPTIONS, SUBSCRIBE, NOTIFY, REFER, PRACK, UPDATE, INFO,
    MESSAGE, PUBLISH,
    /** Any other token; the raw bytes stay available through the message. */
    OTHER;

    private static final SipMethod[] VALUES = values();
    private static final SipMethod[][] BY_LENGTH = new SipMethod[10][];

    static {
        int[] counts = new int[BY_LENGTH.length];
        for (SipMethod m : VALUES) {
            if (m != OTHER) {
                counts[m.bytes.length]++;
            }
        }
        for (int len = 0; len < BY_LENGTH.length; len++) {
            BY_LENGTH[len] = new SipMethod[counts[len]];
            counts[len] = 0;
        }
        for (SipMethod m : VALUES) {
            if (m != OTHER) {
                BY_LENGTH[m.bytes.length][counts[m.bytes.length]++] = m;
            }
        }
    }

    private final byte[] bytes = name().getBytes(StandardCharsets.US_ASCII);

    /**
     * The method named by the {@code len} bytes at {@code a[start]}, compared case-sensitively;
     * {@link #OTHER} when unknown. Never allocates.
     */
    public static SipMethod lookup(byte[] a, int start, int len) {
        if (len <= 0 || len >= BY_LENGTH.length) {
            return OTHER;
        }
        outer:
        for (SipMethod candidate : BY_LENGTH[len]) {
            byte[] b = candidate.bytes;
            for (int i = 0; i < len; i++) {
                if (a[start + i] != b[i]) {
                    continue outer;
                }
            }
            return candidate;
        }
        return OTHER;
    }
}

package io.siplb.health;

import static com.google.common.base.Preconditions.checkArgument;
import static java.util.Objects.requireNonNull;

import java.util.Arrays;

/**
 * An immutable set of final SIP response codes (200 ~ 699): the replies to an OPTIONS probe
 * that prove a home proxy alive.
 *
 * <p>The default, {@link #ANY_FINAL}, counts every final response: RFC 3261 §11.2 lets a
 * server answer OPTIONS with whatever it would answer an INVITE with, and many registrars
 * answer an OPTIONS that is not addressed to a user with 404 or challenge it with 401/407.
 * Any of those proves the process is up and parsing SIP, which is what the balancer needs
 * to know. Narrow the set (for example to {@code 200-299}) only for proxies that are known to
 * answer 200 when, and only when, they can serve.
 *
 * <p>Provisional responses (1xx) are never in the set: the prober waits for a final one.
 */
public final class ReplyCodes {

    /** Lowest final response code (RFC 3261 §7.2). */
    public static final int MIN_FINAL = 200;
    /** Highest response code (RFC 3261 §7.2: 6xx is the last class). */
    public static final int MAX_FINAL = 699;

    /** Every final response, 200 ~ 699: the default. */
    public static final ReplyCodes ANY_FINAL = range(MIN_FINAL, MAX_FINAL);
    /** Success responses only, 200 ~ 299. */
    public static final ReplyCodes SUCCESS = range(200, 299);

    private static final int WORDS = (MAX_FINAL - MIN_FINAL) / 64 + 1;

    // bit (code - MIN_FINAL) is set when the code is in the set
    private final long[] bits;

    private ReplyCodes(long[] bits) {
        this.bits = bits;
    }

    /** The codes {@code from} ~ {@code to}, both included. */
    public static ReplyCodes range(int from, int to) {
        checkCode(from);
        checkCode(to);
        checkArgument(from <= to, "range: %s-%s (expected: from <= to)", from, to);
        long[] bits = new long[WORDS];
        for (int c = from; c <= to; c++) {
            set(bits, c);
        }
        return new ReplyCodes(bits);
    }

    /** Exactly these codes. */
    public static ReplyCodes of(int... codes) {
        requireNonNull(codes, "codes");
        checkArgument(codes.length > 0, "codes: none (expected: at least one code)");
        long[] bits = new long[WORDS];
        for (int c : codes) {
            checkCode(c);
            set(bits, c);
        }
        return new ReplyCodes(bits);
    }

    /**
     * Parses the configuration form: comma-separated codes and ranges, for example
     * {@code "200-299, 404, 401"}. Spaces around items are ignored.
     *
     * @throws IllegalArgumentException naming the item that is not a code or range
     */
    public static ReplyCodes parse(String text) {
        requireNonNull(text, "text");
        long[] bits = new long[WORDS];
        int items = 0;
        for (String item : text.split(",", -1)) {
            String s = item.strip();
            int dash = s.indexOf('-');
            int from = parseCode(dash < 0 ? s : s.substring(0, dash).strip(), text);
            int to = dash < 0 ? from : parseCode(s.substring(dash + 1).strip(), text);
            checkArgument(from <= to, "reply codes: '%s' has range %s-%s (expected: from <= to)", text, from, to);
            for (int c = from; c <= to; c++) {
                set(bits, c);
            }
            items++;
        }
        checkArgument(items > 0, "reply codes: '%s' (expected: codes or ranges such as 200-299,404)", text);
        return new ReplyCodes(bits);
    }

    /** True when {@code code} is in the set; false for anything outside 200 ~ 699. */
    public boolean contains(int code) {
        if (code < MIN_FINAL || code > MAX_FINAL) {
            return false;
        }
        int i = code - MIN_FINAL;
        return (bits[i >>> 6] & (1L << i)) != 0;
    }

    /** The codes in either set. */
    public ReplyCodes union(ReplyCodes other) {
        requireNonNull(other, "other");
        long[] u = bits.clone();
        for (int i = 0; i < u.length; i++) {
            u[i] |= other.bits[i];
        }
        return new ReplyCodes(u);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ReplyCodes r && Arrays.equals(r.bits, bits);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(bits);
    }

    /** The configuration form, with ranges collapsed: {@code "200-299,404"}. */
    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder();
        int c = MIN_FINAL;
        while (c <= MAX_FINAL) {
            if (!contains(c)) {
                c++;
                continue;
            }
            int end = c;
            while (end + 1 <= MAX_FINAL && contains(end + 1)) {
                end++;
            }
            sb.append(sb.length() == 0 ? "" : ",").append(c);
            if (end > c) {
                sb.append('-').append(end);
            }
            c = end + 1;
        }
        return sb.toString();
    }

    private static int parseCode(String s, String text) {
        boolean digits = s.length() == 3;
        for (int i = 0; digits && i < 3; i++) {
            digits = s.charAt(i) >= '0' && s.charAt(i) <= '9';
        }
        checkArgument(digits, "reply codes: '%s' has '%s' (expected: codes or ranges such as 200-299,404)", text, s);
        int code = Integer.parseInt(s);
        checkCode(code);
        return code;
    }

    private static void checkCode(int code) {
        checkArgument(code >= MIN_FINAL && code <= MAX_FINAL,
                "reply code: %s (expected: a final response %s ~ %s)", code, MIN_FINAL, MAX_FINAL);
    }

    private static void set(long[] bits, int code) {
        int i = code - MIN_FINAL;
        bits[i >>> 6] |= 1L << i;
    }
}

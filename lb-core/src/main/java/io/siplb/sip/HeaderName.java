package io.siplb.sip;

import io.netty.buffer.ByteBuf;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Header field names the load balancer knows, with their compact forms (RFC 3261 §7.3.3,
 * and the IANA registry of compact forms).
 *
 * <p>{@link #lookup} compares case-insensitively (RFC 3261 §7.3.1: field names are
 * case-insensitive) without allocating: it picks the candidates of the name's length from a
 * table and compares bytes, so the long and the compact form cost the same. Names it does not
 * know map to {@link #OTHER}; their raw bytes stay available through the message.
 */
public enum HeaderName {
    VIA("Via", 'v'),
    FROM("From", 'f'),
    TO("To", 't'),
    CALL_ID("Call-ID", 'i'),
    CSEQ("CSeq"),
    MAX_FORWARDS("Max-Forwards"),
    CONTACT("Contact", 'm'),
    CONTENT_LENGTH("Content-Length", 'l'),
    CONTENT_TYPE("Content-Type", 'c'),
    CONTENT_ENCODING("Content-Encoding", 'e'),
    ROUTE("Route"),
    RECORD_ROUTE("Record-Route"),
    /** RFC 3327. */
    PATH("Path"),
    /** RFC 3608. */
    SERVICE_ROUTE("Service-Route"),
    EXPIRES("Expires"),
    MIN_EXPIRES("Min-Expires"),
    REQUIRE("Require"),
    PROXY_REQUIRE("Proxy-Require"),
    SUPPORTED("Supported", 'k'),
    UNSUPPORTED("Unsupported"),
    ALLOW("Allow"),
    ACCEPT("Accept"),
    SUBJECT("Subject", 's'),
    /** RFC 6665. */
    EVENT("Event", 'o'),
    /** RFC 6665. */
    ALLOW_EVENTS("Allow-Events", 'u'),
    /** RFC 4028. */
    SESSION_EXPIRES("Session-Expires", 'x'),
    /** RFC 3515. */
    REFER_TO("Refer-To", 'r'),
    /** RFC 3892. */
    REFERRED_BY("Referred-By", 'b'),
    /** RFC 3841. */
    REJECT_CONTACT("Reject-Contact", 'j'),
    /** RFC 3841. */
    ACCEPT_CONTACT("Accept-Contact", 'a'),
    /** RFC 3841. */
    REQUEST_DISPOSITION("Request-Disposition", 'd'),
    /** RFC 8224. */
    IDENTITY("Identity", 'y'),
    AUTHORIZATION("Authorization"),
    PROXY_AUTHORIZATION("Proxy-Authorization"),
    WWW_AUTHENTICATE("WWW-Authenticate"),
    PROXY_AUTHENTICATE("Proxy-Authenticate"),
    USER_AGENT("User-Agent"),
    SERVER("Server"),
    DATE("Date"),
    TIMESTAMP("Timestamp"),
    RETRY_AFTER("Retry-After"),
    WARNING("Warning"),
    /** RFC 5626. */
    FLOW_TIMER("Flow-Timer"),
    /** Any name not listed above. */
    OTHER("");

    private static final HeaderName[] VALUES = values();
    /** Candidates by name length, then by lower-case first letter: [length][letter - 'a']. */
    private static final HeaderName[][][] BY_LENGTH;
    /** Compact forms, indexed by the lower-case ASCII letter. */
    private static final HeaderName[] COMPACT = new HeaderName[128];

    static {
        int max = 0;
        for (HeaderName n : VALUES) {
            max = Math.max(max, n.lower.length);
        }
        List<List<List<HeaderName>>> lists = new ArrayList<>();
        for (int len = 0; len <= max; len++) {
            List<List<HeaderName>> byFirst = new ArrayList<>();
            for (int c = 0; c < 26; c++) {
                byFirst.add(new ArrayList<>());
            }
            lists.add(byFirst);
        }
        for (HeaderName n : VALUES) {
            if (n != OTHER) {
                lists.get(n.lower.length).get(n.lower[0] - 'a').add(n);
                if (n.compact != 0) {
                    COMPACT[n.compact] = n;
                }
            }
        }
        BY_LENGTH = new HeaderName[max + 1][26][];
        for (int len = 0; len <= max; len++) {
            for (int c = 0; c < 26; c++) {
                BY_LENGTH[len][c] = lists.get(len).get(c).toArray(new HeaderName[0]);
            }
        }
    }

    private final String canonical;
    private final char compact;
    private final byte[] lower;

    HeaderName(String canonical) {
        this(canonical, (char) 0);
    }

    HeaderName(String canonical, char compact) {
        this.canonical = canonical;
        this.compact = compact;
        this.lower = canonical.toLowerCase(java.util.Locale.ROOT).getBytes(StandardCharsets.US_ASCII);
    }

    /** The long form as RFCs spell it, e.g. {@code Call-ID}; empty for {@link #OTHER}. */
    public String canonicalName() {
        return canonical;
    }

    /** The compact form, or 0 when the header has none. */
    public char compactForm() {
        return compact;
    }

    /**
     * Whether the message index splits this header's lines on top-level commas (RFC 3261
     * §7.3.1 lets such values be combined into one line): Via, Route, Record-Route, Path and
     * Contact, the headers routing reads value by value.
     */
    public boolean isCommaSeparated() {
        return this == VIA || this == ROUTE || this == RECORD_ROUTE || this == PATH || this == CONTACT;
    }

    /**
     * The header named by {@code len} bytes at {@code start} of {@code buf}, matched
     * case-insensitively against long and compact forms; {@link #OTHER} when unknown.
     * Reads only {@code [start, start+len)}; never allocates.
     */
    public static HeaderName lookup(ByteBuf buf, int start, int len) {
        if (len == 1) {
            int c = buf.getByte(start) | 0x20; // ASCII letters: set the lower-case bit
            if (c >= 'a' && c <= 'z') {
                HeaderName n = COMPACT[c];
                return n != null ? n : OTHER;
            }
            return OTHER;
        }
        if (len <= 0 || len >= BY_LENGTH.length) {
            return OTHER;
        }
        // one candidate list per (length, first letter): usually a single full comparison
        int first = buf.getByte(start) | 0x20;
        if (first < 'a' || first > 'z') {
            return OTHER;
        }
        for (HeaderName candidate : BY_LENGTH[len][first - 'a']) {
            if (equalsIgnoreCase(buf, start + 1, candidate.lower)) {
                return candidate;
            }
        }
        return OTHER;
    }

    /** Compares the bytes from {@code start} with {@code lower} minus its first letter (already matched). */
    private static boolean equalsIgnoreCase(ByteBuf buf, int start, byte[] lower) {
        for (int i = 1; i < lower.length; i++) {
            int b = buf.getByte(start + i - 1);
            if (b >= 'A' && b <= 'Z') {
                b += 'a' - 'A';
            }
            if (b != lower[i]) {
                return false;
            }
        }
        return true;
    }

    /** The constant at {@code ordinal}, without copying {@code values()}. */
    static HeaderName ofOrdinal(int ordinal) {
        return VALUES[ordinal];
    }

    /** Number of constants, including {@link #OTHER}. */
    static int count() {
        return VALUES.length;
    }
}

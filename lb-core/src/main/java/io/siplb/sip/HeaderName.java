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

    /** Words per name in the flat tables: enough for 24 bytes ("Request-Disposition" has 19). */
    private static final int WORDS_PER_NAME = 3;
    /** Candidates of slot {@code len * 26 + letter} are {@code [SLOTS[slot], SLOTS[slot + 1])} of the arrays below. */
    private static final int[] SLOTS;
    private static final HeaderName[] CANDIDATES;
    /** {@link #words} of each candidate in little-endian order, {@link #WORDS_PER_NAME} per candidate. */
    private static final long[] CANDIDATE_WORDS;
    /** {@link #caseMask} of each candidate in little-endian order, {@link #WORDS_PER_NAME} per candidate. */
    private static final long[] CANDIDATE_MASKS;

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
        // the same candidates, flattened into primitive arrays for the array lookup
        SLOTS = new int[(max + 1) * 26 + 1];
        CANDIDATES = new HeaderName[VALUES.length];
        CANDIDATE_WORDS = new long[WORDS_PER_NAME * VALUES.length];
        CANDIDATE_MASKS = new long[WORDS_PER_NAME * VALUES.length];
        int next = 0;
        for (int len = 0; len <= max; len++) {
            for (int c = 0; c < 26; c++) {
                SLOTS[len * 26 + c] = next;
                for (HeaderName n : BY_LENGTH[len][c]) {
                    CANDIDATES[next] = n;
                    for (int w = 0; w < n.words.length; w++) {
                        CANDIDATE_WORDS[WORDS_PER_NAME * next + w] = Long.reverseBytes(n.words[w]);
                        CANDIDATE_MASKS[WORDS_PER_NAME * next + w] = Long.reverseBytes(n.caseMask[w]);
                    }
                    next++;
                }
            }
        }
        SLOTS[(max + 1) * 26] = next;
    }


    private final String canonical;
    private final char compact;
    private final byte[] lower;
    /** {@link #lower} as big-endian 8-byte words (the last one ending at the last byte), for {@link #matches}. */
    private final long[] words;
    /** Per word: 0x20 in the bytes that are letters, 0 elsewhere. For names under 8 bytes, word 0 covers bytes 0-7. */
    private final long[] caseMask;

    HeaderName(String canonical) {
        this(canonical, (char) 0);
    }

    HeaderName(String canonical, char compact) {
        this.canonical = canonical;
        this.compact = compact;
        this.lower = canonical.toLowerCase(java.util.Locale.ROOT).getBytes(StandardCharsets.US_ASCII);
        int n = lower.length < 8 ? 1 : (lower.length + 7) / 8;
        this.words = new long[n];
        this.caseMask = new long[n];
        for (int w = 0; w < n; w++) {
            int off = lower.length < 8 ? 0 : Math.min(8 * w, lower.length - 8);
            for (int i = 0; i < 8; i++) {
                int k = off + i;
                byte b = k < lower.length ? lower[k] : 0;
                words[w] = words[w] << 8 | (b & 0xFF);
                caseMask[w] = caseMask[w] << 8 | (b >= 'a' && b <= 'z' ? 0x20 : 0);
            }
        }
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
            if (candidate.matches(buf, start)) {
                return candidate;
            }
        }
        return OTHER;
    }

    /**
     * Whether the {@code lower.length} bytes at {@code start} spell this name in any case. Reads
     * eight bytes at a time (the last word overlapping the one before it), OR-ing 0x20 into the
     * letter positions only: that maps exactly 'A'-'Z' and 'a'-'z' onto 'a'-'z', and leaves
     * '-' and digits to compare as they are (a CR, 0x0D, must not pass for '-', 0x2D).
     */
    private boolean matches(ByteBuf buf, int start) {
        int len = lower.length;
        if (len < 8) {
            for (int i = 1; i < len; i++) {
                if ((buf.getByte(start + i) | (caseMask[0] >>> (8 * (7 - i)) & 0xFF)) != lower[i]) {
                    return false;
                }
            }
            return true;
        }
        for (int w = 0; w < words.length; w++) {
            int off = Math.min(8 * w, len - 8);
            if ((buf.getLong(start + off) | caseMask[w]) != words[w]) {
                return false;
            }
        }
        return true;
    }

    /**
     * {@link #lookup(ByteBuf, int, int)} over {@code a[start, start+len)}, for the parser, which
     * reads a byte array (see {@link FrameBytes}). The name is read as one to three little-endian
     * words and compared with flat tables, rather than through each candidate's fields.
     * {@code readable} is where the bytes that may be read end: a short name is read as one
     * eight-byte word when that many are there.
     */
    static HeaderName lookup(byte[] a, int start, int len, int readable) {
        if (len == 1) {
            int c = a[start] | 0x20;
            if (c >= 'a' && c <= 'z') {
                HeaderName n = COMPACT[c];
                return n != null ? n : OTHER;
            }
            return OTHER;
        }
        if (len <= 0 || len >= BY_LENGTH.length) {
            return OTHER;
        }
        int first = a[start] | 0x20;
        if (first < 'a' || first > 'z') {
            return OTHER;
        }
        int slot = len * 26 + first - 'a';
        int c = SLOTS[slot];
        int last = SLOTS[slot + 1];
        if (len < 8) {
            long word;
            if (start + 8 <= readable) {
                // the bytes after the name are masked off: only the name's own bytes are compared
                word = ByteArrays.longAt(a, start) & (-1L >>> (8 * (8 - len)));
            } else {
                word = 0;
                for (int i = len - 1; i >= 0; i--) {
                    word = word << 8 | (a[start + i] & 0xFF);
                }
            }
            for (; c < last; c++) {
                if ((word | CANDIDATE_MASKS[WORDS_PER_NAME * c]) == CANDIDATE_WORDS[WORDS_PER_NAME * c]) {
                    return CANDIDATES[c];
                }
            }
            return OTHER;
        }
        long w0 = ByteArrays.longAt(a, start);
        long w1 = len > 8 ? ByteArrays.longAt(a, start + Math.min(8, len - 8)) : 0;
        long w2 = len > 16 ? ByteArrays.longAt(a, start + len - 8) : 0;
        for (; c < last; c++) {
            int k = WORDS_PER_NAME * c;
            if ((w0 | CANDIDATE_MASKS[k]) == CANDIDATE_WORDS[k]
                    && (w1 | CANDIDATE_MASKS[k + 1]) == CANDIDATE_WORDS[k + 1]
                    && (w2 | CANDIDATE_MASKS[k + 2]) == CANDIDATE_WORDS[k + 2]) {
                return CANDIDATES[c];
            }
        }
        return OTHER;
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

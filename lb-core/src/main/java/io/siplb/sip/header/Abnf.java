package io.siplb.sip.header;

import com.google.common.base.Ascii;
import io.netty.buffer.ByteBuf;
import io.netty.util.concurrent.FastThreadLocal;
import io.siplb.sip.ByteArrays;

import java.nio.charset.StandardCharsets;

/**
 * Scanners and character classes named after the RFC 3261 §25 ABNF.
 *
 * <p>Every scanner takes a byte array, a position {@code i} and an exclusive bound {@code end}, and
 * reads no byte at or beyond {@code end}. {@code consume*} may match nothing and then returns
 * {@code i}; {@code expect*} must match and returns -1 when it does not. A {@code consume*} that
 * can start a construct and then find it broken (an unterminated quoted-string, a bad escape)
 * also returns -1. No scanner throws or allocates.
 *
 * <p>Line folding (RFC 3261 §7.3.1): a CRLF followed by SP or HT is linear white space; a CRLF
 * that is not followed by SP or HT is not, and ends every scanner here. A bare CR or LF is never
 * white space.
 */
final class Abnf {

    // ---- character classes (one bit per class, 256 entries) ---------------------------------
    static final int ALPHA = 1;
    static final int DIGIT = 1 << 1;
    static final int HEXDIG = 1 << 2;
    /** token = 1*(alphanum / "-" / "." / "!" / "%" / "*" / "_" / "+" / "`" / "'" / "~"). */
    static final int TOKEN = 1 << 3;
    /** unreserved = alphanum / mark; mark = "-" / "_" / "." / "!" / "~" / "*" / "'" / "(" / ")". */
    static final int UNRESERVED = 1 << 4;
    /** user-unreserved = "&" / "=" / "+" / "$" / "," / ";" / "?" / "/". */
    static final int USER_UNRESERVED = 1 << 5;
    /** param-unreserved = "[" / "]" / "/" / ":" / "&" / "+" / "$". */
    static final int PARAM_UNRESERVED = 1 << 6;
    /** hnv-unreserved = "[" / "]" / "/" / "?" / ":" / "+" / "$". */
    static final int HNV_UNRESERVED = 1 << 7;
    /** The non-unreserved characters of password: "&" / "=" / "+" / "$" / ",". */
    static final int PASSWORD_EXTRA = 1 << 8;
    /** reserved = ";" / "/" / "?" / ":" / "@" / "&" / "=" / "+" / "$" / ",". */
    static final int RESERVED = 1 << 9;
    /** The characters after the first of a URI scheme: ALPHA / DIGIT / "+" / "-" / ".". */
    static final int SCHEME = 1 << 10;
    /** visual-separator = "-" / "." / "(" / ")" (RFC 3966). */
    static final int VISUAL_SEPARATOR = 1 << 11;
    /** The characters that may appear in a host: alphanum, "-", ".", and "[", "]", ":" for IPv6. */
    static final int HOST = 1 << 12;
    /** The characters of a hostname or IPv4address: alphanum, "-", ".". */
    static final int HOSTNAME = 1 << 13;

    static final int ALPHANUM = ALPHA | DIGIT;
    /** user = 1*( unreserved / escaped / user-unreserved ); '%' is checked by the escape scanner. */
    static final int USER = UNRESERVED | USER_UNRESERVED;
    /** password = *( unreserved / escaped / "&" / "=" / "+" / "$" / "," ). */
    static final int PASSWORD = UNRESERVED | PASSWORD_EXTRA;
    /** paramchar = param-unreserved / unreserved / escaped. */
    static final int PARAMCHAR = UNRESERVED | PARAM_UNRESERVED;
    /** hname / hvalue characters = hnv-unreserved / unreserved / escaped. */
    static final int HNVCHAR = UNRESERVED | HNV_UNRESERVED;
    /** uric = reserved / unreserved / escaped (RFC 2396, used by absoluteURI). */
    static final int URIC = RESERVED | UNRESERVED;

    private static final short[] CLASSES = new short[256];

    static {
        for (int c = 'a'; c <= 'z'; c++) {
            set(c, ALPHA | TOKEN | UNRESERVED | SCHEME | HOST);
        }
        for (int c = 'A'; c <= 'Z'; c++) {
            set(c, ALPHA | TOKEN | UNRESERVED | SCHEME | HOST);
        }
        for (int c = '0'; c <= '9'; c++) {
            set(c, DIGIT | HEXDIG | TOKEN | UNRESERVED | SCHEME | HOST);
        }
        for (int c : "abcdefABCDEF".toCharArray()) {
            set(c, HEXDIG);
        }
        for (int c : "-.!%*_+`'~".toCharArray()) {
            set(c, TOKEN);
        }
        for (int c : "-_.!~*'()".toCharArray()) {
            set(c, UNRESERVED);
        }
        for (int c : "&=+$,;?/".toCharArray()) {
            set(c, USER_UNRESERVED);
        }
        for (int c : "[]/:&+$".toCharArray()) {
            set(c, PARAM_UNRESERVED);
        }
        for (int c : "[]/?:+$".toCharArray()) {
            set(c, HNV_UNRESERVED);
        }
        for (int c : "&=+$,".toCharArray()) {
            set(c, PASSWORD_EXTRA);
        }
        for (int c : ";/?:@&=+$,".toCharArray()) {
            set(c, RESERVED);
        }
        for (int c : "+-.".toCharArray()) {
            set(c, SCHEME);
        }
        for (int c : "-.()".toCharArray()) {
            set(c, VISUAL_SEPARATOR);
        }
        for (int c : "-.[]:".toCharArray()) {
            set(c, HOST);
        }
        for (int c = 0; c < 128; c++) {
            if (c == '-' || c == '.' || (CLASSES[c] & (ALPHA | DIGIT)) != 0) {
                set(c, HOSTNAME);
            }
        }
    }

    private static void set(int c, int classes) {
        CLASSES[c] |= (short) classes;
    }

    private Abnf() {
    }

    /** The classes byte {@code b} belongs to, as a mask. */
    static int classes(byte b) {
        return CLASSES[b & 0xFF];
    }

    /** Whether byte {@code b} belongs to any of the classes in {@code mask}. */
    static boolean is(int b, int mask) {
        return (CLASSES[b & 0xFF] & mask) != 0;
    }

    /** Whether {@code [start, end)} is a valid range of {@code buf} (so that reading it cannot throw). */
    static boolean inBounds(ByteBuf buf, int start, int end) {
        return buf != null && start >= 0 && start <= end && end <= buf.capacity();
    }

    /** Whether buffer offsets {@code [start, end)} held at {@code bytes[k + offset]} lie within the array. */
    static boolean inBounds(byte[] bytes, int offset, int start, int end) {
        return bytes != null && start <= end && (long) start + offset >= 0 && (long) end + offset <= bytes.length;
    }

    // ---- the bytes the parsers read -------------------------------------------------------------

    /** Scratch arrays up to this size are kept for reuse; longer ranges get a one-off array. */
    private static final int MAX_KEPT_SCRATCH = 8192;

    /**
     * One scratch array per thread: a message is parsed by one event loop at a time, and a parser
     * is done with the copy before it returns (it keeps Strings and offsets, never the array).
     */
    private static final FastThreadLocal<byte[]> SCRATCH = new FastThreadLocal<>() {
        @Override
        protected byte[] initialValue() {
            return new byte[256];
        }
    };

    /**
     * The array the parsers read {@code [start, end)} of {@code buf} from: the buffer's own array
     * when it is a heap buffer (no copy), else a copy of the range in this thread's scratch array.
     * Byte {@code k} of the buffer is byte {@code k + offset(buf, start)} of the array.
     *
     * <p>Why: every {@link ByteBuf#getByte} checks the index and the reference count, and a header
     * parser reads each byte of a value two or three times. One bulk copy of a header value (one
     * check, a memory copy of about a hundred bytes) costs less than the checks it saves.
     * The caller has checked {@link #inBounds}.
     */
    static byte[] array(ByteBuf buf, int start, int end) {
        if (buf.hasArray()) {
            return buf.array();
        }
        int length = end - start;
        byte[] scratch = SCRATCH.get();
        if (length > scratch.length) {
            scratch = new byte[Math.max(length, Math.min(2 * scratch.length, MAX_KEPT_SCRATCH))];
            if (scratch.length <= MAX_KEPT_SCRATCH) {
                SCRATCH.set(scratch);
            }
        }
        buf.getBytes(start, scratch, 0, length);
        return scratch;
    }

    /** Where buffer index 0 is in the array {@link #array} returns for the same arguments. */
    static int offset(ByteBuf buf, int start) {
        return buf.hasArray() ? buf.arrayOffset() : -start;
    }

    // ---- white space (RFC 3261 §25.1) ---------------------------------------------------------

    /** WSP = SP / HTAB. */
    static boolean isWsp(int b) {
        return b == ' ' || b == '\t';
    }

    /**
     * LWS = [*WSP CRLF] 1*WSP. Consumes a run of white space, including folds (CRLF followed by
     * WSP); returns {@code i} when there is none. A CRLF not followed by WSP is left unconsumed.
     */
    static int consumeLws(byte[] a, int i, int end) {
        // most separators have no white space around them: answer that without a loop, in a
        // method small enough to be inlined everywhere
        if (i >= end || (a[i] != ' ' && a[i] != '\t' && a[i] != '\r')) {
            return i;
        }
        return consumeLwsRun(a, i, end);
    }

    private static int consumeLwsRun(byte[] a, int i, int end) {
        int j = i;
        while (j < end) {
            byte b = a[j];
            if (isWsp(b)) {
                j++;
            } else if (b == '\r' && j + 2 < end && a[j + 1] == '\n' && isWsp(a[j + 2])) {
                j += 3;
            } else {
                break;
            }
        }
        return j;
    }

    /** SWS = [LWS]: sep whitespace. The same run as {@link #consumeLws}, which may be empty. */
    static int consumeSws(byte[] a, int i, int end) {
        return consumeLws(a, i, end);
    }

    /** Like {@link #consumeLws} but at least one white space character must be there. */
    static int expectLws(byte[] a, int i, int end) {
        int j = consumeLws(a, i, end);
        return j == i ? -1 : j;
    }

    /** {@code SWS c SWS}: the RFC 3261 separators SLASH, SEMI, EQUAL, COLON, COMMA. */
    static int expectSeparator(byte[] a, int i, int end, char c) {
        int j = consumeSws(a, i, end);
        if (j >= end || a[j] != c) {
            return -1;
        }
        return consumeSws(a, j + 1, end);
    }

    /** SLASH = SWS "/" SWS. */
    static int expectSlash(byte[] a, int i, int end) {
        return expectSeparator(a, i, end, '/');
    }

    /** SEMI = SWS ";" SWS. */
    static int expectSemi(byte[] a, int i, int end) {
        return expectSeparator(a, i, end, ';');
    }

    /** EQUAL = SWS "=" SWS. */
    static int expectEqual(byte[] a, int i, int end) {
        return expectSeparator(a, i, end, '=');
    }

    /** COLON = SWS ":" SWS. */
    static int expectColon(byte[] a, int i, int end) {
        return expectSeparator(a, i, end, ':');
    }

    /** HCOLON = *( SP / HTAB ) ":" SWS. */
    static int expectHcolon(byte[] a, int i, int end) {
        int j = i;
        while (j < end && isWsp(a[j])) {
            j++;
        }
        if (j >= end || a[j] != ':') {
            return -1;
        }
        return consumeSws(a, j + 1, end);
    }

    /** LAQUOT = SWS "&lt;". */
    static int expectLaquot(byte[] a, int i, int end) {
        int j = consumeSws(a, i, end);
        return j < end && a[j] == '<' ? j + 1 : -1;
    }

    /** RAQUOT = "&gt;" SWS. */
    static int expectRaquot(byte[] a, int i, int end) {
        return i < end && a[i] == '>' ? consumeSws(a, i + 1, end) : -1;
    }

    // ---- tokens and quoted strings ------------------------------------------------------------

    /** Consumes a run of bytes of the classes in {@code mask}. */
    static int consumeRun(byte[] a, int i, int end, int mask) {
        int j = i;
        while (j < end && (CLASSES[a[j] & 0xFF] & mask) != 0) {
            j++;
        }
        return j;
    }

    /** token = 1*(alphanum / "-" / "." / "!" / "%" / "*" / "_" / "+" / "`" / "'" / "~"); may be empty here. */
    static int consumeToken(byte[] a, int i, int end) {
        return consumeRun(a, i, end, TOKEN);
    }

    /** A token of at least one character, or -1. */
    static int expectToken(byte[] a, int i, int end) {
        int j = consumeToken(a, i, end);
        return j == i ? -1 : j;
    }

    /** 1*DIGIT, or -1. */
    static int expectDigits(byte[] a, int i, int end) {
        int j = consumeRun(a, i, end, DIGIT);
        return j == i ? -1 : j;
    }

    /**
     * quoted-string = SWS DQUOTE *(qdtext / quoted-pair ) DQUOTE, without the leading SWS:
     * returns {@code i} when {@code i} is not a DQUOTE, the index after the closing DQUOTE, or -1
     * when the string is unterminated or holds a byte that is neither qdtext nor a quoted-pair.
     *
     * <pre>
     * qdtext      = LWS / %x21 / %x23-5B / %x5D-7E / UTF8-NONASCII
     * quoted-pair = "\" (%x00-09 / %x0B-0C / %x0E-7F)
     * </pre>
     * UTF8-NONASCII is accepted as any byte from 0x80 (its well-formedness is the decoder's
     * concern, not the framing's).
     */
    static int consumeQuotedString(byte[] a, int i, int end) {
        if (i >= end || a[i] != '"') {
            return i;
        }
        int j = i + 1;
        while (j < end) {
            int b = a[j] & 0xFF;
            if (b == '"') {
                return j + 1;
            } else if (b == '\\') {
                if (j + 1 >= end) {
                    return -1;
                }
                int q = a[j + 1] & 0xFF;
                if (q > 0x7F || q == '\r' || q == '\n') {
                    return -1;
                }
                j += 2;
            } else if (b == ' ' || b == '\t' || b >= 0x21 && b != 0x7F) {
                j++;
            } else if (b == '\r') {
                int k = consumeLws(a, j, end);
                if (k == j) {
                    return -1;
                }
                j = k;
            } else {
                return -1;
            }
        }
        return -1;
    }

    /**
     * Consumes a run of the classes in {@code mask} where "%" HEXDIG HEXDIG escapes also count
     * (escaped = "%" HEXDIG HEXDIG); -1 when a "%" is not followed by two hex digits.
     */
    static int consumeEscapedRun(byte[] a, int i, int end, int mask) {
        int j = i;
        while (j < end) {
            byte b = a[j];
            if (b == '%') {
                if (j + 2 >= end) {
                    return -1;
                }
                if (!is(a[j + 1], HEXDIG) || !is(a[j + 2], HEXDIG)) {
                    return -1;
                }
                j += 3;
            } else if (is(b, mask)) {
                j++;
            } else {
                break;
            }
        }
        return j;
    }

    /** The value of a hex digit, or -1. */
    static int hexValue(int b) {
        if (b >= '0' && b <= '9') {
            return b - '0';
        }
        if (b >= 'a' && b <= 'f') {
            return b - 'a' + 10;
        }
        if (b >= 'A' && b <= 'F') {
            return b - 'A' + 10;
        }
        return -1;
    }

    /**
     * Decodes "%" HEXDIG HEXDIG escapes of an already validated string, reading the result as
     * UTF-8; returns {@code s} itself when it has no escapes. An escape that is not two hex digits
     * is copied as it is.
     */
    static String unescape(String s) {
        int pct = s.indexOf('%');
        if (pct < 0) {
            return s;
        }
        byte[] out = new byte[s.length()];
        int n = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '%' && i + 2 < s.length() && hexValue(s.charAt(i + 1)) >= 0 && hexValue(s.charAt(i + 2)) >= 0) {
                out[n++] = (byte) (hexValue(s.charAt(i + 1)) << 4 | hexValue(s.charAt(i + 2)));
                i += 2;
            } else {
                out[n++] = (byte) c;
            }
        }
        return new String(out, 0, n, StandardCharsets.UTF_8);
    }

    // ---- numbers ------------------------------------------------------------------------------

    /**
     * The decimal value of {@code [start, end)}, all digits, or -1 when it is empty, holds a
     * non-digit or exceeds {@code max}. Leading zeros are allowed ("0068").
     */
    static long decimal(byte[] a, int start, int end, long max) {
        if (start >= end) {
            return -1;
        }
        long v = 0;
        for (int j = start; j < end; j++) {
            byte b = a[j];
            if (b < '0' || b > '9') {
                return -1;
            }
            v = v * 10 + (b - '0');
            if (v > max) {
                return -1;
            }
        }
        return v;
    }

    /** port = 1*DIGIT, 0..65535; -1 when not. */
    static int port(byte[] a, int start, int end) {
        return (int) decimal(a, start, end, 65535);
    }

    // ---- hosts (RFC 3261 §25.1, RFC 5118) ----------------------------------------------------

    /**
     * host = hostname / IPv4address / IPv6reference. Returns the index after the host that starts
     * at {@code i}, or -1 when no valid host starts there. An IPv6reference ends at its "]"; any
     * other host at the first byte that cannot be part of a hostname, so "h:5060" yields the index
     * of the ":".
     *
     * <pre>
     * hostname    = *( domainlabel "." ) toplabel [ "." ]
     * domainlabel = alphanum / alphanum *( alphanum / "-" ) alphanum
     * toplabel    = ALPHA / ALPHA *( alphanum / "-" ) alphanum
     * </pre>
     */
    static int consumeHost(byte[] a, int i, int end) {
        if (i >= end) {
            return -1;
        }
        if (a[i] == '[') {
            int close = indexOf(a, i + 1, end, (byte) ']');
            return close > 0 && isIpv6Address(a, i + 1, close) ? close + 1 : -1;
        }
        // one pass over the hostname characters (alphanum, "-", "."), checking the labels as they
        // end: no label is empty or starts or ends with "-", which no IPv4address has either
        int j = i;
        int labelStart = i;
        int previousLabelStart = i;
        boolean labelsOk = true;
        while (j < end) {
            byte b = a[j];
            if (b == '.') {
                labelsOk &= j > labelStart && a[j - 1] != '-';
                previousLabelStart = labelStart;
                labelStart = j + 1;
            } else if (b == '-') {
                labelsOk &= j > labelStart;
            } else if (!is(b, ALPHANUM)) {
                break;
            }
            j++;
        }
        if (j == i || !labelsOk) {
            return -1;
        }
        // hostname = *( domainlabel "." ) toplabel [ "." ]
        boolean trailingDot = a[j - 1] == '.';
        int top = trailingDot ? previousLabelStart : labelStart;
        int topEnd = trailingDot ? j - 1 : j;
        if (topEnd == top || a[topEnd - 1] == '-') {
            return -1;
        }
        // toplabel starts with ALPHA, which tells a hostname from an IPv4address
        return is(a[top], ALPHA) || isIpv4Address(a, i, j) ? j : -1;
    }

    /** Whether {@code [start, end)} is exactly a host (hostname / IPv4address / IPv6reference). */
    static boolean isHost(byte[] a, int start, int end) {
        return start < end && consumeHost(a, start, end) == end;
    }

    /** Whether {@code [start, end)} is "[" IPv6address "]". */
    static boolean isIpv6Reference(byte[] a, int start, int end) {
        return end - start >= 4 && a[start] == '[' && a[end - 1] == ']'
                && isIpv6Address(a, start + 1, end - 1);
    }

    /** IPv4address = 1*3DIGIT "." 1*3DIGIT "." 1*3DIGIT "." 1*3DIGIT, each at most 255. */
    static boolean isIpv4Address(byte[] a, int start, int end) {
        int j = start;
        for (int part = 0; part < 4; part++) {
            if (part > 0) {
                if (j >= end || a[j] != '.') {
                    return false;
                }
                j++;
            }
            int digitsStart = j;
            int value = 0;
            while (j < end && j - digitsStart < 3 && a[j] >= '0' && a[j] <= '9') {
                value = value * 10 + (a[j] - '0');
                j++;
            }
            if (j == digitsStart || value > 255) {
                return false;
            }
        }
        return j == end;
    }

    /**
     * IPv6address as RFC 3261 writes it: {@code hexpart [ ":" IPv4address ]}, hexpart = hexseq /
     * hexseq "::" [ hexseq ] / "::" [ hexseq ], hex4 = 1*4HEXDIG; at most eight 16-bit groups (an
     * IPv4 tail counts two), exactly eight without "::".
     *
     * <p>RFC 5118 §4.9-4.10: the RFC 3261 grammar makes {@code 2001:db8:::192.0.2.1} (three colons
     * before the IPv4 tail) valid while RFC 4291 writes {@code 2001:db8::192.0.2.1}; both are
     * accepted, as RFC 5118 asks parsers to be liberal here.
     */
    static boolean isIpv6Address(byte[] a, int start, int end) {
        if (end - start < 2) {
            return false;
        }
        int j = start;
        int groups = 0;
        boolean compressed = false;
        boolean ipv4Next = false;
        if (a[j] == ':') {
            if (a[j + 1] != ':') {
                return false;
            }
            compressed = true;
            j += 2;
            if (j < end && a[j] == ':') {
                j++;
                ipv4Next = true;
            }
            if (j == end) {
                return !ipv4Next;
            }
        }
        while (true) {
            // an IPv4 tail is the last piece: no ':' after it, a '.' in it
            if (indexOf(a, j, end, (byte) ':') < 0 && indexOf(a, j, end, (byte) '.') >= 0) {
                if (!isIpv4Address(a, j, end)) {
                    return false;
                }
                groups += 2;
                break;
            }
            if (ipv4Next) {
                return false;
            }
            int h = consumeRun(a, j, Math.min(end, j + 5), HEXDIG);
            if (h == j || h - j > 4) {
                return false;
            }
            groups++;
            j = h;
            if (j == end) {
                break;
            }
            if (a[j] != ':' || j + 1 == end) {
                return false;
            }
            j++;
            if (a[j] == ':') {
                if (compressed) {
                    return false;
                }
                compressed = true;
                j++;
                if (j < end && a[j] == ':') {
                    j++;
                    ipv4Next = true;
                }
                if (j == end) {
                    if (ipv4Next) {
                        return false;
                    }
                    break;
                }
            }
        }
        return compressed ? groups <= 7 : groups == 8;
    }

    // ---- misc ---------------------------------------------------------------------------------

    /** The index of the first {@code b} in {@code [start, end)}, or -1 (eight bytes at a time). */
    static int indexOf(byte[] a, int start, int end, byte b) {
        return ByteArrays.indexOf(a, start, end, b);
    }

    static int toLower(int c) {
        return c >= 'A' && c <= 'Z' ? c + ('a' - 'A') : c;
    }

    /**
     * {@code [start, end)} as a string. Every caller has matched the range against an ASCII
     * character class of the grammar, so ISO-8859-1 decodes it exactly as US-ASCII would, without
     * looking for bytes from 0x80 first.
     */
    static String ascii(byte[] a, int start, int end) {
        return new String(a, start, end - start, StandardCharsets.ISO_8859_1);
    }

    /** {@code [start, end)} as a lower-case ASCII string; a {@code known} string is returned without copying. */
    static String asciiLower(byte[] a, int start, int end, Words known) {
        String k = known.find(a, start, end);
        return k != null ? k : asciiLower(a, start, end);
    }

    /**
     * Whether ASCII {@code [start, end)} holds a letter from A to Z, eight bytes at a time: for a
     * byte below 0x80, adding 0x3F sets its high bit from 'A' on and adding 0x25 from past 'Z'
     * on, and neither sum carries into the next byte.
     */
    static boolean hasUpperCase(byte[] a, int start, int end) {
        int k = start;
        for (; k + Long.BYTES <= end; k += Long.BYTES) {
            long x = ByteArrays.longAt(a, k);
            if (((x + 0x3F3F_3F3F_3F3F_3F3FL) & ~(x + 0x2525_2525_2525_2525L) & 0x8080_8080_8080_8080L) != 0) {
                return true;
            }
        }
        for (; k < end; k++) {
            if (a[k] >= 'A' && a[k] <= 'Z') {
                return true;
            }
        }
        return false;
    }

    /** {@code [start, end)}, ASCII characters of the grammar (see {@link #ascii}), as a lower-case string. */
    static String asciiLower(byte[] a, int start, int end) {
        if (!hasUpperCase(a, start, end)) {
            return ascii(a, start, end); // already lower case, the usual host
        }
        byte[] lower = new byte[end - start];
        for (int k = start; k < end; k++) {
            lower[k - start] = (byte) toLower(a[k]);
        }
        return new String(lower, StandardCharsets.ISO_8859_1);
    }

    /** {@code [start, end)} as an upper-case ASCII string; a {@code known} string is returned without copying. */
    static String asciiUpper(byte[] a, int start, int end, Words known) {
        String k = known.find(a, start, end);
        return k != null ? k : Ascii.toUpperCase(ascii(a, start, end));
    }

    /** {@code [start, end)} as a string, the exact {@code known} string when the bytes match it. */
    static String asciiExact(byte[] a, int start, int end, String known) {
        if (end - start == known.length()) {
            boolean same = true;
            for (int j = 0; j < known.length() && same; j++) {
                same = a[start + j] == known.charAt(j);
            }
            if (same) {
                return known;
            }
        }
        return ascii(a, start, end);
    }

    /** Packs a byte range into one long: {@code start << 32 | end}. */
    static long pack(int start, int end) {
        return (long) start << 32 | (end & 0xFFFFFFFFL);
    }

    /**
     * A few ASCII words (parameter names, schemes, transports), found by bytes ignoring ASCII
     * case without creating a String: {@link #find} returns the word as it was given.
     */
    static final class Words {

        /** The words by length, as Strings and as bytes. */
        private final String[][] strings;
        private final byte[][][] bytes;

        Words(String... words) {
            int max = 0;
            for (String w : words) {
                max = Math.max(max, w.length());
            }
            strings = new String[max + 1][];
            bytes = new byte[max + 1][][];
            for (int len = 0; len <= max; len++) {
                final int l = len;
                strings[len] = java.util.Arrays.stream(words).filter(w -> w.length() == l).toArray(String[]::new);
                bytes[len] = java.util.Arrays.stream(strings[len])
                        .map(w -> w.getBytes(StandardCharsets.US_ASCII)).toArray(byte[][]::new);
            }
        }

        /** The word {@code [start, end)} spells in any case, or null. */
        String find(byte[] a, int start, int end) {
            int len = end - start;
            if (len >= bytes.length) {
                return null;
            }
            byte[][] candidates = bytes[len];
            outer:
            for (int c = 0; c < candidates.length; c++) {
                byte[] w = candidates[c];
                for (int k = 0; k < len; k++) {
                    int x = a[start + k];
                    int y = w[k];
                    if (x != y && toLower(x) != toLower(y)) {
                        continue outer;
                    }
                }
                return strings[len][c];
            }
            return null;
        }
    }
}


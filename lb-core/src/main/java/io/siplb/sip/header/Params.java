package io.siplb.sip.header;

import com.google.common.base.Ascii;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * An immutable, ordered list of {@code ;name[=value]} parameters: header parameters (Via,
 * From/To/Contact, RFC 3261 generic-param), SIP URI parameters, or tel URI parameters.
 *
 * <p>Names are lower-cased (parameter names are case-insensitive, RFC 3261 §7.3.1, §19.1.4; an
 * escaped URI parameter name such as {@code %6C%72} is unescaped to {@code lr}). Values are kept
 * as written: a quoted-string value keeps its quotes, an escaped URI value keeps its escapes.
 * {@link #get} returns {@code null} for an absent parameter and {@code ""} for one without a
 * value. Each parameter also keeps the absolute byte range of its {@code ;name[=value]} text in
 * the buffer it was parsed from, for an editor that rewrites it.
 *
 * <p>A poor fit for parameters whose values need interpretation: that is the job of the typed
 * accessors of {@link Via}, {@link SipUri} and {@link NameAddr}. Duplicate names are kept; the
 * lookups return the first.
 */
public final class Params {

    static final Params EMPTY = new Params(new String[0], new long[0], 0);

    /** Names returned without allocation, and the ones the typed accessors look up. */
    private static final Abnf.Words KNOWN_NAMES = new Abnf.Words(
        "branch", "received", "rport", "maddr", "ttl", "tag", "lr", "transport", "user", "method",
        "ob", "expires", "q", "comp", "alias", "sigcomp-id", "phone-context", "isub", "ext", "gr");

    /** Room for two parameters at first (most headers have one or two); doubled when full. */
    private static final int FIRST_CAPACITY = 2;

    /** Name of parameter i at [2i], its value at [2i + 1]. */
    private final String[] namesAndValues;
    /**
     * The packed ranges; the sign bit, which no packed range has, marks a header parameter whose
     * value is a token (for {@link Via}'s checks) and is masked off by every accessor.
     */
    private final long[] ranges;
    private final int size;

    private Params(String[] namesAndValues, long[] ranges, int size) {
        this.namesAndValues = namesAndValues;
        this.ranges = ranges;
        this.size = size;
    }

    /** The number of parameters. */
    public int size() {
        return size;
    }

    /** Whether there are no parameters. */
    public boolean isEmpty() {
        return size == 0;
    }

    /** The lower-case name of parameter {@code i}. */
    public String name(int i) {
        return namesAndValues[2 * checkIndex(i)];
    }

    /** The value of parameter {@code i} as written, {@code ""} when it has none. */
    public String value(int i) {
        return namesAndValues[2 * checkIndex(i) + 1];
    }

    /** The packed byte range ({@code start << 32 | end}) of parameter {@code i}'s {@code ;name[=value]}. */
    public long range(int i) {
        return ranges[checkIndex(i)] & ~TOKEN_RANGE;
    }

    /** The value of the first parameter called {@code name} (any case), {@code ""} without value, null when absent. */
    public String get(String name) {
        int i = indexOf(name);
        return i < 0 ? null : namesAndValues[2 * i + 1];
    }

    /** Whether a parameter called {@code name} (any case) is present. */
    public boolean has(String name) {
        return indexOf(name) >= 0;
    }

    /**
     * The packed byte range ({@code start << 32 | end}) of the first {@code ;name[=value]} called
     * {@code name}, from its ";" to the end of its value, or -1 when absent.
     */
    public long rangeOf(String name) {
        int i = indexOf(name);
        return i < 0 ? -1 : ranges[i] & ~TOKEN_RANGE;
    }

    /** The index of the first parameter called {@code name} (any case), or -1. */
    public int indexOf(String name) {
        for (int i = 0; i < size; i++) {
            // known names are the constants above, so a lookup by a literal usually matches by identity
            String n = namesAndValues[2 * i];
            if (n == name || n.equalsIgnoreCase(name)) {
                return i;
            }
        }
        return -1;
    }

    private int checkIndex(int i) {
        if (i < 0 || i >= size) {
            throw outOfRange(i);
        }
        return i;
    }

    // the message is built out of line, so that checkIndex stays small enough to be inlined
    private IndexOutOfBoundsException outOfRange(int i) {
        return new IndexOutOfBoundsException("parameter index: " + i + " (expected: 0 ~ " + (size - 1) + ")");
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < size; i++) {
            sb.append(';').append(namesAndValues[2 * i]);
            if (!namesAndValues[2 * i + 1].isEmpty()) {
                sb.append('=').append(namesAndValues[2 * i + 1]);
            }
        }
        return sb.toString();
    }

    // ---- parsing --------------------------------------------------------------------------------

    /**
     * Header parameters, RFC 3261 {@code *( SEMI generic-param )} with {@code generic-param = token
     * [ EQUAL gen-value ]} and {@code gen-value = token / host / quoted-string}, from {@code i} to
     * exactly {@code end} (trailing LWS allowed). An unbracketed IPv6address is accepted as a value
     * too, because RFC 5118 §4.5 shows {@code received=2001:db8::9:255}. Null when malformed,
     * including an empty parameter (";;" or a trailing ";").
     */
    static Params parseHeaderParams(byte[] a, int i, int end, int off) {
        String[] namesAndValues = null;
        long[] ranges = null;
        int size = 0;
        int j = i;
        while (true) {
            j = Abnf.consumeSws(a, j, end);
            if (j == end) {
                return size == 0 ? EMPTY : new Params(namesAndValues, ranges, size);
            }
            if (a[j] != ';') {
                return null;
            }
            int semi = j;
            int nameStart = Abnf.consumeSws(a, j + 1, end);
            int nameEnd = Abnf.expectToken(a, nameStart, end);
            if (nameEnd < 0) {
                return null;
            }
            int k = Abnf.consumeSws(a, nameEnd, end);
            int valueStart = -1;
            int valueEnd = -1;
            long token = 0;
            if (k < end && a[k] == '=') {
                valueStart = Abnf.consumeSws(a, k + 1, end);
                long genValue = consumeGenValue(a, valueStart, end);
                valueEnd = (int) genValue;
                if (valueEnd <= valueStart) {
                    return null;
                }
                if ((genValue & TOKEN_VALUE) != 0) {
                    token = TOKEN_RANGE;
                }
                j = valueEnd;
            } else {
                j = nameEnd;
            }
            // no builder object: the arrays grow here, and the Params takes them as they are
            if (ranges == null) {
                namesAndValues = new String[2 * FIRST_CAPACITY];
                ranges = new long[FIRST_CAPACITY];
            } else if (size == ranges.length) {
                namesAndValues = Arrays.copyOf(namesAndValues, 4 * size);
                ranges = Arrays.copyOf(ranges, 2 * size);
            }
            namesAndValues[2 * size] = name(a, nameStart, nameEnd);
            namesAndValues[2 * size + 1] = valueStart < 0 ? "" : valueString(a, valueStart, valueEnd);
            ranges[size++] = Abnf.pack(semi - off, j - off) | token;
        }
    }

    /** Set in {@link #consumeGenValue}'s answer when the value is a token. */
    private static final long TOKEN_VALUE = 1L << 32;

    /**
     * gen-value = token / host / quoted-string (and a bare IPv6address): the index after it or
     * -1, with {@link #TOKEN_VALUE} set when it is a token (which the run that finds it tells).
     */
    private static long consumeGenValue(byte[] a, int i, int end) {
        if (i >= end) {
            return -1;
        }
        if (a[i] == '"') {
            return Abnf.consumeQuotedString(a, i, end);
        }
        int j = i;
        boolean token = true;
        while (j < end) {
            int classes = Abnf.classes(a[j]);
            if ((classes & (Abnf.TOKEN | Abnf.HOST)) == 0) {
                break;
            }
            token &= (classes & Abnf.TOKEN) != 0;
            j++;
        }
        if (j == i) {
            return -1;
        }
        if (token) {
            return j | TOKEN_VALUE;
        }
        return Abnf.isHost(a, i, j) || Abnf.isIpv6Address(a, i, j) ? j : -1;
    }

    /** Marks a token value in {@link #ranges}. */
    private static final long TOKEN_RANGE = Long.MIN_VALUE;

    /** Whether header parameter {@code i} has a value and it is a token. */
    boolean valueIsToken(int i) {
        return ranges[checkIndex(i)] < 0;
    }

    /** A parameter name in lower case, a {@link #KNOWN_NAMES} constant when it is one of them. */
    private static String name(byte[] a, int start, int end) {
        return Abnf.asciiLower(a, start, end, KNOWN_NAMES);
    }

    private static String valueString(byte[] a, int start, int end) {
        // quoted-strings may carry UTF-8 (RFC 3261 §25.1 UTF8-NONASCII); everything else is ASCII
        return a[start] == '"'
                ? new String(a, start, end - start, StandardCharsets.UTF_8)
                : Abnf.ascii(a, start, end);
    }

    /**
     * SIP URI parameters, RFC 3261 {@code *( ";" uri-parameter )} with {@code other-param = pname
     * [ "=" pvalue ]}, {@code pname = 1*paramchar}, {@code pvalue = 1*paramchar}; no white space.
     * Returns the parameters, which end at the end of the last one's range (at a "?" or {@code
     * end}; see {@link #end}), or null when malformed.
     */
    static Params parseUriParams(byte[] a, int i, int end, int off) {
        return parseUriLike(a, i, end, off, Abnf.PARAMCHAR, true);
    }

    /**
     * tel URI parameters (RFC 3966): {@code ";" pname ["=" pvalue]}, {@code pname = 1*( alphanum
     * / "-" )}, {@code pvalue = 1*paramchar}. Like {@link #parseUriParams}.
     */
    static Params parseTelParams(byte[] a, int i, int end, int off) {
        return parseUriLike(a, i, end, off, Abnf.ALPHANUM, false);
    }

    /** The array index after the last parameter ({@code off} as given to the parser), or {@code ifNone}. */
    int end(int off, int ifNone) {
        return size == 0 ? ifNone : (int) ranges[size - 1] + off;
    }

    private static Params parseUriLike(byte[] a, int i, int end, int off, int nameMask, boolean escapedNames) {
        String[] namesAndValues = null;
        long[] ranges = null;
        int size = 0;
        int j = i;
        while (j < end && a[j] == ';') {
            int semi = j;
            int nameStart = j + 1;
            int nameEnd = escapedNames
                    ? Abnf.consumeEscapedRun(a, nameStart, end, nameMask)
                    : consumeTelName(a, nameStart, end);
            if (nameEnd <= nameStart) {
                return null;
            }
            j = nameEnd;
            String value = "";
            if (j < end && a[j] == '=') {
                int valueEnd = Abnf.consumeEscapedRun(a, j + 1, end, Abnf.PARAMCHAR);
                if (valueEnd <= j + 1) {
                    return null;
                }
                value = Abnf.ascii(a, j + 1, valueEnd);
                j = valueEnd;
            }
            String name = name(a, nameStart, nameEnd);
            if (escapedNames && name.indexOf('%') >= 0) {
                // RFC 3261 §19.1.4: escaped and unescaped characters compare equal (RFC 4475 esc01 "%6C%72")
                name = Ascii.toLowerCase(Abnf.unescape(name));
            }
            if (ranges == null) {
                namesAndValues = new String[2 * FIRST_CAPACITY];
                ranges = new long[FIRST_CAPACITY];
            } else if (size == ranges.length) {
                namesAndValues = Arrays.copyOf(namesAndValues, 4 * size);
                ranges = Arrays.copyOf(ranges, 2 * size);
            }
            namesAndValues[2 * size] = name;
            namesAndValues[2 * size + 1] = value;
            ranges[size++] = Abnf.pack(semi - off, j - off);
        }
        return size == 0 ? EMPTY : new Params(namesAndValues, ranges, size);
    }

    private static int consumeTelName(byte[] a, int i, int end) {
        int j = i;
        while (j < end) {
            byte c = a[j];
            if (c == '-' || Abnf.is(c, Abnf.ALPHANUM)) {
                j++;
            } else {
                break;
            }
        }
        return j;
    }
}

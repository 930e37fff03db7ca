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

    static final Params EMPTY = new Params(new String[0], new String[0], new long[0], 0);

    /** Names returned without allocation, and the ones the typed accessors look up. */
    private static final String[] KNOWN_NAMES = {
        "branch", "received", "rport", "maddr", "ttl", "tag", "lr", "transport", "user", "method",
        "ob", "expires", "q", "comp", "alias", "sigcomp-id", "phone-context", "isub", "ext", "gr",
    };

    /** {@link #KNOWN_NAMES} by length, so that a name is compared with few of them. */
    private static final String[][] KNOWN_BY_LENGTH = byLength(KNOWN_NAMES);

    private final String[] names;
    private final String[] values;
    private final long[] ranges;
    private final int size;

    private Params(String[] names, String[] values, long[] ranges, int size) {
        this.names = names;
        this.values = values;
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
        return names[checkIndex(i)];
    }

    /** The value of parameter {@code i} as written, {@code ""} when it has none. */
    public String value(int i) {
        return values[checkIndex(i)];
    }

    /** The packed byte range ({@code start << 32 | end}) of parameter {@code i}'s {@code ;name[=value]}. */
    public long range(int i) {
        return ranges[checkIndex(i)];
    }

    /** The value of the first parameter called {@code name} (any case), {@code ""} without value, null when absent. */
    public String get(String name) {
        int i = indexOf(name);
        return i < 0 ? null : values[i];
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
        return i < 0 ? -1 : ranges[i];
    }

    /** The index of the first parameter called {@code name} (any case), or -1. */
    public int indexOf(String name) {
        for (int i = 0; i < size; i++) {
            // known names are the constants above, so a lookup by a literal usually matches by identity
            if (names[i] == name || names[i].equalsIgnoreCase(name)) {
                return i;
            }
        }
        return -1;
    }

    private int checkIndex(int i) {
        if (i < 0 || i >= size) {
            throw new IndexOutOfBoundsException("parameter index: " + i + " (expected: 0 ~ " + (size - 1) + ")");
        }
        return i;
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < size; i++) {
            sb.append(';').append(names[i]);
            if (!values[i].isEmpty()) {
                sb.append('=').append(values[i]);
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
        Builder b = null;
        int j = i;
        while (true) {
            j = Abnf.consumeSws(a, j, end);
            if (j == end) {
                return b == null ? EMPTY : b.build();
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
            if (k < end && a[k] == '=') {
                valueStart = Abnf.consumeSws(a, k + 1, end);
                valueEnd = consumeGenValue(a, valueStart, end);
                if (valueEnd <= valueStart) {
                    return null;
                }
                j = valueEnd;
            } else {
                j = nameEnd;
            }
            if (b == null) {
                b = new Builder();
            }
            b.add(name(a, nameStart, nameEnd),
                    valueStart < 0 ? "" : valueString(a, valueStart, valueEnd), Abnf.pack(semi - off, j - off));
        }
    }

    /** gen-value = token / host / quoted-string (and a bare IPv6address); the index after it or -1. */
    private static int consumeGenValue(byte[] a, int i, int end) {
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
            return j;
        }
        return Abnf.isHost(a, i, j) || Abnf.isIpv6Address(a, i, j) ? j : -1;
    }

    /** A parameter name in lower case, a {@link #KNOWN_NAMES} constant when it is one of them. */
    private static String name(byte[] a, int start, int end) {
        int length = end - start;
        return length < KNOWN_BY_LENGTH.length
                ? Abnf.asciiLower(a, start, end, KNOWN_BY_LENGTH[length])
                : Abnf.asciiLower(a, start, end);
    }

    private static String[][] byLength(String[] names) {
        int max = 0;
        for (String n : names) {
            max = Math.max(max, n.length());
        }
        String[][] byLength = new String[max + 1][];
        for (int len = 0; len <= max; len++) {
            final int l = len;
            byLength[len] = Arrays.stream(names).filter(n -> n.length() == l).toArray(String[]::new);
        }
        return byLength;
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
        Builder b = null;
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
            if (b == null) {
                b = new Builder();
            }
            b.add(name, value, Abnf.pack(semi - off, j - off));
        }
        return b == null ? EMPTY : b.build();
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

    private static final class Builder {
        private String[] names = new String[4];
        private String[] values = new String[4];
        private long[] ranges = new long[4];
        private int size;

        void add(String name, String value, long range) {
            if (size == names.length) {
                names = Arrays.copyOf(names, size * 2);
                values = Arrays.copyOf(values, size * 2);
                ranges = Arrays.copyOf(ranges, size * 2);
            }
            names[size] = name;
            values[size] = value;
            ranges[size] = range;
            size++;
        }

        Params build() {
            return new Params(names, values, ranges, size);
        }
    }
}

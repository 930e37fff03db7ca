package io.siplb.sip.header;

import io.netty.buffer.ByteBuf;

/**
 * A URI as SIP carries it in a Request-URI or a name-addr: a SIP or SIPS URI (RFC 3261 §19.1), a
 * tel URI (RFC 3966), or any other absoluteURI kept opaque (RFC 3261 §25.1; RFC 4475 §3.1.1.12
 * unkscm shows such a URI must parse).
 *
 * <pre>
 * SIP-URI  = "sip:" [ userinfo ] hostport uri-parameters [ headers ]
 * userinfo = ( user / telephone-subscriber ) [ ":" password ] "@"
 * tel-URI  = "tel:" ( global-number / local-number ) *par
 * </pre>
 *
 * <p>What routing reads is materialised at parse time: the user as written (escapes kept; see
 * {@link #userUnescaped()}), the host lower-cased (an IPv6 reference keeps its brackets), the port
 * and the parameters. Offsets are absolute indices into the buffer the URI was parsed from.
 *
 * <p>Poor fits: the URI must span its range exactly (no surrounding or inner white space, which
 * RFC 3261 does not allow in a URI); a tel URI's local number is accepted without the
 * {@code phone-context} RFC 3966 requires, since it changes nothing for routing; URI parameter
 * values and header values are kept escaped.
 */
public final class SipUri {

    /** The URI scheme. */
    public enum Scheme {
        /** {@code sip:} (RFC 3261 §19.1). */
        SIP,
        /** {@code sips:} (RFC 3261 §19.1). */
        SIPS,
        /** {@code tel:} (RFC 3966). */
        TEL,
        /** Any other scheme, parsed as an opaque absoluteURI. */
        OTHER
    }

    private static final Abnf.Words SCHEMES = new Abnf.Words("sip", "sips", "tel");

    private final Scheme scheme;
    private final String schemeName;
    private final String user;
    private final String password;
    private final String host;
    private final int port;
    private final Params params;
    private final int headersStart;
    private final String number;
    private final String opaque;
    private final int start;
    private final int end;
    private final int hostStart;
    private final int hostEnd;

    private SipUri(Scheme scheme, String schemeName, String user, String password, String host, int port,
                   Params params, int headersStart, String number, String opaque,
                   int start, int end, int hostStart, int hostEnd) {
        this.scheme = scheme;
        this.schemeName = schemeName;
        this.user = user;
        this.password = password;
        this.host = host;
        this.port = port;
        this.params = params;
        this.headersStart = headersStart;
        this.number = number;
        this.opaque = opaque;
        this.start = start;
        this.end = end;
        this.hostStart = hostStart;
        this.hostEnd = hostEnd;
    }

    /**
     * Parses a URI spanning exactly {@code [start, end)}; null when malformed: white space
     * anywhere, an empty host, an unbracketed IPv6 host in a SIP URI (RFC 5118 §4.2), a port
     * above 65535, a "%" not followed by two hex digits, an empty parameter. Never throws and
     * reads nothing outside the range.
     */
    public static SipUri parse(ByteBuf buf, int start, int end) {
        if (!Abnf.inBounds(buf, start, end)) {
            return null;
        }
        int off = Abnf.offset(buf, start);
        return parseArray(Abnf.array(buf, start, end), start + off, end + off, off);
    }

    /**
     * Like {@link #parse(ByteBuf, int, int)}, reading the buffer's bytes from an array: byte
     * {@code k} of the buffer is {@code bytes[k + offset]}. {@code [start, end)} are buffer
     * offsets, and so are the offsets of the result. For the codec, which may hold a message's
     * bytes in an array already.
     */
    public static SipUri parseBytes(byte[] bytes, int offset, int start, int end) {
        return Abnf.inBounds(bytes, offset, start, end) ? parseArray(bytes, start + offset, end + offset, offset) : null;
    }

    /**
     * {@link #parse(ByteBuf, int, int)} on array indices ({@code [start, end)} within {@code a});
     * {@code off} maps buffer offsets to array indices, and the offsets kept are buffer offsets.
     */
    static SipUri parseArray(byte[] a, int start, int end, int off) {
        if (start == end || !Abnf.is(a[start], Abnf.ALPHA)) {
            return null;
        }
        int colon = Abnf.consumeRun(a, start, end, Abnf.SCHEME);
        if (colon >= end || a[colon] != ':') {
            return null;
        }
        String schemeName = Abnf.asciiLower(a, start, colon, SCHEMES);
        switch (schemeName) {
            case "sip":
                return parseSip(a, off, start, end, colon + 1, Scheme.SIP, schemeName);
            case "sips":
                return parseSip(a, off, start, end, colon + 1, Scheme.SIPS, schemeName);
            case "tel":
                return parseTel(a, off, start, end, colon + 1);
            default:
                return parseOpaque(a, off, start, end, colon + 1, schemeName);
        }
    }

    private static SipUri parseSip(byte[] a, int off, int start, int end, int i, Scheme scheme, String schemeName) {
        String user = null;
        String password = null;
        int hostStart = i;
        // user and password cannot hold an unescaped "@", nor can anything after the host, so the
        // first "@" ends the userinfo (user may hold ";" and "?": RFC 4475 §3.1.1.6 semiuri)
        int at = Abnf.indexOf(a, i, end, (byte) '@');
        if (at >= 0) {
            int userEnd = Abnf.consumeEscapedRun(a, i, at, Abnf.USER);
            if (userEnd <= i) {
                return null;
            }
            if (userEnd < at) {
                if (a[userEnd] != ':') {
                    return null;
                }
                int passwordEnd = Abnf.consumeEscapedRun(a, userEnd + 1, at, Abnf.PASSWORD);
                if (passwordEnd != at) {
                    return null;
                }
                password = Abnf.ascii(a, userEnd + 1, at);
            }
            user = Abnf.ascii(a, i, userEnd);
            hostStart = at + 1;
        }
        int hostEnd = Abnf.consumeHost(a, hostStart, end);
        if (hostEnd < 0) {
            return null;
        }
        int j = hostEnd;
        int port = -1;
        if (j < end && a[j] == ':') {
            int portEnd = Abnf.consumeRun(a, j + 1, end, Abnf.DIGIT);
            port = Abnf.port(a, j + 1, portEnd);
            if (port < 0) {
                return null;
            }
            j = portEnd;
        }
        Params params = Params.parseUriParams(a, j, end, off);
        if (params == null) {
            return null;
        }
        j = params.end(off, j);
        int headersStart = -1;
        if (j < end && a[j] == '?') {
            headersStart = j;
            j = consumeHeaders(a, j + 1, end);
        }
        if (j != end) {
            return null;
        }
        return new SipUri(scheme, schemeName, user, password, Abnf.asciiLower(a, hostStart, hostEnd), port,
                params, headersStart < 0 ? -1 : headersStart - off, null, null, start - off, end - off,
                hostStart - off, hostEnd - off);
    }

    /** headers = "?" header *( "&amp;" header ), header = hname "=" hvalue; returns the index after them or -1. */
    private static int consumeHeaders(byte[] a, int i, int end) {
        int j = i;
        while (true) {
            int nameEnd = Abnf.consumeEscapedRun(a, j, end, Abnf.HNVCHAR);
            if (nameEnd <= j || nameEnd >= end || a[nameEnd] != '=') {
                return -1;
            }
            int valueEnd = Abnf.consumeEscapedRun(a, nameEnd + 1, end, Abnf.HNVCHAR);
            if (valueEnd < 0) {
                return -1;
            }
            if (valueEnd < end && a[valueEnd] == '&') {
                j = valueEnd + 1;
            } else {
                return valueEnd;
            }
        }
    }

    // RFC 3966 §3: global-number-digits = "+" *phonedigit DIGIT *phonedigit;
    // local-number-digits = *phonedigit-hex (HEXDIG / "*" / "#") *phonedigit-hex
    private static SipUri parseTel(byte[] a, int off, int start, int end, int i) {
        boolean global = i < end && a[i] == '+';
        int j = global ? i + 1 : i;
        int digits = 0;
        while (j < end) {
            byte b = a[j];
            boolean digit = global ? Abnf.is(b, Abnf.DIGIT) : Abnf.is(b, Abnf.HEXDIG) || b == '*' || b == '#';
            if (digit) {
                digits++;
            } else if (!Abnf.is(b, Abnf.VISUAL_SEPARATOR)) {
                break;
            }
            j++;
        }
        if (digits == 0) {
            return null;
        }
        Params params = Params.parseTelParams(a, j, end, off);
        if (params == null || params.end(off, j) != end) {
            return null;
        }
        return new SipUri(Scheme.TEL, "tel", null, null, null, -1, params, -1, Abnf.ascii(a, i, j), null,
                start - off, end - off, -1, -1);
    }

    // RFC 3261 §25.1: absoluteURI = scheme ":" ( hier-part / opaque-part ), all uric (RFC 2396),
    // plus "[" and "]" for IPv6 literals (RFC 2732)
    private static SipUri parseOpaque(byte[] a, int off, int start, int end, int i, String schemeName) {
        int j = Abnf.consumeEscapedRun(a, i, end, Abnf.URIC | Abnf.PARAM_UNRESERVED);
        if (j <= i || j != end) {
            return null;
        }
        return new SipUri(Scheme.OTHER, schemeName, null, null, null, -1, Params.EMPTY, -1, null,
                Abnf.ascii(a, i, end), start - off, end - off, -1, -1);
    }

    /** The scheme. */
    public Scheme scheme() {
        return scheme;
    }

    /** The scheme name in lower case ("sip", "sips", "tel", or another). */
    public String schemeName() {
        return schemeName;
    }

    /** Whether this is a sip: or sips: URI. */
    public boolean isSip() {
        return scheme == Scheme.SIP || scheme == Scheme.SIPS;
    }

    /** The user part as written (escapes kept), or null when there is none (and for tel and other schemes). */
    public String user() {
        return user;
    }

    /** The user part with "%" HEX HEX escapes decoded as UTF-8 (RFC 3261 §19.1.4 compares them unescaped), or null. */
    public String userUnescaped() {
        return user == null ? null : Abnf.unescape(user);
    }

    /** The password as written, or null. */
    public String password() {
        return password;
    }

    /** The host in lower case (an IPv6 reference with brackets), or null for tel and other schemes. */
    public String host() {
        return host;
    }

    /** Whether the host is an IPv6 reference. */
    public boolean ipv6() {
        return host != null && host.charAt(0) == '[';
    }

    /** The port, or -1 when absent. */
    public int port() {
        return port;
    }

    /** A URI or tel parameter's value as written: null when absent, "" when it has no value. */
    public String param(String name) {
        return params.get(name);
    }

    /** Whether the URI has the parameter (names are case-insensitive; escaped names are decoded). */
    public boolean hasParam(String name) {
        return params.has(name);
    }

    /** All URI parameters (for tel, the tel parameters). */
    public Params params() {
        return params;
    }

    /** Whether the URI has a headers part ("?" ...). */
    public boolean hasHeaders() {
        return headersStart >= 0;
    }

    /** Absolute index of the "?" that starts the headers, or -1. */
    public int headersStart() {
        return headersStart;
    }

    /** A tel URI's number as written ("+1-212-555-0101", or a local number), or null for other schemes. */
    public String number() {
        return number;
    }

    /** Whether this is a tel URI with a global number ("+" ...). */
    public boolean isGlobalNumber() {
        return number != null && number.charAt(0) == '+';
    }

    /** For an OTHER scheme, everything after "scheme:" as written; otherwise null. */
    public String opaque() {
        return opaque;
    }

    /**
     * The address-of-record this URI names, for hashing a user to its home proxy: {@code
     * user@host} for SIP and SIPS (user unescaped, host lower case, no port or parameters), the
     * host alone without a user, the number without visual separators for a tel URI and for a
     * SIP URI with {@code user=phone} (RFC 3261 §19.1.1, RFC 3966 §4), null for other schemes.
     */
    public String aor() {
        if (scheme == Scheme.TEL) {
            return withoutVisualSeparators(number);
        }
        if (scheme == Scheme.OTHER) {
            return null;
        }
        if (user == null) {
            return host;
        }
        String phone = params.get("user");
        if (phone != null && phone.equalsIgnoreCase("phone")) {
            // telephone-subscriber: the number ends where its own parameters start
            int semi = user.indexOf(';');
            return withoutVisualSeparators(Abnf.unescape(semi < 0 ? user : user.substring(0, semi)));
        }
        return userUnescaped() + '@' + host;
    }

    private static String withoutVisualSeparators(String number) {
        StringBuilder sb = null;
        for (int i = 0; i < number.length(); i++) {
            char c = number.charAt(i);
            boolean separator = c == '-' || c == '.' || c == '(' || c == ')';
            if (separator && sb == null) {
                sb = new StringBuilder(number.length()).append(number, 0, i);
            } else if (!separator && sb != null) {
                sb.append(c);
            }
        }
        return sb == null ? number : sb.toString();
    }

    /** Absolute index of the first byte of the URI (the scheme). */
    public int start() {
        return start;
    }

    /** Absolute index after the URI. */
    public int end() {
        return end;
    }

    /** Absolute index of the host's first byte, or -1 for tel and other schemes. */
    public int hostStart() {
        return hostStart;
    }

    /** Absolute index after the host (before any ":port"), or -1 for tel and other schemes. */
    public int hostEnd() {
        return hostEnd;
    }

    @Override
    public String toString() {
        switch (scheme) {
            case TEL:
                return "tel:" + number + params;
            case OTHER:
                return schemeName + ':' + opaque;
            default:
                return schemeName + ':' + (user == null ? "" : user + '@') + host + (port < 0 ? "" : ":" + port)
                        + params + (hasHeaders() ? "?…" : "");
        }
    }
}

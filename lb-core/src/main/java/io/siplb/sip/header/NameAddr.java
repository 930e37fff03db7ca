package io.siplb.sip.header;

import io.netty.buffer.ByteBuf;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * The value of a From, To, Contact (not "*"), Route, Record-Route or Path header: a name-addr or
 * addr-spec followed by header parameters (RFC 3261 §20.10, §20.20, §20.39, §25.1).
 *
 * <pre>
 * value        = ( name-addr / addr-spec ) *( SEMI generic-param )
 * name-addr    = [ display-name ] LAQUOT addr-spec RAQUOT
 * display-name = *(token LWS) / quoted-string
 * </pre>
 *
 * <p>In the addr-spec form the URI ends at the first ";" or white space, and what follows are
 * header parameters, not URI parameters (RFC 3261 §20.10); such a URI may hold no "," or "?",
 * which RFC 3261 §20 allows only inside angle brackets. The URI is a {@link SipUri}, which also
 * covers tel and unknown schemes (kept opaque).
 *
 * <p>The display name is decoded at parse time (quoted-pairs resolved, UTF-8, folds removed, token
 * runs joined by one space), although routing does not read it: From and To are parsed on demand
 * only. Offsets are absolute indices into the buffer the value was parsed from.
 */
public final class NameAddr {

    private final String displayName;
    private final SipUri uri;
    private final boolean nameAddr;
    private final Params params;
    private final String tag;
    private final int start;
    private final int end;

    private NameAddr(String displayName, SipUri uri, boolean nameAddr, Params params, int start, int end) {
        this.displayName = displayName;
        this.uri = uri;
        this.nameAddr = nameAddr;
        this.params = params;
        this.tag = params.get("tag");
        this.start = start;
        this.end = end;
    }

    /**
     * Parses one value spanning {@code [start, end)} (leading and trailing LWS allowed); null
     * when malformed: an unterminated quoted-string, an unquoted display name that is not a token
     * sequence (RFC 4475 §3.1.2.14 baddn), white space inside the angle brackets (RFC 4475
     * §3.1.2.13 badaspec), a malformed URI or parameter. Never throws and reads nothing outside
     * the range.
     */
    public static NameAddr parse(ByteBuf buf, int start, int end) {
        if (!Abnf.inBounds(buf, start, end)) {
            return null;
        }
        int off = Abnf.offset(buf, start);
        return parse(Abnf.array(buf, start, end), start + off, end + off, off);
    }

    /**
     * Like {@link #parse(ByteBuf, int, int)}, reading the buffer's bytes from an array: byte
     * {@code k} of the buffer is {@code bytes[k + offset]}. {@code [start, end)} are buffer
     * offsets, and so are the offsets of the result. For the codec, which may hold a message's
     * bytes in an array already.
     */
    public static NameAddr parseBytes(byte[] bytes, int offset, int start, int end) {
        return Abnf.inBounds(bytes, offset, start, end) ? parse(bytes, start + offset, end + offset, offset) : null;
    }

    /** {@link #parse(ByteBuf, int, int)} on array indices; {@code off} maps buffer offsets to them. */
    private static NameAddr parse(byte[] a, int start, int end, int off) {
        int i = Abnf.consumeLws(a, start, end);
        if (i >= end) {
            return null;
        }
        byte first = a[i];
        if (first == '"') {
            int q = Abnf.consumeQuotedString(a, i, end);
            int laquot = q < 0 ? -1 : Abnf.expectLaquot(a, q, end);
            return laquot < 0 ? null : parseAngle(a, off, i, end, laquot, unquote(a, i, q));
        }
        if (first == '<') {
            return parseAngle(a, off, i, end, i + 1, null);
        }
        // *(token LWS) "<" is a name-addr; anything else must be an addr-spec (whose scheme looks
        // like a token, so the two are told apart by what follows the token run)
        int j = i;
        int lastTokenEnd = i;
        while (true) {
            int t = Abnf.consumeToken(a, j, end);
            if (t == j) {
                break;
            }
            lastTokenEnd = t;
            j = Abnf.consumeLws(a, t, end);
        }
        if (j > i && j < end && a[j] == '<') {
            return parseAngle(a, off, i, end, j + 1, joinTokens(a, i, lastTokenEnd));
        }
        return parseAddrSpec(a, off, i, end);
    }

    private static NameAddr parseAngle(byte[] a, int off, int start, int end, int uriStart, String displayName) {
        int close = Abnf.indexOf(a, uriStart, end, (byte) '>');
        if (close < 0) {
            return null;
        }
        SipUri uri = SipUri.parseArray(a, uriStart, close, off);
        if (uri == null) {
            return null;
        }
        Params params = Params.parseHeaderParams(a, close + 1, end, off);
        if (params == null) {
            return null;
        }
        return new NameAddr(displayName, uri, true, params, start - off, paramsEnd(params, close + 1 - off));
    }

    // RFC 3261 §20.10: without <>, ";" starts header parameters and the URI may hold no "," or "?"
    private static NameAddr parseAddrSpec(byte[] a, int off, int start, int end) {
        int uriEnd = start;
        while (uriEnd < end) {
            byte b = a[uriEnd];
            if (b == ';' || b == ' ' || b == '\t' || b == '\r') {
                break;
            }
            if (b == ',' || b == '?') {
                return null;
            }
            uriEnd++;
        }
        SipUri uri = SipUri.parseArray(a, start, uriEnd, off);
        if (uri == null) {
            return null;
        }
        Params params = Params.parseHeaderParams(a, uriEnd, end, off);
        if (params == null) {
            return null;
        }
        return new NameAddr(null, uri, false, params, start - off, paramsEnd(params, uriEnd - off));
    }

    private static int paramsEnd(Params params, int ifNone) {
        return params.isEmpty() ? ifNone : (int) params.range(params.size() - 1);
    }

    /** The content of a validated quoted-string with quoted-pairs resolved and folds dropped, as UTF-8. */
    private static String unquote(byte[] a, int open, int afterClose) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(afterClose - open);
        for (int j = open + 1; j < afterClose - 1; j++) {
            byte b = a[j];
            if (b == '\\') {
                out.write(a[++j]);
            } else if (b != '\r' && b != '\n') {
                out.write(b);
            }
        }
        return new String(out.toByteArray(), StandardCharsets.UTF_8);
    }

    /** The tokens of {@code [start, end)} joined by one space (LWS between them has the semantics of SP, §7.3.1). */
    private static String joinTokens(byte[] a, int start, int end) {
        if (Abnf.consumeToken(a, start, end) == end) {
            return Abnf.ascii(a, start, end); // one token, the usual display name
        }
        StringBuilder sb = new StringBuilder(end - start);
        int j = start;
        while (j < end) {
            int t = Abnf.consumeToken(a, j, end);
            if (sb.length() > 0) {
                sb.append(' ');
            }
            for (int k = j; k < t; k++) {
                sb.append((char) a[k]);
            }
            j = Abnf.consumeLws(a, t, end);
        }
        return sb.toString();
    }

    /** The display name, unquoted and unescaped, or null when there is none ("" for {@code ""}). */
    public String displayName() {
        return displayName;
    }

    /** The URI, a {@link SipUri} of any scheme (tel and unknown schemes included). */
    public SipUri uri() {
        return uri;
    }

    /** Whether the URI was written in angle brackets (name-addr) rather than as a bare addr-spec. */
    public boolean isNameAddr() {
        return nameAddr;
    }

    /** The tag parameter, or null when absent. */
    public String tag() {
        return tag;
    }

    /** A header parameter's value as written: null when absent, "" when it has no value. */
    public String param(String name) {
        return params.get(name);
    }

    /** The header parameters (not the URI's) in order. */
    public Params params() {
        return params;
    }

    /** The packed absolute range ({@code start << 32 | end}) of header parameter {@code name}'s ";name[=value]", or -1. */
    public long paramRange(String name) {
        return params.rangeOf(name);
    }

    /** Absolute index of the value's first byte (display name, "&lt;" or the URI). */
    public int start() {
        return start;
    }

    /** Absolute index after the value (trailing LWS excluded). */
    public int end() {
        return end;
    }

    /** Absolute index of the URI's first byte. */
    public int uriStart() {
        return uri.start();
    }

    /** Absolute index after the URI (before "&gt;" in the name-addr form). */
    public int uriEnd() {
        return uri.end();
    }

    @Override
    public String toString() {
        String name = displayName == null ? ""
                : '"' + displayName.replace("\\", "\\\\").replace("\"", "\\\"") + "\" ";
        return (nameAddr ? name + '<' + uri + '>' : uri.toString()) + params;
    }
}

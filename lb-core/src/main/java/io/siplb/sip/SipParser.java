package io.siplb.sip;

import static io.siplb.sip.Chars.CR;
import static io.siplb.sip.Chars.LF;
import static io.siplb.sip.Chars.SP;
import static java.util.Objects.requireNonNull;

import io.netty.buffer.ByteBuf;

/**
 * Turns one framed message into a {@link SipMessage} view: checks the start line strictly
 * (RFC 3261 §7.1, §7.2, §25.1), indexes the header fields, and finds the body. It reads the
 * bytes once, creates no String and throws nothing for bad input: every problem is a
 * {@link ParseFailure} with the offset where it was found.
 *
 * <p>The bytes are read from a heap buffer's own array, or from a copy of any other buffer's
 * start line and header section ({@link FrameBytes}), so that reading a byte costs no index and
 * reference-count check.
 *
 * <p>Only what framing and routing cannot do without is checked here; the header values
 * themselves are checked by {@link SipMessage#verify()}, on request.
 *
 * <p>The start line is strict where RFC 4475 lets an element choose (§3.1.2.7 to §3.1.2.10):
 * exactly one SP between elements, none at the end, no whitespace or &lt;&gt; around the
 * Request-URI. A proxy that repaired such a line would forward bytes its next hop may read
 * differently.
 */
public final class SipParser {

    private static final int STATUS_LINE_MIN = 12; // "SIP/2.0 200 "

    private SipParser() {
    }

    /**
     * Parses the readable bytes of {@code frame}.
     *
     * <p>On success the message owns {@code frame}, whose reader and writer indices are moved
     * to the message's first and last bytes (leading CRLFs, RFC 3261 §7.5, and octets after
     * Content-Length are left outside). On failure the caller still owns it and its indices
     * are unchanged.
     */
    public static ParseResult parse(ByteBuf frame, SipLimits limits, Framing framing) {
        requireNonNull(frame, "frame");
        requireNonNull(limits, "limits");
        requireNonNull(framing, "framing");
        int start = frame.readerIndex();
        int end = frame.writerIndex();
        if (end - start > limits.maxMessageBytes()) {
            return ParseResult.failure(ParseError.MESSAGE_TOO_LARGE, start + limits.maxMessageBytes());
        }
        FrameBytes f = FrameBytes.open(frame, start, end);
        try {
            return parse(frame, f, limits, framing);
        } finally {
            f.close();
        }
    }

    /** {@link #parse(ByteBuf, SipLimits, Framing)} on array indices: see {@link FrameBytes}. */
    private static ParseResult parse(ByteBuf frame, FrameBytes f, SipLimits limits, Framing framing) {
        int off = f.off;
        int end = f.end;
        int i = frame.readerIndex() + off;
        while (i + 1 < end) {
            f.ensure(i + 1);
            if (f.a[i] != CR || f.a[i + 1] != LF) {
                break;
            }
            i += 2;
        }
        if (i < end) {
            f.ensure(i);
        }
        if (i >= end || (i + 1 == end && f.a[i] == CR)) {
            return ParseResult.failure(ParseError.EMPTY, i - off);
        }
        int lf = f.indexOf(i, LF);
        if (lf < 0) {
            return ParseResult.failure(end - i > limits.maxLineBytes()
                    ? ParseError.LINE_TOO_LONG : ParseError.HEADERS_UNTERMINATED, end - off);
        }
        if (lf + 1 - i > limits.maxLineBytes()) {
            return ParseResult.failure(ParseError.LINE_TOO_LONG, i - off);
        }
        byte[] a = f.a;
        if (lf == i || a[lf - 1] != CR) {
            return ParseResult.failure(ParseError.BARE_LINE_BREAK, lf - off);
        }
        int cr = lf - 1;
        HeaderIndex index = new HeaderIndex();
        if (isStatusLine(a, i, cr)) {
            return parseResponse(frame, f, i, cr, limits, framing, index);
        }
        return parseRequest(frame, f, i, cr, limits, framing, index);
    }

    private static boolean isStatusLine(byte[] a, int i, int cr) {
        // a method is a token, and '/' is not a token character, so "SIP/" cannot start a request
        return cr - i >= 4
                && (a[i] | 0x20) == 's'
                && (a[i + 1] | 0x20) == 'i'
                && (a[i + 2] | 0x20) == 'p'
                && a[i + 3] == '/';
    }

    /** Request-Line = Method SP Request-URI SP SIP-Version CRLF. */
    private static ParseResult parseRequest(ByteBuf buf, FrameBytes f, int i, int cr, SipLimits limits,
                                            Framing framing, HeaderIndex index) {
        byte[] a = f.a;
        int off = f.off;
        // the two SPs are found eight bytes at a time; only the method and the version are read
        // byte by byte
        int methodEnd = ByteArrays.indexOf(a, i, cr, SP);
        int uriStart = methodEnd + 1;
        int uriEnd = methodEnd < 0 ? -1 : ByteArrays.indexOf(a, uriStart, cr, SP);
        if (uriEnd < 0 || ByteArrays.indexOf(a, uriEnd + 1, cr, SP) >= 0 || Chars.isWsp(a[cr - 1])) {
            ParseFailure failure = requestLineFailure(a, i, cr);
            return ParseResult.failure(failure.error(), failure.offset() - off);
        }
        for (int k = i; k < methodEnd; k++) {
            if (!Chars.isToken(a[k])) {
                return ParseResult.failure(ParseError.BAD_METHOD, k - off);
            }
        }
        if (methodEnd == i || uriEnd == uriStart) {
            return ParseResult.failure(ParseError.EXTRA_WHITESPACE_IN_START_LINE, (methodEnd == i ? i : uriStart) - off);
        }
        int versionFailure = checkVersion(a, uriEnd + 1, cr);
        if (versionFailure >= 0) {
            return ParseResult.failure(versionFailure == 0
                    ? ParseError.UNSUPPORTED_VERSION : ParseError.MALFORMED_START_LINE, uriEnd + 1 - off);
        }
        if (a[uriStart] == '<') {
            return ParseResult.failure(ParseError.REQUEST_URI_IN_ANGLE_BRACKETS, uriStart - off);
        }
        SipMethod method = SipMethod.lookup(a, i, methodEnd - i);
        ParseFailure failure = index.scan(f, cr + 2, limits);
        if (failure != null) {
            return ParseResult.failure(failure);
        }
        int bodyStart = index.headersEnd() + 2;
        int bodyLength = bodyLength(index, bodyStart, f.end - off, framing);
        if (bodyLength < 0) {
            return bodyFailure(index);
        }
        buf.setIndex(i - off, bodyStart + bodyLength);
        SipRequest request = new SipRequest(buf, index, bodyStart, bodyLength,
                method, i - off, methodEnd - off, uriStart - off, uriEnd - off);
        f.parsed(request);
        return ParseResult.success(request);
    }

    /**
     * Why a Request-Line does not split into exactly three SP-separated elements: the slow path,
     * run only for bad lines, so it may read byte by byte. The offset is an array index.
     */
    private static ParseFailure requestLineFailure(byte[] a, int i, int cr) {
        int methodEnd = i;
        while (methodEnd < cr && Chars.isToken(a[methodEnd])) {
            methodEnd++;
        }
        if (methodEnd == cr) {
            return new ParseFailure(ParseError.MALFORMED_START_LINE, cr);
        }
        byte after = a[methodEnd];
        if (methodEnd == i && after == SP) {
            return new ParseFailure(ParseError.EXTRA_WHITESPACE_IN_START_LINE, i);
        }
        if (after != SP) {
            return new ParseFailure(Chars.isWsp(after) && methodEnd > i
                    ? ParseError.EXTRA_WHITESPACE_IN_START_LINE : ParseError.BAD_METHOD, methodEnd);
        }
        if (Chars.isWsp(a[cr - 1])) {
            return new ParseFailure(ParseError.EXTRA_WHITESPACE_IN_START_LINE, cr - 1);
        }
        int lastSp = cr - 1;
        while (lastSp > methodEnd && a[lastSp] != SP) {
            lastSp--;
        }
        if (lastSp == methodEnd) {
            return new ParseFailure(ParseError.MALFORMED_START_LINE, cr); // no SIP-Version
        }
        int uriStart = methodEnd + 1;
        if (uriStart == lastSp || Chars.isWsp(a[uriStart])) {
            return new ParseFailure(ParseError.EXTRA_WHITESPACE_IN_START_LINE, uriStart);
        }
        if (Chars.isWsp(a[lastSp - 1])) {
            return new ParseFailure(ParseError.EXTRA_WHITESPACE_IN_START_LINE, lastSp - 1);
        }
        if (a[uriStart] == '<') {
            return new ParseFailure(ParseError.REQUEST_URI_IN_ANGLE_BRACKETS, uriStart);
        }
        // one SP inside the URI, none doubled: LWS in the Request-URI (RFC 4475 §3.1.2.8)
        return new ParseFailure(ParseError.WHITESPACE_IN_REQUEST_URI, ByteArrays.indexOf(a, uriStart, lastSp, SP));
    }

    /** Status-Line = SIP-Version SP Status-Code SP Reason-Phrase CRLF. */
    private static ParseResult parseResponse(ByteBuf buf, FrameBytes f, int i, int cr, SipLimits limits,
                                             Framing framing, HeaderIndex index) {
        byte[] a = f.a;
        int off = f.off;
        int versionEnd = i;
        while (versionEnd < cr && a[versionEnd] != SP) {
            versionEnd++;
        }
        int versionFailure = checkVersion(a, i, versionEnd);
        if (versionFailure >= 0) {
            return ParseResult.failure(versionFailure == 0
                    ? ParseError.UNSUPPORTED_VERSION : ParseError.MALFORMED_START_LINE, i - off);
        }
        if (cr - i < STATUS_LINE_MIN) {
            return ParseResult.failure(ParseError.MALFORMED_START_LINE, cr - off);
        }
        int codeStart = versionEnd + 1;
        if (a[codeStart] == SP) {
            return ParseResult.failure(ParseError.EXTRA_WHITESPACE_IN_START_LINE, codeStart - off);
        }
        int k = codeStart;
        int code = 0;
        while (k < cr && Chars.isDigit(a[k]) && k - codeStart < 4) {
            code = code * 10 + a[k] - '0';
            k++;
        }
        // exactly three digits (the bound of four stops overflow on 4294967301, RFC 4475 §3.1.2.19)
        if (k - codeStart != 3 || code < 100 || code > 699) {
            return ParseResult.failure(ParseError.BAD_STATUS_CODE, codeStart - off);
        }
        if (k >= cr || a[k] != SP) {
            return ParseResult.failure(ParseError.MALFORMED_START_LINE, k - off);
        }
        ParseFailure failure = index.scan(f, cr + 2, limits);
        if (failure != null) {
            return ParseResult.failure(failure);
        }
        int bodyStart = index.headersEnd() + 2;
        int bodyLength = bodyLength(index, bodyStart, f.end - off, framing);
        if (bodyLength < 0) {
            return bodyFailure(index);
        }
        buf.setIndex(i - off, bodyStart + bodyLength);
        SipResponse response = new SipResponse(buf, index, bodyStart, bodyLength, code, k + 1 - off, cr - off);
        f.parsed(response);
        return ParseResult.success(response);
    }

    /**
     * SIP-Version = "SIP" "/" 1*DIGIT "." 1*DIGIT, "SIP" case-insensitive (RFC 3261 §7.1).
     *
     * @return -1 for SIP/2.0, 0 for another well-formed version (505), 1 when malformed
     */
    private static int checkVersion(byte[] a, int start, int end) {
        int len = end - start;
        if (len < 7 || (a[start] | 0x20) != 's' || (a[start + 1] | 0x20) != 'i'
                || (a[start + 2] | 0x20) != 'p' || a[start + 3] != '/') {
            return 1;
        }
        int k = start + 4;
        int majorStart = k;
        while (k < end && Chars.isDigit(a[k])) {
            k++;
        }
        int majorEnd = k;
        if (majorEnd == majorStart || k >= end || a[k] != '.') {
            return 1;
        }
        k++;
        int minorStart = k;
        while (k < end && Chars.isDigit(a[k])) {
            k++;
        }
        if (k != end || k == minorStart) {
            return 1;
        }
        boolean is20 = majorEnd - majorStart == 1 && a[majorStart] == '2'
                && end - minorStart == 1 && a[minorStart] == '0';
        return is20 ? -1 : 0;
    }

    /** The body length per RFC 3261 §18.3, or -1 when Content-Length promises more than there is. */
    private static int bodyLength(HeaderIndex index, int bodyStart, int end, Framing framing) {
        int available = end - bodyStart;
        long declared = index.contentLength();
        if (declared < 0) {
            // without Content-Length a datagram's body is the rest of it; a stream message has none
            return framing == Framing.DATAGRAM ? available : 0;
        }
        // a smaller value leaves trailing octets, which are cut off (RFC 3261 §18.3)
        return declared > available ? -1 : (int) declared;
    }

    private static ParseResult bodyFailure(HeaderIndex index) {
        return ParseResult.failure(ParseError.BODY_SHORTER_THAN_CONTENT_LENGTH,
                index.valueStart(index.first(HeaderName.CONTENT_LENGTH)));
    }
}

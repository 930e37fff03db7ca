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
        int i = start;
        while (i + 1 < end && frame.getByte(i) == CR && frame.getByte(i + 1) == LF) {
            i += 2;
        }
        if (i >= end || (i + 1 == end && frame.getByte(i) == CR)) {
            return ParseResult.failure(ParseError.EMPTY, i);
        }
        int lf = frame.indexOf(i, end, LF);
        if (lf < 0) {
            return ParseResult.failure(end - i > limits.maxLineBytes()
                    ? ParseError.LINE_TOO_LONG : ParseError.HEADERS_UNTERMINATED, end);
        }
        if (lf + 1 - i > limits.maxLineBytes()) {
            return ParseResult.failure(ParseError.LINE_TOO_LONG, i);
        }
        if (lf == i || frame.getByte(lf - 1) != CR) {
            return ParseResult.failure(ParseError.BARE_LINE_BREAK, lf);
        }
        int cr = lf - 1;
        HeaderIndex index = new HeaderIndex();
        if (isStatusLine(frame, i, cr)) {
            return parseResponse(frame, i, cr, end, limits, framing, index);
        }
        return parseRequest(frame, i, cr, end, limits, framing, index);
    }

    private static boolean isStatusLine(ByteBuf buf, int i, int cr) {
        // a method is a token, and '/' is not a token character, so "SIP/" cannot start a request
        return cr - i >= 4
                && (buf.getByte(i) | 0x20) == 's'
                && (buf.getByte(i + 1) | 0x20) == 'i'
                && (buf.getByte(i + 2) | 0x20) == 'p'
                && buf.getByte(i + 3) == '/';
    }

    /** Request-Line = Method SP Request-URI SP SIP-Version CRLF. */
    private static ParseResult parseRequest(ByteBuf buf, int i, int cr, int end, SipLimits limits,
                                            Framing framing, HeaderIndex index) {
        // the two SPs are found with word-at-a-time searches; only the method and the version
        // are read byte by byte
        int methodEnd = buf.indexOf(i, cr, SP);
        int uriStart = methodEnd + 1;
        int uriEnd = methodEnd < 0 ? -1 : buf.indexOf(uriStart, cr, SP);
        if (uriEnd < 0 || buf.indexOf(uriEnd + 1, cr, SP) >= 0 || Chars.isWsp(buf.getByte(cr - 1))) {
            return ParseResult.failure(requestLineFailure(buf, i, cr));
        }
        for (int k = i; k < methodEnd; k++) {
            if (!Chars.isToken(buf.getByte(k))) {
                return ParseResult.failure(ParseError.BAD_METHOD, k);
            }
        }
        if (methodEnd == i || uriEnd == uriStart) {
            return ParseResult.failure(ParseError.EXTRA_WHITESPACE_IN_START_LINE, methodEnd == i ? i : uriStart);
        }
        int versionFailure = checkVersion(buf, uriEnd + 1, cr);
        if (versionFailure >= 0) {
            return ParseResult.failure(versionFailure == 0
                    ? ParseError.UNSUPPORTED_VERSION : ParseError.MALFORMED_START_LINE, uriEnd + 1);
        }
        if (buf.getByte(uriStart) == '<') {
            return ParseResult.failure(ParseError.REQUEST_URI_IN_ANGLE_BRACKETS, uriStart);
        }
        ParseFailure failure = index.scan(buf, cr + 2, end, limits);
        if (failure != null) {
            return ParseResult.failure(failure);
        }
        int bodyStart = index.headersEnd() + 2;
        int bodyLength = bodyLength(buf, index, bodyStart, end, framing);
        if (bodyLength < 0) {
            return bodyFailure(index);
        }
        buf.setIndex(i, bodyStart + bodyLength);
        SipMethod method = SipMethod.lookup(buf, i, methodEnd - i);
        return ParseResult.success(new SipRequest(buf, index, bodyStart, bodyLength,
                method, i, methodEnd, uriStart, uriEnd));
    }

    /**
     * Why a Request-Line does not split into exactly three SP-separated elements: the slow path,
     * run only for bad lines, so it may read byte by byte.
     */
    private static ParseFailure requestLineFailure(ByteBuf buf, int i, int cr) {
        int methodEnd = i;
        while (methodEnd < cr && Chars.isToken(buf.getByte(methodEnd))) {
            methodEnd++;
        }
        if (methodEnd == cr) {
            return new ParseFailure(ParseError.MALFORMED_START_LINE, cr);
        }
        byte after = buf.getByte(methodEnd);
        if (methodEnd == i && after == SP) {
            return new ParseFailure(ParseError.EXTRA_WHITESPACE_IN_START_LINE, i);
        }
        if (after != SP) {
            return new ParseFailure(Chars.isWsp(after) && methodEnd > i
                    ? ParseError.EXTRA_WHITESPACE_IN_START_LINE : ParseError.BAD_METHOD, methodEnd);
        }
        if (Chars.isWsp(buf.getByte(cr - 1))) {
            return new ParseFailure(ParseError.EXTRA_WHITESPACE_IN_START_LINE, cr - 1);
        }
        int lastSp = cr - 1;
        while (lastSp > methodEnd && buf.getByte(lastSp) != SP) {
            lastSp--;
        }
        if (lastSp == methodEnd) {
            return new ParseFailure(ParseError.MALFORMED_START_LINE, cr); // no SIP-Version
        }
        int uriStart = methodEnd + 1;
        if (uriStart == lastSp || Chars.isWsp(buf.getByte(uriStart))) {
            return new ParseFailure(ParseError.EXTRA_WHITESPACE_IN_START_LINE, uriStart);
        }
        if (Chars.isWsp(buf.getByte(lastSp - 1))) {
            return new ParseFailure(ParseError.EXTRA_WHITESPACE_IN_START_LINE, lastSp - 1);
        }
        if (buf.getByte(uriStart) == '<') {
            return new ParseFailure(ParseError.REQUEST_URI_IN_ANGLE_BRACKETS, uriStart);
        }
        // one SP inside the URI, none doubled: LWS in the Request-URI (RFC 4475 §3.1.2.8)
        return new ParseFailure(ParseError.WHITESPACE_IN_REQUEST_URI, buf.indexOf(uriStart, lastSp, SP));
    }

    /** Status-Line = SIP-Version SP Status-Code SP Reason-Phrase CRLF. */
    private static ParseResult parseResponse(ByteBuf buf, int i, int cr, int end, SipLimits limits,
                                             Framing framing, HeaderIndex index) {
        int versionEnd = i;
        while (versionEnd < cr && buf.getByte(versionEnd) != SP) {
            versionEnd++;
        }
        int versionFailure = checkVersion(buf, i, versionEnd);
        if (versionFailure >= 0) {
            return ParseResult.failure(versionFailure == 0
                    ? ParseError.UNSUPPORTED_VERSION : ParseError.MALFORMED_START_LINE, i);
        }
        if (cr - i < STATUS_LINE_MIN) {
            return ParseResult.failure(ParseError.MALFORMED_START_LINE, cr);
        }
        int codeStart = versionEnd + 1;
        if (buf.getByte(codeStart) == SP) {
            return ParseResult.failure(ParseError.EXTRA_WHITESPACE_IN_START_LINE, codeStart);
        }
        int k = codeStart;
        int code = 0;
        while (k < cr && Chars.isDigit(buf.getByte(k)) && k - codeStart < 4) {
            code = code * 10 + buf.getByte(k) - '0';
            k++;
        }
        // exactly three digits (the bound of four stops overflow on 4294967301, RFC 4475 §3.1.2.19)
        if (k - codeStart != 3 || code < 100 || code > 699) {
            return ParseResult.failure(ParseError.BAD_STATUS_CODE, codeStart);
        }
        if (k >= cr || buf.getByte(k) != SP) {
            return ParseResult.failure(ParseError.MALFORMED_START_LINE, k);
        }
        ParseFailure failure = index.scan(buf, cr + 2, end, limits);
        if (failure != null) {
            return ParseResult.failure(failure);
        }
        int bodyStart = index.headersEnd() + 2;
        int bodyLength = bodyLength(buf, index, bodyStart, end, framing);
        if (bodyLength < 0) {
            return bodyFailure(index);
        }
        buf.setIndex(i, bodyStart + bodyLength);
        return ParseResult.success(new SipResponse(buf, index, bodyStart, bodyLength, code, k + 1, cr));
    }

    /**
     * SIP-Version = "SIP" "/" 1*DIGIT "." 1*DIGIT, "SIP" case-insensitive (RFC 3261 §7.1).
     *
     * @return -1 for SIP/2.0, 0 for another well-formed version (505), 1 when malformed
     */
    private static int checkVersion(ByteBuf buf, int start, int end) {
        int len = end - start;
        if (len < 7 || (buf.getByte(start) | 0x20) != 's' || (buf.getByte(start + 1) | 0x20) != 'i'
                || (buf.getByte(start + 2) | 0x20) != 'p' || buf.getByte(start + 3) != '/') {
            return 1;
        }
        int k = start + 4;
        int majorStart = k;
        while (k < end && Chars.isDigit(buf.getByte(k))) {
            k++;
        }
        int majorEnd = k;
        if (majorEnd == majorStart || k >= end || buf.getByte(k) != '.') {
            return 1;
        }
        k++;
        int minorStart = k;
        while (k < end && Chars.isDigit(buf.getByte(k))) {
            k++;
        }
        if (k != end || k == minorStart) {
            return 1;
        }
        boolean is20 = majorEnd - majorStart == 1 && buf.getByte(majorStart) == '2'
                && end - minorStart == 1 && buf.getByte(minorStart) == '0';
        return is20 ? -1 : 0;
    }

    /** The body length per RFC 3261 §18.3, or -1 when Content-Length promises more than there is. */
    private static int bodyLength(ByteBuf buf, HeaderIndex index, int bodyStart, int end, Framing framing) {
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

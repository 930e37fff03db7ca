package io.siplb.route;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.siplb.sip.Framing;
import io.siplb.sip.HeaderName;
import io.siplb.sip.ParseFailure;
import io.siplb.sip.ParseResult;
import io.siplb.sip.SipLimits;
import io.siplb.sip.SipParser;

import java.nio.charset.StandardCharsets;

/**
 * The error response to a request that did not parse (DESIGN.md principle 6: "a malformed
 * message gets a 400 when it is parseable enough to answer, and is dropped otherwise").
 *
 * <p>RFC 3261 §8.2.6 builds a response from the request's Via, From, To, Call-ID and CSeq, so
 * "parseable enough" means: it is a request (never answer a response, §16.7), and those header
 * lines can be found by a forgiving line scan although the message as a whole is invalid (an
 * RFC 4475 badvers.dat gets its 505 this way). The lines are copied byte for byte; nothing is
 * interpreted beyond the header name, so the malformed part cannot make the answer worse. No Via
 * line, no answer: a response without Via cannot be matched by the client. An answer that would
 * not itself parse within the default limits is not sent either.
 */
public final class UnparsedRequestResponse {

    /** How far the scan looks: the header section of any message siplb would have accepted. */
    private static final int MAX_SCAN_BYTES = 16 * 1024;

    private UnparsedRequestResponse() {}

    /**
     * The response bytes, or {@code null} when the frame is not answerable (a response, no Via,
     * or an error that is dropped by definition). The caller owns the result; {@code frame} is
     * only read.
     */
    public static ByteBuf encode(ByteBuf frame, ParseFailure failure, ByteBufAllocator alloc) {
        if (!failure.error().isAnswerable() || looksLikeResponse(frame)) {
            return null;
        }
        int start = frame.readerIndex();
        int end = Math.min(frame.writerIndex(), start + MAX_SCAN_BYTES);
        int lineEnd = nextLineEnd(frame, start, end);
        if (lineEnd < 0) {
            return null;
        }
        ByteBuf out = alloc.buffer(256);
        boolean ok = false;
        try {
            out.writeCharSequence("SIP/2.0 " + failure.error().statusCode() + ' ' + failure.error().reason() + "\r\n",
                    StandardCharsets.US_ASCII);
            boolean sawVia = false;
            boolean copying = false;
            for (int line = afterLineEnd(frame, lineEnd); line < end; ) {
                int eol = nextLineEnd(frame, line, end);
                if (eol < 0 || eol == line) {
                    break; // end of the header section (or of what we look at)
                }
                byte first = frame.getByte(line);
                if (first == ' ' || first == '\t') {
                    if (copying) {
                        copyLine(frame, line, eol, out); // a folded continuation (RFC 3261 §7.3.1)
                    }
                } else {
                    HeaderName name = nameOf(frame, line, eol);
                    copying = name == HeaderName.VIA || name == HeaderName.FROM || name == HeaderName.TO
                            || name == HeaderName.CALL_ID || name == HeaderName.CSEQ;
                    sawVia |= name == HeaderName.VIA;
                    if (copying) {
                        copyLine(frame, line, eol, out);
                    }
                }
                line = afterLineEnd(frame, eol);
            }
            if (!sawVia) {
                return null;
            }
            out.writeCharSequence("Server: siplb\r\nContent-Length: 0\r\n\r\n", StandardCharsets.US_ASCII);
            ok = parses(out);
            return ok ? out : null;
        } finally {
            if (!ok) {
                out.release();
            }
        }
    }

    /**
     * Whether the answer parses as a message within the default limits. Copying lines byte for
     * byte keeps the malformed part from being interpreted, but not from being repeated: a request
     * refused for too many header values in its Via lines, or for a Via line over the line limit,
     * would get an answer that breaks the same limit (found by the fuzzer, issue 8). Such a
     * request is not from a real path (Max-Forwards allows 70 hops), so it is dropped instead.
     * Error path only: a parse of the short answer, no copy.
     */
    private static boolean parses(ByteBuf answer) {
        ParseResult result = SipParser.parse(answer.retain(), SipLimits.DEFAULTS, Framing.DATAGRAM);
        if (result.isSuccess()) {
            result.message().release(); // the message held the extra reference
            return true;
        }
        answer.release(); // on failure the extra reference is still ours
        return false;
    }

    private static boolean looksLikeResponse(ByteBuf frame) {
        int i = frame.readerIndex();
        return frame.writerIndex() - i >= 4
                && (frame.getByte(i) | 0x20) == 's' && (frame.getByte(i + 1) | 0x20) == 'i'
                && (frame.getByte(i + 2) | 0x20) == 'p' && frame.getByte(i + 3) == '/';
    }

    /** The header name before the colon, trimmed; OTHER when there is no colon. */
    private static HeaderName nameOf(ByteBuf frame, int line, int eol) {
        int colon = frame.indexOf(line, eol, (byte) ':');
        if (colon < 0) {
            return HeaderName.OTHER;
        }
        int nameEnd = colon;
        while (nameEnd > line && (frame.getByte(nameEnd - 1) == ' ' || frame.getByte(nameEnd - 1) == '\t')) {
            nameEnd--;
        }
        return nameEnd == line ? HeaderName.OTHER : HeaderName.lookup(frame, line, nameEnd - line);
    }

    /** Index of the CR (of CRLF) or bare LF ending the line that starts at {@code from}; -1 if none before {@code end}. */
    private static int nextLineEnd(ByteBuf frame, int from, int end) {
        int lf = frame.indexOf(from, end, (byte) '\n');
        if (lf < 0) {
            return -1;
        }
        return lf > from && frame.getByte(lf - 1) == '\r' ? lf - 1 : lf;
    }

    private static int afterLineEnd(ByteBuf frame, int eol) {
        return frame.getByte(eol) == '\r' ? eol + 2 : eol + 1;
    }

    private static void copyLine(ByteBuf frame, int line, int eol, ByteBuf out) {
        out.writeBytes(frame, line, eol - line);
        out.writeByte('\r').writeByte('\n');
    }
}

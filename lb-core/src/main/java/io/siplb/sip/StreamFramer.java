package io.siplb.sip;

import static io.siplb.sip.Chars.CR;
import static io.siplb.sip.Chars.LF;
import static java.util.Objects.requireNonNull;

import io.netty.buffer.ByteBuf;

/**
 * Finds message boundaries in the byte stream of one TCP/TLS connection (RFC 3261 §18.3): a
 * message's header section ends at the first CRLFCRLF, and its body is Content-Length bytes.
 * Between messages it recognises the RFC 5626 §3.5.1 keep-alives: a CRLFCRLF ping (to be
 * answered with CRLF) and a bare CRLF (a pong, or a CRLF before a start line, RFC 3261 §7.5).
 *
 * <p>Use: call {@link #decode} with the cumulation buffer whenever bytes arrive. It reads from
 * the buffer's reader index and moves no index. On {@link FrameKind#MESSAGE},
 * {@link FrameKind#PING} and {@link FrameKind#KEEP_ALIVE} the caller consumes exactly
 * {@link #frameLength()} bytes (e.g. {@code in.readRetainedSlice(framer.frameLength())} for a
 * message) and calls again; on {@link FrameKind#NEED_MORE} it waits for more bytes; on
 * {@link FrameKind#ERROR} the stream cannot be resynchronised and the caller answers if it
 * can ({@link #failure()}) and closes the connection.
 *
 * <p>Work is linear in the bytes received however they are split: the framer remembers how
 * far it searched for the end of the header section (relative to the reader index, so the
 * caller may discard read bytes) and reads the header section once more, only to find
 * Content-Length.
 *
 * <p>One per connection; not thread-safe, not sharable. Poor fit: a lone CRLF at the end of
 * the buffer is held (NEED_MORE) until the next bytes show whether it begins a ping, so a
 * pong is reported when more bytes arrive; siplb is the answering side of keep-alives.
 *
 * <p>Content-Length is mandatory on streams; a message without it is framed with an empty
 * body (what RFC 3261 §20.14 implies when the sender has nothing after the header section).
 */
public final class StreamFramer {

    private final SipLimits limits;
    /** Bytes after the reader index already searched for the CRLFCRLF, while headers are incomplete. */
    private int scanned;
    /** Length of the message being framed once its header section was read, else -1. */
    private int pending = -1;
    private int frameLength;
    private ParseFailure failure;

    /** A framer enforcing {@code limits.maxMessageBytes()}. */
    public StreamFramer(SipLimits limits) {
        this.limits = requireNonNull(limits, "limits");
    }

    /** Examines the readable bytes of {@code in}; see the class documentation. */
    public FrameKind decode(ByteBuf in) {
        int start = in.readerIndex();
        int available = in.writerIndex() - start;
        if (pending >= 0) {
            return available >= pending ? found(FrameKind.MESSAGE, pending) : FrameKind.NEED_MORE;
        }
        if (available == 0) {
            return FrameKind.NEED_MORE;
        }
        if (scanned == 0) {
            FrameKind keepAlive = keepAlive(in, start, available);
            if (keepAlive != null) {
                return keepAlive;
            }
        }
        int searchEnd = start + Math.min(available, limits.maxMessageBytes());
        int from = start + scanned;
        while (true) {
            int lf = in.indexOf(from, searchEnd, LF);
            if (lf < 0) {
                scanned = searchEnd - start;
                if (scanned >= limits.maxMessageBytes()) {
                    return error(ParseError.MESSAGE_TOO_LARGE, searchEnd);
                }
                return FrameKind.NEED_MORE;
            }
            if (lf - 3 >= start && in.getByte(lf - 1) == CR && in.getByte(lf - 2) == LF
                    && in.getByte(lf - 3) == CR) {
                scanned = 0;
                return headersComplete(in, start, lf + 1, available);
            }
            from = lf + 1;
        }
    }

    /** Length of the frame found by the last call. */
    public int frameLength() {
        return frameLength;
    }

    /** Why the last call returned {@link FrameKind#ERROR}; offsets are absolute in its buffer. */
    public ParseFailure failure() {
        return failure;
    }

    /** CRLFCRLF ping, CRLF keep-alive, a prefix of them (NEED_MORE), or null for a message. */
    private FrameKind keepAlive(ByteBuf in, int start, int available) {
        byte b0 = in.getByte(start);
        if (b0 == LF) {
            return error(ParseError.BARE_LINE_BREAK, start);
        }
        if (b0 != CR) {
            return null;
        }
        if (available < 2) {
            return FrameKind.NEED_MORE;
        }
        if (in.getByte(start + 1) != LF) {
            return error(ParseError.BARE_LINE_BREAK, start);
        }
        if (available < 3) {
            return FrameKind.NEED_MORE;
        }
        if (in.getByte(start + 2) != CR) {
            return found(FrameKind.KEEP_ALIVE, 2);
        }
        if (available < 4) {
            return FrameKind.NEED_MORE;
        }
        return in.getByte(start + 3) == LF ? found(FrameKind.PING, 4) : found(FrameKind.KEEP_ALIVE, 2);
    }

    /** The header section is {@code [start, headersEnd)}; find Content-Length and the frame's end. */
    private FrameKind headersComplete(ByteBuf in, int start, int headersEnd, int available) {
        long contentLength = -1;
        int lineEnd = in.indexOf(start, headersEnd, LF) + 1; // skip the start line
        int lastLine = headersEnd - 2;
        while (lineEnd < lastLine) {
            int lineStart = lineEnd;
            int nameEnd = lineStart;
            while (nameEnd < lastLine && Chars.isToken(in.getByte(nameEnd))) {
                nameEnd++;
            }
            int lf = in.indexOf(lineStart, headersEnd, LF);
            while (lf + 1 < lastLine && Chars.isWsp(in.getByte(lf + 1))) {
                lf = in.indexOf(lf + 1, headersEnd, LF); // folded continuation (RFC 3261 §7.3.1)
            }
            lineEnd = lf + 1;
            if (nameEnd > lineStart && HeaderName.lookup(in, lineStart, nameEnd - lineStart)
                    == HeaderName.CONTENT_LENGTH) {
                int colon = nameEnd;
                while (colon < lf && Chars.isWsp(in.getByte(colon))) {
                    colon++;
                }
                if (colon >= lf || in.getByte(colon) != ':') {
                    continue; // not a header field; the parser will say so
                }
                int vs = colon + 1;
                int ve = lf;
                while (vs < ve && Chars.isLws(in.getByte(vs))) {
                    vs++;
                }
                while (ve > vs && Chars.isLws(in.getByte(ve - 1))) {
                    ve--;
                }
                long value = HeaderIndex.parseContentLength(in, vs, ve);
                if (value < 0) {
                    return error(ParseError.BAD_CONTENT_LENGTH, vs);
                }
                if (contentLength >= 0 && contentLength != value) {
                    return error(ParseError.CONFLICTING_CONTENT_LENGTH, lineStart);
                }
                contentLength = value;
            }
        }
        int headerBytes = headersEnd - start;
        if (contentLength > limits.maxMessageBytes()) {
            return error(ParseError.MESSAGE_TOO_LARGE, start);
        }
        long total = headerBytes + Math.max(contentLength, 0);
        if (total > limits.maxMessageBytes()) {
            return error(ParseError.MESSAGE_TOO_LARGE, start);
        }
        if (available >= total) {
            return found(FrameKind.MESSAGE, (int) total);
        }
        pending = (int) total;
        return FrameKind.NEED_MORE;
    }

    private FrameKind found(FrameKind kind, int length) {
        scanned = 0;
        pending = -1;
        frameLength = length;
        failure = null;
        return kind;
    }

    private FrameKind error(ParseError error, int offset) {
        scanned = 0;
        pending = -1;
        frameLength = 0;
        failure = new ParseFailure(error, offset);
        return FrameKind.ERROR;
    }
}

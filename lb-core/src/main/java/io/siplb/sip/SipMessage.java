package io.siplb.sip;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufHolder;
import io.siplb.sip.header.CSeq;
import io.siplb.sip.header.MaxForwards;
import io.siplb.sip.header.NameAddr;
import io.siplb.sip.header.Via;
import java.nio.charset.StandardCharsets;

/**
 * A SIP request or response as a view over the bytes it arrived in (RFC 3261 §7).
 *
 * <p>The parser locates the header values once ({@link #headerCount()} entries, one per
 * value, see {@link #name(int)}); typed values are parsed only when asked for and then
 * cached. All offsets are absolute indices into {@link #content()}, whose readable bytes are
 * exactly the message: from the first byte of the start line to the last byte of the body
 * (leading CRLFs and, over UDP, octets after Content-Length are outside).
 *
 * <p>The message owns its buffer: {@link #release()} releases it. Not thread-safe (the lazy
 * caches are plain fields); a message is handled by one event loop at a time.
 *
 * <p>Typed accessors return null when the header is absent <em>or</em> malformed; use
 * {@link #verify()} to learn which and where.
 */
public abstract sealed class SipMessage implements ByteBufHolder permits SipRequest, SipResponse {

    final ByteBuf content;
    final HeaderIndex index;
    private final int bodyStart;
    private final int bodyLength;

    private boolean topViaParsed;
    private Via topVia;
    private boolean fromParsed;
    private NameAddr from;
    private boolean toParsed;
    private NameAddr to;
    private boolean cseqParsed;
    private CSeq cseq;
    private int maxForwards = Integer.MIN_VALUE;
    private String callId;
    /** This thread's copy of the bytes, when the parser copied them (see {@link FrameBytes#copyOf}). */
    FrameBytes frameBytes;

    SipMessage(ByteBuf content, HeaderIndex index, int bodyStart, int bodyLength) {
        this.content = content;
        this.index = index;
        this.bodyStart = bodyStart;
        this.bodyLength = bodyLength;
    }

    /** Whether this is a request. */
    public abstract boolean isRequest();

    // ---- header index -----------------------------------------------------------------------

    /** Number of header values (a comma-separated Via line with two values counts twice). */
    public int headerCount() {
        return index.size();
    }

    /** The name of header value {@code h}; {@link HeaderName#OTHER} for unknown names. */
    public HeaderName name(int h) {
        return index.name(h);
    }

    /** Start of the raw name bytes of header value {@code h}. */
    public int nameStart(int h) {
        return index.nameStart(h);
    }

    /** End (exclusive) of the raw name bytes of header value {@code h}. */
    public int nameEnd(int h) {
        return index.nameEnd(h);
    }

    /** Start of value {@code h}, after leading LWS. */
    public int valueStart(int h) {
        return index.valueStart(h);
    }

    /** End (exclusive) of value {@code h}, before trailing LWS and any comma. */
    public int valueEnd(int h) {
        return index.valueEnd(h);
    }

    /** Start of the whole header line holding value {@code h}. */
    public int lineStart(int h) {
        return index.lineStart(h);
    }

    /** End (exclusive) of that line: after its CRLF, folded continuation lines included. */
    public int lineEnd(int h) {
        return index.lineEnd(h);
    }

    /** The first value of header {@code name}, or -1. */
    public int first(HeaderName name) {
        return index.first(name);
    }

    /**
     * The next value with the same {@link HeaderName} after {@code h}, or -1. For
     * {@link HeaderName#OTHER} that is the next unknown header, whatever its raw name.
     */
    public int next(int h) {
        return index.next(h);
    }

    /** How many values of header {@code name}. */
    public int count(HeaderName name) {
        return index.count(name);
    }

    /** Offset of the CRLF of the empty line that ends the header section. */
    public int headersEnd() {
        return index.headersEnd();
    }

    /** Offset of the first body byte: {@code headersEnd() + 2}. */
    public int bodyStart() {
        return bodyStart;
    }

    /** Body length in bytes. */
    public int bodyLength() {
        return bodyLength;
    }

    /** Value {@code h} as a String, ISO-8859-1 decoded (every byte maps to one char). Not for the hot path. */
    public String value(int h) {
        int start = valueStart(h);
        return content.toString(start, valueEnd(h) - start, StandardCharsets.ISO_8859_1);
    }

    /** Raw name of header value {@code h} as a String. Not for the hot path. */
    public String rawName(int h) {
        int start = nameStart(h);
        return content.toString(start, nameEnd(h) - start, StandardCharsets.ISO_8859_1);
    }

    // ---- lazy typed accessors ---------------------------------------------------------------

    /** The first Via value (RFC 3261 §20.42), or null when absent or malformed. */
    public Via topVia() {
        if (!topViaParsed) {
            int h = first(HeaderName.VIA);
            if (h >= 0) {
                int start = valueStart(h);
                int end = valueEnd(h);
                byte[] copy = copy(start, end);
                topVia = copy != null ? Via.parseBytes(copy, frameBytes.off, start, end) : Via.parse(content, start, end);
            }
            topViaParsed = true;
        }
        return topVia;
    }

    /** From (RFC 3261 §20.20), or null when absent or malformed. */
    public NameAddr from() {
        if (!fromParsed) {
            from = nameAddr(first(HeaderName.FROM));
            fromParsed = true;
        }
        return from;
    }

    /** To (RFC 3261 §20.39), or null when absent or malformed. */
    public NameAddr to() {
        if (!toParsed) {
            to = nameAddr(first(HeaderName.TO));
            toParsed = true;
        }
        return to;
    }

    private NameAddr nameAddr(int h) {
        if (h < 0) {
            return null;
        }
        int start = valueStart(h);
        int end = valueEnd(h);
        byte[] copy = copy(start, end);
        return copy != null ? NameAddr.parseBytes(copy, frameBytes.off, start, end) : NameAddr.parse(content, start, end);
    }

    /** CSeq (RFC 3261 §20.16), or null when absent or malformed. */
    public CSeq cseq() {
        if (!cseqParsed) {
            int h = first(HeaderName.CSEQ);
            if (h >= 0) {
                int start = valueStart(h);
                int end = valueEnd(h);
                byte[] copy = copy(start, end);
                cseq = copy != null ? CSeq.parseBytes(copy, frameBytes.off, start, end) : CSeq.parse(content, start, end);
            }
            cseqParsed = true;
        }
        return cseq;
    }

    /** Max-Forwards 0..255; -1 when absent, -2 when malformed or above 255. */
    public int maxForwards() {
        if (maxForwards == Integer.MIN_VALUE) {
            int h = first(HeaderName.MAX_FORWARDS);
            if (h < 0) {
                maxForwards = -1;
            } else {
                int start = valueStart(h);
                int end = valueEnd(h);
                byte[] copy = copy(start, end);
                int value = copy != null ? MaxForwards.parseBytes(copy, frameBytes.off, start, end)
                        : MaxForwards.parse(content, start, end);
                maxForwards = value < 0 ? -2 : value;
            }
        }
        return maxForwards;
    }

    /**
     * The parser's copy of this message's bytes {@code [start, end)} (at {@code k + frameBytes.off})
     * when it is still this thread's latest, else null: the typed accessors then read the buffer.
     */
    byte[] copy(int start, int end) {
        FrameBytes f = frameBytes;
        return f == null ? null : f.copyOf(this, start, end);
    }

    /** Call-ID as written, or null when absent. */
    public String callId() {
        if (callId == null) {
            int h = first(HeaderName.CALL_ID);
            if (h >= 0) {
                callId = value(h);
            }
        }
        return callId;
    }

    /** Content-Length as declared, -1 when absent. */
    public long contentLength() {
        return index.contentLength();
    }

    /**
     * Runs the full checks a proxy needs before acting on the message (required headers,
     * single-value headers, CSeq, Max-Forwards, Via, From, To, Request-URI syntax); see
     * {@link ParseError} for the list.
     *
     * @return null when the message is fine, else the first problem found
     */
    public ParseFailure verify() {
        return MessageVerifier.verify(this);
    }

    // ---- ByteBufHolder ----------------------------------------------------------------------

    @Override
    public ByteBuf content() {
        return content;
    }

    /** A copy over a copy of the bytes; offsets stay valid because indices are kept. */
    @Override
    public SipMessage copy() {
        ByteBuf copy = content.copy(0, content.writerIndex());
        copy.setIndex(content.readerIndex(), content.writerIndex());
        return replace(copy);
    }

    @Override
    public SipMessage duplicate() {
        return replace(content.duplicate());
    }

    @Override
    public SipMessage retainedDuplicate() {
        return replace(content.retainedDuplicate());
    }

    /**
     * A message of the same kind over {@code content}, which must hold the same bytes at the
     * same indices (the header index is shared, not recomputed).
     */
    @Override
    public abstract SipMessage replace(ByteBuf content);

    @Override
    public int refCnt() {
        return content.refCnt();
    }

    @Override
    public SipMessage retain() {
        content.retain();
        return this;
    }

    @Override
    public SipMessage retain(int increment) {
        content.retain(increment);
        return this;
    }

    @Override
    public SipMessage touch() {
        content.touch();
        return this;
    }

    @Override
    public SipMessage touch(Object hint) {
        content.touch(hint);
        return this;
    }

    @Override
    public boolean release() {
        return content.release();
    }

    @Override
    public boolean release(int decrement) {
        return content.release(decrement);
    }
}

package io.siplb.sip;

import io.netty.buffer.ByteBuf;
import io.siplb.sip.header.SipUri;
import java.nio.charset.StandardCharsets;

/** A SIP request: Request-Line {@code Method SP Request-URI SP SIP-Version CRLF} (RFC 3261 §7.1). */
public final class SipRequest extends SipMessage {

    private final SipMethod method;
    private final int methodStart;
    private final int methodEnd;
    private final int uriStart;
    private final int uriEnd;
    private boolean requestUriParsed;
    private SipUri requestUri;

    SipRequest(ByteBuf content, HeaderIndex index, int bodyStart, int bodyLength,
               SipMethod method, int methodStart, int methodEnd, int uriStart, int uriEnd) {
        super(content, index, bodyStart, bodyLength);
        this.method = method;
        this.methodStart = methodStart;
        this.methodEnd = methodEnd;
        this.uriStart = uriStart;
        this.uriEnd = uriEnd;
    }

    @Override
    public boolean isRequest() {
        return true;
    }

    /** The method; {@link SipMethod#OTHER} for extension methods (see {@link #methodStart()}). */
    public SipMethod method() {
        return method;
    }

    /** Start of the method token. */
    public int methodStart() {
        return methodStart;
    }

    /** End (exclusive) of the method token. */
    public int methodEnd() {
        return methodEnd;
    }

    /** The method as written. Not for the hot path. */
    public String methodName() {
        return content.toString(methodStart, methodEnd - methodStart, StandardCharsets.US_ASCII);
    }

    /** Start of the Request-URI. */
    public int uriStart() {
        return uriStart;
    }

    /** End (exclusive) of the Request-URI. */
    public int uriEnd() {
        return uriEnd;
    }

    /** The Request-URI parsed (any scheme; unknown schemes are opaque), or null when malformed. */
    public SipUri requestUri() {
        if (!requestUriParsed) {
            byte[] copy = copy(uriStart, uriEnd);
            requestUri = copy != null ? SipUri.parseBytes(copy, frameBytes.off, uriStart, uriEnd)
                    : SipUri.parse(content, uriStart, uriEnd);
            requestUriParsed = true;
        }
        return requestUri;
    }

    @Override
    public SipRequest replace(ByteBuf content) {
        return new SipRequest(content, index, bodyStart(), bodyLength(),
                method, methodStart, methodEnd, uriStart, uriEnd);
    }

    @Override
    public String toString() {
        if (refCnt() == 0) {
            return "SipRequest(released)";
        }
        return "SipRequest(" + methodName() + ' '
                + content.toString(uriStart, uriEnd - uriStart, StandardCharsets.ISO_8859_1)
                + ", " + headerCount() + " headers, body " + bodyLength() + ')';
    }
}

package io.siplb.sip;

import io.netty.buffer.ByteBuf;
import java.nio.charset.StandardCharsets;

/** A SIP response: Status-Line {@code SIP-Version SP Status-Code SP Reason-Phrase CRLF} (RFC 3261 §7.2). */
public final class SipResponse extends SipMessage {

    private final int statusCode;
    private final int reasonStart;
    private final int reasonEnd;

    SipResponse(ByteBuf content, HeaderIndex index, int bodyStart, int bodyLength,
                int statusCode, int reasonStart, int reasonEnd) {
        super(content, index, bodyStart, bodyLength);
        this.statusCode = statusCode;
        this.reasonStart = reasonStart;
        this.reasonEnd = reasonEnd;
    }

    @Override
    public boolean isRequest() {
        return false;
    }

    /** The status code, 100..699. */
    public int statusCode() {
        return statusCode;
    }

    /** Start of the Reason-Phrase (may be empty). */
    public int reasonStart() {
        return reasonStart;
    }

    /** End (exclusive) of the Reason-Phrase. */
    public int reasonEnd() {
        return reasonEnd;
    }

    /** The Reason-Phrase decoded as UTF-8 (RFC 3261 §25.1 allows UTF8-NONASCII). Not for the hot path. */
    public String reasonPhrase() {
        return content.toString(reasonStart, reasonEnd - reasonStart, StandardCharsets.UTF_8);
    }

    @Override
    public SipResponse replace(ByteBuf content) {
        return new SipResponse(content, index, bodyStart(), bodyLength(),
                statusCode, reasonStart, reasonEnd);
    }

    @Override
    public String toString() {
        if (refCnt() == 0) {
            return "SipResponse(released)";
        }
        return "SipResponse(" + statusCode + ", " + headerCount() + " headers, body " + bodyLength() + ')';
    }
}

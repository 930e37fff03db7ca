package io.siplb.sip;

import io.netty.buffer.ByteBuf;

/**
 * Classifies a received datagram: a SIP message, a keep-alive, or STUN. Stateless; a
 * datagram's extent is the message's extent, so Content-Length is left to
 * {@link SipParser#parse} with {@link Framing#DATAGRAM} (RFC 3261 §18.3).
 *
 * <p>For streams use a {@link StreamFramer} per connection.
 */
public final class SipFramer {

    /** STUN magic cookie (RFC 5389 §6). */
    private static final int STUN_MAGIC_COOKIE = 0x2112A442;
    private static final int STUN_HEADER_BYTES = 20;

    private SipFramer() {
    }

    /**
     * What the readable bytes of {@code datagram} are: {@link FrameKind#KEEP_ALIVE} when it
     * holds only CR, LF, SP, HTAB or NUL (or nothing; clients send such packets to keep NAT
     * bindings open), {@link FrameKind#STUN} for a STUN message, else
     * {@link FrameKind#MESSAGE}. Reads only the readable bytes; moves no index.
     */
    public static FrameKind frame(ByteBuf datagram) {
        int start = datagram.readerIndex();
        int end = datagram.writerIndex();
        if (end - start >= STUN_HEADER_BYTES
                && (datagram.getByte(start) & 0xC0) == 0
                && datagram.getInt(start + 4) == STUN_MAGIC_COOKIE) {
            // the top two bits of a STUN message are zero; no SIP start line begins that way
            return FrameKind.STUN;
        }
        for (int i = start; i < end; i++) {
            byte b = datagram.getByte(i);
            if (b != '\r' && b != '\n' && b != ' ' && b != '\t' && b != 0) {
                return FrameKind.MESSAGE;
            }
        }
        return FrameKind.KEEP_ALIVE;
    }
}

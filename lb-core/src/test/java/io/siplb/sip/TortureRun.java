package io.siplb.sip;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;

/** Parses one corpus message as a single datagram and verifies it; owns and releases the buffers. */
final class TortureRun implements AutoCloseable {

    final ParseResult parsed;
    final ParseFailure verified;
    private final ByteBuf buf;

    private TortureRun(byte[] bytes) {
        buf = Unpooled.wrappedBuffer(bytes);
        parsed = SipParser.parse(buf, SipLimits.DEFAULTS, Framing.DATAGRAM);
        verified = parsed.isSuccess() ? parsed.message().verify() : null;
    }

    static TortureRun of(String path) {
        return new TortureRun(SipText.resourceBytes(path));
    }

    static TortureRun of(byte[] bytes) {
        return new TortureRun(bytes);
    }

    /** The first failure: from parse(), else from verify(); null when the message is fine. */
    ParseFailure failure() {
        return parsed.isSuccess() ? verified : parsed.failure();
    }

    SipMessage message() {
        return parsed.message();
    }

    SipRequest request() {
        return (SipRequest) parsed.message();
    }

    SipResponse response() {
        return (SipResponse) parsed.message();
    }

    @Override
    public void close() {
        if (parsed.isSuccess()) {
            parsed.message().release();
        } else {
            buf.release();
        }
    }
}

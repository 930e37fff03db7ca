package io.siplb.netty.pipeline;

import io.netty.util.ReferenceCounted;
import io.siplb.route.Source;
import io.siplb.sip.SipMessage;

import static java.util.Objects.requireNonNull;

/**
 * A parsed message and where it came from: what the transport decoders hand to
 * {@link SipRoutingHandler}. Everything after this point is the same for UDP and TCP.
 *
 * <p>Reference counting delegates to the message, so a {@code SipInbound} that nobody handles
 * is released by Netty's pipeline tail like any other buffer holder, and
 * {@code ReferenceCountUtil.release(inbound)} releases the received bytes.
 *
 * @param message the message, a view over the received bytes; owns them
 * @param source  the transport, peer, local address and connection it arrived on
 */
public record SipInbound(SipMessage message, Source source) implements ReferenceCounted {

    public SipInbound {
        requireNonNull(message, "message");
        requireNonNull(source, "source");
    }

    @Override
    public int refCnt() {
        return message.refCnt();
    }

    @Override
    public SipInbound retain() {
        message.retain();
        return this;
    }

    @Override
    public SipInbound retain(int increment) {
        message.retain(increment);
        return this;
    }

    @Override
    public SipInbound touch() {
        message.touch();
        return this;
    }

    @Override
    public SipInbound touch(Object hint) {
        message.touch(hint);
        return this;
    }

    @Override
    public boolean release() {
        return message.release();
    }

    @Override
    public boolean release(int decrement) {
        return message.release(decrement);
    }
}

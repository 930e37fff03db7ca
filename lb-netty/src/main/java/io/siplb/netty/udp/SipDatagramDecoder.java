package io.siplb.netty.udp;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandler.Sharable;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.socket.DatagramPacket;
import io.netty.handler.codec.MessageToMessageDecoder;
import io.siplb.netty.pipeline.SipCounters;
import io.siplb.netty.pipeline.SipCounters.Event;
import io.siplb.netty.pipeline.SipInbound;
import io.siplb.route.Source;
import io.siplb.route.UnparsedRequestResponse;
import io.siplb.sip.FrameKind;
import io.siplb.sip.Framing;
import io.siplb.sip.ParseResult;
import io.siplb.sip.SipFramer;
import io.siplb.sip.SipLimits;
import io.siplb.sip.SipMessage;
import io.siplb.sip.SipParser;

import java.util.List;

import static java.util.Objects.requireNonNull;

/**
 * Turns a datagram into a {@link SipInbound}: one datagram is one message (RFC 3261 §18.3).
 *
 * <p>Keep-alives (line breaks only) and STUN are counted and dropped. Everything else is parsed
 * in place: the parser gets the datagram's own buffer with one more reference, so the message
 * is a view over the received bytes and nothing is copied. A datagram that does not parse is
 * counted by its {@code ParseError} and, when it is a request whose Via, From, To, Call-ID and
 * CSeq lines can still be found, answered with the error's status
 * ({@link UnparsedRequestResponse}); otherwise dropped. The router answers the ones that parse
 * but fail {@code verify()}.
 *
 * <p>Buffer ownership: {@link MessageToMessageDecoder} releases the packet after
 * {@link #decode}; the message holds the extra reference taken here and is released by
 * {@code SipRoutingHandler}. Stateless and {@link Sharable}: one instance serves every socket.
 */
@Sharable
public final class SipDatagramDecoder extends MessageToMessageDecoder<DatagramPacket> {

    private final SipLimits limits;
    private final SipCounters counters;

    public SipDatagramDecoder(SipLimits limits, SipCounters counters) {
        super(DatagramPacket.class);
        this.limits = requireNonNull(limits, "limits");
        this.counters = requireNonNull(counters, "counters");
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, DatagramPacket packet, List<Object> out) {
        ByteBuf content = packet.content();
        FrameKind kind = SipFramer.frame(content);
        if (kind == FrameKind.KEEP_ALIVE) {
            counters.count(Event.KEEP_ALIVE); // RFC 5626 §4.4.1: a NAT binding refresh, nothing to answer
            return;
        }
        if (kind == FrameKind.STUN) {
            counters.count(Event.STUN);
            return;
        }
        ByteBuf frame = content.retain();
        ParseResult result = SipParser.parse(frame, limits, Framing.DATAGRAM);
        if (!result.isSuccess()) {
            counters.parseError(result.failure().error());
            // DESIGN principle 6: a 400 (505, 413...) when it is parseable enough to answer
            ByteBuf answer = UnparsedRequestResponse.encode(frame, result.failure(), ctx.alloc());
            frame.release(); // on failure the buffer is still ours
            if (answer != null) {
                counters.count(Event.RESPONDED);
                ctx.writeAndFlush(new DatagramPacket(answer, packet.sender(), packet.recipient()), ctx.voidPromise());
            }
            return;
        }
        SipMessage message = result.message();
        counters.count(message.isRequest() ? Event.REQUEST_IN : Event.RESPONSE_IN);
        out.add(new SipInbound(message, Source.udp(packet.sender(), packet.recipient())));
    }
}

package io.siplb.netty.stream;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.siplb.netty.pipeline.SipCounters;
import io.siplb.netty.pipeline.SipCounters.Event;
import io.siplb.netty.pipeline.SipInbound;
import io.siplb.route.Source;
import io.siplb.route.Transport;
import io.siplb.route.UnparsedRequestResponse;
import io.siplb.sip.FrameKind;
import io.siplb.sip.Framing;
import io.siplb.sip.ParseResult;
import io.siplb.sip.SipLimits;
import io.siplb.sip.SipMessage;
import io.siplb.sip.SipParser;
import io.siplb.sip.StreamFramer;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;

import static java.util.Objects.requireNonNull;

/**
 * Splits one TCP connection's bytes into {@link SipInbound} messages with lb-core's
 * {@link StreamFramer}, and handles the RFC 5626 §3.5.1 keep-alives on the way: a CRLFCRLF ping
 * is answered with CRLF, a bare CRLF is consumed.
 *
 * <p>A frame whose extent is known but whose content does not parse is counted, answered when it
 * is a request with enough headers left ({@link UnparsedRequestResponse}), and skipped; the
 * stream stays in step. Bytes that cannot be framed at all (a bad or conflicting Content-Length,
 * a message over the size limit, a bare LF) leave no way to find the next message, so the
 * connection is closed (RFC 3261 §18.3).
 *
 * <p>Each message is a retained slice of the cumulation buffer, parsed in place. One instance
 * per connection: it holds the framer's state and is not sharable.
 */
public final class SipStreamDecoder extends ByteToMessageDecoder {

    /** The pong (RFC 5626 §3.5.1); shared, never released, duplicated per write. */
    private static final ByteBuf CRLF = Unpooled.unreleasableBuffer(
            Unpooled.wrappedBuffer("\r\n".getBytes(StandardCharsets.US_ASCII)).asReadOnly());

    private final StreamFramer framer;
    private final SipLimits limits;
    private final SipCounters counters;
    private final Transport transport;
    private Source source;

    public SipStreamDecoder(Transport transport, SipLimits limits, SipCounters counters) {
        this.transport = requireNonNull(transport, "transport");
        this.limits = requireNonNull(limits, "limits");
        this.counters = requireNonNull(counters, "counters");
        this.framer = new StreamFramer(limits);
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        FrameKind kind = framer.decode(in);
        switch (kind) {
            case NEED_MORE:
                return;
            case PING:
                in.skipBytes(framer.frameLength());
                counters.count(Event.PONG);
                ctx.writeAndFlush(CRLF.duplicate());
                return;
            case KEEP_ALIVE:
                in.skipBytes(framer.frameLength());
                counters.count(Event.KEEP_ALIVE);
                return;
            case MESSAGE:
                message(ctx, in.readRetainedSlice(framer.frameLength()), out);
                return;
            default:
                // ERROR (or STUN, which has no place on a stream): the stream cannot be resynchronised
                counters.count(Event.FRAMING_ERROR);
                if (framer.failure() != null) {
                    counters.parseError(framer.failure().error());
                }
                in.skipBytes(in.readableBytes());
                ctx.close();
        }
    }

    private void message(ChannelHandlerContext ctx, ByteBuf frame, List<Object> out) {
        ParseResult result = SipParser.parse(frame, limits, Framing.STREAM);
        if (!result.isSuccess()) {
            counters.parseError(result.failure().error());
            // the frame's extent is known, so the stream stays in step: answer it if we can
            ByteBuf answer = UnparsedRequestResponse.encode(frame, result.failure(), ctx.alloc());
            frame.release();
            if (answer != null) {
                counters.count(Event.RESPONDED);
                ctx.writeAndFlush(answer, ctx.voidPromise());
            }
            return;
        }
        SipMessage message = result.message();
        counters.count(message.isRequest() ? Event.REQUEST_IN : Event.RESPONSE_IN);
        out.add(new SipInbound(message, source(ctx.channel())));
    }

    /** Made on the first message: an opened connection has no remote address before it connects. */
    private Source source(Channel ch) {
        if (source == null) {
            source = new Source(transport, (InetSocketAddress) ch.remoteAddress(),
                    (InetSocketAddress) ch.localAddress(), ConnectionTable.idOf(ch));
        }
        return source;
    }
}

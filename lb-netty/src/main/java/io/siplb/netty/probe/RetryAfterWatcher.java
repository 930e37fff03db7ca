package io.siplb.netty.probe;

import io.netty.channel.ChannelHandler.Sharable;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.siplb.netty.pipeline.BackendSignals;
import io.siplb.netty.pipeline.SipInbound;
import io.siplb.sip.SipResponse;

import static java.util.Objects.requireNonNull;

/**
 * Passive detection on routed traffic: a 503 with Retry-After that a backend sends through
 * siplb (RFC 3261 §21.5.4: send it no other request for that long) is reported to health
 * checking, which holds the backend out for the (capped) time. It sits just before the routing
 * handler and passes every message on untouched; a response costs one status-code compare.
 * Whether the sender is a backend is decided by the receiver of the signal. {@link Sharable}.
 */
@Sharable
public final class RetryAfterWatcher extends ChannelInboundHandlerAdapter {

    private final BackendSignals signals;

    public RetryAfterWatcher(BackendSignals signals) {
        this.signals = requireNonNull(signals, "signals");
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof SipInbound inbound && inbound.message() instanceof SipResponse response
                && response.statusCode() == 503) {
            long seconds = ProbeMessages.retryAfterSeconds(response);
            if (seconds > 0) {
                signals.retryAfter(inbound.source().remote(), seconds);
            }
        }
        ctx.fireChannelRead(msg);
    }
}

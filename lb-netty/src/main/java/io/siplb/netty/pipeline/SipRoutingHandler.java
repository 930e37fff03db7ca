package io.siplb.netty.pipeline;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandler.Sharable;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.socket.DatagramChannel;
import io.siplb.netty.metrics.SendTime;
import io.siplb.netty.metrics.SipMetrics;
import io.siplb.netty.pipeline.SipCounters.Event;
import io.siplb.hash.Backend;
import io.siplb.route.Decision;
import io.siplb.route.Drop;
import io.siplb.route.DropReason;
import io.siplb.route.Forward;
import io.siplb.route.LocalResponse;
import io.siplb.route.Replicate;
import io.siplb.route.Respond;
import io.siplb.route.ResponseRouter;
import io.siplb.route.Router;
import io.siplb.route.RoutingView;
import io.siplb.route.Side;
import io.siplb.route.Source;
import io.siplb.sip.SipMessage;
import io.siplb.sip.SipMethod;
import io.siplb.sip.SipRequest;
import io.siplb.sip.SipResponse;
import io.siplb.sip.edit.MessageSplicer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;

import static java.util.Objects.requireNonNull;

/**
 * Asks lb-core what to do with each {@link SipInbound} and does it (DESIGN "Data flow"):
 * requests go to {@link Router}, responses to {@link ResponseRouter}, and the {@link Decision}
 * is carried out here: {@link Forward} splices the edits into the received bytes and sends them;
 * {@link Respond} encodes a local response and sends it back to the source; {@link Drop} is
 * counted. This is the only place the pipeline touches routing, and it knows no SIP rules.
 *
 * <p>Each message is routed against one {@link RoutingView} snapshot, read once. The message is
 * released when it has been handled, whatever happened. Writes to the channel the message came
 * in on are flushed once per read batch in {@link #channelReadComplete} (one syscall batch per
 * epoll wake-up, as Netty's datagram examples do).
 *
 * <p>A {@code RuntimeException} from the core is a bug, not bad input (bad input is a
 * {@code Drop} or a {@code Respond}); it is counted and the message dropped, so one bad message
 * cannot take the pipeline down. The first one is logged with its stack trace, later ones only
 * counted: never a log line per message.
 *
 * <p>Stateless and {@link Sharable}: one instance serves every UDP socket and TCP connection.
 */
@Sharable
public final class SipRoutingHandler extends ChannelInboundHandlerAdapter {

    private static final Logger log = LoggerFactory.getLogger(SipRoutingHandler.class);

    private final Router router;
    private final ResponseRouter responses;
    private final Supplier<RoutingView> view;
    private final Sender sender;
    private final SipCounters counters;
    private final AtomicBoolean loggedInternalError = new AtomicBoolean();
    /** Null: no Micrometer meters (unit tests of the pipeline). */
    private final SipMetrics metrics;
    private final SendTime sendTime;

    /**
     * @param view the current routing snapshot, e.g. {@code AtomicReference::get}; read once per request
     */
    public SipRoutingHandler(Router router, ResponseRouter responses, Supplier<RoutingView> view,
                             Sender sender, SipCounters counters) {
        this(router, responses, view, sender, counters, null, SendTime.viaParam());
    }

    /**
     * @param metrics  the meters, or {@code null} for none
     * @param sendTime reads the send time back from a backend's response, for its response time
     */
    public SipRoutingHandler(Router router, ResponseRouter responses, Supplier<RoutingView> view,
                             Sender sender, SipCounters counters, SipMetrics metrics, SendTime sendTime) {
        this.router = requireNonNull(router, "router");
        this.responses = requireNonNull(responses, "responses");
        this.view = requireNonNull(view, "view");
        this.sender = requireNonNull(sender, "sender");
        this.counters = requireNonNull(counters, "counters");
        this.metrics = metrics;
        this.sendTime = requireNonNull(sendTime, "sendTime");
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof SipInbound)) {
            ctx.fireChannelRead(msg);
            return;
        }
        SipInbound inbound = (SipInbound) msg;
        SipMessage message = inbound.message();
        try {
            RoutingView current = view.get();
            Decision decision = message instanceof SipRequest
                    ? router.route((SipRequest) message, inbound.source(), current)
                    : responses.route((SipResponse) message, inbound.source());
            carryOut(ctx, message, inbound.source(), decision);
            if (metrics != null) {
                measure(message, inbound.source(), current, decision);
            }
        } catch (RuntimeException e) {
            counters.count(Event.INTERNAL_ERROR);
            if (loggedInternalError.compareAndSet(false, true)) {
                log.error("Routing failed (a bug; later failures are only counted): {}", message, e);
            }
        } finally {
            message.release();
        }
    }

    private void carryOut(ChannelHandlerContext ctx, SipMessage message, Source source, Decision decision) {
        if (decision instanceof Forward) {
            Forward forward = (Forward) decision;
            // the splice holds its own references to the received bytes; the message is released after
            ByteBuf out = MessageSplicer.splice(message, forward.edits(), ctx.alloc());
            sender.send(ctx.channel(), forward.target(), out);
            counters.count(Event.FORWARDED);
        } else if (decision instanceof Replicate) {
            // REGISTER replication: two splices of the same bytes, each with its own Via (the
            // replica's also with the marker), sent to the home proxy and to the second choice
            Replicate replicate = (Replicate) decision;
            send(ctx, message, replicate.primary());
            send(ctx, message, replicate.replica());
        } else if (decision instanceof Respond) {
            if (!(message instanceof SipRequest)) {
                counters.drop(DropReason.INVALID_RESPONSE); // responses are never answered
                return;
            }
            ByteBuf out = LocalResponse.encode((SipRequest) message, (Respond) decision, source, ctx.alloc());
            sender.reply(ctx.channel(), source, out);
            counters.count(Event.RESPONDED);
        } else {
            counters.drop(((Drop) decision).reason());
        }
    }

    private void send(ChannelHandlerContext ctx, SipMessage message, Forward forward) {
        ByteBuf out = MessageSplicer.splice(message, forward.edits(), ctx.alloc());
        sender.send(ctx.channel(), forward.target(), out);
        counters.count(Event.FORWARDED);
    }

    /** Counts what happened to {@code message}; a few array lookups, no allocation. */
    private void measure(SipMessage message, Source source, RoutingView current, Decision decision) {
        Side side = current.sideOf(source);
        if (message instanceof SipRequest) {
            SipMethod method = ((SipRequest) message).method();
            metrics.request(method, side);
            if (decision instanceof Forward) {
                String backendId = ((Forward) decision).backendId();
                if (backendId != null) {
                    metrics.forwarded(current.backends(), backendId, method != SipMethod.ACK);
                }
            } else if (decision instanceof Respond) {
                Respond respond = (Respond) decision;
                metrics.localResponse(respond.status());
                if (respond.status() == 430) {
                    metrics.flowTokenFailure(SipMetrics.FlowTokenFailure.FLOW_GONE); // RFC 5626 §5.3
                } else if (respond == Router.INVALID_FLOW_TOKEN) {
                    metrics.flowTokenFailure(SipMetrics.FlowTokenFailure.INVALID);
                } else if (respond == Router.FOREIGN_FLOW_TOKEN) {
                    metrics.flowTokenFailure(SipMetrics.FlowTokenFailure.FOREIGN);
                }
            } else if (decision instanceof Drop && ((Drop) decision).reason() == DropReason.FLOW_GONE) {
                metrics.flowTokenFailure(SipMetrics.FlowTokenFailure.FLOW_GONE);
            } else if (decision instanceof Replicate) {
                Replicate replicate = (Replicate) decision;
                metrics.forwarded(current.backends(), replicate.primary().backendId(), true);
                metrics.replicaSent(current.backends(), replicate.replica().backendId());
            }
            return;
        }
        SipResponse response = (SipResponse) message;
        int status = response.statusCode();
        metrics.response(status, side);
        if (status >= 300 && decision == Drop.of(DropReason.REPLICA_RESPONSE)) {
            Backend backend = current.backendAt(source.remote());
            if (backend != null) {
                metrics.replicaFailed(current.backends(), backend.id()); // e.g. a registrar that challenges replicas
            }
        }
        if (side == Side.INSIDE && decision instanceof Forward) {
            Backend backend = current.backendAt(source.remote());
            if (backend != null) {
                metrics.answered(current.backends(), backend.id(), response, sendTime, status);
            }
        }
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        ctx.flush();
        ctx.fireChannelReadComplete();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        // A peer resetting its connection, an ICMP error on a socket: routine on the Internet.
        counters.count(Event.IO_ERROR);
        log.debug("I/O error on {}", ctx.channel(), cause);
        if (!(ctx.channel() instanceof DatagramChannel)) {
            ctx.close(); // a stream in an unknown state cannot be trusted to stay in step
        }
    }
}

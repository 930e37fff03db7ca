package io.siplb.netty.probe;

import com.google.common.net.InetAddresses;
import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.ConnectTimeoutException;
import io.netty.channel.EventLoop;
import io.netty.channel.socket.DatagramPacket;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.netty.util.ReferenceCountUtil;
import io.siplb.hash.Backend;
import io.siplb.health.PassiveSignal;
import io.siplb.health.Probe;
import io.siplb.health.ProbeResult;
import io.siplb.netty.Transports;
import io.siplb.sip.FrameKind;
import io.siplb.sip.Framing;
import io.siplb.sip.ParseResult;
import io.siplb.sip.SipLimits;
import io.siplb.sip.SipParser;
import io.siplb.sip.SipResponse;
import io.siplb.sip.StreamFramer;

import java.io.IOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.NoRouteToHostException;
import java.net.PortUnreachableException;
import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static java.util.Objects.requireNonNull;

/**
 * Sends the OPTIONS probes a {@link io.siplb.health.HealthTracker} asks for and reports how each
 * ended, over sockets of its own, one per backend, all on one event loop.
 *
 * <ul>
 *   <li>UDP: a <em>connected</em> datagram socket per backend, bound to an ephemeral port of the
 *       node's own address (the kernel's choice for the route, never the VIP). Connected, so the
 *       kernel reports an ICMP port unreachable for that backend on that socket
 *       ({@link PortUnreachableException}): the probe fails and a
 *       {@link PassiveSignal#PORT_UNREACHABLE} is reported at once, instead of waiting for
 *       {@code fall} timeouts.</li>
 *   <li>TCP: a connection per backend, opened on the first probe and kept; a refused connect or
 *       a reset becomes the probe's failure and a passive signal, and the next probe
 *       reconnects. TLS backends are probed over TCP (no TLS client yet): a poor fit.</li>
 * </ul>
 *
 * Replies come back to these sockets (the Via names them, with {@code rport}), so they never
 * reach the SIP pipeline. A reply is matched to the probe in flight by Call-ID; anything else
 * (a late reply, a retransmission) is ignored, and the tracker ignores results of probes it has
 * already given up on.
 *
 * <p>Not thread-safe: every method runs on {@code loop}, which is also where results are
 * reported.
 */
final class OptionsProber implements AutoCloseable {

    private final EventLoop loop;
    private final ProbeListener listener;
    private final SipLimits limits;
    private final ProbeMessages messages;
    private final Map<String, Target> targets = new HashMap<>();
    private int connectTimeoutMillis;

    OptionsProber(EventLoop loop, ProbeListener listener, SipLimits limits, String nodeTag, Duration connectTimeout) {
        this.loop = requireNonNull(loop, "loop");
        this.listener = requireNonNull(listener, "listener");
        this.limits = requireNonNull(limits, "limits");
        this.messages = new ProbeMessages(nodeTag);
        this.connectTimeoutMillis = (int) Math.max(1, connectTimeout.toMillis());
    }

    /** TCP connects give up after this long (the probe timeout: a slower accept is a failed probe anyway). */
    void connectTimeout(Duration timeout) {
        this.connectTimeoutMillis = (int) Math.max(1, timeout.toMillis());
    }

    /** Sends {@code probe}; its result is reported to the listener, later or at once. */
    void send(Probe probe) {
        Backend b = probe.backend();
        Target t = targets.get(b.id());
        if (t != null && !sameAddress(t.backend, b)) {
            t.close();
            t = null;
        }
        if (t == null) {
            t = new Target(b);
            targets.put(b.id(), t);
        }
        t.send(probe);
    }

    /** Closes the sockets of backends no longer configured (or readdressed) after a reload. */
    void retain(Collection<Backend> backends) {
        Map<String, Backend> keep = new HashMap<>();
        for (Backend b : backends) {
            keep.put(b.id(), b);
        }
        Set<String> gone = new HashSet<>();
        targets.forEach((id, t) -> {
            Backend b = keep.get(id);
            if (b == null || !sameAddress(b, t.backend)) {
                gone.add(id);
            }
        });
        for (String id : gone) {
            targets.remove(id).close();
        }
    }

    @Override
    public void close() {
        for (Target t : targets.values()) {
            t.close();
        }
        targets.clear();
    }

    private static boolean sameAddress(Backend a, Backend b) {
        return a.host().equals(b.host()) && a.port() == b.port() && a.transport().equals(b.transport());
    }

    /** The passive signal an I/O failure on a probe socket stands for, or {@code null}. */
    static PassiveSignal signalOf(Throwable cause) {
        if (cause instanceof PortUnreachableException) {
            return PassiveSignal.PORT_UNREACHABLE;
        }
        if (cause instanceof NoRouteToHostException) {
            return PassiveSignal.HOST_UNREACHABLE;
        }
        if (cause instanceof ConnectTimeoutException) {
            return PassiveSignal.CONNECT_TIMEOUT;
        }
        if (cause instanceof ConnectException) {
            return PassiveSignal.CONNECTION_REFUSED;
        }
        String m = cause.getMessage();
        if (cause instanceof IOException && m != null) {
            if (m.contains("reset")) {
                return PassiveSignal.CONNECTION_RESET;
            }
            if (m.contains("refused")) {
                return PassiveSignal.PORT_UNREACHABLE; // ECONNREFUSED on a connected UDP socket
            }
            if (m.contains("unreachable")) {
                return PassiveSignal.HOST_UNREACHABLE;
            }
        }
        return null;
    }

    /** One backend's socket and the probe in flight on it. */
    private final class Target {
        final Backend backend;
        final boolean stream;
        ChannelFuture channel;
        Probe inFlight;
        String inFlightCallId;

        Target(Backend backend) {
            this.backend = backend;
            this.stream = !backend.transport().equals("UDP");
        }

        void send(Probe probe) {
            inFlight = probe;
            inFlightCallId = null;
            if (channel == null) {
                channel = open();
            }
            ChannelFuture f = channel;
            if (f.isDone()) {
                write(f, probe);
            } else {
                f.addListener(done -> write(f, probe));
            }
        }

        private ChannelFuture open() {
            InetSocketAddress remote = new InetSocketAddress(InetAddresses.forString(backend.host()), backend.port());
            Bootstrap b = new Bootstrap().group(loop);
            if (stream) {
                b.channel(Transports.socketChannel())
                        .option(ChannelOption.TCP_NODELAY, true)
                        .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, connectTimeoutMillis)
                        .handler(new ChannelInitializer<Channel>() {
                            @Override
                            protected void initChannel(Channel ch) {
                                ch.pipeline().addLast(new StreamResponses(), new Replies(Target.this));
                            }
                        });
            } else {
                b.channelFactory(() -> Transports.newDatagramChannel(remote.getAddress()))
                        .handler(new Replies(this));
            }
            return b.connect(remote);
        }

        private void write(ChannelFuture f, Probe probe) {
            if (inFlight != probe) {
                return; // superseded while connecting
            }
            if (!f.isSuccess()) {
                channel = null; // the next probe tries again
                failed(f.cause());
                return;
            }
            Channel ch = f.channel();
            InetSocketAddress local = (InetSocketAddress) ch.localAddress();
            inFlightCallId = messages.callId(probe, local);
            ByteBuf out = messages.options(probe, local, ch.alloc());
            ch.writeAndFlush(out).addListener(w -> {
                if (!w.isSuccess() && inFlight == probe) {
                    failed(w.cause());
                }
            });
        }

        /** A reply arrived on this backend's socket. */
        void replied(SipResponse response) {
            if (inFlight == null || inFlightCallId == null || !inFlightCallId.equals(response.callId())) {
                return; // late, stray, or a retransmission of an answered probe
            }
            ProbeResult result = ProbeMessages.resultOf(response);
            if (result == null) {
                return; // provisional: wait for the final one
            }
            Probe probe = inFlight;
            inFlight = null;
            listener.onProbeResult(probe, result);
        }

        /** The socket failed: the probe in flight (if any) fails, and the failure is evidence. */
        void failed(Throwable cause) {
            Probe probe = inFlight;
            inFlight = null;
            if (probe != null) {
                listener.onProbeResult(probe, ProbeResult.unreachable());
            }
            PassiveSignal signal = cause == null ? null : signalOf(cause);
            if (signal != null) {
                listener.onPassiveSignal(backend.id(), signal);
            }
        }

        void closed(Channel ch) {
            if (channel != null && channel.channel() == ch) {
                channel = null;
                if (inFlight != null) {
                    failed(new IOException("connection closed by the backend"));
                }
            }
        }

        void close() {
            inFlight = null;
            ChannelFuture f = channel;
            channel = null;
            if (f != null) {
                f.channel().close();
            }
        }
    }

    /** Parses replies (datagrams or stream frames) and hands them to their target. */
    private final class Replies extends ChannelInboundHandlerAdapter {
        private final Target target;

        Replies(Target target) {
            this.target = target;
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            if (msg instanceof SipResponse response) {
                try {
                    target.replied(response);
                } finally {
                    response.release();
                }
                return;
            }
            if (!(msg instanceof DatagramPacket packet)) {
                ReferenceCountUtil.release(msg);
                return;
            }
            ByteBuf frame = packet.content();
            ParseResult result = SipParser.parse(frame, limits, Framing.DATAGRAM);
            if (!result.isSuccess()) {
                packet.release();
                return;
            }
            try {
                if (result.message() instanceof SipResponse response) {
                    target.replied(response);
                }
            } finally {
                result.message().release(); // the message owns the packet's buffer
            }
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            // ICMP port unreachable on the connected UDP socket, a TCP reset: both are news about the backend
            target.failed(cause);
            if (target.stream) {
                ctx.close();
            }
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            target.closed(ctx.channel());
            ctx.fireChannelInactive();
        }
    }

    /** Frames a probe connection's bytes into responses ({@link StreamFramer}); requests and junk are skipped. */
    private final class StreamResponses extends ByteToMessageDecoder {
        private final StreamFramer framer = new StreamFramer(limits);

        @Override
        protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
            FrameKind kind = framer.decode(in);
            switch (kind) {
                case NEED_MORE:
                    return;
                case MESSAGE: {
                    ByteBuf frame = in.readRetainedSlice(framer.frameLength());
                    ParseResult r = SipParser.parse(frame, limits, Framing.STREAM);
                    if (!r.isSuccess()) {
                        frame.release();
                    } else if (r.message() instanceof SipResponse response) {
                        out.add(response);
                    } else {
                        r.message().release();
                    }
                    return;
                }
                case PING:
                case KEEP_ALIVE:
                    in.skipBytes(framer.frameLength());
                    return;
                default:
                    in.skipBytes(in.readableBytes());
                    ctx.close();
            }
        }
    }
}

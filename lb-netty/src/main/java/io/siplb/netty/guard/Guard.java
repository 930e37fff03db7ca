package io.siplb.netty.guard;

import com.google.common.net.InetAddresses;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandler.Sharable;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.MaxMessagesRecvByteBufAllocator;
import io.netty.channel.socket.DatagramPacket;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.handler.timeout.IdleStateHandler;
import io.netty.util.ReferenceCountUtil;
import io.siplb.config.GuardConfig;
import io.siplb.netty.pipeline.SipInbound;
import io.siplb.route.LocalResponse;
import io.siplb.route.Respond;
import io.siplb.route.RoutingView;
import io.siplb.route.Side;
import io.siplb.route.Source;
import io.siplb.route.Transport;
import io.siplb.sip.HeaderName;
import io.siplb.sip.SipMethod;
import io.siplb.sip.SipRequest;
import io.siplb.sip.SipResponse;
import io.siplb.sip.header.CSeq;
import io.siplb.sip.header.Via;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

import static java.util.Objects.requireNonNull;

/**
 * Flood protection and connection limits for traffic from outside (issue 8; DESIGN principle 6:
 * one bad peer never degrades service for anyone else). Configured by {@link GuardConfig}
 * ({@code limits:}). A configured backend is never limited.
 *
 * <pre>
 *   UDP socket        : {@link #datagramGuard()} → decoder → {@link #messageGuard()} → routing
 *   client connection : {@link #initConnection} (limits, idle timeout) → framer → {@link #messageGuard()} → routing
 * </pre>
 *
 * <ul>
 *   <li>UDP: the rate is checked before parsing, so a flood costs a table probe per datagram, not
 *       a parse. Over the rate or banned: dropped, never answered (an answer to a spoofed source
 *       amplifies the flood); counted.</li>
 *   <li>TCP/TLS: the source address is real (the handshake proved it), so a request over the rate
 *       is answered 503 with Retry-After (RFC 3261 §21.5.4), a response or ACK dropped; a banned
 *       source's connection is closed. New connections beyond {@code max-connections} or
 *       {@code max-connections-per-source}, or from a banned source, are closed at once.</li>
 *   <li>Scanners (User-Agent in {@code scanner-user-agents}): dropped silently, see
 *       {@link ScannerFilter}.</li>
 *   <li>Overload (UDP): a flood from many sources, each under its rate, can still be more than
 *       siplb can parse, and then the kernel drops datagrams at random, a good client's as often
 *       as the flood's. So each socket watches its read batches: a full batch (the socket had
 *       more waiting) means siplb is behind. While it is, datagrams from sources that a backend
 *       has not accepted lately ({@link TrustedSources}: a 2xx to their REGISTER or INVITE) are
 *       let through only up to a budget per batch, and the rest dropped before parsing, which
 *       costs a table probe instead of a parse. The budget halves on each full batch and grows
 *       by one on each batch that empties the socket (AIMD), so siplb stays just able to keep up,
 *       and serves new clients with whatever it has left. Backends and trusted clients are never
 *       shed; when the flood ends the budget is back within a few batches.</li>
 * </ul>
 *
 * <p>Memory: the rate table is fixed ({@code tracked-sources} slots), so is the trusted table (as
 * many); the per-source connection counts hold one entry per source with an open connection, so
 * at most {@code max-connections}.
 */
public final class Guard {

    /** How long a backend's 2xx keeps its client trusted: an hour, the usual registration interval. */
    static final long TRUST_NANOS = TimeUnit.HOURS.toNanos(1);

    private final GuardConfig config;
    private final Supplier<RoutingView> view;
    private final LongSupplier nanoClock;
    private final SourceLimiter limiter;
    private final ScannerFilter scanners;
    private final GuardCounters counters = new GuardCounters();
    private final Respond overRate;
    private final AtomicInteger clientConnections = new AtomicInteger();
    private final Map<InetAddress, AtomicInteger> perSource = new ConcurrentHashMap<>();
    private final TrustedSources trusted;
    private final MessageGuard messageGuard = new MessageGuard();
    private final IdleCloser idleCloser = new IdleCloser();

    public Guard(GuardConfig config, Supplier<RoutingView> view) {
        this(config, view, System::nanoTime);
    }

    /** @param nanoClock {@link System#nanoTime()}, or a test clock */
    public Guard(GuardConfig config, Supplier<RoutingView> view, LongSupplier nanoClock) {
        this.config = requireNonNull(config, "config");
        this.view = requireNonNull(view, "view");
        this.nanoClock = requireNonNull(nanoClock, "nanoClock");
        this.limiter = new SourceLimiter(config.rate(), config.burst(), config.banAfter(),
                config.banDuration().toNanos(), config.trackedSources());
        this.scanners = new ScannerFilter(config.scannerUserAgents());
        this.trusted = new TrustedSources(config.trackedSources(), TRUST_NANOS);
        long retryAfter = Math.max(1, config.rateLimited() ? (config.burst() + config.rate() - 1) / config.rate() : 1);
        this.overRate = new Respond(503, "Service Unavailable", List.of("Retry-After: " + retryAfter));
    }

    public GuardConfig config() {
        return config;
    }

    public GuardCounters counters() {
        return counters;
    }

    public SourceLimiter limiter() {
        return limiter;
    }

    /** Open client connections (accepted, not from a backend). */
    public int clientConnections() {
        return clientConnections.get();
    }

    /** Sources banned now (scans the table: for the metrics scrape). */
    public int bannedSources() {
        return limiter.bannedCount(nanoClock.getAsLong());
    }

    /** Clients a backend accepted lately: served first when siplb is behind. */
    public TrustedSources trusted() {
        return trusted;
    }

    /** The handler before the UDP decoder: a new one for each socket (it keeps that socket's read batches). */
    public ChannelHandler datagramGuard() {
        return new DatagramGuard();
    }

    /** The handler before routing, for UDP sockets and connections alike. Sharable. */
    public ChannelHandler messageGuard() {
        return messageGuard;
    }

    /**
     * Sets up a newly accepted client connection: closes it at once when its source is banned or
     * over a connection limit (counted), else counts it and adds the idle timeout. A connection
     * siplb opened (to a backend), or one from a backend, is left alone.
     *
     * @return false when the connection was refused (closed)
     */
    public boolean initConnection(Channel ch) {
        if (ch.parent() == null || !(ch.remoteAddress() instanceof InetSocketAddress remote)) {
            return true; // siplb opened it
        }
        if (isBackend(Transport.TCP, remote)) {
            return true;
        }
        InetAddress ip = remote.getAddress();
        if (limiter.isBanned(ip, nanoClock.getAsLong())) {
            return refuse(ch, GuardEvent.CONNECTION_REFUSED_BANNED);
        }
        if (clientConnections.incrementAndGet() > config.maxConnections()) {
            clientConnections.decrementAndGet();
            return refuse(ch, GuardEvent.CONNECTION_REFUSED_TOTAL);
        }
        int[] admitted = new int[1];
        perSource.compute(ip, (k, n) -> {
            AtomicInteger c = n == null ? new AtomicInteger() : n;
            if (c.get() < config.maxConnectionsPerSource()) {
                c.incrementAndGet();
                admitted[0] = 1;
            }
            return c.get() == 0 ? null : c;
        });
        if (admitted[0] == 0) {
            clientConnections.decrementAndGet();
            return refuse(ch, GuardEvent.CONNECTION_REFUSED_PER_SOURCE);
        }
        ch.closeFuture().addListener(f -> {
            clientConnections.decrementAndGet();
            perSource.computeIfPresent(ip, (k, n) -> n.decrementAndGet() <= 0 ? null : n);
        });
        long idle = config.idleTimeout().toMillis();
        if (idle > 0) {
            ch.pipeline().addLast("guard-idle", new IdleStateHandler(0, 0, idle, TimeUnit.MILLISECONDS))
                    .addLast("guard-idle-close", idleCloser);
        }
        return true;
    }

    /** Sources with at least one open client connection (bounded by {@code max-connections}). */
    int trackedConnectionSources() {
        return perSource.size();
    }

    private boolean refuse(Channel ch, GuardEvent event) {
        counters.count(event);
        ch.close();
        return false;
    }

    private boolean isBackend(Transport transport, InetSocketAddress remote) {
        return view.get().sideOf(new Source(transport, remote, null, 0)) == Side.INSIDE;
    }

    /**
     * Rate limit and overload shedding before parsing: a flood costs a table probe or two per
     * datagram. One per socket, on that socket's loop (class comment: the AIMD budget).
     */
    private final class DatagramGuard extends ChannelInboundHandlerAdapter {
        private static final int UNLIMITED = Integer.MAX_VALUE;
        /** Datagrams in a batch that means the socket had more: its maxMessagesPerRead; 0: not known. */
        private int fullBatch;
        /** Datagrams read in the current batch, and untrusted ones let through. */
        private int read;
        private int untrusted;
        /** Untrusted datagrams let through per batch. */
        private int budget = UNLIMITED;

        @Override
        public void handlerAdded(ChannelHandlerContext ctx) {
            if (ctx.channel().config().getRecvByteBufAllocator() instanceof MaxMessagesRecvByteBufAllocator a) {
                fullBatch = a.maxMessagesPerRead() > 1 ? a.maxMessagesPerRead() : 0; // one per read tells nothing
            }
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            if (msg instanceof DatagramPacket packet) {
                read++;
                InetSocketAddress sender = packet.sender();
                if ((config.rateLimited() || budget != UNLIMITED) && view.get().backendAt(sender) == null) {
                    long now = nanoClock.getAsLong();
                    if (config.rateLimited()) {
                        SourceLimiter.Verdict v = limiter.admit(sender.getAddress(), now);
                        if (v != SourceLimiter.Verdict.PASS) {
                            counters.count(v == SourceLimiter.Verdict.LIMITED ? GuardEvent.RATE_LIMITED_DROPPED
                                    : v == SourceLimiter.Verdict.BAN_STARTED ? GuardEvent.BANNED : GuardEvent.BANNED_DROPPED);
                            packet.release(); // never answered: the source may be spoofed
                            return;
                        }
                    }
                    if (budget != UNLIMITED && !trusted.isTrusted(sender.getAddress(), now)) {
                        if (untrusted >= budget) {
                            counters.count(GuardEvent.OVERLOAD_DROPPED);
                            packet.release(); // siplb is behind: unknown sources wait, a UA retransmits
                            return;
                        }
                        untrusted++;
                    }
                }
            }
            ctx.fireChannelRead(msg);
        }

        @Override
        public void channelReadComplete(ChannelHandlerContext ctx) {
            if (fullBatch > 0) {
                if (read >= fullBatch) {
                    // behind: halve what unknown sources may cost per batch
                    budget = Math.max(1, (budget == UNLIMITED ? fullBatch : Math.min(budget, untrusted)) / 2);
                } else if (read > 0 && budget != UNLIMITED) {
                    // the socket is empty again: give a little back
                    budget = budget + 1 >= fullBatch ? UNLIMITED : budget + 1;
                }
            }
            read = 0;
            untrusted = 0;
            ctx.fireChannelReadComplete();
        }
    }

    /** Scanners (both transports) and, over TCP/TLS, the rate limit. */
    @Sharable
    private final class MessageGuard extends ChannelInboundHandlerAdapter {
        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            if (!(msg instanceof SipInbound inbound)) {
                ctx.fireChannelRead(msg);
                return;
            }
            Source source = inbound.source();
            if (view.get().sideOf(source) == Side.INSIDE) {
                if (inbound.message() instanceof SipResponse response) {
                    trustClientOf(response);
                }
                ctx.fireChannelRead(msg);
                return;
            }
            if (inbound.message() instanceof SipRequest request && scanners.isScanner(request)) {
                counters.count(GuardEvent.SCANNER_DROPPED);
                inbound.release();
                return;
            }
            if (source.transport().isStream() && config.rateLimited()) {
                SourceLimiter.Verdict v = limiter.admit(source.remote().getAddress(), nanoClock.getAsLong());
                if (v != SourceLimiter.Verdict.PASS) {
                    refuse(ctx, inbound, v);
                    return;
                }
            }
            ctx.fireChannelRead(msg);
        }

        private void refuse(ChannelHandlerContext ctx, SipInbound inbound, SourceLimiter.Verdict v) {
            try {
                if (v != SourceLimiter.Verdict.LIMITED) {
                    counters.count(v == SourceLimiter.Verdict.BAN_STARTED ? GuardEvent.BANNED : GuardEvent.BANNED_DROPPED);
                    ctx.close();
                    return;
                }
                if (inbound.message() instanceof SipRequest request && request.method() != SipMethod.ACK) {
                    counters.count(GuardEvent.RATE_LIMITED_ANSWERED);
                    ByteBuf out = LocalResponse.encode(request, overRate, inbound.source(), ctx.alloc());
                    ctx.writeAndFlush(out, ctx.voidPromise());
                } else {
                    counters.count(GuardEvent.RATE_LIMITED_DROPPED);
                }
            } finally {
                ReferenceCountUtil.release(inbound);
            }
        }
    }

    /**
     * A backend's 2xx to a REGISTER or an INVITE: the client it goes to (the Via below ours:
     * {@code received}, else its sent-by) is one the backend accepted, and is trusted. The router
     * checks our Via after this; a backend is trusted to name its own clients anyway.
     */
    private void trustClientOf(SipResponse response) {
        int status = response.statusCode();
        if (status < 200 || status > 299) {
            return;
        }
        CSeq cseq = response.cseq();
        if (cseq == null || cseq.method() != SipMethod.REGISTER && cseq.method() != SipMethod.INVITE) {
            return;
        }
        int ours = response.first(HeaderName.VIA);
        int next = ours < 0 ? -1 : response.next(ours);
        Via via = next < 0 ? null : Via.parse(response.content(), response.valueStart(next), response.valueEnd(next));
        if (via == null) {
            return;
        }
        String host = via.received() != null ? via.received() : via.host();
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        if (InetAddresses.isInetAddress(host)) {
            trusted.trust(InetAddresses.forString(host), nanoClock.getAsLong());
        }
    }

    /** Closes a client connection that was idle for {@code idle-timeout}. */
    @Sharable
    private final class IdleCloser extends ChannelInboundHandlerAdapter {
        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
            if (evt instanceof IdleStateEvent) {
                counters.count(GuardEvent.IDLE_CLOSED);
                ctx.close();
                return;
            }
            ctx.fireUserEventTriggered(evt);
        }
    }
}

package io.siplb.netty;

import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.siplb.config.ListenAddress;
import io.siplb.netty.admin.AdminServer;
import io.siplb.netty.pipeline.Sender;
import io.siplb.netty.pipeline.SipCounters;
import io.siplb.netty.pipeline.SipRoutingHandler;
import io.siplb.netty.stream.ConnectionTable;
import io.siplb.netty.stream.StreamConnector;
import io.siplb.netty.stream.StreamInitializer;
import io.siplb.netty.stream.StreamListener;
import io.siplb.netty.udp.SipDatagramDecoder;
import io.siplb.netty.udp.UdpListener;
import io.siplb.netty.udp.UdpSockets;
import io.siplb.route.RoutingView;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import static com.google.common.base.Preconditions.checkState;
import static java.util.Objects.requireNonNull;

/**
 * The running siplb: owns the event loop groups, binds the SIP listeners and the admin listener,
 * wires the pipelines, and publishes the {@link RoutingView} the pipelines route against.
 *
 * <pre>
 *   UDP socket (one per loop) : SipDatagramDecoder (shared) → SipRoutingHandler (shared)
 *   TCP connection            : SipStreamDecoder (own)     → SipRoutingHandler (shared)
 *   admin                     : HTTP codec → route table (/health)
 * </pre>
 *
 * <p>{@link #start()} and {@link #stop()} block the calling thread (never an event loop) until
 * sockets are bound or closed. A new routing snapshot (health change, reload) is published with
 * one {@code set} on {@link #routingView()}; each message reads it once.
 */
public final class SiplbServer {

    private static final Logger log = LoggerFactory.getLogger(SiplbServer.class);

    private final Assembly assembly;
    private final int ioThreads;
    private final AtomicReference<RoutingView> routingView;
    private final SipCounters counters = new SipCounters();
    private final ConnectionTable connections = new ConnectionTable();
    private final UdpSockets udpSockets = new UdpSockets();
    private final List<UdpListener> udpListeners = new ArrayList<>();
    private final List<StreamListener> streamListeners = new ArrayList<>();
    private volatile boolean ready;
    private EventLoopGroup acceptors;
    private EventLoopGroup workers;
    private AdminServer admin;
    private SipRoutingHandler routing;

    /** A server for {@code assembly}, with one I/O thread per core. */
    public SiplbServer(Assembly assembly) {
        this(assembly, Runtime.getRuntime().availableProcessors());
    }

    /** A server for {@code assembly} with {@code ioThreads} event loops (and as many UDP sockets per address). */
    public SiplbServer(Assembly assembly, int ioThreads) {
        this.assembly = requireNonNull(assembly, "assembly");
        this.ioThreads = ioThreads;
        this.routingView = new AtomicReference<>(assembly.routingView());
    }

    /**
     * Binds the admin listener, then every SIP listener; {@code /health} turns 200 when all are
     * bound. On failure everything bound so far is closed again and the cause is thrown.
     */
    public synchronized void start() throws Exception {
        checkState(workers == null, "already started");
        acceptors = Transports.newGroup(1, "siplb-accept");
        workers = Transports.newGroup(ioThreads, "siplb-io");
        try {
            bind();
        } catch (Exception | Error e) {
            stop();
            throw e;
        }
        ready = true;
    }

    private void bind() throws Exception {
        StreamInitializer streams = new StreamInitializer(connections, assembly.limits(), counters, () -> routing);
        StreamConnector connector = new StreamConnector(workers, connections, streams);
        Sender sender = new Sender(udpSockets, connections, connector, counters);
        routing = new SipRoutingHandler(assembly.router(connections), assembly.responseRouter(),
                routingView::get, sender, counters);
        SipDatagramDecoder datagrams = new SipDatagramDecoder(assembly.limits(), counters);
        SipRoutingHandler routingHandler = routing;
        ChannelInitializer<Channel> udpPipeline = new ChannelInitializer<>() {
            @Override
            protected void initChannel(Channel ch) {
                ch.pipeline().addLast("sip-decoder", datagrams).addLast("sip-routing", routingHandler);
            }
        };

        var adminConfig = assembly.config().admin().listen();
        admin = AdminServer.builder(this::isReady)
                .bind(acceptors, new InetSocketAddress(adminConfig.host(), adminConfig.port()));

        var advertise = assembly.config().advertise();
        for (ListenAddress listen : assembly.config().listen()) {
            InetSocketAddress address = new InetSocketAddress(listen.host(), listen.port());
            switch (listen.transport()) {
                case UDP: {
                    UdpListener udp = UdpListener.bind(workers, address, ioThreads, udpPipeline);
                    udpListeners.add(udp);
                    udpSockets.add(address, udp.channels(), listen.host().equals(advertise.host()));
                    break;
                }
                case TCP:
                    streamListeners.add(StreamListener.bind(acceptors, workers, address, streams));
                    break;
                default:
                    log.warn("Not listening on {}: TLS is not supported yet", listen);
            }
        }
    }

    /**
     * Closes the listeners and connections and shuts the event loops down, waiting up to a few
     * seconds. Safe to call more than once and after a failed start.
     */
    public synchronized void stop() {
        ready = false;
        for (UdpListener l : udpListeners) {
            l.close();
        }
        for (StreamListener l : streamListeners) {
            l.close();
        }
        udpListeners.clear();
        streamListeners.clear();
        connections.closeAll();
        if (admin != null) {
            admin.close();
            admin = null;
        }
        shutdown(acceptors);
        shutdown(workers);
        acceptors = null;
        workers = null;
    }

    private static void shutdown(EventLoopGroup group) {
        if (group != null) {
            // no quiet period: nothing new arrives once the sockets are closed
            group.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
        }
    }

    /** True once every listener is bound, until {@link #stop()}. */
    public boolean isReady() {
        return ready;
    }

    /** The routing snapshot; {@code set} a new one to change how messages are routed. */
    public AtomicReference<RoutingView> routingView() {
        return routingView;
    }

    public Assembly assembly() {
        return assembly;
    }

    public SipCounters counters() {
        return counters;
    }

    public ConnectionTable connections() {
        return connections;
    }

    /** The bound UDP addresses (actual ports), in configuration order. */
    public List<InetSocketAddress> udpAddresses() {
        List<InetSocketAddress> out = new ArrayList<>();
        for (UdpListener l : udpListeners) {
            out.add(l.localAddress());
        }
        return out;
    }

    /** The bound TCP addresses (actual ports), in configuration order. */
    public List<InetSocketAddress> tcpAddresses() {
        List<InetSocketAddress> out = new ArrayList<>();
        for (StreamListener l : streamListeners) {
            out.add(l.localAddress());
        }
        return out;
    }

    /** The bound admin address, or {@code null} before start. */
    public InetSocketAddress adminAddress() {
        AdminServer a = admin;
        return a == null ? null : a.localAddress();
    }
}

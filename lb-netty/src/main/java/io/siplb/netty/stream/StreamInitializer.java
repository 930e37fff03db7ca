package io.siplb.netty.stream;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandler.Sharable;
import io.netty.channel.ChannelInitializer;
import io.siplb.netty.pipeline.SipCounters;
import io.siplb.route.Transport;
import io.siplb.sip.SipLimits;

import java.util.function.Consumer;
import java.util.function.Predicate;
import java.util.function.Supplier;

import static java.util.Objects.requireNonNull;

/**
 * The pipeline of every TCP connection, accepted from a client or opened to a backend: an id in
 * the {@link ConnectionTable}, a {@link SipStreamDecoder} of its own, then the shared routing
 * handler. Both directions share it because either side may send requests and responses over a
 * connection once it exists (RFC 3261 §18).
 *
 * <p>{@link #forTls} gives the pipeline of a {@code tls://} listener's connections: the same, with
 * TLS ({@code io.siplb.netty.tls}) between the connection limits and the framer, and messages
 * marked as arrived over TLS.
 */
@Sharable
public final class StreamInitializer extends ChannelInitializer<Channel> {

    private final ConnectionTable connections;
    private final SipLimits limits;
    private final SipCounters counters;
    private final Supplier<? extends ChannelHandler> routing;
    /** Sees each message before routing (health's Retry-After watcher), or null. */
    private final ChannelHandler watcher;
    /** Flood protection (io.siplb.netty.guard), or null. */
    private final Predicate<Channel> admit;
    private final ChannelHandler guard;
    /** TCP, or TLS for a tls:// listener's connections. */
    private final Transport transport;
    /** Adds TLS to a connection (io.siplb.netty.tls), or null for TCP. */
    private final Consumer<Channel> security;

    /**
     * @param routing the shared routing handler; supplied, not given, because that handler's sender
     *                opens backend connections with this initializer, and one of the two has to
     *                be made first. It is asked for when a connection is set up, long after start.
     */
    public StreamInitializer(ConnectionTable connections, SipLimits limits, SipCounters counters,
                             Supplier<? extends ChannelHandler> routing) {
        this(connections, limits, counters, routing, null);
    }

    /** @param watcher a {@code @Sharable} handler placed just before routing, or null */
    public StreamInitializer(ConnectionTable connections, SipLimits limits, SipCounters counters,
                             Supplier<? extends ChannelHandler> routing, ChannelHandler watcher) {
        this(connections, limits, counters, routing, watcher, null, null);
    }

    /**
     * @param admit   called first for every connection (flood protection, io.siplb.netty.guard):
     *                may add handlers, or close the connection and return false; null: admit all
     * @param guard   a {@code @Sharable} handler placed right after the framer, or null
     */
    public StreamInitializer(ConnectionTable connections, SipLimits limits, SipCounters counters,
                             Supplier<? extends ChannelHandler> routing, ChannelHandler watcher,
                             Predicate<Channel> admit, ChannelHandler guard) {
        this(connections, limits, counters, routing, watcher, admit, guard, Transport.TCP, null);
    }

    private StreamInitializer(ConnectionTable connections, SipLimits limits, SipCounters counters,
                              Supplier<? extends ChannelHandler> routing, ChannelHandler watcher,
                              Predicate<Channel> admit, ChannelHandler guard, Transport transport,
                              Consumer<Channel> security) {
        this.transport = transport;
        this.security = security;
        this.admit = admit;
        this.guard = guard;
        this.watcher = watcher;
        this.connections = requireNonNull(connections, "connections");
        this.limits = requireNonNull(limits, "limits");
        this.counters = requireNonNull(counters, "counters");
        this.routing = requireNonNull(routing, "routing");
    }

    /**
     * The same pipeline for a {@code tls://} listener: {@code tls} adds the TLS handlers after the
     * connection limits and before the framer; messages carry {@link Transport#TLS}.
     */
    public StreamInitializer forTls(Consumer<Channel> tls) {
        return new StreamInitializer(connections, limits, counters, routing, watcher, admit, guard, Transport.TLS,
                requireNonNull(tls, "tls"));
    }

    @Override
    protected void initChannel(Channel ch) {
        if (admit != null && !admit.test(ch)) {
            return; // refused and closed: no id, no framer, no handshake
        }
        connections.register(ch);
        if (security != null) {
            security.accept(ch);
        }
        ch.pipeline().addLast("sip-framer", new SipStreamDecoder(transport, limits, counters));
        if (guard != null) {
            ch.pipeline().addLast("sip-guard", guard);
        }
        if (watcher != null) {
            ch.pipeline().addLast("sip-watcher", watcher);
        }
        ch.pipeline().addLast("sip-routing", routing.get());
    }
}

package io.siplb.netty.stream;

import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.util.AttributeKey;
import io.siplb.route.ConnectionLiveness;

import java.net.InetSocketAddress;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;

/**
 * Every open TCP connection by id, and the connections siplb opened to backends by address.
 *
 * <p>An id is a positive {@code long} given to each accepted or opened connection and never
 * reused, so a flow token (RFC 5626 §5.2) that names a closed connection finds nothing instead
 * of someone else's connection: the router then answers 430 Flow Failed. Ids are local to this
 * process; after a restart or a VRRP takeover clients reconnect (DESIGN "Flow tokens").
 *
 * <p>Connections to backends are opened on demand and reused for every message to that
 * address (RFC 3261 §18.1.1 encourages reuse); a connection leaves the table when it closes,
 * and the next message opens a new one. Thread-safe.
 */
public final class ConnectionTable implements ConnectionLiveness {

    private static final AttributeKey<Long> ID = AttributeKey.valueOf(ConnectionTable.class, "id");

    private final AtomicLong lastId = new AtomicLong();
    private final Map<Long, Channel> byId = new ConcurrentHashMap<>();
    private final Map<InetSocketAddress, ChannelFuture> outbound = new ConcurrentHashMap<>();

    /**
     * Gives {@code channel} the next id and keeps it until the channel closes. Call once, when
     * the channel is initialised.
     */
    public long register(Channel channel) {
        long id = lastId.incrementAndGet();
        channel.attr(ID).set(id);
        byId.put(id, channel);
        channel.closeFuture().addListener(f -> byId.remove(id, channel));
        return id;
    }

    /** The id {@link #register} gave {@code channel}, or 0 when it has none. */
    public static long idOf(Channel channel) {
        Long id = channel.attr(ID).get();
        return id == null ? 0 : id;
    }

    /** The open connection with this id, or {@code null}. */
    public Channel get(long id) {
        Channel ch = byId.get(id);
        return ch != null && ch.isActive() ? ch : null;
    }

    @Override
    public boolean isOpen(long connectionId) {
        return get(connectionId) != null;
    }

    /** Number of connections in the table (accepted and opened). */
    public int size() {
        return byId.size();
    }

    /**
     * The connection to {@code address}: the one already open or being opened, else a new one
     * from {@code connect}, which must not block (a {@code Bootstrap.connect} returns at once).
     */
    public ChannelFuture outbound(InetSocketAddress address, Function<InetSocketAddress, ChannelFuture> connect) {
        ChannelFuture existing = outbound.get(address);
        if (existing != null && (!existing.isDone() || existing.channel().isActive())) {
            return existing;
        }
        if (existing != null) {
            outbound.remove(address, existing); // closed or failed: replace it
        }
        ChannelFuture[] opened = new ChannelFuture[1];
        ChannelFuture f = outbound.computeIfAbsent(address, a -> opened[0] = connect.apply(a));
        if (f == opened[0]) {
            // outside computeIfAbsent: the listener may run at once and touches the map
            f.channel().closeFuture().addListener(c -> outbound.remove(address, f));
        }
        return f;
    }

    /** Closes every connection; returns without waiting. */
    public void closeAll() {
        for (Channel ch : byId.values()) {
            ch.close();
        }
    }
}

package io.siplb.netty.stream;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.WriteBufferWaterMark;
import io.siplb.netty.Transports;

import java.net.InetSocketAddress;

import static java.util.Objects.requireNonNull;

/**
 * Opens, or reuses, siplb's TCP connection to a backend: the target of a forwarded request has
 * no connection of its own (connection id 0), so one per backend address is kept in the
 * {@link ConnectionTable} and shared by every message to it. Connecting never blocks; a message
 * sent while the connection is being opened is written once it is up.
 */
public final class StreamConnector {

    /** A backend that does not accept within this long is treated as unreachable for this message. */
    static final int CONNECT_TIMEOUT_MILLIS = 2_000;

    /** A backend connection carries many clients' traffic: let it queue more than a client's. */
    static final WriteBufferWaterMark WATER_MARK = new WriteBufferWaterMark(1 << 20, 4 << 20);

    private final ConnectionTable connections;
    private final Bootstrap bootstrap;

    public StreamConnector(EventLoopGroup workers, ConnectionTable connections, ChannelHandler initializer) {
        this.connections = requireNonNull(connections, "connections");
        this.bootstrap = new Bootstrap()
                .group(workers)
                .channel(Transports.socketChannel())
                .option(ChannelOption.TCP_NODELAY, true)
                .option(ChannelOption.SO_KEEPALIVE, true)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, CONNECT_TIMEOUT_MILLIS)
                .option(ChannelOption.WRITE_BUFFER_WATER_MARK, WATER_MARK)
                .handler(requireNonNull(initializer, "initializer"));
    }

    /** The connection to {@code address}: open, being opened, or newly started. */
    public ChannelFuture connection(InetSocketAddress address) {
        return connections.outbound(address, bootstrap::connect);
    }
}

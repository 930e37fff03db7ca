package io.siplb.netty.stream;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.epoll.EpollChannelOption;
import io.siplb.netty.Transports;

import java.net.InetSocketAddress;

/**
 * The TCP listening socket of one SIP listen address. Accepted connections get the
 * {@link StreamInitializer} pipeline. With epoll the socket is bound with {@code IP_FREEBIND},
 * so the VIP can be bound before it is assigned (see {@code UdpListener}).
 *
 * <p>Binding waits for the result: it runs once at start-up, never on an event loop.
 */
public final class StreamListener {

    /** Pending connections the kernel queues: a re-REGISTER storm after a failover reconnects many at once. */
    static final int BACKLOG = 1024;

    private final InetSocketAddress address;
    private final Channel channel;

    private StreamListener(InetSocketAddress address, Channel channel) {
        this.address = address;
        this.channel = channel;
    }

    /**
     * Binds {@code address}; the acceptor runs on {@code boss}, connections on {@code workers}.
     *
     * @throws Exception when the address cannot be bound
     */
    public static StreamListener bind(EventLoopGroup boss, EventLoopGroup workers, InetSocketAddress address,
                                      ChannelHandler childHandler) throws Exception {
        ServerBootstrap b = new ServerBootstrap()
                .group(boss, workers)
                .channel(Transports.serverSocketChannel())
                .option(ChannelOption.SO_BACKLOG, BACKLOG)
                .option(ChannelOption.SO_REUSEADDR, true)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childOption(ChannelOption.SO_KEEPALIVE, true)
                .childHandler(childHandler);
        if (Transports.epoll()) {
            b.option(EpollChannelOption.IP_FREEBIND, true);
        }
        Channel ch = b.bind(address).sync().channel();
        return new StreamListener(address, ch);
    }

    public InetSocketAddress address() {
        return address;
    }

    /** The address actually bound (differs from {@link #address()} for port 0). */
    public InetSocketAddress localAddress() {
        return (InetSocketAddress) channel.localAddress();
    }

    /** Closes the listening socket (not the accepted connections); returns without waiting. */
    public void close() {
        channel.close();
    }
}

package io.siplb.netty;

import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollDatagramChannel;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.DatagramChannel;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.SocketProtocolFamily;
import io.netty.channel.socket.nio.NioDatagramChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.util.concurrent.DefaultThreadFactory;

import java.net.Inet6Address;
import java.net.InetAddress;

/**
 * The one place that chooses between the native epoll transport and NIO.
 *
 * <p>Epoll when {@link Epoll#isAvailable()} (Linux with the native library): it gives
 * {@code SO_REUSEPORT}, so each event loop reads its own UDP socket bound to the same address,
 * and {@code IP_FREEBIND}, so a node can bind the VIP before VRRP has assigned it. NIO
 * elsewhere (development on macOS), with one UDP socket per address and no free-bind.
 */
public final class Transports {

    private static final boolean EPOLL = Epoll.isAvailable();

    private Transports() {}

    /** True when the native epoll transport is used. */
    public static boolean epoll() {
        return EPOLL;
    }

    /** "epoll" or "nio", for the start-up log line. */
    public static String name() {
        return EPOLL ? "epoll" : "nio";
    }

    /**
     * A group of {@code threads} event loops (0 = Netty's default, twice the cores) whose
     * threads are named {@code name-N}.
     */
    public static EventLoopGroup newGroup(int threads, String name) {
        IoHandlerFactory io = EPOLL ? EpollIoHandler.newFactory() : NioIoHandler.newFactory();
        return new MultiThreadIoEventLoopGroup(threads, new DefaultThreadFactory(name, true), io);
    }

    /**
     * A datagram channel of the address family of {@code bindAddress}: an IPv4 listener gets an
     * IPv4 socket, so peers appear as {@code Inet4Address} and match configured backends
     * (a dual-stack socket would report {@code ::ffff:a.b.c.d}).
     */
    public static DatagramChannel newDatagramChannel(InetAddress bindAddress) {
        SocketProtocolFamily family = bindAddress instanceof Inet6Address
                ? SocketProtocolFamily.INET6 : SocketProtocolFamily.INET;
        return EPOLL ? new EpollDatagramChannel(family) : new NioDatagramChannel(family);
    }

    public static Class<? extends ServerChannel> serverSocketChannel() {
        return EPOLL ? EpollServerSocketChannel.class : NioServerSocketChannel.class;
    }

    public static Class<? extends SocketChannel> socketChannel() {
        return EPOLL ? EpollSocketChannel.class : NioSocketChannel.class;
    }
}

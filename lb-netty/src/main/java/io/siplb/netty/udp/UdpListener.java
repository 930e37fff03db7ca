package io.siplb.netty.udp;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.FixedRecvByteBufAllocator;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.epoll.EpollChannelOption;
import io.siplb.netty.Transports;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;

/**
 * Binds the UDP sockets of one SIP listen address.
 *
 * <p>With epoll: one socket per event loop, all bound to the same address with
 * {@code SO_REUSEPORT}, so the kernel spreads datagrams over the loops by flow hash and no loop
 * is a bottleneck; and {@code IP_FREEBIND}, so the VIP can be bound on the standby node before
 * VRRP assigns it (DESIGN "High availability": the standby is ready the instant the VIP moves).
 * With NIO: one socket, and the address must be local.
 *
 * <p>Binding waits for the result: it runs once at start-up on the caller's thread, never on an
 * event loop.
 */
public final class UdpListener {

    /** Receive buffer per socket: absorbs bursts (re-REGISTER storms after a failover). */
    static final int RECEIVE_BUFFER_BYTES = 4 * 1024 * 1024;
    /** Largest datagram read; SIP over UDP is at most one IPv4/IPv6 payload. */
    static final int MAX_DATAGRAM_BYTES = 65_535;

    /**
     * Datagrams read per wake-up before the loop flushes and looks at its other work. Setting the
     * receive allocator resets Netty's default (16) to one, which cost a task, a read-complete
     * and a flush per datagram and left no writes to batch. 64: under a flood from many sources
     * siplb then reads fast enough to shed what it cannot parse (Guard) before the kernel drops
     * datagrams at random (FloodE2ETest).
     */
    static final int READ_BATCH = 64;

    /**
     * Outbound bytes a socket may queue before the sender drops instead of queueing: high, because
     * a read batch's writes are only flushed at its end and one socket carries many peers.
     */
    static final WriteBufferWaterMark WATER_MARK = new WriteBufferWaterMark(1 << 20, 4 << 20);

    private final List<Channel> channels;
    private final InetSocketAddress address;

    private UdpListener(InetSocketAddress address, List<Channel> channels) {
        this.address = address;
        this.channels = List.copyOf(channels);
    }

    /**
     * Binds {@code address} with {@code sockets} sockets (1 without epoll) whose pipeline is
     * {@code handler}.
     *
     * @throws Exception when the address cannot be bound (in use, not local without epoll)
     */
    public static UdpListener bind(EventLoopGroup group, InetSocketAddress address, int sockets,
                                   ChannelHandler handler) throws Exception {
        int n = Transports.epoll() ? Math.max(1, sockets) : 1;
        Bootstrap b = new Bootstrap()
                .group(group)
                .channelFactory(() -> Transports.newDatagramChannel(address.getAddress()))
                .option(ChannelOption.SO_RCVBUF, RECEIVE_BUFFER_BYTES)
                .option(ChannelOption.WRITE_BUFFER_WATER_MARK, WATER_MARK)
                .option(ChannelOption.RECVBUF_ALLOCATOR, receiveAllocator())
                // Each read takes a 64 KiB buffer. Netty 4.2's default (adaptive) allocator, with a
                // small heap (low-memory mode), freed such buffers one by one (Unsafe.freeMemory
                // led the profile under a flood); the pooled allocator reuses them.
                .option(ChannelOption.ALLOCATOR, PooledByteBufAllocator.DEFAULT)
                .handler(handler);
        if (Transports.epoll()) {
            b.option(EpollChannelOption.SO_REUSEPORT, true)
             .option(EpollChannelOption.IP_FREEBIND, true);
        }
        List<Channel> bound = new ArrayList<>(n);
        try {
            InetSocketAddress target = address;
            for (int i = 0; i < n; i++) {
                // each bind() registers on the group's next loop: one socket per loop
                ChannelFuture f = b.bind(target).sync();
                bound.add(f.channel());
                // port 0 (tests): the other sockets join the port the first one got
                target = new InetSocketAddress(address.getAddress(),
                        ((InetSocketAddress) f.channel().localAddress()).getPort());
            }
        } catch (Exception e) {
            for (Channel ch : bound) {
                ch.close();
            }
            throw e;
        }
        return new UdpListener(address, bound);
    }

    private static FixedRecvByteBufAllocator receiveAllocator() {
        FixedRecvByteBufAllocator allocator = new FixedRecvByteBufAllocator(MAX_DATAGRAM_BYTES);
        allocator.maxMessagesPerRead(READ_BATCH);
        return allocator;
    }

    /** The configured address. */
    public InetSocketAddress address() {
        return address;
    }

    /** The address actually bound (differs from {@link #address()} for port 0). */
    public InetSocketAddress localAddress() {
        return (InetSocketAddress) channels.get(0).localAddress();
    }

    public List<Channel> channels() {
        return channels;
    }

    /** Closes every socket; returns without waiting. */
    public void close() {
        for (Channel ch : channels) {
            ch.close();
        }
    }
}

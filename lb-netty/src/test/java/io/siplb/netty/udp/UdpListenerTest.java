package io.siplb.netty.udp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.netty.channel.Channel;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.EventLoopGroup;
import io.siplb.netty.Transports;
import java.net.Inet6Address;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class UdpListenerTest {

    private final EventLoopGroup group = Transports.newGroup(2, "udp-test");
    private UdpListener listener;

    @AfterEach
    void close() {
        if (listener != null) {
            listener.close();
        }
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }

    @Test
    void bindsOneSocketPerEventLoopOnOnePortWithEpoll() throws Exception {
        assumeTrue(Transports.epoll(), "SO_REUSEPORT needs the epoll transport");

        listener = UdpListener.bind(group, new InetSocketAddress("127.0.0.1", 0), 2, new ChannelInboundHandlerAdapter() {
            @Override
            public boolean isSharable() {
                return true;
            }
        });

        assertThat(listener.channels()).hasSize(2);
        Set<Object> loops = new HashSet<>();
        for (Channel ch : listener.channels()) {
            assertThat(((InetSocketAddress) ch.localAddress()).getPort()).isEqualTo(listener.localAddress().getPort());
            loops.add(ch.eventLoop());
        }
        assertThat(loops).as("each socket on its own loop").hasSize(2);
    }

    @Test
    void bindsAnAddressThatIsNotLocalYetWithEpoll() throws Exception {
        assumeTrue(Transports.epoll(), "IP_FREEBIND needs the epoll transport");

        // 192.0.2.0/24 is TEST-NET-1: never configured here, like a VIP on the standby node
        listener = UdpListener.bind(group, new InetSocketAddress("192.0.2.123", 0), 1, new ChannelInboundHandlerAdapter());

        assertThat(listener.localAddress().getAddress().getHostAddress()).isEqualTo("192.0.2.123");
    }

    @Test
    void bindsIpv6Loopback() throws Exception {
        assumeTrue(NetworkInterface.getByInetAddress(Inet6Address.getByName("::1")) != null, "no IPv6 loopback");

        listener = UdpListener.bind(group, new InetSocketAddress("::1", 0), 1, new ChannelInboundHandlerAdapter());

        assertThat(listener.localAddress().getAddress()).isInstanceOf(Inet6Address.class);
    }
}

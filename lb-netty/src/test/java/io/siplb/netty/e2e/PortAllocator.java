package io.siplb.netty.e2e;

import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Hands out ports on 127.0.0.1 that are free for both UDP and TCP at the time of the call, and
 * never the same port twice in one JVM.
 *
 * <p>Ports come from 20000-29999, below Linux's ephemeral range (32768-60999): the kernel picks
 * client ports (SIPp's TCP connections, Kamailio's outgoing sockets) from the ephemeral range,
 * so a port handed out here is not taken by an unrelated connect() between the check and the
 * bind of the process under test. Both transports are checked because a SIP peer under test
 * may listen on UDP and TCP on the same port (RFC 3261 §18: a proxy SHOULD offer both). The
 * check is racy against other programs by nature; the range keeps the odds low.
 */
final class PortAllocator {
    private static final int LOW = 20000;
    private static final int HIGH = 29999;
    /** Bounded search: plenty for a test run, and a clear error instead of a spin. */
    private static final int MAX_TRIES = 500;
    private static final Set<Integer> HANDED_OUT = new HashSet<>();

    private PortAllocator() {}

    /** A port free for UDP and TCP on 127.0.0.1. */
    static synchronized int freePort() {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        for (int i = 0; i < MAX_TRIES; i++) {
            int port = random.nextInt(LOW, HIGH + 1);
            if (!HANDED_OUT.contains(port) && isFree(port)) {
                HANDED_OUT.add(port);
                return port;
            }
        }
        throw new IllegalStateException("no free UDP+TCP port on 127.0.0.1 in " + LOW + "-" + HIGH
                + " after " + MAX_TRIES + " tries");
    }

    private static boolean isFree(int port) {
        InetAddress loopback = InetAddress.getLoopbackAddress();
        try (DatagramSocket udp = new DatagramSocket(new InetSocketAddress(loopback, port));
                ServerSocket tcp = new ServerSocket()) {
            // no SO_REUSEADDR: a port in TIME_WAIT is not reported free
            tcp.setReuseAddress(false);
            tcp.bind(new InetSocketAddress(loopback, port));
            return udp.isBound() && tcp.isBound();
        } catch (IOException e) {
            return false;
        }
    }
}

package io.siplb.netty.vrrp;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A LAN in memory for speaker tests: every packet one link sends reaches every other link as
 * an IPv4 datagram to 224.0.0.18 with TTL 255 (what the kernel would deliver), and the VIPs
 * each node holds are recorded with the order of events.
 */
final class InMemoryWire {

    private final List<Link> links = new CopyOnWriteArrayList<>();
    private final List<String> events = new CopyOnWriteArrayList<>();

    Link link(Inet4Address primary) {
        Link l = new Link(primary);
        links.add(l);
        return l;
    }

    /** The links, in the order they were made. */
    List<Link> links() {
        return links;
    }

    /** Records {@code event} among the others (e.g. a log line), in order. */
    void record(String event) {
        events.add(event);
    }

    /** "node add|remove|garp vip" in the order they happened. */
    List<String> events() {
        return events;
    }

    /** Delivers raw IP bytes to every link (for malformed-packet tests). */
    void inject(byte[] ipDatagram) {
        for (Link l : links) {
            l.inbox.add(ipDatagram);
        }
    }

    static byte[] ipv4(InetAddress source, int ttl, byte[] payload) {
        byte[] b = new byte[20 + payload.length];
        b[0] = 0x45;
        b[2] = (byte) (b.length >>> 8);
        b[3] = (byte) b.length;
        b[8] = (byte) ttl;
        b[9] = 112;
        System.arraycopy(source.getAddress(), 0, b, 12, 4);
        b[16] = (byte) 224;
        b[19] = 18;
        System.arraycopy(payload, 0, b, 20, payload.length);
        return b;
    }

    final class Link implements VrrpLink, VipControl {
        final Inet4Address primary;
        final BlockingQueue<byte[]> inbox = new LinkedBlockingQueue<>();
        final List<Integer> sentPriorities = new CopyOnWriteArrayList<>();
        volatile boolean connected = true;
        /** Sending fails as with a firewall that drops protocol 112 on output (EPERM). */
        volatile boolean sendFails;
        final List<InetAddress> held = new CopyOnWriteArrayList<>();
        private static final byte[] WAKE = new byte[0];

        Link(Inet4Address primary) {
            this.primary = primary;
        }

        @Override
        public void send(byte[] vrrpPacket) {
            if (sendFails) {
                throw new VrrpException("cannot send a VRRP advertisement: EPERM (Operation not permitted)");
            }
            sentPriorities.add(vrrpPacket[2] & 0xff);
            if (!connected) {
                return;
            }
            byte[] datagram = ipv4(primary, 255, vrrpPacket);
            for (Link l : links) {
                if (l != this && l.connected) {
                    l.inbox.add(datagram);
                }
            }
        }

        @Override
        public ReceivedPacket receive(long timeoutNanos) {
            try {
                byte[] b = inbox.poll(timeoutNanos, TimeUnit.NANOSECONDS);
                return b == null || b == WAKE ? null : ReceivedPacket.parse(b, b.length);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return null;
            }
        }

        @Override
        public void wakeUp() {
            inbox.add(WAKE);
        }

        @Override
        public void add(List<InetAddress> vips) {
            held.addAll(vips);
            events.add(primary.getHostAddress() + " add " + vips);
        }

        @Override
        public void remove(List<InetAddress> vips) {
            held.removeAll(vips);
            events.add(primary.getHostAddress() + " remove " + vips);
        }

        @Override
        public void announce(List<InetAddress> vips) {
            events.add(primary.getHostAddress() + " garp " + vips);
        }

        List<Integer> sent() {
            return new ArrayList<>(sentPriorities);
        }

        @Override
        public void close() {
        }
    }
}

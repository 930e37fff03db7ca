package io.siplb.netty.udp;

import io.netty.channel.Channel;
import io.netty.channel.EventLoop;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;

/**
 * The bound UDP sockets that outgoing datagrams leave from, one set per address family.
 *
 * <p>Replies must leave from the address clients and backends sent to (the advertised address,
 * usually the VIP): a NAT only lets a datagram back in when it comes from the address and port
 * the client's binding points at (DESIGN "Flow tokens"), and a backend recognises siplb by it.
 * So for each family the sockets of one listen address are preferred: the one whose host is the
 * advertised host, else the first configured one of that family. With {@code SO_REUSEPORT} there
 * is one such socket per event loop, and {@link #pick} returns the one of the caller's loop, so
 * the write stays on the thread it was decided on.
 *
 * <p>Filled while the server starts, before any datagram is read; read-only afterwards
 * (the arrays are published through the volatile fields).
 */
public final class UdpSockets {

    private static final Channel[] NONE = new Channel[0];

    private volatile Channel[] inet4 = NONE;
    private volatile Channel[] inet6 = NONE;

    /**
     * Adds the sockets of one listen address. The first address of a family is used for that
     * family unless a later one is {@code advertised}.
     */
    public synchronized void add(InetSocketAddress listen, List<Channel> channels, boolean advertised) {
        Channel[] bound = channels.toArray(NONE);
        if (listen.getAddress() instanceof Inet6Address) {
            if (inet6.length == 0 || advertised) {
                inet6 = bound;
            }
        } else if (inet4.length == 0 || advertised) {
            inet4 = bound;
        }
    }

    /**
     * The socket to send to {@code target} from: one of the preferred sockets of the target's
     * family, on {@code loop} when one is, or {@code null} when siplb listens on no UDP address
     * of that family.
     */
    public Channel pick(InetSocketAddress target, EventLoop loop) {
        InetAddress ip = target.getAddress();
        Channel[] candidates = ip instanceof Inet6Address ? inet6 : inet4;
        if (candidates.length == 0) {
            return null;
        }
        for (Channel ch : candidates) {
            if (ch.eventLoop() == loop) {
                return ch;
            }
        }
        // From a TCP connection's loop: any socket will do; spread by target so one socket does not take all.
        return candidates[Math.floorMod(target.hashCode(), candidates.length)];
    }

    /** Every preferred socket, for logging and tests. */
    public List<Channel> all() {
        List<Channel> all = new ArrayList<>(inet4.length + inet6.length);
        all.addAll(List.of(inet4));
        all.addAll(List.of(inet6));
        return all;
    }
}

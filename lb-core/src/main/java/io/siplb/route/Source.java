package io.siplb.route;

import java.net.InetSocketAddress;

import static java.util.Objects.requireNonNull;

/**
 * Where a message came from.
 *
 * @param transport    the transport it arrived on
 * @param remote       the peer's address (the NAT's public side for a client behind NAT)
 * @param local        the local address it arrived at
 * @param connectionId the TCP/TLS connection it arrived on, 0 for UDP
 */
public record Source(Transport transport, InetSocketAddress remote, InetSocketAddress local, long connectionId) {
    public Source {
        requireNonNull(transport, "transport");
        requireNonNull(remote, "remote");
    }

    public static Source udp(InetSocketAddress remote, InetSocketAddress local) {
        return new Source(Transport.UDP, remote, local, 0);
    }
}

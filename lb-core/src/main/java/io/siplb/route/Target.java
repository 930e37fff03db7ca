package io.siplb.route;

import java.net.InetSocketAddress;

import static java.util.Objects.requireNonNull;

/**
 * Where a forwarded message goes.
 *
 * @param transport    the transport to send with
 * @param address      the destination
 * @param connectionId for TCP/TLS, the connection to use (a client's flow), or 0 for any
 *                     connection to {@code address}, opened when needed
 */
public record Target(Transport transport, InetSocketAddress address, long connectionId) {
    public Target {
        requireNonNull(transport, "transport");
        requireNonNull(address, "address");
    }
}

package io.siplb.route;

import static com.google.common.base.Preconditions.checkArgument;
import static java.util.Objects.requireNonNull;

import java.net.InetAddress;
import java.net.InetSocketAddress;

/**
 * A client's flow (RFC 5626 §3): the transport, the source address and port its messages
 * arrive from (after any NAT), and for TCP/TLS the connection they arrive on. siplb puts it,
 * signed, in the user part of its Path and Record-Route URIs ({@link FlowTokenCodec}), so a
 * request from a home proxy towards the client can be sent down that flow without siplb
 * keeping any state (RFC 5626 §5.2; DESIGN "Flow tokens").
 *
 * <p>An IPv6 scope id is not kept: a flow comes from a routable address, not a link-local one.
 *
 * @param transport    the transport the client uses
 * @param address      the client's source IP as siplb sees it (IPv4 or IPv6)
 * @param port         the client's source port, 1..65535
 * @param connectionId the TCP/TLS connection; 0 for UDP, which has none
 */
public record FlowToken(Transport transport, InetAddress address, int port, long connectionId) {

    public FlowToken {
        requireNonNull(transport, "transport");
        requireNonNull(address, "address");
        checkArgument(port >= 1 && port <= 65535, "port: %s (expected: 1 ~ 65535)", port);
        checkArgument(transport.isStream() || connectionId == 0,
                "connectionId: %s (expected: 0 for UDP)", connectionId);
    }

    /** The UDP flow from {@code remote}. */
    public static FlowToken udp(InetSocketAddress remote) {
        return of(Transport.UDP, remote, 0);
    }

    /** The flow from {@code remote} over {@code transport} (connection 0 for UDP). */
    public static FlowToken of(Transport transport, InetSocketAddress remote, long connectionId) {
        requireNonNull(remote, "remote");
        checkArgument(!remote.isUnresolved(), "remote: %s (expected: a resolved address)", remote);
        return new FlowToken(transport, remote.getAddress(), remote.getPort(), connectionId);
    }

    /** The flow a message arrived on. */
    public static FlowToken of(Source source) {
        requireNonNull(source, "source");
        return of(source.transport(), source.remote(), source.connectionId());
    }

    /** The client's address and port. */
    public InetSocketAddress socketAddress() {
        return new InetSocketAddress(address, port);
    }

    /**
     * Where to send a request for this flow: over UDP to the client's address, or down the
     * very connection it registered on (RFC 5626 §5.3: a request for a TCP/TLS flow must not
     * open a new connection; when that one is gone the answer is 430 Flow Failed).
     */
    public Target target() {
        return new Target(transport, socketAddress(), connectionId);
    }
}

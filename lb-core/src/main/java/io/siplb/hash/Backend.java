package io.siplb.hash;

import static com.google.common.base.Preconditions.checkArgument;
import static java.util.Objects.requireNonNull;

import java.util.Locale;

/**
 * A home proxy that AORs can be assigned to.
 *
 * <p>The {@code id} is what the hash ranks: two backends with the same id and weight get the
 * same AORs wherever the table is built, so the id must be the same on both nodes of a pair
 * and should survive a change of address (give a renumbered proxy its old id to keep its
 * users). {@link #of(String, int)} uses {@code host:port} as the id.
 *
 * @param id        stable name, unique within a {@link BackendView}; printable ASCII, no spaces
 * @param host      IP literal or host name the proxy is reached at (IPv6 without brackets)
 * @param port      1..65535
 * @param transport {@code UDP}, {@code TCP} or {@code TLS} (any case; stored upper-case)
 * @param weight    relative share of AORs, {@code >= 1}: a backend of weight 2 gets twice
 *                  the AORs of one of weight 1
 */
public record Backend(String id, String host, int port, String transport, int weight) {

    /** Default SIP port (RFC 3261 §19.1.2). */
    public static final int DEFAULT_PORT = 5060;

    public Backend {
        requireNonNull(id, "id");
        requireNonNull(host, "host");
        requireNonNull(transport, "transport");
        checkArgument(!id.isEmpty() && isPrintableAsciiWithoutSpace(id),
                "id: '%s' (expected: non-empty printable ASCII without spaces)", id);
        checkArgument(!host.isEmpty(), "host: '' (expected: an IP literal or host name)");
        checkArgument(port >= 1 && port <= 65535, "port: %s (expected: 1 ~ 65535)", port);
        transport = transport.toUpperCase(Locale.ROOT);
        checkArgument(transport.equals("UDP") || transport.equals("TCP") || transport.equals("TLS"),
                "transport: '%s' (expected: UDP, TCP or TLS)", transport);
        checkArgument(weight >= 1, "weight: %s (expected: >= 1)", weight);
    }

    /** A UDP backend of weight 1 whose id is {@code host:port} ({@code [v6]:port} for IPv6). */
    public static Backend of(String host, int port) {
        requireNonNull(host, "host");
        String id = host.indexOf(':') >= 0 ? '[' + host + "]:" + port : host + ':' + port;
        return new Backend(id, host, port, "UDP", 1);
    }

    /** This backend with another id (the ranking key; see the class comment). */
    public Backend withId(String id) {
        return new Backend(id, host, port, transport, weight);
    }

    /** This backend with another transport. */
    public Backend withTransport(String transport) {
        return new Backend(id, host, port, transport, weight);
    }

    /** This backend with another weight. */
    public Backend withWeight(int weight) {
        return new Backend(id, host, port, transport, weight);
    }

    private static boolean isPrintableAsciiWithoutSpace(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c <= ' ' || c >= 0x7f) {
                return false;
            }
        }
        return true;
    }
}

package io.siplb.sip.header;

import io.netty.buffer.ByteBuf;

import static com.google.common.base.Preconditions.checkArgument;
import static java.util.Objects.requireNonNull;

/**
 * RFC 3261 {@code hostport = host [ ":" port ]}: a host as written (an IPv6 reference keeps its
 * brackets) and a port, -1 when absent.
 *
 * <p>The host is not resolved or lower-cased: compare hosts with {@link #hostEquals}, which
 * ignores ASCII case as RFC 3261 §19.1.4 requires. A poor fit for sent-by with white space around
 * the colon; {@link Via} parses that itself.
 *
 * @param host the host, never empty
 * @param port 0..65535, or -1 when absent
 */
public record HostPort(String host, int port) {

    public HostPort {
        requireNonNull(host, "host");
        checkArgument(!host.isEmpty(), "host: empty (expected: a hostname, IPv4address or IPv6reference)");
        checkArgument(port >= -1 && port <= 65535, "port: %s (expected: -1 or 0 ~ 65535)", port);
    }

    /**
     * Parses exactly {@code [start, end)} as a hostport; null when it is not one (an IPv6 address
     * without brackets, RFC 5118 §4.2, is not). Never throws.
     */
    public static HostPort parse(ByteBuf buf, int start, int end) {
        if (!Abnf.inBounds(buf, start, end)) {
            return null;
        }
        int off = Abnf.offset(buf, start);
        byte[] a = Abnf.array(buf, start, end);
        int s = start + off;
        int e = end + off;
        int hostEnd = Abnf.consumeHost(a, s, e);
        if (hostEnd < 0) {
            return null;
        }
        int port = -1;
        if (hostEnd < e) {
            if (a[hostEnd] != ':') {
                return null;
            }
            port = Abnf.port(a, hostEnd + 1, e);
            if (port < 0) {
                return null;
            }
        }
        return new HostPort(Abnf.ascii(a, s, hostEnd), port);
    }

    /** Whether the host is an IPv6 reference ("[" IPv6address "]"). */
    public boolean ipv6() {
        return host.charAt(0) == '[';
    }

    /** The port, or {@code defaultPort} when absent. */
    public int portOr(int defaultPort) {
        return port < 0 ? defaultPort : port;
    }

    /** Whether {@code other} names the same host, ignoring ASCII case (RFC 3261 §19.1.4). */
    public boolean hostEquals(String other) {
        return host.equalsIgnoreCase(other);
    }

    @Override
    public String toString() {
        return port < 0 ? host : host + ':' + port;
    }
}

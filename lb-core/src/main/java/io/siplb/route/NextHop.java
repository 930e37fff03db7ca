package io.siplb.route;

import com.google.common.net.InetAddresses;
import io.siplb.sip.header.Via;

import java.net.InetAddress;
import java.net.InetSocketAddress;

/**
 * Where a response goes, read from a Via (RFC 3261 §18.2.2, RFC 3581 §4): to {@code received}
 * when present, else the sent-by host; to {@code rport} when it has a value, else the sent-by
 * port, else the transport's default. {@link Router} computes the same values for the Via it
 * forwards, so that {@link ViaBranch} can bind our branch to them.
 */
final class NextHop {

    private NextHop() {}

    /** The host a response to this Via goes to, without IPv6 brackets. */
    static String host(Via via) {
        String received = via.received();
        return stripBrackets(received != null && !received.isEmpty() ? received : via.host());
    }

    /** The port a response to this Via goes to. */
    static int port(Via via) {
        if (via.rport() > 0) {
            return via.rport();
        }
        if (via.port() > 0) {
            return via.port();
        }
        return "TLS".equalsIgnoreCase(via.transport()) ? 5061 : 5060;
    }

    /**
     * The socket address for a host literal and port, or {@code null} when the host is not an
     * IP literal or is an address siplb must never send to (unspecified, broadcast, multicast:
     * RFC 4475 §3.3.10 — a response must not be sent to 255.255.255.255).
     */
    static InetSocketAddress address(String host, int port) {
        if (host == null || !InetAddresses.isInetAddress(host)) {
            return null;
        }
        InetAddress ip = InetAddresses.forString(host);
        if (ip.isAnyLocalAddress() || ip.isMulticastAddress() || isBroadcast(ip)) {
            return null;
        }
        return new InetSocketAddress(ip, port);
    }

    static String stripBrackets(String host) {
        if (host != null && host.length() > 1 && host.charAt(0) == '[' && host.charAt(host.length() - 1) == ']') {
            return host.substring(1, host.length() - 1);
        }
        return host;
    }

    private static boolean isBroadcast(InetAddress ip) {
        byte[] b = ip.getAddress();
        return b.length == 4 && (b[3] & 0xff) == 255 && (b[0] & 0xff) == 255 && (b[1] & 0xff) == 255 && (b[2] & 0xff) == 255;
    }
}

package io.siplb.config;

import com.google.common.net.InetAddresses;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.Locale;

/** Host syntax shared by listen addresses, backend URIs, advertise, aliases and domains. */
final class Hosts {

    private Hosts() {}

    /**
     * Returns the canonical form of {@code host} (written without brackets): IP literals in
     * their shortest form ({@code ::1}, not {@code 0:0:0:0:0:0:0:1}) so that duplicates are
     * found, host names in lower case (RFC 3261 §19.1.4 compares them case-insensitively);
     * or {@code null} when it is neither an IP address nor a host name.
     */
    static String canonical(String host) {
        if (host == null || host.isEmpty()) {
            return null;
        }
        if (host.indexOf(':') >= 0) {
            // IPv6, possibly with a zone id (fe80::1%eth0) which InetAddresses does not keep.
            int zone = host.indexOf('%');
            String address = zone < 0 ? host : host.substring(0, zone);
            if (!InetAddresses.isInetAddress(address)) {
                return null;
            }
            InetAddress parsed = InetAddresses.forString(address);
            if (!(parsed instanceof Inet6Address)) {
                // An IPv4-mapped address: keep it as written rather than change its family.
                return host.toLowerCase(Locale.ROOT);
            }
            return InetAddresses.toAddrString(parsed) + (zone < 0 ? "" : host.substring(zone));
        }
        if (InetAddresses.isInetAddress(host)) {
            return InetAddresses.toAddrString(InetAddresses.forString(host));
        }
        return isHostName(host) ? host.toLowerCase(Locale.ROOT) : null;
    }

    /** Whether a canonical host is an IPv6 literal (and so needs brackets in a URI or host:port). */
    static boolean isIpv6(String host) {
        return host.indexOf(':') >= 0;
    }

    /** The host as written in a URI or host:port: IPv6 literals in brackets. */
    static String uriHost(String host) {
        return isIpv6(host) ? "[" + host + "]" : host;
    }

    /** Whether a canonical host is the IPv4 or IPv6 wildcard address (bind to all). */
    static boolean isWildcard(String host) {
        return host.equals("0.0.0.0") || host.equals("::");
    }

    /**
     * RFC 1123 host name: dot-separated labels of letters, digits and hyphens, 1 to 63
     * characters, not starting or ending with a hyphen; at most 253 characters. The last
     * label must not be all digits, so a mistyped IPv4 address such as 10.0.0.256 is not
     * taken for a name.
     */
    private static boolean isHostName(String host) {
        if (host.length() > 253 || host.startsWith(".") || host.endsWith(".")) {
            return false;
        }
        String[] labels = host.split("\\.", -1);
        for (String label : labels) {
            if (label.isEmpty() || label.length() > 63
                    || label.charAt(0) == '-' || label.charAt(label.length() - 1) == '-') {
                return false;
            }
            for (int i = 0; i < label.length(); i++) {
                char c = label.charAt(i);
                boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')
                        || (c >= '0' && c <= '9') || c == '-';
                if (!ok) {
                    return false;
                }
            }
        }
        String last = labels[labels.length - 1];
        return !last.chars().allMatch(c -> c >= '0' && c <= '9');
    }
}

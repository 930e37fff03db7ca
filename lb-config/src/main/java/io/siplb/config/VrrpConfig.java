package io.siplb.config;

import com.google.common.net.InetAddresses;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The built-in VRRPv3 speaker ({@code vrrp:} in the configuration; absent = no speaker, the
 * VIP is someone else's business, e.g. keepalived with {@code deploy/keepalived/}). lb-netty's
 * {@code Assembly} maps it onto lb-core's {@code io.siplb.vrrp.VrrpParameters}, whose primary
 * address is the interface's first IPv4 address.
 *
 * <table>
 *   <caption>vrrp keys</caption>
 *   <tr><th>key</th><th>default</th><th>meaning</th></tr>
 *   <tr><td>interface</td><td>required</td><td>the interface that carries the VIPs and the
 *       advertisements (e.g. {@code eth0})</td></tr>
 *   <tr><td>vrid</td><td>required</td><td>virtual router id 1 ~ 255, the same on both nodes
 *       (and on keepalived, when it is the peer); unique on the LAN</td></tr>
 *   <tr><td>priority</td><td>100</td><td>1 ~ 255; the higher one is master. 255 is reserved
 *       for the owner of the addresses (RFC 5798 §6.1) and always preempts</td></tr>
 *   <tr><td>advert-interval</td><td>100ms</td><td>how often the master advertises, 10ms ~
 *       40950ms in whole centiseconds (RFC 5798 §5.2.7); a backup takes over about 3.x
 *       intervals after the master falls silent. keepalived's {@code advert_int 0.1} is the
 *       same value</td></tr>
 *   <tr><td>preempt</td><td>true</td><td>a higher-priority backup takes over from a running
 *       master (RFC 5798 default)</td></tr>
 *   <tr><td>vips</td><td>required</td><td>the virtual IPv4 addresses (1 ~ 20), added as /32
 *       on the interface by the master; SIP listeners bound to them work on the backup too
 *       (IP_FREEBIND)</td></tr>
 * </table>
 *
 * @param interfaceName         the interface name
 * @param vrid                  1..255
 * @param priority              1..255
 * @param advertIntervalCentis  1..4095 centiseconds
 * @param preempt               Preempt_Mode
 * @param vips                  distinct IPv4 addresses
 */
public record VrrpConfig(String interfaceName, int vrid, int priority, int advertIntervalCentis, boolean preempt,
                         List<InetAddress> vips) {

    public static final int DEFAULT_PRIORITY = 100;
    /** 100 ms: sub-second takeover (DESIGN.md "High availability"). */
    public static final Duration DEFAULT_ADVERT_INTERVAL = Duration.ofMillis(100);
    public static final boolean DEFAULT_PREEMPT = true;
    /** The 12-bit Max Adver Int field in centiseconds (RFC 5798 §5.2.7). */
    public static final int MAX_ADVERT_INTERVAL_CENTIS = 4095;
    /** More would not fit one advertisement with room to spare, and nobody needs it. */
    public static final int MAX_VIPS = 20;
    /** Linux interface names are at most 15 bytes (IFNAMSIZ − 1). */
    private static final int MAX_INTERFACE_NAME = 15;

    /** Validates every field, listing all broken rules at once. */
    public VrrpConfig {
        vips = vips == null ? List.of() : List.copyOf(vips);
        Set<InetAddress> distinct = new HashSet<>(vips);
        boolean allV4 = vips.stream().allMatch(a -> a instanceof Inet4Address);
        new FieldChecks()
                .check(interfaceName != null && !interfaceName.isEmpty()
                                && interfaceName.length() <= MAX_INTERFACE_NAME
                                && interfaceName.chars().noneMatch(c -> c == '/' || c <= ' ' || c == ':'),
                        "interface", "'%s' (expected: an interface name like eth0, at most 15 characters)",
                        interfaceName)
                .check(vrid >= 1 && vrid <= 255, "vrid", "%s (expected: 1 ~ 255)", vrid)
                .check(priority >= 1 && priority <= 255, "priority", "%s (expected: 1 ~ 255)", priority)
                .check(advertIntervalCentis >= 1 && advertIntervalCentis <= MAX_ADVERT_INTERVAL_CENTIS,
                        "advert-interval", "%s0ms (expected: 10ms ~ 40950ms)", advertIntervalCentis)
                .check(!vips.isEmpty() && vips.size() <= MAX_VIPS, "vips",
                        "%s addresses (expected: 1 ~ %s IPv4 addresses)", vips.size(), MAX_VIPS)
                .check(allV4, "vips", "%s (expected: IPv4 addresses; IPv6 VRRP is not supported yet)", vips)
                .check(distinct.size() == vips.size(), "vips", "%s (expected: distinct addresses)", vips)
                .throwIfAny();
    }

    /**
     * The interval as written ({@code 100ms}, {@code 1s}) in centiseconds; throws
     * {@link IllegalArgumentException} when it is not a whole number of them.
     */
    public static int centis(Duration interval) {
        long millis = interval.toMillis();
        if (interval.toNanos() % 10_000_000L != 0 || millis < 10 || millis > MAX_ADVERT_INTERVAL_CENTIS * 10L) {
            throw new IllegalArgumentException(Durations.format(interval)
                    + " (expected: 10ms ~ 40950ms in whole centiseconds, like 100ms or 1s)");
        }
        return (int) (millis / 10);
    }

    /** Parses one VIP: an IPv4 literal, no host name (never a DNS lookup). */
    static InetAddress vip(String text) {
        if (!InetAddresses.isInetAddress(text)) {
            throw new IllegalArgumentException("'" + text + "' (expected: an IPv4 address like 192.0.2.10)");
        }
        InetAddress a = InetAddresses.forString(text);
        if (!(a instanceof Inet4Address)) {
            throw new IllegalArgumentException("'" + text + "' (expected: an IPv4 address; IPv6 VRRP is not supported yet)");
        }
        return a;
    }

    /** The advertisement interval as a duration. */
    public Duration advertInterval() {
        return Duration.ofMillis(advertIntervalCentis * 10L);
    }

    /** The VIPs as dotted quads, for logs. */
    public List<String> vipStrings() {
        List<String> out = new ArrayList<>(vips.size());
        for (InetAddress a : vips) {
            out.add(a.getHostAddress());
        }
        return out;
    }
}

package io.siplb.vrrp;

import static com.google.common.base.Preconditions.checkArgument;
import static java.util.Objects.requireNonNull;

import com.google.common.collect.ImmutableList;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.HashSet;
import java.util.List;

/**
 * The parameters of one virtual router (RFC 5798 §6.1), validated here so that the state
 * machine and the codec can trust them. lb-config's YAML {@code vrrp:} section maps onto
 * this record; it is named after the RFC's section to keep it apart from that config record.
 *
 * <table>
 *   <caption>Defaults of {@link #of}</caption>
 *   <tr><th>name</th><th>default</th><th>what it does</th></tr>
 *   <tr><td>{@link #DEFAULT_ADVERTISEMENT_INTERVAL_CENTIS}</td><td>10 (100 ms)</td>
 *       <td>how often the master advertises; a backup takes over about 3.x intervals after
 *       the last advertisement (RFC 5798 default: 100, one second; siplb aims at sub-second
 *       takeover, DESIGN.md "High availability")</td></tr>
 *   <tr><td>{@link #DEFAULT_PREEMPT}</td><td>true</td>
 *       <td>a backup with a higher priority than the master's takes over (RFC 5798 default)</td></tr>
 * </table>
 *
 * @param vrid                        virtual router id, 1..255, the same on every router of
 *                                    the pair (and unique on the LAN)
 * @param priority                    1..255; 255 only on the owner of the virtual addresses,
 *                                    which starts as master and always preempts (§6.1)
 * @param advertisementIntervalCentis 1..4095 centiseconds
 * @param preempt                     Preempt_Mode (§6.1)
 * @param primaryAddress              this router's own address on the interface: the source
 *                                    of its advertisements and the tie-breaker (§6.4.3)
 * @param vips                        the virtual addresses, one or more, distinct, of the
 *                                    primary address's family
 */
public record VrrpParameters(int vrid, int priority, int advertisementIntervalCentis, boolean preempt,
                             InetAddress primaryAddress, List<InetAddress> vips) {

    /** The priority of the address owner (RFC 5798 §6.1). */
    public static final int OWNER_PRIORITY = 255;
    /** 100 ms: see the class comment. */
    public static final int DEFAULT_ADVERTISEMENT_INTERVAL_CENTIS = 10;
    /** Preempt_Mode defaults to true (RFC 5798 §6.1). */
    public static final boolean DEFAULT_PREEMPT = true;

    public VrrpParameters {
        checkArgument(vrid >= 1 && vrid <= 255, "vrid: %s (expected: 1 ~ 255)", vrid);
        // 0 is not a configurable priority: it means "stopping" on the wire (RFC 5798 §5.2.4).
        checkArgument(priority >= 1 && priority <= 255, "priority: %s (expected: 1 ~ 255)", priority);
        checkArgument(advertisementIntervalCentis >= 1
                        && advertisementIntervalCentis <= VrrpPacket.MAX_ADVER_INTERVAL_CENTIS,
                "advertisementIntervalCentis: %s (expected: 1 ~ 4095)", advertisementIntervalCentis);
        requireNonNull(primaryAddress, "primaryAddress");
        vips = ImmutableList.copyOf(requireNonNull(vips, "vips"));
        checkArgument(!vips.isEmpty() && vips.size() <= 255, "vips: %s of them (expected: 1 ~ 255)", vips.size());
        boolean v6 = primaryAddress instanceof Inet6Address;
        for (InetAddress vip : vips) {
            checkArgument((vip instanceof Inet6Address) == v6,
                    "vips: %s (expected: all of the family of primaryAddress %s)", vip, primaryAddress);
        }
        checkArgument(new HashSet<>(vips).size() == vips.size(), "vips: %s (expected: distinct)", vips);
    }

    /** A virtual router with the default interval and preemption on. */
    public static VrrpParameters of(int vrid, int priority, InetAddress primaryAddress, List<InetAddress> vips) {
        return new VrrpParameters(vrid, priority, DEFAULT_ADVERTISEMENT_INTERVAL_CENTIS, DEFAULT_PREEMPT,
                primaryAddress, vips);
    }

    /** Whether this router owns the virtual addresses: priority 255 (RFC 5798 §6.1). */
    public boolean isOwner() {
        return priority == OWNER_PRIORITY;
    }

    /** These parameters with another priority. */
    public VrrpParameters withPriority(int priority) {
        return new VrrpParameters(vrid, priority, advertisementIntervalCentis, preempt, primaryAddress, vips);
    }

    /** These parameters with another advertisement interval. */
    public VrrpParameters withAdvertisementIntervalCentis(int centis) {
        return new VrrpParameters(vrid, priority, centis, preempt, primaryAddress, vips);
    }

    /** These parameters with preemption on or off. */
    public VrrpParameters withPreempt(boolean preempt) {
        return new VrrpParameters(vrid, priority, advertisementIntervalCentis, preempt, primaryAddress, vips);
    }
}

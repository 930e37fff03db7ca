package io.siplb.netty.vrrp;

import static java.util.Objects.requireNonNull;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.util.List;

/**
 * The interface the speaker works on: name, index, MAC and primary IPv4 address (RFC 5798
 * §5.1.1.1: advertisements come from the primary address, which also breaks priority ties).
 *
 * @param name    e.g. eth0
 * @param index   the kernel's interface index
 * @param mac     6 bytes
 * @param primary the first IPv4 address of the interface that is not a VIP
 */
public record NetworkInterfaceInfo(String name, int index, byte[] mac, Inet4Address primary) {

    public NetworkInterfaceInfo {
        requireNonNull(name, "name");
        requireNonNull(mac, "mac");
        requireNonNull(primary, "primary");
        mac = mac.clone();
    }

    @Override
    public byte[] mac() {
        return mac.clone();
    }

    /**
     * Looks the interface up. The primary address is the first IPv4 address in the kernel's
     * order (primary before secondary, from an rtnetlink dump, which needs no privilege), not
     * counting the VIPs, which a crashed predecessor may have left behind.
     *
     * @throws VrrpException when the interface does not exist, is not Ethernet-like, or has no
     *                       IPv4 address of its own
     */
    public static NetworkInterfaceInfo lookup(String name, List<InetAddress> vips) {
        NetworkInterface nif;
        byte[] mac;
        try {
            nif = NetworkInterface.getByName(name);
            mac = nif == null ? null : nif.getHardwareAddress();
        } catch (SocketException e) {
            throw new VrrpException("vrrp.interface: cannot read interface '" + name + "': " + e.getMessage(), e);
        }
        if (nif == null) {
            throw new VrrpException("vrrp.interface: no interface named '" + name + "' in this network namespace");
        }
        if (mac == null || mac.length != 6) {
            throw new VrrpException("vrrp.interface: '" + name + "' has no Ethernet address (expected: an Ethernet "
                    + "interface; gratuitous ARP needs one)");
        }
        Inet4Address primary = null;
        try (Rtnetlink netlink = Rtnetlink.open()) {
            for (Inet4Address a : netlink.addresses(nif.getIndex())) {
                if (!vips.contains(a)) {
                    primary = a;
                    break;
                }
            }
        }
        if (primary == null) {
            throw new VrrpException("vrrp.interface: '" + name + "' has no IPv4 address of its own (expected: the "
                    + "node's address on the LAN; it is the source of the advertisements)");
        }
        return new NetworkInterfaceInfo(name, nif.getIndex(), mac, primary);
    }

    @Override
    public String toString() {
        StringBuilder m = new StringBuilder();
        for (byte b : mac) {
            if (m.length() > 0) {
                m.append(':');
            }
            m.append(String.format("%02x", b & 0xff));
        }
        return name + " (index " + index + ", " + m + ", " + primary.getHostAddress() + ")";
    }
}

package io.siplb.vrrp;

import io.netty.buffer.ByteBuf;
import java.net.Inet4Address;
import java.net.InetAddress;

/**
 * The VRRPv3 checksum (RFC 5798 §5.2.8): the 16-bit one's complement of the one's complement
 * sum of a pseudo-header and the VRRP packet.
 *
 * <ul>
 *   <li>IPv4: source (4), destination (4), zero (1), protocol 112 (1), VRRP length (2).
 *       RFC 5798 points at RFC 2460 §8.1's (IPv6) pseudo-header; for IPv4 keepalived and
 *       the ha-lab capture use the IPv4 layout of the same fields, and so do we.</li>
 *   <li>IPv6 (RFC 2460 §8.1): source (16), destination (16), upper-layer length (4),
 *       zero (3), next header 112 (1).</li>
 * </ul>
 */
final class VrrpChecksum {

    /** IANA protocol number of VRRP (RFC 5798 §5.1.1.4, §5.1.2.4). */
    static final int PROTOCOL = 112;

    private VrrpChecksum() {
    }

    /**
     * The checksum of {@code length} bytes at {@code index}, with the pseudo-header of
     * {@code source} and {@code destination} (same family). Computed over a packet whose
     * checksum field is zero, it is the value to write there; computed over a received
     * packet including its checksum field, it is 0 when the checksum is right.
     */
    static int compute(ByteBuf buf, int index, int length, InetAddress source, InetAddress destination) {
        long sum = 0;
        sum = addAddress(sum, source.getAddress());
        sum = addAddress(sum, destination.getAddress());
        if (source instanceof Inet4Address) {
            sum += PROTOCOL;      // zero byte, protocol byte
            sum += length;        // 16-bit length
        } else {
            sum += length >>> 16; // 32-bit upper-layer length
            sum += length & 0xFFFF;
            sum += PROTOCOL;      // three zero bytes, next header byte
        }
        int end = index + length;
        int i = index;
        for (; i + 1 < end; i += 2) {
            sum += buf.getUnsignedShort(i);
        }
        if (i < end) {
            sum += buf.getUnsignedByte(i) << 8; // an odd length is padded with a zero byte
        }
        while ((sum >>> 16) != 0) {
            sum = (sum & 0xFFFF) + (sum >>> 16);
        }
        return (int) (~sum & 0xFFFF);
    }

    private static long addAddress(long sum, byte[] address) {
        for (int i = 0; i < address.length; i += 2) {
            sum += ((address[i] & 0xFF) << 8) | (address[i + 1] & 0xFF);
        }
        return sum;
    }
}

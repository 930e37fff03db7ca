package io.siplb.netty.vrrp;

import static java.util.Objects.requireNonNull;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * One IPv4 datagram of protocol 112 as the raw socket delivers it (IP header included), split
 * into what the speaker needs, or the reason it is not worth decoding. RFC 5798 §7.1: the TTL
 * must be 255 (a packet that crossed a router is not from our LAN), and the IP version 4.
 *
 * @param source      the IP source
 * @param destination the IP destination (the group, for the checksum)
 * @param ttl         the IP TTL
 * @param payload     the VRRP packet: the bytes after the IP header, up to the IP total length
 * @param problem     null when usable; else why the packet is dropped
 */
record ReceivedPacket(Inet4Address source, Inet4Address destination, int ttl, byte[] payload, String problem) {

    static final int REQUIRED_TTL = 255;
    private static final int PROTOCOL_VRRP = 112;

    /** Whether the packet passed the IP-level checks. */
    boolean usable() {
        return problem == null;
    }

    /** Parses {@code length} bytes at the start of {@code buffer}: an IPv4 header and payload. */
    static ReceivedPacket parse(byte[] buffer, int length) {
        requireNonNull(buffer, "buffer");
        if (length < 20) {
            return rejected("shorter than an IPv4 header (" + length + " bytes)");
        }
        int version = (buffer[0] & 0xff) >>> 4;
        if (version != 4) {
            return rejected("IP version " + version + " (expected: 4)");
        }
        int headerLength = (buffer[0] & 0x0f) * 4;
        int totalLength = ((buffer[2] & 0xff) << 8) | (buffer[3] & 0xff);
        // Linux raw sockets deliver the total length as on the wire (host order only for IP_HDRINCL sends)
        if (headerLength < 20 || headerLength > length) {
            return rejected("bad IPv4 header length " + headerLength);
        }
        int end = totalLength >= headerLength && totalLength <= length ? totalLength : length;
        Inet4Address source = address(buffer, 12);
        Inet4Address destination = address(buffer, 16);
        int ttl = buffer[8] & 0xff;
        int protocol = buffer[9] & 0xff;
        byte[] payload = new byte[end - headerLength];
        System.arraycopy(buffer, headerLength, payload, 0, payload.length);
        String problem = null;
        if (protocol != PROTOCOL_VRRP) {
            problem = "IP protocol " + protocol + " (expected: 112)";
        } else if (ttl != REQUIRED_TTL) {
            problem = "TTL " + ttl + " (expected: 255, RFC 5798 §7.1)";
        }
        return new ReceivedPacket(source, destination, ttl, payload, problem);
    }

    private static ReceivedPacket rejected(String problem) {
        return new ReceivedPacket(null, null, 0, new byte[0], problem);
    }

    private static Inet4Address address(byte[] b, int offset) {
        byte[] a = {b[offset], b[offset + 1], b[offset + 2], b[offset + 3]};
        try {
            return (Inet4Address) InetAddress.getByAddress(a);
        } catch (UnknownHostException e) {
            throw new AssertionError(e);
        }
    }
}

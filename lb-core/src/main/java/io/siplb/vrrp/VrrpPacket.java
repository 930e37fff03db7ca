package io.siplb.vrrp;

import static com.google.common.base.Preconditions.checkArgument;
import static java.util.Objects.requireNonNull;

import com.google.common.collect.ImmutableList;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;

/**
 * A VRRPv3 ADVERTISEMENT (RFC 5798 §5.1), the only VRRPv3 packet type, for IPv4 or IPv6.
 *
 * <pre>
 *   0                   1                   2                   3
 *   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *  |Version| Type  | Virtual Rtr ID|   Priority    |Count IPvX Addr|
 *  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *  |(rsvd) |     Max Adver Int     |          Checksum             |
 *  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *  |                     IPvX Address(es) ...                      |
 * </pre>
 *
 * <p>The value holds what the sender decides (VRID, priority, interval, addresses); version,
 * type, count and checksum are derived on {@link #encode} and checked on {@link #decode}.
 * The checksum covers a pseudo-header with the IP source and destination (RFC 5798 §5.2.8),
 * so both operations take the source address; the destination defaults to the VRRP group
 * (224.0.0.18, ff02::12). The address family of the packet is the family of the source.
 *
 * <p>Not covered: VRRPv2 (RFC 3768, with its authentication fields), and the IP header
 * checks of RFC 5798 §7.1 (TTL / hop limit 255, protocol 112), which belong to the socket
 * that sees the IP header.
 *
 * @param vrid                   virtual router id, 1..255
 * @param priority               0..255: 255 for the address owner, 0 for "I am stopping"
 *                               (RFC 5798 §5.2.4)
 * @param maxAdverIntervalCentis the sender's advertisement interval, 1..4095 centiseconds
 *                               (12 bits, RFC 5798 §5.2.7)
 * @param addresses              the virtual addresses, at most 255, all of one family
 */
public record VrrpPacket(int vrid, int priority, int maxAdverIntervalCentis, List<InetAddress> addresses) {

    /** The version this codec speaks (RFC 5798 §5.2.1). */
    public static final int VERSION = 3;
    /** ADVERTISEMENT, the only type (RFC 5798 §5.2.2). */
    public static final int TYPE_ADVERTISEMENT = 1;
    /** Bytes before the addresses. */
    public static final int HEADER_LENGTH = 8;
    /** The largest Max Adver Int: 12 bits of centiseconds, 40.95 s. */
    public static final int MAX_ADVER_INTERVAL_CENTIS = 0x0FFF;
    /** The IPv4 VRRP multicast group (RFC 5798 §5.1.1.2). */
    public static final InetAddress IPV4_GROUP = literal(new byte[] {(byte) 224, 0, 0, 18});
    /** The IPv6 VRRP multicast group ff02::12 (RFC 5798 §5.1.2.2). */
    public static final InetAddress IPV6_GROUP = literal(new byte[] {
        (byte) 0xff, 0x02, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x12});

    private static final int CHECKSUM_OFFSET = 6;

    public VrrpPacket {
        checkArgument(vrid >= 1 && vrid <= 255, "vrid: %s (expected: 1 ~ 255)", vrid);
        checkArgument(priority >= 0 && priority <= 255, "priority: %s (expected: 0 ~ 255)", priority);
        checkArgument(maxAdverIntervalCentis >= 1 && maxAdverIntervalCentis <= MAX_ADVER_INTERVAL_CENTIS,
                "maxAdverIntervalCentis: %s (expected: 1 ~ 4095)", maxAdverIntervalCentis);
        addresses = ImmutableList.copyOf(requireNonNull(addresses, "addresses"));
        checkArgument(addresses.size() <= 255, "addresses: %s of them (expected: <= 255)", addresses.size());
        checkArgument(addresses.isEmpty() || sameFamily(addresses, addresses.get(0)),
                "addresses: %s (expected: all IPv4 or all IPv6)", addresses);
    }

    /** The advertisement a router with these parameters sends at {@code priority}. */
    public static VrrpPacket advertisement(VrrpParameters parameters, int priority) {
        return new VrrpPacket(parameters.vrid(), priority, parameters.advertisementIntervalCentis(),
                parameters.vips());
    }

    /** The number of addresses: the Count IPvX Addr field. */
    public int addressCount() {
        return addresses.size();
    }

    /** The encoded length when sent from an address of {@code source}'s family. */
    public int encodedLength(InetAddress source) {
        return HEADER_LENGTH + addresses.size() * source.getAddress().length;
    }

    /** {@link #encode(ByteBuf, InetAddress, InetAddress)} to the VRRP group. */
    public void encode(ByteBuf out, InetAddress source) {
        encode(out, source, groupOf(source));
    }

    /**
     * Writes the packet at the writer index of {@code out}, checksum included.
     *
     * @param source      the IP source the packet will be sent from (the sender's primary
     *                    address, RFC 5798 §5.1.1.1)
     * @param destination the IP destination: the group, or a peer for unicast VRRP
     * @throws IllegalArgumentException if the addresses are not of the source's family, or
     *                                  source and destination differ in family
     */
    public void encode(ByteBuf out, InetAddress source, InetAddress destination) {
        requireNonNull(out, "out");
        checkFamilies(source, destination);
        checkArgument(addresses.isEmpty() || sameFamily(addresses, source),
                "addresses: %s (expected: the family of source %s)", addresses, source);
        int start = out.writerIndex();
        out.writeByte(VERSION << 4 | TYPE_ADVERTISEMENT);
        out.writeByte(vrid);
        out.writeByte(priority);
        out.writeByte(addresses.size());
        out.writeShort(maxAdverIntervalCentis); // the 4 reserved bits stay zero (RFC 5798 §5.2.6)
        out.writeShort(0);
        for (InetAddress a : addresses) {
            out.writeBytes(a.getAddress());
        }
        int length = out.writerIndex() - start;
        out.setShort(start + CHECKSUM_OFFSET, VrrpChecksum.compute(out, start, length, source, destination));
    }

    /** The packet as sent from {@code source} to the VRRP group, as a new array. */
    public byte[] encode(InetAddress source) {
        byte[] bytes = new byte[encodedLength(source)];
        ByteBuf out = Unpooled.wrappedBuffer(bytes);
        try {
            out.writerIndex(0);
            encode(out, source);
            return bytes;
        } finally {
            out.release();
        }
    }

    /** {@link #decode(ByteBuf, InetAddress, InetAddress)} of a packet sent to the VRRP group. */
    public static VrrpDecodeResult decode(ByteBuf in, InetAddress source) {
        return decode(in, source, groupOf(source));
    }

    /** {@link #decode(ByteBuf, InetAddress)} of a whole array. */
    public static VrrpDecodeResult decode(byte[] in, InetAddress source) {
        ByteBuf buf = Unpooled.wrappedBuffer(requireNonNull(in, "in"));
        try {
            return decode(buf, source); // the packet copies what it keeps
        } finally {
            buf.release();
        }
    }

    /**
     * Decodes the readable bytes of {@code in}: the IP payload, exactly, since the packet
     * length is what the count is checked against. Reads with absolute indices and leaves
     * the reader index and ownership of {@code in} alone. Never throws on any bytes.
     *
     * @param source      the IP source of the packet (its family is the packet's family)
     * @param destination the IP destination, for the checksum
     * @throws IllegalArgumentException only for a null source or destination, or the two of
     *                                  different families: a caller's mistake, not input
     */
    public static VrrpDecodeResult decode(ByteBuf in, InetAddress source, InetAddress destination) {
        requireNonNull(in, "in");
        checkFamilies(source, destination);
        int start = in.readerIndex();
        int length = in.readableBytes();
        if (length < HEADER_LENGTH) {
            return VrrpDecodeResult.failure(VrrpDecodeError.BAD_LENGTH, length);
        }
        int versionType = in.getUnsignedByte(start);
        if (versionType >>> 4 != VERSION) {
            return VrrpDecodeResult.failure(VrrpDecodeError.WRONG_VERSION, 0);
        }
        if ((versionType & 0x0F) != TYPE_ADVERTISEMENT) {
            return VrrpDecodeResult.failure(VrrpDecodeError.WRONG_TYPE, 0);
        }
        int addressLength = source.getAddress().length;
        int addressBytes = length - HEADER_LENGTH;
        if (addressBytes % addressLength != 0) {
            return VrrpDecodeResult.failure(VrrpDecodeError.BAD_LENGTH, length);
        }
        int count = in.getUnsignedByte(start + 3);
        if (addressBytes / addressLength != count) {
            return VrrpDecodeResult.failure(VrrpDecodeError.COUNT_MISMATCH, 3);
        }
        // Checked before the field values, so that a corrupted packet is reported as such.
        if (VrrpChecksum.compute(in, start, length, source, destination) != 0) {
            return VrrpDecodeResult.failure(VrrpDecodeError.BAD_CHECKSUM, CHECKSUM_OFFSET);
        }
        int vrid = in.getUnsignedByte(start + 1);
        if (vrid == 0) {
            return VrrpDecodeResult.failure(VrrpDecodeError.BAD_VRID, 1);
        }
        // RFC 5798 §5.2.6: the 4 reserved bits are ignored on reception.
        int interval = in.getUnsignedShort(start + 4) & MAX_ADVER_INTERVAL_CENTIS;
        if (interval == 0) {
            return VrrpDecodeResult.failure(VrrpDecodeError.BAD_INTERVAL, 4);
        }
        ImmutableList.Builder<InetAddress> addresses = ImmutableList.builderWithExpectedSize(count);
        for (int i = 0; i < count; i++) {
            byte[] a = new byte[addressLength];
            in.getBytes(start + HEADER_LENGTH + i * addressLength, a);
            addresses.add(literal(a));
        }
        return VrrpDecodeResult.success(
                new VrrpPacket(vrid, in.getUnsignedByte(start + 2), interval, addresses.build()));
    }

    /** The VRRP group of {@code source}'s family. */
    public static InetAddress groupOf(InetAddress source) {
        return requireNonNull(source, "source") instanceof Inet4Address ? IPV4_GROUP : IPV6_GROUP;
    }

    private static void checkFamilies(InetAddress source, InetAddress destination) {
        requireNonNull(source, "source");
        requireNonNull(destination, "destination");
        checkArgument(source.getClass() == destination.getClass(),
                "destination: %s (expected: the family of source %s)", destination, source);
    }

    private static boolean sameFamily(List<InetAddress> addresses, InetAddress of) {
        boolean v6 = of instanceof Inet6Address;
        for (InetAddress a : addresses) {
            if ((a instanceof Inet6Address) != v6) {
                return false;
            }
        }
        return true;
    }

    /**
     * An address from 4 or 16 bytes, without a name lookup. 16 bytes always give an
     * {@link Inet6Address}: {@code InetAddress.getByAddress} would turn an IPv4-mapped
     * address into an {@link Inet4Address} and change the packet's family.
     */
    static InetAddress literal(byte[] bytes) {
        try {
            return bytes.length == 16 ? Inet6Address.getByAddress(null, bytes, -1) : InetAddress.getByAddress(bytes);
        } catch (UnknownHostException e) {
            throw new AssertionError("a 4- or 16-byte address is always valid", e);
        }
    }
}

package io.siplb.vrrp;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.net.InetAddress;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

/**
 * Whatever bytes arrive, decode returns a result and reads nothing outside them; what encode
 * writes, decode gives back; and any one changed byte is rejected.
 */
class VrrpPacketProperties {

    private static final InetAddress V4 = VrrpPacketTest.ip("10.77.0.11");
    private static final InetAddress V6 = VrrpPacketTest.ip("fe80::1");

    @Property(tries = 20_000)
    void decodeNeverThrowsOnRandomBytes(@ForAll @Size(max = 300) byte[] bytes, @ForAll boolean ipv6) {
        assertDecodes(bytes, ipv6 ? V6 : V4);
    }

    /**
     * Random bytes almost never get past the version nibble; these start as VRRPv3 adverts
     * with a count near the length, and half of them carry a valid checksum, so every check
     * down to the addresses is reached.
     */
    @Property(tries = 20_000)
    void decodeNeverThrowsOnPlausibleAdvertisements(@ForAll("plausible") byte[] bytes, @ForAll boolean ipv6,
                                                    @ForAll boolean fixChecksum) {
        InetAddress source = ipv6 ? V6 : V4;
        assertDecodes(fixChecksum && bytes.length >= 8 ? VrrpPacketTest.withChecksum(bytes, source) : bytes, source);
    }

    @Property(tries = 2_000)
    void decodeGivesBackWhatEncodeWrote(@ForAll @IntRange(min = 1, max = 255) int vrid,
                                        @ForAll @IntRange(min = 0, max = 255) int priority,
                                        @ForAll @IntRange(min = 1, max = 4095) int interval,
                                        @ForAll("addresses") List<byte[]> raw, @ForAll boolean ipv6) {
        InetAddress source = ipv6 ? V6 : V4;
        List<InetAddress> addresses = raw.stream()
                .map(b -> VrrpPacket.literal(ipv6 ? concat(b, b, b, b) : b)).toList();
        VrrpPacket packet = new VrrpPacket(vrid, priority, interval, addresses);

        VrrpDecodeResult result = VrrpPacket.decode(packet.encode(source), source);

        assertThat(result.packet()).as("%s", result).isEqualTo(packet);
    }

    @Property(tries = 5_000)
    void anyOneChangedByteIsRejected(@ForAll("addresses") List<byte[]> raw, @ForAll @IntRange(max = 10_000) int where,
                                     @ForAll @IntRange(min = 1, max = 255) int delta) {
        List<InetAddress> addresses = raw.stream().map(VrrpPacket::literal).toList();
        byte[] bytes = new VrrpPacket(42, 100, 10, addresses).encode(V4);
        int i = where % bytes.length;
        bytes[i] = (byte) (bytes[i] + delta);

        // One's complement sums catch every error of a single byte (RFC 1071 §2).
        assertThat(VrrpPacket.decode(bytes, V4).isSuccess()).isFalse();
    }

    @Provide
    Arbitrary<List<byte[]>> addresses() {
        return Arbitraries.bytes().array(byte[].class).ofSize(4).list().ofMaxSize(12);
    }

    @Provide
    Arbitrary<byte[]> plausible() {
        Arbitrary<Integer> count = Arbitraries.integers().between(0, 20);
        Arbitrary<Integer> addressBytes = Arbitraries.integers().between(0, 20 * 16 + 3);
        Arbitrary<byte[]> noise = Arbitraries.bytes().array(byte[].class).ofSize(8 + 20 * 16 + 3);
        Arbitrary<Byte> first = Arbitraries.of((byte) 0x31, (byte) 0x31, (byte) 0x31, (byte) 0x21, (byte) 0x32);
        return Combinators.combine(first, count, addressBytes, noise).as((f, c, n, b) -> {
            byte[] out = new byte[Math.min(b.length, 8 + n)];
            System.arraycopy(b, 0, out, 0, out.length);
            out[0] = f;
            if (out.length > 3) {
                out[3] = (byte) (int) c;
            }
            return out;
        });
    }

    private static void assertDecodes(byte[] bytes, InetAddress source) {
        // A buffer of exactly the packet's capacity: a read outside it throws.
        ByteBuf buf = Unpooled.wrappedBuffer(bytes);
        VrrpDecodeResult result = VrrpPacket.decode(buf, source);
        assertThat(result).isNotNull();
        assertThat(result.isSuccess()).isEqualTo(result.error() == null);
        if (result.isSuccess()) {
            assertThat(result.packet().vrid()).isBetween(1, 255);
            assertThat(bytes.length).isEqualTo(result.packet().encodedLength(source));
        }
    }

    private static byte[] concat(byte[]... parts) {
        byte[] out = new byte[parts.length * parts[0].length];
        for (int i = 0; i < parts.length; i++) {
            System.arraycopy(parts[i], 0, out, i * parts[0].length, parts[i].length);
        }
        return out;
    }
}

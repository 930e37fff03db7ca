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
import net.jqwik.api.statistics.Statistics;
import net.jqwik.api.Tuple;
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
        VrrpDecodeResult result = assertDecodes(
                fixChecksum && bytes.length >= 8 ? VrrpPacketTest.withChecksum(bytes, source) : bytes, source);

        Statistics.label("outcome").collect(result.isSuccess() ? "success" : result.error().name());
        Statistics.label("outcome").coverage(coverage -> {
            coverage.check("success").percentage(p -> p > 5);
            for (VrrpDecodeError error : VrrpDecodeError.values()) {
                coverage.check(error.name()).count(n -> n > 0);
            }
        });
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
        Arbitrary<Byte> first = Arbitraries.of((byte) 0x31, (byte) 0x31, (byte) 0x31, (byte) 0x21, (byte) 0x32);
        Arbitrary<Integer> count = Arbitraries.integers().between(0, 20);
        Arbitrary<Integer> addressLength = Arbitraries.of(4, 16);
        Arbitrary<Integer> slack = Arbitraries.frequency(
                Tuple.of(6, 0), Tuple.of(1, -1), Tuple.of(1, 1),
                Tuple.of(1, 4), Tuple.of(1, -7));
        Arbitrary<byte[]> noise = Arbitraries.bytes().array(byte[].class).ofSize(8 + 20 * 16 + 4);
        Arbitrary<Boolean> zeroInterval = Arbitraries.integers().between(0, 9).map(i -> i == 0);
        return Combinators.combine(first, count, addressLength, slack, zeroInterval, noise).as((f, c, a, d, z, b) -> {
            byte[] out = new byte[Math.max(0, Math.min(b.length, 8 + c * a + d))];
            System.arraycopy(b, 0, out, 0, out.length);
            if (out.length > 0) {
                out[0] = f;
            }
            if (out.length > 3) {
                out[3] = (byte) (int) c;
            }
            if (z && out.length > 5) {
                out[4] &= (byte) 0xF0; // keep the reserved bits, zero the interval
                out[5] = 0;
            }
            return out;
        });
    }

    private static VrrpDecodeResult assertDecodes(byte[] bytes, InetAddress source) {
        // A buffer of exactly the packet's capacity: a read outside it throws.
        ByteBuf buf = Unpooled.wrappedBuffer(bytes);
        VrrpDecodeResult result;
        try {
            result = VrrpPacket.decode(buf, source);
        } finally {
            buf.release();
        }
        assertThat(result).isNotNull();
        assertThat(result.isSuccess()).isEqualTo(result.error() == null);
        if (result.isSuccess()) {
            assertThat(result.packet().vrid()).isBetween(1, 255);
            assertThat(bytes.length).isEqualTo(result.packet().encodedLength(source));
        }
        return result;
    }

    private static byte[] concat(byte[]... parts) {
        byte[] out = new byte[parts.length * parts[0].length];
        for (int i = 0; i < parts.length; i++) {
            System.arraycopy(parts[i], 0, out, i * parts[0].length, parts[i].length);
        }
        return out;
    }
}

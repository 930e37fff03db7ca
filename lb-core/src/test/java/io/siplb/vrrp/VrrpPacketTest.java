package io.siplb.vrrp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.common.net.InetAddresses;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import java.net.InetAddress;
import java.util.List;
import org.junit.jupiter.api.Test;

class VrrpPacketTest {

    private static final InetAddress SOURCE = ip("192.0.2.10");
    private static final InetAddress VIP = ip("192.0.2.1");

    /** The advertisement keepalived sent in the ha-lab, received by a raw socket (lab README). */
    private static final byte[] KEEPALIVED_ADVERT = hex("314d96010064 42e7 0a4d0032");
    private static final InetAddress KEEPALIVED_SOURCE = ip("10.77.0.11");

    @Test
    void encodesTheRfcLayoutByteForByte() {
        VrrpPacket packet = new VrrpPacket(1, 100, 100, List.of(VIP));

        // RFC 5798 §5.1: version 3 | type 1, VRID, priority, count; rsvd | max adver int (12
        // bits), checksum; the IPv4 address. Checksum (§5.2.8) by hand: one's complement sum
        // of the pseudo-header words c000 020a e000 0012 0070 000c (192.0.2.10, 224.0.0.18,
        // 0 | 112, length 12) and the packet words 3101 6401 0064 0000 c000 0201 is 0x2f9ff,
        // folded 0xfa01, complemented 0x05fe.
        assertThat(packet.encode(SOURCE)).containsExactly(hex("31 01 64 01 0064 05fe c0000201"));
    }

    @Test
    void encodesAKeepalivedAdvertisementByteForByte() {
        VrrpPacket packet = new VrrpPacket(77, 150, 100, List.of(ip("10.77.0.50")));

        assertThat(packet.encode(KEEPALIVED_SOURCE)).containsExactly(KEEPALIVED_ADVERT);
    }

    @Test
    void decodesAKeepalivedAdvertisement() {
        VrrpDecodeResult result = VrrpPacket.decode(KEEPALIVED_ADVERT, KEEPALIVED_SOURCE);

        assertThat(result.isSuccess()).as("%s", result).isTrue();
        assertThat(result.packet()).isEqualTo(new VrrpPacket(77, 150, 100, List.of(ip("10.77.0.50"))));
        assertThat(result.error()).isNull();
    }

    @Test
    void checksumCoversTheSourceAddress() {
        // The same bytes from the other node of the lab pair: the pseudo-header differs.
        VrrpDecodeResult result = VrrpPacket.decode(KEEPALIVED_ADVERT, ip("10.77.0.12"));

        assertThat(result.error()).isEqualTo(VrrpDecodeError.BAD_CHECKSUM);
        assertThat(result.offset()).isEqualTo(6);
    }

    @Test
    void checksumCoversTheDestinationAddress() {
        ByteBuf buf = Unpooled.buffer();
        try {
            InetAddress peer = ip("192.0.2.11");
            new VrrpPacket(1, 100, 100, List.of(VIP)).encode(buf, SOURCE, peer);

            assertThat(VrrpPacket.decode(buf, SOURCE, peer).isSuccess()).isTrue();
            assertThat(VrrpPacket.decode(buf, SOURCE).error()).isEqualTo(VrrpDecodeError.BAD_CHECKSUM);
        } finally {
            buf.release();
        }
    }

    @Test
    void roundTripsSeveralIpv4Addresses() {
        VrrpPacket packet = new VrrpPacket(255, 0, 4095, List.of(VIP, ip("192.0.2.2"), ip("198.51.100.7")));

        assertThat(VrrpPacket.decode(packet.encode(SOURCE), SOURCE).packet()).isEqualTo(packet);
    }

    @Test
    void encodesIpv6WithTheIpv6PseudoHeader() {
        InetAddress source = ip("fe80::1");
        VrrpPacket packet = new VrrpPacket(7, 200, 10, List.of(ip("2001:db8::50")));

        // Pseudo-header of RFC 2460 §8.1: fe80::1, ff02::12, length 24, zero, next header 112.
        assertThat(packet.encode(source)).containsExactly(
                hex("31 07 c8 01 000a dac4 20010db8000000000000000000000050"));
        assertThat(VrrpPacket.decode(packet.encode(source), source).packet()).isEqualTo(packet);
    }

    @Test
    void keepsAnIpv4MappedIpv6AddressIpv6() {
        InetAddress source = ip("fe80::1");
        byte[] mapped = new byte[16];
        mapped[10] = (byte) 0xff;
        mapped[11] = (byte) 0xff;
        mapped[12] = 10;
        mapped[15] = 1;
        byte[] bytes = hex("31 07 c8 01 000a 0000");
        byte[] withAddress = new byte[bytes.length + 16];
        System.arraycopy(bytes, 0, withAddress, 0, bytes.length);
        System.arraycopy(mapped, 0, withAddress, bytes.length, 16);

        VrrpDecodeResult result = VrrpPacket.decode(withChecksum(withAddress, source), source);

        assertThat(result.isSuccess()).as("%s", result).isTrue();
        assertThat(result.packet().addresses().get(0).getAddress()).containsExactly(mapped);
    }

    @Test
    void encodesAtTheWriterIndexAndDecodesTheReadableBytesOnly() {
        ByteBuf buf = Unpooled.buffer();
        try {
            buf.writeBytes(hex("deadbeef"));
            buf.readerIndex(4);
            VrrpPacket packet = new VrrpPacket(77, 150, 100, List.of(ip("10.77.0.50")));
            packet.encode(buf, KEEPALIVED_SOURCE);

            assertThat(ByteBufUtil.getBytes(buf)).containsExactly(KEEPALIVED_ADVERT);
            assertThat(VrrpPacket.decode(buf, KEEPALIVED_SOURCE).packet()).isEqualTo(packet);
            assertThat(buf.readerIndex()).isEqualTo(4);
        } finally {
            buf.release();
        }
    }

    @Test
    void ignoresTheReservedBitsOnReceipt() {
        byte[] bytes = KEEPALIVED_ADVERT.clone();
        bytes[4] |= (byte) 0xF0; // RFC 5798 §5.2.6: set to zero on transmission, ignored on reception

        VrrpDecodeResult result = VrrpPacket.decode(withChecksum(bytes, KEEPALIVED_SOURCE), KEEPALIVED_SOURCE);

        assertThat(result.packet().maxAdverIntervalCentis()).isEqualTo(100);
    }

    @Test
    void rejectsFewerThanEightBytes() {
        VrrpDecodeResult result = VrrpPacket.decode(hex("314d96010064 42"), KEEPALIVED_SOURCE);

        assertThat(result.isSuccess()).isFalse();
        assertThat(result.packet()).isNull();
        assertThat(result.error()).isEqualTo(VrrpDecodeError.BAD_LENGTH);
        assertThat(result.offset()).isEqualTo(7);
    }

    @Test
    void rejectsAPartialAddress() {
        byte[] bytes = withChecksum(hex("314d96010064 0000 0a4d00"), KEEPALIVED_SOURCE);

        assertThat(VrrpPacket.decode(bytes, KEEPALIVED_SOURCE).error()).isEqualTo(VrrpDecodeError.BAD_LENGTH);
    }

    @Test
    void rejectsVrrpVersion2() {
        byte[] bytes = KEEPALIVED_ADVERT.clone();
        bytes[0] = 0x21;

        VrrpDecodeResult result = VrrpPacket.decode(withChecksum(bytes, KEEPALIVED_SOURCE), KEEPALIVED_SOURCE);

        assertThat(result.error()).isEqualTo(VrrpDecodeError.WRONG_VERSION);
        assertThat(result.offset()).isZero();
    }

    @Test
    void rejectsATypeOtherThanAdvertisement() {
        byte[] bytes = KEEPALIVED_ADVERT.clone();
        bytes[0] = 0x32;

        VrrpDecodeResult result = VrrpPacket.decode(withChecksum(bytes, KEEPALIVED_SOURCE), KEEPALIVED_SOURCE);

        assertThat(result.error()).isEqualTo(VrrpDecodeError.WRONG_TYPE);
    }

    @Test
    void rejectsACountThatDoesNotMatchTheAddresses() {
        byte[] bytes = KEEPALIVED_ADVERT.clone();
        bytes[3] = 2;

        VrrpDecodeResult result = VrrpPacket.decode(withChecksum(bytes, KEEPALIVED_SOURCE), KEEPALIVED_SOURCE);

        assertThat(result.error()).isEqualTo(VrrpDecodeError.COUNT_MISMATCH);
        assertThat(result.offset()).isEqualTo(3);
    }

    @Test
    void rejectsAnIpv4PacketReadAsIpv6() {
        // 4 address bytes are not a whole IPv6 address.
        assertThat(VrrpPacket.decode(KEEPALIVED_ADVERT, ip("fe80::1")).error())
                .isEqualTo(VrrpDecodeError.BAD_LENGTH);
    }

    @Test
    void rejectsABadChecksum() {
        byte[] bytes = KEEPALIVED_ADVERT.clone();
        bytes[7] ^= 1;

        assertThat(VrrpPacket.decode(bytes, KEEPALIVED_SOURCE).error()).isEqualTo(VrrpDecodeError.BAD_CHECKSUM);
    }

    @Test
    void rejectsVirtualRouterIdZero() {
        byte[] bytes = KEEPALIVED_ADVERT.clone();
        bytes[1] = 0;

        VrrpDecodeResult result = VrrpPacket.decode(withChecksum(bytes, KEEPALIVED_SOURCE), KEEPALIVED_SOURCE);

        assertThat(result.error()).isEqualTo(VrrpDecodeError.BAD_VRID);
        assertThat(result.offset()).isEqualTo(1);
    }

    @Test
    void rejectsAnAdvertisementIntervalOfZero() {
        byte[] bytes = KEEPALIVED_ADVERT.clone();
        bytes[4] = (byte) 0xF0; // only reserved bits
        bytes[5] = 0;

        VrrpDecodeResult result = VrrpPacket.decode(withChecksum(bytes, KEEPALIVED_SOURCE), KEEPALIVED_SOURCE);

        assertThat(result.error()).isEqualTo(VrrpDecodeError.BAD_INTERVAL);
        assertThat(result.offset()).isEqualTo(4);
    }

    @Test
    void refusesOutOfRangeFieldsWithTheExpectedRange() {
        assertThatThrownBy(() -> new VrrpPacket(0, 100, 100, List.of(VIP)))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("vrid: 0 (expected: 1 ~ 255)");
        assertThatThrownBy(() -> new VrrpPacket(1, 256, 100, List.of(VIP)))
                .hasMessage("priority: 256 (expected: 0 ~ 255)");
        assertThatThrownBy(() -> new VrrpPacket(1, 100, 4096, List.of(VIP)))
                .hasMessage("maxAdverIntervalCentis: 4096 (expected: 1 ~ 4095)");
        assertThatThrownBy(() -> new VrrpPacket(1, 100, 100, List.of(VIP, ip("2001:db8::1"))))
                .hasMessageStartingWith("addresses:").hasMessageEndingWith("(expected: all IPv4 or all IPv6)");
    }

    @Test
    void refusesToEncodeAddressesOfAnotherFamilyThanTheSource() {
        VrrpPacket packet = new VrrpPacket(1, 100, 100, List.of(VIP));

        assertThatThrownBy(() -> packet.encode(ip("fe80::1")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("expected: the family of source");
    }

    @Test
    void buildsTheAdvertisementOfAVirtualRouter() {
        VrrpParameters parameters = VrrpParameters.of(77, 150, KEEPALIVED_SOURCE, List.of(ip("10.77.0.50")))
                .withAdvertisementIntervalCentis(100);

        assertThat(VrrpPacket.advertisement(parameters, 150).encode(KEEPALIVED_SOURCE))
                .containsExactly(KEEPALIVED_ADVERT);
    }

    /** The bytes with their checksum field set right for {@code source} to the group. */
    static byte[] withChecksum(byte[] bytes, InetAddress source) {
        byte[] b = bytes.clone();
        b[6] = 0;
        b[7] = 0;
        ByteBuf buf = Unpooled.wrappedBuffer(b);
        int checksum = VrrpChecksum.compute(buf, 0, b.length, source, VrrpPacket.groupOf(source));
        buf.release();
        b[6] = (byte) (checksum >>> 8);
        b[7] = (byte) checksum;
        return b;
    }

    static byte[] hex(String s) {
        return ByteBufUtil.decodeHexDump(s.replace(" ", ""));
    }

    static InetAddress ip(String literal) {
        return InetAddresses.forString(literal);
    }
}

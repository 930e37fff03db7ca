package io.siplb.netty.vrrp;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.common.net.InetAddresses;
import io.siplb.vrrp.VrrpPacket;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The bytes the speaker hands to the kernel and reads from it. */
class WireFormatsTest {

    private static final Inet4Address VIP = (Inet4Address) InetAddresses.forString("10.77.0.50");
    private static final InetAddress PEER = InetAddresses.forString("10.77.0.12");

    @Test
    void receivedDatagramIsSplitIntoSourceTtlAndPayload() {
        byte[] vrrp = new VrrpPacket(77, 100, 10, List.of(VIP)).encode(PEER);

        ReceivedPacket p = ReceivedPacket.parse(InMemoryWire.ipv4(PEER, 255, vrrp), 20 + vrrp.length);

        assertThat(p.usable()).isTrue();
        assertThat(p.source()).isEqualTo(PEER);
        assertThat(p.destination()).isEqualTo(VrrpPacket.IPV4_GROUP);
        assertThat(p.payload()).isEqualTo(vrrp);
        assertThat(VrrpPacket.decode(p.payload(), p.source()).isSuccess()).isTrue();
    }

    @Test
    void ttlOtherThan255IsRejectedPerRfc5798Section71() {
        byte[] vrrp = new VrrpPacket(77, 100, 10, List.of(VIP)).encode(PEER);

        ReceivedPacket p = ReceivedPacket.parse(InMemoryWire.ipv4(PEER, 64, vrrp), 20 + vrrp.length);

        assertThat(p.usable()).isFalse();
        assertThat(p.problem()).contains("TTL 64");
    }

    @Test
    void ipVersionOtherThan4AndShortDatagramsAreRejected() {
        byte[] d = InMemoryWire.ipv4(PEER, 255, new byte[12]);
        d[0] = 0x65;

        assertThat(ReceivedPacket.parse(d, d.length).problem()).contains("IP version 6");
        assertThat(ReceivedPacket.parse(new byte[10], 10).problem()).contains("shorter");
    }

    @Test
    void gratuitousArpIsABroadcastRequestWithSenderAndTargetTheVip() {
        byte[] mac = {2, 0x77, 0, 0, 0, 0x0b};

        ByteBuffer f = ByteBuffer.wrap(VipManager.gratuitousArp(mac, VIP));

        assertThat(f.capacity()).isEqualTo(60);
        byte[] dst = new byte[6];
        f.get(dst);
        assertThat(dst).containsOnly((byte) 0xff);
        byte[] src = new byte[6];
        f.get(src);
        assertThat(src).isEqualTo(mac);
        assertThat(f.getShort()).isEqualTo((short) 0x0806);
        assertThat(f.getShort()).isEqualTo((short) 1);       // Ethernet
        assertThat(f.getShort()).isEqualTo((short) 0x0800);  // IPv4
        assertThat(f.get()).isEqualTo((byte) 6);
        assertThat(f.get()).isEqualTo((byte) 4);
        assertThat(f.getShort()).isEqualTo((short) 1);       // request
        byte[] sha = new byte[6];
        f.get(sha);
        assertThat(sha).isEqualTo(mac);
        byte[] spa = new byte[4];
        f.get(spa);
        assertThat(spa).isEqualTo(VIP.getAddress());
        f.position(f.position() + 6);
        byte[] tpa = new byte[4];
        f.get(tpa);
        assertThat(tpa).isEqualTo(VIP.getAddress());
    }

    @Test
    void newAddressRequestCarriesLocalAndAddressAttributesAsA32() {
        byte[] m = Rtnetlink.addressMessage(Rtnetlink.RTM_NEWADDR,
                Rtnetlink.NLM_F_REQUEST | Rtnetlink.NLM_F_ACK | Rtnetlink.NLM_F_CREATE | Rtnetlink.NLM_F_EXCL, 7, 3,
                VIP, 32, true);
        ByteBuffer b = ByteBuffer.wrap(m).order(ByteOrder.nativeOrder());

        assertThat(b.getInt(0)).isEqualTo(m.length).isEqualTo(40);
        assertThat(b.getShort(4)).isEqualTo((short) Rtnetlink.RTM_NEWADDR);
        assertThat(b.getShort(6)).isEqualTo((short) 0x605);
        assertThat(b.getInt(8)).isEqualTo(7);
        assertThat(m[16]).isEqualTo((byte) 2);   // AF_INET
        assertThat(m[17]).isEqualTo((byte) 32);  // prefix
        assertThat(b.getInt(20)).isEqualTo(3);   // ifindex
        assertThat(b.getShort(26)).isEqualTo((short) Rtnetlink.IFA_LOCAL);
        assertThat(b.getShort(34)).isEqualTo((short) Rtnetlink.IFA_ADDRESS);
    }

    @Test
    void deleteRequestMatchesTheAddressWhateverItsPrefix() {
        byte[] m = Rtnetlink.addressMessage(Rtnetlink.RTM_DELADDR, Rtnetlink.NLM_F_REQUEST | Rtnetlink.NLM_F_ACK, 8, 3,
                VIP, 32, false);

        assertThat(m).hasSize(32); // IFA_LOCAL only: with IFA_ADDRESS the kernel would require the prefix too
    }

    @Test
    void capabilitiesAreReadFromCapEff() {
        assertThat(Capabilities.effective(List.of("Name:\tjava", "CapEff:\t000001ffffffffff"))).isEqualTo(0x1ffffffffffL);
        assertThat(Capabilities.missing(0x1ffffffffffL)).isEmpty();
        assertThat(Capabilities.missing(1L << 12)).containsExactly("CAP_NET_RAW");
        assertThat(Capabilities.missing(0)).containsExactly("CAP_NET_RAW", "CAP_NET_ADMIN");
    }
}

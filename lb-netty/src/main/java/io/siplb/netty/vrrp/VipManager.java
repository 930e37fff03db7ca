package io.siplb.netty.vrrp;

import com.sun.jna.LastErrorException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;

/**
 * Puts the VIPs on the interface and takes them off (rtnetlink, see {@link Rtnetlink} for why
 * not {@code ip addr}), and announces them with gratuitous ARP: an ARP request with sender =
 * target = VIP, from the interface's MAC to the broadcast address (RFC 5798 §6.4.2,
 * RFC 5227 §2.3), sent on an AF_PACKET socket that receives nothing (protocol 0).
 *
 * <p>The VIPs are added as /32, as keepalived does when no prefix is given: the node's own
 * address keeps the subnet route, so adding and removing a VIP never touches routing.
 * Runs on the speaker thread, never on an event loop.
 */
final class VipManager implements VipControl {

    static final int VIP_PREFIX = 32;
    private static final byte[] BROADCAST = {-1, -1, -1, -1, -1, -1};
    /** Ethernet header + ARP for IPv4, padded to the 60-byte minimum frame. */
    static final int FRAME_LENGTH = 60;

    private final LibC libc;
    private final NetworkInterfaceInfo link;
    private final Rtnetlink netlink;
    private final int packetFd;

    private VipManager(LibC libc, NetworkInterfaceInfo link, Rtnetlink netlink, int packetFd) {
        this.libc = libc;
        this.link = link;
        this.netlink = netlink;
        this.packetFd = packetFd;
    }

    /** Opens the netlink and packet sockets for {@code link}. */
    static VipManager open(NetworkInterfaceInfo link) {
        LibC libc = LibC.INSTANCE;
        Rtnetlink netlink = Rtnetlink.open();
        int fd;
        try {
            fd = libc.socket(LibC.AF_PACKET, LibC.SOCK_RAW | LibC.SOCK_CLOEXEC, 0);
        } catch (LastErrorException e) {
            netlink.close();
            throw new VrrpException((Errno.isPermission(e.getErrorCode()) ? Capabilities.NEEDS : "")
                    + "cannot open an AF_PACKET socket for gratuitous ARP: " + Errno.describe(e), e);
        }
        return new VipManager(libc, link, netlink, fd);
    }

    @Override
    public void add(List<InetAddress> vips) {
        for (InetAddress vip : vips) {
            netlink.add(link.index(), (Inet4Address) vip, VIP_PREFIX);
        }
    }

    @Override
    public void remove(List<InetAddress> vips) {
        for (InetAddress vip : vips) {
            netlink.delete(link.index(), (Inet4Address) vip);
        }
    }

    /** Removes whichever of {@code vips} is configured; the number removed. */
    int removeStale(List<InetAddress> vips) {
        int n = 0;
        for (InetAddress vip : vips) {
            if (netlink.delete(link.index(), (Inet4Address) vip)) {
                n++;
            }
        }
        return n;
    }

    @Override
    public void announce(List<InetAddress> vips) {
        byte[] address = linkAddress(link.index());
        for (InetAddress vip : vips) {
            byte[] frame = gratuitousArp(link.mac(), (Inet4Address) vip);
            try {
                libc.sendto(packetFd, frame, frame.length, 0, address, address.length);
            } catch (LastErrorException e) {
                throw new VrrpException((Errno.isPermission(e.getErrorCode()) ? Capabilities.NEEDS : "")
                        + "cannot send gratuitous ARP for " + vip.getHostAddress() + " on " + link.name() + ": "
                        + Errno.describe(e), e);
            }
        }
    }

    /** The Ethernet frame of a gratuitous ARP request for {@code vip} from {@code mac}. */
    static byte[] gratuitousArp(byte[] mac, Inet4Address vip) {
        ByteBuffer b = ByteBuffer.allocate(FRAME_LENGTH); // big-endian: wire order
        b.put(BROADCAST).put(mac).putShort((short) LibC.ETH_P_ARP);
        b.putShort((short) 1)          // hardware type: Ethernet
                .putShort((short) 0x0800) // protocol type: IPv4
                .put((byte) 6).put((byte) 4)
                .putShort((short) 1);     // ARP request (what Linux and keepalived send)
        b.put(mac).put(vip.getAddress());                // sender: us, the VIP
        b.put(new byte[6]).put(vip.getAddress());        // target: unknown hardware, the VIP
        return b.array();                                // the rest is zero padding
    }

    /** struct sockaddr_ll for a broadcast on interface {@code ifindex}. */
    static byte[] linkAddress(int ifindex) {
        ByteBuffer b = ByteBuffer.allocate(20).order(ByteOrder.nativeOrder());
        b.putShort((short) LibC.AF_PACKET);
        b.order(ByteOrder.BIG_ENDIAN).putShort((short) LibC.ETH_P_ARP).order(ByteOrder.nativeOrder());
        b.putInt(ifindex).putShort((short) 1 /* ARPHRD_ETHER */).put((byte) 0).put((byte) 6);
        b.put(BROADCAST).put(new byte[2]);
        return b.array();
    }

    @Override
    public void close() {
        netlink.close();
        try {
            libc.close(packetFd);
        } catch (LastErrorException e) {
            // gone either way
        }
    }
}

package io.siplb.netty.vrrp;

import com.sun.jna.LastErrorException;
import io.siplb.vrrp.VrrpPacket;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/**
 * The raw IPv4 socket for IP protocol 112 (RFC 5798 §5.1.1) on one interface:
 * <ul>
 *   <li>{@code SO_BINDTODEVICE}: only packets that arrived on our interface;</li>
 *   <li>{@code IP_ADD_MEMBERSHIP} 224.0.0.18 on the interface: the kernel delivers multicast
 *       only for groups joined there (the ha-lab saw nothing arrive before the join);</li>
 *   <li>{@code IP_MULTICAST_IF} with the interface and the primary address: advertisements
 *       leave there, from the primary address, without binding the socket (a raw socket bound
 *       to a unicast address would no longer receive the group's packets);</li>
 *   <li>{@code IP_MULTICAST_TTL} 255 (§5.1.1.3) and {@code IP_MULTICAST_LOOP} off: we do not
 *       need to hear ourselves.</li>
 * </ul>
 * Receiving includes the IP header (raw IPv4 sockets always do), so the TTL and version can
 * be checked (§7.1, {@link ReceivedPacket}). Waiting is {@code poll} on the socket and an
 * eventfd, so {@link #wakeUp()} from another thread ends a wait at once.
 */
final class VrrpSocket implements VrrpLink {

    private static final int RECEIVE_BUFFER = 2048;

    private final LibC libc;
    private final int fd;
    private final int wakeFd;
    private final byte[] group;
    private final byte[] buffer = new byte[RECEIVE_BUFFER];

    private VrrpSocket(LibC libc, int fd, int wakeFd) {
        this.libc = libc;
        this.fd = fd;
        this.wakeFd = wakeFd;
        this.group = sockaddrIn(VrrpPacket.IPV4_GROUP.getAddress());
    }

    /** Opens and configures the socket on {@code link}. */
    static VrrpSocket open(NetworkInterfaceInfo link) {
        LibC libc = LibC.INSTANCE;
        int fd;
        try {
            fd = libc.socket(LibC.AF_INET, LibC.SOCK_RAW | LibC.SOCK_CLOEXEC, LibC.IPPROTO_VRRP);
        } catch (LastErrorException e) {
            throw new VrrpException((Errno.isPermission(e.getErrorCode()) ? Capabilities.NEEDS : "")
                    + "cannot open a raw IP socket for protocol 112: " + Errno.describe(e), e);
        }
        int wake = -1;
        try {
            byte[] device = (link.name() + "\0").getBytes(StandardCharsets.US_ASCII);
            option(libc, fd, LibC.SOL_SOCKET, LibC.SO_BINDTODEVICE, device, "SO_BINDTODEVICE " + link.name());
            byte[] mreqn = ipMreqn(VrrpPacket.IPV4_GROUP.getAddress(), link.primary().getAddress(), link.index());
            option(libc, fd, LibC.IPPROTO_IP, LibC.IP_ADD_MEMBERSHIP, mreqn, "IP_ADD_MEMBERSHIP 224.0.0.18");
            byte[] multicastIf = ipMreqn(new byte[4], link.primary().getAddress(), link.index());
            option(libc, fd, LibC.IPPROTO_IP, LibC.IP_MULTICAST_IF, multicastIf, "IP_MULTICAST_IF");
            option(libc, fd, LibC.IPPROTO_IP, LibC.IP_MULTICAST_TTL, intValue(ReceivedPacket.REQUIRED_TTL),
                    "IP_MULTICAST_TTL");
            option(libc, fd, LibC.IPPROTO_IP, LibC.IP_MULTICAST_LOOP, intValue(0), "IP_MULTICAST_LOOP");
            wake = libc.eventfd(0, LibC.EFD_NONBLOCK | LibC.EFD_CLOEXEC);
            return new VrrpSocket(libc, fd, wake);
        } catch (LastErrorException e) {
            closeQuietly(libc, fd);
            closeQuietly(libc, wake);
            throw new VrrpException("cannot set up the VRRP socket: eventfd: " + Errno.describe(e), e);
        } catch (RuntimeException e) {
            closeQuietly(libc, fd);
            closeQuietly(libc, wake);
            throw e;
        }
    }

    @Override
    public void send(byte[] vrrpPacket) {
        try {
            libc.sendto(fd, vrrpPacket, vrrpPacket.length, 0, group, group.length);
        } catch (LastErrorException e) {
            throw new VrrpException("cannot send a VRRP advertisement: " + Errno.describe(e), e);
        }
    }

    @Override
    public ReceivedPacket receive(long timeoutNanos) {
        ReceivedPacket ready = tryReceive();
        if (ready != null) {
            return ready;
        }
        // poll's timeout is in ms: round up, so an early wake-up does not spin
        int millis = (int) Math.min(Integer.MAX_VALUE, Math.max(0, (timeoutNanos + 999_999) / 1_000_000));
        byte[] fds = ByteBuffer.allocate(16).order(ByteOrder.nativeOrder())
                .putInt(fd).putShort(LibC.POLLIN).putShort((short) 0)
                .putInt(wakeFd).putShort(LibC.POLLIN).putShort((short) 0).array();
        try {
            libc.poll(fds, 2, millis);
        } catch (LastErrorException e) {
            if (e.getErrorCode() != LibC.EINTR) {
                throw new VrrpException("poll: " + Errno.describe(e), e);
            }
        }
        short wakeEvents = ByteBuffer.wrap(fds).order(ByteOrder.nativeOrder()).getShort(14);
        if (wakeEvents != 0) {
            try {
                libc.read(wakeFd, new byte[8], 8); // reset the counter
            } catch (LastErrorException e) {
                // EAGAIN: someone else read it; harmless
            }
        }
        return tryReceive();
    }

    private ReceivedPacket tryReceive() {
        long n;
        try {
            n = libc.recv(fd, buffer, buffer.length, LibC.MSG_DONTWAIT);
        } catch (LastErrorException e) {
            if (e.getErrorCode() == LibC.EAGAIN || e.getErrorCode() == LibC.EINTR) {
                return null;
            }
            throw new VrrpException("cannot receive VRRP: " + Errno.describe(e), e);
        }
        return ReceivedPacket.parse(buffer, (int) n);
    }

    @Override
    public void wakeUp() {
        byte[] one = ByteBuffer.allocate(8).order(ByteOrder.nativeOrder()).putLong(1).array();
        try {
            libc.write(wakeFd, one, 8);
        } catch (LastErrorException e) {
            // EAGAIN: the counter is already non-zero, a wake-up is pending
        }
    }

    @Override
    public void close() {
        closeQuietly(libc, fd);
        closeQuietly(libc, wakeFd);
    }

    private static void option(LibC libc, int fd, int level, int name, byte[] value, String what) {
        try {
            libc.setsockopt(fd, level, name, value, value.length);
        } catch (LastErrorException e) {
            throw new VrrpException((Errno.isPermission(e.getErrorCode()) ? Capabilities.NEEDS : "")
                    + "cannot set " + what + " on the VRRP socket: " + Errno.describe(e), e);
        }
    }

    private static byte[] intValue(int v) {
        return ByteBuffer.allocate(4).order(ByteOrder.nativeOrder()).putInt(v).array();
    }

    /** struct ip_mreqn: group, local address, interface index. */
    static byte[] ipMreqn(byte[] group, byte[] local, int ifindex) {
        return ByteBuffer.allocate(12).order(ByteOrder.nativeOrder()).put(group).put(local).putInt(ifindex).array();
    }

    /** struct sockaddr_in for {@code address}, port 0. */
    static byte[] sockaddrIn(byte[] address) {
        ByteBuffer b = ByteBuffer.allocate(16).order(ByteOrder.nativeOrder());
        b.putShort((short) LibC.AF_INET).putShort((short) 0).put(address);
        return b.array();
    }

    private static void closeQuietly(LibC libc, int fd) {
        if (fd >= 0) {
            try {
                libc.close(fd);
            } catch (LastErrorException e) {
                // gone either way
            }
        }
    }
}

package io.siplb.netty.vrrp;

import com.sun.jna.LastErrorException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;

/**
 * Adds, removes and lists IPv4 addresses over rtnetlink (rtnetlink(7), the interface
 * {@code ip addr} uses), through {@link LibC}. Chosen over running {@code ip addr add/del}:
 * no fork and exec on the takeover path (a JVM forks a helper per command, milliseconds on a
 * busy box), no dependency on iproute2's path or output, and errno comes back as a number
 * (EPERM = CAP_NET_ADMIN missing).
 *
 * <p>One request at a time, each acknowledged (NLM_F_ACK) before the next; the socket has a
 * 1 s receive timeout so a call never blocks longer. Not thread-safe: the speaker thread owns
 * it. Messages are in host byte order (little-endian on the supported platforms), addresses
 * in network order.
 */
final class Rtnetlink implements AutoCloseable {

    static final int RTM_NEWADDR = 20;
    static final int RTM_DELADDR = 21;
    static final int RTM_GETADDR = 22;
    static final int NLMSG_ERROR = 2;
    static final int NLMSG_DONE = 3;
    static final int NLM_F_REQUEST = 0x1;
    static final int NLM_F_ACK = 0x4;
    static final int NLM_F_DUMP = 0x300;
    static final int NLM_F_EXCL = 0x200;
    static final int NLM_F_CREATE = 0x400;
    static final int IFA_ADDRESS = 1;
    static final int IFA_LOCAL = 2;
    static final int IFA_F_SECONDARY = 0x01;
    private static final int HEADER = 16;
    private static final int IFADDRMSG = 8;
    private static final int RECEIVE_BUFFER = 32 * 1024;

    private final LibC libc;
    private final int fd;
    private int sequence = (int) (System.nanoTime() & 0x7fffffff);

    private Rtnetlink(LibC libc, int fd) {
        this.libc = libc;
        this.fd = fd;
    }

    /** A NETLINK_ROUTE socket. */
    static Rtnetlink open() {
        LibC libc = LibC.INSTANCE;
        int fd;
        try {
            fd = libc.socket(LibC.AF_NETLINK, LibC.SOCK_RAW | LibC.SOCK_CLOEXEC, LibC.NETLINK_ROUTE);
        } catch (LastErrorException e) {
            throw new VrrpException("cannot open a netlink socket: " + Errno.describe(e), e);
        }
        try {
            byte[] timeout = ByteBuffer.allocate(16).order(ByteOrder.nativeOrder()).putLong(1).putLong(0).array();
            libc.setsockopt(fd, LibC.SOL_SOCKET, LibC.SO_RCVTIMEO, timeout, timeout.length);
            return new Rtnetlink(libc, fd);
        } catch (LastErrorException e) {
            libc.close(fd);
            throw new VrrpException("cannot set up the netlink socket: " + Errno.describe(e), e);
        }
    }

    /**
     * Adds {@code address}/{@code prefix} on interface {@code ifindex}. Already present: no
     * error (returns false). EPERM: the capability message.
     */
    boolean add(int ifindex, Inet4Address address, int prefix) {
        byte[] message = addressMessage(RTM_NEWADDR, NLM_F_REQUEST | NLM_F_ACK | NLM_F_CREATE | NLM_F_EXCL,
                nextSequence(), ifindex, address, prefix, true);
        int errno = request(message);
        if (errno == LibC.EEXIST) {
            return false;
        }
        check(errno, "add " + address.getHostAddress() + "/" + prefix);
        return true;
    }

    /** Removes {@code address} (any prefix length) from {@code ifindex}; absent: false. */
    boolean delete(int ifindex, Inet4Address address) {
        // IFA_LOCAL only: with IFA_ADDRESS the kernel would also require the prefix to match,
        // and an address left by someone else (keepalived's /24) would stay.
        byte[] message = addressMessage(RTM_DELADDR, NLM_F_REQUEST | NLM_F_ACK, nextSequence(), ifindex, address,
                32, false);
        int errno = request(message);
        if (errno == LibC.EADDRNOTAVAIL || errno == LibC.ENODEV) {
            return false;
        }
        check(errno, "remove " + address.getHostAddress());
        return true;
    }

    /** The IPv4 addresses of {@code ifindex}, primary before secondary, in the kernel's order. */
    List<Inet4Address> addresses(int ifindex) {
        int seq = nextSequence();
        ByteBuffer b = ByteBuffer.allocate(HEADER + IFADDRMSG).order(ByteOrder.nativeOrder());
        b.putInt(HEADER + IFADDRMSG).putShort((short) RTM_GETADDR).putShort((short) (NLM_F_REQUEST | NLM_F_DUMP))
                .putInt(seq).putInt(0);
        b.put((byte) LibC.AF_INET).put((byte) 0).put((byte) 0).put((byte) 0).putInt(0);
        send(b.array());
        List<Inet4Address> primary = new ArrayList<>();
        List<Inet4Address> secondary = new ArrayList<>();
        byte[] buffer = new byte[RECEIVE_BUFFER];
        for (int round = 0; round < 1000; round++) { // bounded: a dump of a few hundred addresses at most
            int n = receive(buffer);
            ByteBuffer in = ByteBuffer.wrap(buffer, 0, n).order(ByteOrder.nativeOrder());
            while (in.remaining() >= HEADER) {
                int start = in.position();
                int length = in.getInt(start);
                int type = in.getShort(start + 4) & 0xffff;
                if (length < HEADER || start + length > n) {
                    throw new VrrpException("netlink: malformed address dump");
                }
                if (type == NLMSG_DONE) {
                    primary.addAll(secondary);
                    return primary;
                }
                if (type == NLMSG_ERROR) {
                    check(-in.getInt(start + HEADER), "list addresses");
                }
                if (type == RTM_NEWADDR && length >= HEADER + IFADDRMSG) {
                    int flags = in.get(start + HEADER + 2) & 0xff;
                    int index = in.getInt(start + HEADER + 4);
                    Inet4Address local = ipv4Attribute(in, start + HEADER + IFADDRMSG, start + length, IFA_LOCAL);
                    if (local == null) {
                        local = ipv4Attribute(in, start + HEADER + IFADDRMSG, start + length, IFA_ADDRESS);
                    }
                    if (index == ifindex && local != null) {
                        ((flags & IFA_F_SECONDARY) != 0 ? secondary : primary).add(local);
                    }
                }
                in.position(start + align(length));
            }
        }
        throw new VrrpException("netlink: address dump did not end");
    }

    /** An RTM_NEWADDR / RTM_DELADDR request (visible for tests). */
    static byte[] addressMessage(int type, int flags, int seq, int ifindex, Inet4Address address, int prefix,
                                 boolean withAddress) {
        int length = HEADER + IFADDRMSG + 8 + (withAddress ? 8 : 0);
        ByteBuffer b = ByteBuffer.allocate(length).order(ByteOrder.nativeOrder());
        b.putInt(length).putShort((short) type).putShort((short) flags).putInt(seq).putInt(0);
        // ifaddrmsg: family, prefix length, flags, scope (RT_SCOPE_UNIVERSE), interface index
        b.put((byte) LibC.AF_INET).put((byte) prefix).put((byte) 0).put((byte) 0).putInt(ifindex);
        b.putShort((short) 8).putShort((short) IFA_LOCAL).put(address.getAddress());
        if (withAddress) {
            b.putShort((short) 8).putShort((short) IFA_ADDRESS).put(address.getAddress());
        }
        return b.array();
    }

    private static Inet4Address ipv4Attribute(ByteBuffer in, int from, int to, int wanted) {
        int p = from;
        while (p + 4 <= to) {
            int len = in.getShort(p) & 0xffff;
            int type = in.getShort(p + 2) & 0xffff;
            if (len < 4 || p + len > to) {
                return null;
            }
            if (type == wanted && len == 8) {
                byte[] a = new byte[4];
                in.get(p + 4, a);
                try {
                    return (Inet4Address) InetAddress.getByAddress(a);
                } catch (UnknownHostException e) {
                    throw new AssertionError(e);
                }
            }
            p += align(len);
        }
        return null;
    }

    private static int align(int length) {
        return (length + 3) & ~3;
    }

    private int nextSequence() {
        sequence = (sequence + 1) & 0x7fffffff;
        return sequence;
    }

    /** Sends a request and reads its acknowledgement: 0 or a positive errno. */
    private int request(byte[] message) {
        int seq = ByteBuffer.wrap(message).order(ByteOrder.nativeOrder()).getInt(8);
        send(message);
        byte[] buffer = new byte[8192];
        for (int round = 0; round < 16; round++) { // skips stale replies of an earlier, timed-out request
            int n = receive(buffer);
            ByteBuffer in = ByteBuffer.wrap(buffer, 0, n).order(ByteOrder.nativeOrder());
            if (n >= HEADER + 4 && (in.getShort(4) & 0xffff) == NLMSG_ERROR && in.getInt(8) == seq) {
                return -in.getInt(HEADER);
            }
        }
        throw new VrrpException("netlink: no acknowledgement for request " + seq);
    }

    private void send(byte[] message) {
        byte[] kernel = ByteBuffer.allocate(12).order(ByteOrder.nativeOrder())
                .putShort((short) LibC.AF_NETLINK).putShort((short) 0).putInt(0).putInt(0).array();
        try {
            libc.sendto(fd, message, message.length, 0, kernel, kernel.length);
        } catch (LastErrorException e) {
            throw new VrrpException("netlink send: " + Errno.describe(e), e);
        }
    }

    private int receive(byte[] buffer) {
        try {
            return (int) libc.recv(fd, buffer, buffer.length, 0);
        } catch (LastErrorException e) {
            throw new VrrpException("netlink receive: " + Errno.describe(e)
                    + (e.getErrorCode() == LibC.EAGAIN ? ": no answer within 1 s" : ""), e);
        }
    }

    private static void check(int errno, String what) {
        if (errno == 0) {
            return;
        }
        if (Errno.isPermission(errno)) {
            throw new VrrpException(Capabilities.NEEDS + "cannot " + what + ": " + Errno.describe(errno));
        }
        throw new VrrpException("cannot " + what + ": " + Errno.describe(errno));
    }

    @Override
    public void close() {
        try {
            libc.close(fd);
        } catch (LastErrorException e) {
            // nothing to do: the descriptor is gone either way
        }
    }
}

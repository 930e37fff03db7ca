package io.siplb.netty.vrrp;

import com.sun.jna.LastErrorException;
import com.sun.jna.Library;
import com.sun.jna.Native;

/**
 * The few libc calls the VRRP speaker needs and the JDK does not offer: raw IPv4 sockets
 * (protocol 112), AF_PACKET for gratuitous ARP, rtnetlink for the VIPs, poll and eventfd.
 * Reached through JNA's interface mapping, so there is no JNI code to compile; a failing call
 * throws {@link LastErrorException} carrying errno.
 *
 * <p>Linux only, LP64 only (x86_64, aarch64): {@code size_t}, {@code ssize_t} and
 * {@code nfds_t} are mapped to Java {@code long}. Buffers and socket addresses are passed as
 * {@code byte[]}, which JNA copies in and, for the receive calls, back out.
 */
interface LibC extends Library {

    /** Loaded on first use of the speaker, never by code paths without VRRP. */
    LibC INSTANCE = Native.load("c", LibC.class);

    // <sys/socket.h>, <linux/if_ether.h>, <netinet/in.h> (values of the Linux ABI)
    int AF_INET = 2;
    int AF_NETLINK = 16;
    int AF_PACKET = 17;
    int SOCK_RAW = 3;
    int SOCK_CLOEXEC = 0x80000;
    int SOL_SOCKET = 1;
    int SO_RCVBUF = 8;
    int SO_RCVTIMEO = 20;
    int SO_BINDTODEVICE = 25;
    int IPPROTO_IP = 0;
    int IPPROTO_VRRP = 112;
    int IP_MULTICAST_IF = 32;
    int IP_MULTICAST_TTL = 33;
    int IP_MULTICAST_LOOP = 34;
    int IP_ADD_MEMBERSHIP = 35;
    int MSG_DONTWAIT = 0x40;
    int NETLINK_ROUTE = 0;
    int ETH_P_ARP = 0x0806;
    short POLLIN = 1;
    int EFD_NONBLOCK = 0x800;
    int EFD_CLOEXEC = 0x80000;

    // errno values used in decisions and messages
    int EPERM = 1;
    int EINTR = 4;
    int EAGAIN = 11;
    int EACCES = 13;
    int EEXIST = 17;
    int ENODEV = 19;
    int EADDRNOTAVAIL = 99;

    int socket(int domain, int type, int protocol) throws LastErrorException;

    int setsockopt(int fd, int level, int option, byte[] value, int length) throws LastErrorException;

    int bind(int fd, byte[] address, int length) throws LastErrorException;

    long sendto(int fd, byte[] buffer, long length, int flags, byte[] address, int addressLength)
            throws LastErrorException;

    long recv(int fd, byte[] buffer, long length, int flags) throws LastErrorException;

    int poll(byte[] fds, long count, int timeoutMillis) throws LastErrorException;

    int eventfd(int initial, int flags) throws LastErrorException;

    long write(int fd, byte[] buffer, long length) throws LastErrorException;

    long read(int fd, byte[] buffer, long length) throws LastErrorException;

    int close(int fd) throws LastErrorException;

    String strerror(int errno);
}

package io.siplb.netty.vrrp;

import java.net.InetAddress;
import java.util.List;

/**
 * What the speaker does to the host for {@code AddVips}, {@code RemoveVips} and
 * {@code SendGratuitousArp}: {@link VipManager} on a real interface, a recorder in tests.
 * Called from the speaker thread only. Failures are {@link VrrpException}s.
 */
interface VipControl extends AutoCloseable {

    void add(List<InetAddress> vips);

    void remove(List<InetAddress> vips);

    /** One gratuitous ARP per address (the speaker repeats it). */
    void announce(List<InetAddress> vips);

    @Override
    void close();
}

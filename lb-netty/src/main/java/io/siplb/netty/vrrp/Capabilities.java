package io.siplb.netty.vrrp;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Checks up front that the process may do what a VRRP speaker does, so that a missing
 * capability is one clear message at start-up instead of a failed takeover later:
 * CAP_NET_RAW (raw IP socket for protocol 112, AF_PACKET for gratuitous ARP) and
 * CAP_NET_ADMIN (adding and removing the VIPs over rtnetlink). Under systemd:
 * {@code AmbientCapabilities=CAP_NET_RAW CAP_NET_ADMIN} (the ha-lab checked that the JVM runs
 * with ambient capabilities; file capabilities on the java binary upset its library loading).
 */
public final class Capabilities {

    /** The message prefix of every capability failure. */
    public static final String NEEDS = "VRRP needs CAP_NET_RAW and CAP_NET_ADMIN: ";

    private static final int CAP_NET_ADMIN = 12;
    private static final int CAP_NET_RAW = 13;

    private Capabilities() {}

    /**
     * Throws {@link VrrpException} naming the missing capabilities; does nothing when
     * /proc/self/status cannot be read (the socket calls then report EPERM themselves).
     */
    static void check() {
        long effective;
        try {
            effective = effective(Files.readAllLines(Path.of("/proc/self/status")));
        } catch (IOException | RuntimeException e) {
            return;
        }
        List<String> missing = missing(effective);
        if (!missing.isEmpty()) {
            throw new VrrpException(NEEDS + "this process lacks " + String.join(" and ", missing)
                    + " (run as root, or grant them, e.g. systemd AmbientCapabilities=CAP_NET_RAW CAP_NET_ADMIN)");
        }
    }

    /** The names of the needed capabilities absent from the effective set {@code effective}. */
    static List<String> missing(long effective) {
        List<String> missing = new ArrayList<>(2);
        if ((effective & (1L << CAP_NET_RAW)) == 0) {
            missing.add("CAP_NET_RAW");
        }
        if ((effective & (1L << CAP_NET_ADMIN)) == 0) {
            missing.add("CAP_NET_ADMIN");
        }
        return missing;
    }

    /** The CapEff line of /proc/self/status as a bit set; -1 (all) when absent. */
    static long effective(List<String> status) {
        for (String line : status) {
            if (line.startsWith("CapEff:")) {
                return Long.parseUnsignedLong(line.substring("CapEff:".length()).trim(), 16);
            }
        }
        return -1L;
    }
}

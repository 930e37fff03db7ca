package io.siplb.netty.dns;

import com.google.common.net.InetAddresses;
import io.siplb.config.SrvBackendConfig;
import io.siplb.hash.Backend;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Turns an SRV answer and its targets' addresses into siplb backends (pure; no DNS here).
 *
 * <ul>
 *   <li>Id: {@code <id-prefix><target>:<port>}, e.g. {@code pbx1.example.com:5060}: the same on
 *       both nodes of a pair and across refreshes, and independent of the address, so a target
 *       whose address changes keeps its users (DESIGN "Consistent hashing").</li>
 *   <li>Weight: the record's weight (RFC 2782: 0 means "a very small chance", so 0 becomes 1)
 *       times the entry's {@code weight} multiplier.</li>
 *   <li>Priority: every priority whose targets resolve becomes backends; which of them take
 *       new users is decided by health, by {@link SrvStandby}.</li>
 *   <li>Target {@code "."} (RFC 2782: "decidedly not available"), port 0 and targets without an
 *       address are left out. The same target and port twice keeps the lowest priority, then
 *       the highest weight.</li>
 *   <li>Address: the lowest IPv4 address of the target, else its lowest IPv6 address, so that
 *       both nodes pick the same one from the same answer.</li>
 * </ul>
 */
public final class SrvMapping {

    private SrvMapping() {}

    /** The group name of an entry: what {@link SrvBackend#group()} holds. */
    public static String group(SrvBackendConfig entry) {
        return entry.idPrefix().isEmpty() ? entry.name() : entry.name() + " (" + entry.idPrefix() + ")";
    }

    /** The backend id of a target. */
    public static String id(SrvBackendConfig entry, String target, int port) {
        return entry.idPrefix() + target + ":" + port;
    }

    /**
     * The backends of {@code entry}, sorted by id.
     *
     * @param addresses every address of each target, as resolved (A and AAAA); a target that is
     *                  absent or has none is left out
     */
    public static List<SrvBackend> backends(SrvBackendConfig entry, List<SrvRecord> records,
                                            Map<String, List<InetAddress>> addresses) {
        List<SrvRecord> sorted = new ArrayList<>(records);
        // lowest priority first, then highest weight: the record kept for a duplicate target:port
        sorted.sort(Comparator.comparingInt(SrvRecord::priority).thenComparing(r -> -r.weight()));
        Map<String, SrvBackend> byId = new LinkedHashMap<>();
        String group = group(entry);
        for (SrvRecord r : sorted) {
            if (r.target().isEmpty() || r.port() == 0) {
                continue;
            }
            InetAddress address = pick(addresses.get(r.target()));
            String id = id(entry, r.target(), r.port());
            if (address == null || byId.containsKey(id)) {
                continue;
            }
            int weight = Math.max(1, r.weight()) * entry.weight();
            Backend b = new Backend(id, InetAddresses.toAddrString(address), r.port(),
                    entry.transport().name(), weight);
            byId.put(id, new SrvBackend(b, r.priority(), group));
        }
        List<SrvBackend> out = new ArrayList<>(byId.values());
        out.sort(Comparator.comparing(s -> s.backend().id()));
        return out;
    }

    /** The lowest IPv4 address, else the lowest IPv6 address; null when none. */
    static InetAddress pick(List<InetAddress> addresses) {
        if (addresses == null || addresses.isEmpty()) {
            return null;
        }
        InetAddress best = null;
        for (InetAddress a : addresses) {
            if (best == null || compare(a, best) < 0) {
                best = a;
            }
        }
        return best;
    }

    private static int compare(InetAddress a, InetAddress b) {
        byte[] x = a.getAddress();
        byte[] y = b.getAddress();
        if (x.length != y.length) {
            return Integer.compare(x.length, y.length); // IPv4 (4 bytes) before IPv6 (16)
        }
        for (int i = 0; i < x.length; i++) {
            int c = Integer.compare(x[i] & 0xff, y[i] & 0xff);
            if (c != 0) {
                return c;
            }
        }
        return 0;
    }
}

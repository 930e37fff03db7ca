package io.siplb.netty.e2e;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * What a SIPp backend ({@code e2e/sipp/uas-backend.xml}) saw, parsed from the lines its
 * {@code <log>} actions wrote:
 * <pre>
 * REGISTER | user | Path value         | top Via | second Via
 * INVITE   | user | Record-Route value | top Via | second Via
 * ACK      | user | Route value left   | top Via | second Via
 * BYE      | user | Route value left   | top Via | second Via
 * </pre>
 * The top Via is the LB's own; the second is the client's, which must carry the LB's rport
 * (RFC 3581 §4).
 */
final class BackendLog {
    private static final Set<String> METHODS = Set.of("REGISTER", "INVITE", "ACK", "BYE");

    private BackendLog() {}

    /**
     * One request as a backend saw it.
     *
     * @param method    REGISTER, INVITE, ACK or BYE
     * @param user      the AOR's user (To for REGISTER, From for the others)
     * @param route     the Path (REGISTER) or Record-Route (INVITE) value the LB inserted; the
     *                  Route left after the LB popped its own (ACK, BYE)
     * @param topVia    the first Via (the LB's)
     * @param clientVia the second Via (the client's)
     */
    record Entry(String backend, String method, String user, String route, String topVia, String clientVia) {}

    /** Parses the log lines of {@code backend}; lines of another shape are ignored. */
    static List<Entry> parse(String backend, List<String> lines) {
        List<Entry> entries = new ArrayList<>();
        for (String line : lines) {
            String[] f = line.split(" \\| ", -1);
            if (f.length == 5 && METHODS.contains(f[0])) {
                entries.add(new Entry(backend, f[0], f[1].trim(), f[2].trim(), f[3].trim(), f[4].trim()));
            }
        }
        return entries;
    }
}

package io.siplb.netty.e2e;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The SIP load balancer an e2e test drives: siplb ({@link SiplbLb}, the default) or Kamailio
 * ({@link KamailioLb}), the reference the harness was first proven with and siplb is compared
 * with side by side. Tests talk to it only through this interface, so the same test runs against
 * either; {@link #fromEnvironment} picks one.
 *
 * <p>Contract of the LB for these tests (DESIGN.md, routing rules): hash each AOR to one
 * backend and keep it there, insert Path on REGISTER and Record-Route on INVITE carrying the
 * client's flow, put rport/received on the client's Via, route in-dialog requests by Route and
 * requests from a backend to the flow named in our Route.
 */
interface LoadBalancerUnderTest extends AutoCloseable {

    /** Short name for logs and file names ("kamailio", "siplb"). */
    String name();

    /** Starts the LB with {@code setup}; returns once it serves SIP (bounded wait). */
    void start(Setup setup);

    /** Where clients send SIP (UDP, and TCP when {@link Setup#tcpPort()} is set). */
    InetSocketAddress address();

    /** Stops the LB (by PID); safe to call twice. */
    void stop();

    @Override
    default void close() {
        stop();
    }

    /**
     * The backend id each AOR ({@code user@domain}) is hashed to, when the LB can say so
     * without traffic (siplb: {@code siplb hash}); empty when it cannot (Kamailio's dispatcher).
     */
    default Optional<Map<String, String>> expectedBackends(Collection<String> aors) {
        return Optional.empty();
    }

    /**
     * The client flow the LB wrote into a Path or Record-Route value it inserted (what it will
     * send requests for the client to), when it can tell: siplb decodes and verifies the flow
     * token in the URI's user part (RFC 5626 §5.2), Kamailio reads its {@code received=}
     * parameter. Empty when the value carries no flow the LB recognises.
     */
    Optional<Flow> flowOf(String pathOrRecordRoute);

    /**
     * Buffer leaks the LB reported (siplb: Netty's {@code LEAK:} log lines); empty when none, or
     * when the LB cannot tell. Read after {@link #stop()}, when the log is complete.
     */
    default List<String> leakReports() {
        return List.of();
    }

    /** Human-readable hints for failed assertions (log tail). */
    String diagnostics();

    /**
     * What the LB is started with.
     *
     * @param host     address to listen on (127.0.0.1, or the LB's address in a lab namespace)
     * @param domain   the domain of the test users (served by the LB: From in it = originating)
     * @param udpPort  SIP port (UDP)
     * @param tcpPort  SIP port for TCP, 0 for none
     * @param backends the home proxies
     * @param workDir  where to write configs and logs
     * @param netns    network namespace to run in, or null
     * @param lifetime upper bound for the process' life (it ends itself after this)
     */
    record Setup(String host, String domain, int udpPort, int tcpPort, List<Backend> backends, Path workDir,
            String netns, Duration lifetime) {
        public Setup {
            backends = List.copyOf(backends);
        }
    }

    /** One home proxy: id (as the LB names it), address, port (UDP). */
    record Backend(String id, String host, int port) {}

    /** A client flow: transport ("UDP", "TCP"), source address and port as the LB saw them. */
    record Flow(String transport, String address, int port) {}

    /**
     * The LB selected by system property {@code siplb.e2e.lb} or environment variable
     * {@code SIPLB_E2E_LB}: {@code siplb} (default) or {@code kamailio}.
     */
    static LoadBalancerUnderTest fromEnvironment() {
        String which = System.getProperty("siplb.e2e.lb", System.getenv().getOrDefault("SIPLB_E2E_LB", "siplb"));
        return switch (which) {
            case "kamailio" -> new KamailioLb();
            case "siplb" -> new SiplbLb();
            default -> throw new IllegalArgumentException("siplb.e2e.lb: " + which + " (expected: kamailio or siplb)");
        };
    }
}

package io.siplb.netty.e2e;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The SIP load balancer an e2e test drives: Kamailio ({@link KamailioLb}) as the reference
 * while siplb's runtime is being written, siplb ({@link SiplbLb}) once it exists. Tests talk to
 * it only through this interface, so the same test runs against either; {@link #fromEnvironment}
 * picks one.
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

    /** Human-readable hints for failed assertions (log tail). */
    String diagnostics();

    /**
     * What the LB is started with.
     *
     * @param host     address to listen on (127.0.0.1, or the LB's address in a lab namespace)
     * @param udpPort  SIP port (UDP)
     * @param tcpPort  SIP port for TCP, 0 for none
     * @param backends the home proxies
     * @param workDir  where to write configs and logs
     * @param netns    network namespace to run in, or null
     * @param lifetime upper bound for the process' life (it ends itself after this)
     */
    record Setup(String host, int udpPort, int tcpPort, List<Backend> backends, Path workDir, String netns,
            Duration lifetime) {
        public Setup {
            backends = List.copyOf(backends);
        }
    }

    /** One home proxy: id (as the LB names it), address, port (UDP). */
    record Backend(String id, String host, int port) {}

    /**
     * The LB selected by system property {@code siplb.e2e.lb} or environment variable
     * {@code SIPLB_E2E_LB}: {@code kamailio} (default) or {@code siplb}.
     */
    static LoadBalancerUnderTest fromEnvironment() {
        String which = System.getProperty("siplb.e2e.lb", System.getenv().getOrDefault("SIPLB_E2E_LB", "kamailio"));
        return switch (which) {
            case "kamailio" -> new KamailioLb();
            case "siplb" -> new SiplbLb();
            default -> throw new IllegalArgumentException("siplb.e2e.lb: " + which + " (expected: kamailio or siplb)");
        };
    }
}

package io.siplb.netty.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The LB under test ({@link LoadBalancerUnderTest#fromEnvironment()}: siplb by default) between
 * real SIPp peers on loopback: clients on 127.0.0.1, three backends ("home proxies") on their own
 * loopback addresses, so that siplb's inside/outside rule (a backend is matched by its IP, and
 * for UDP its port; a TCP connection from a backend's IP is inside whatever its port) never
 * mistakes a client for a backend.
 *
 * <pre>
 *   SIPp UAC 127.0.0.1 ──udp/tcp──▶ LB 127.0.0.1:P ──udp──▶ SIPp backend b1 127.0.1.1
 *                                                  ├─udp──▶ SIPp backend b2 127.0.1.2
 *                                                  └─udp──▶ SIPp backend b3 127.0.1.3
 * </pre>
 *
 * What the backends saw comes from their {@code <log>} lines ({@link BackendLog}); what the
 * clients saw from SIPp's final statistics ({@link SippStats}). Files stay in
 * {@code target/e2e/LoadBalancingE2ETest-*}.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(value = 120)
class LoadBalancingE2ETest {
    private static final String DOMAIN = "e2e.invalid"; // RFC 2606: never resolvable
    private static final String CLIENT_IP = "127.0.0.1";
    private static final List<String> BACKEND_IPS = List.of("127.0.1.1", "127.0.1.2", "127.0.1.3");
    private static final int USERS = 1000;
    private static final int REGISTER_RATE = 500;
    private static final int CALLS = 20;
    private static final Duration RUN_LIMIT = Duration.ofSeconds(40);

    private Path dir;
    private LoadBalancerUnderTest lb;
    private final Map<String, SippProcess> backends = new HashMap<>();
    private final Map<String, LoadBalancerUnderTest.Backend> backendAddresses = new HashMap<>();
    private int lbPort;

    @BeforeAll
    void startLbAndBackends() {
        Prerequisites.requireCommands("sipp");
        dir = RunDirectory.create(getClass().getSimpleName());
        List<LoadBalancerUnderTest.Backend> list = new ArrayList<>();
        Path scenario = TestResources.scenario("uas-backend.xml", dir);
        for (int i = 0; i < BACKEND_IPS.size(); i++) {
            String id = "b" + (i + 1);
            int port = PortAllocator.freePort();
            backends.put(id, SippProcess.builder(id, scenario, dir)
                    .local(BACKEND_IPS.get(i), port)
                    .lifetime(Duration.ofSeconds(110))
                    .start());
            LoadBalancerUnderTest.Backend backend = new LoadBalancerUnderTest.Backend(id, BACKEND_IPS.get(i), port);
            list.add(backend);
            backendAddresses.put(id, backend);
        }
        lbPort = PortAllocator.freePort();
        lb = LoadBalancerUnderTest.fromEnvironment();
        lb.start(new LoadBalancerUnderTest.Setup(CLIENT_IP, DOMAIN, lbPort, lbPort, list, dir.resolve(lb.name()),
                null, Duration.ofSeconds(115)));
    }

    /**
     * Soft-stops the backends (their final statistics) and checks that no call failed on their
     * side either: a REGISTER without Path or an INVITE without Record-Route fails there; and
     * that the LB reported no buffer leak.
     */
    @AfterAll
    void stopEverythingAndCheckTheBackends() {
        Map<String, SippProcess.Result> results = new HashMap<>();
        try {
            backends.forEach((id, b) -> results.put(id, b.stopSoftly(Duration.ofSeconds(5))));
        } finally {
            backends.values().forEach(SippProcess::close);
            if (lb != null) {
                lb.stop();
            }
        }
        results.forEach((id, r) -> assertThat(r.stats().failed())
                .as("calls failed at backend %s: %s\n%s", id, r.stats(), backends.get(id).diagnostics())
                .isZero());
        if (lb != null) {
            assertThat(lb.leakReports()).as("buffer leaks reported by %s", lb.name()).isEmpty();
        }
    }

    @Test
    void registersEveryDistinctUserAndKeepsItOnOneBackendOnRepeat() {
        List<String> users = InjectionFile.users("r", USERS);
        Path csv = InjectionFile.write(dir.resolve("register-users.csv"), users);

        Set<Integer> clientPorts = new TreeSet<>();
        for (int pass = 1; pass <= 2; pass++) {
            int port = PortAllocator.freePort();
            clientPorts.add(port);
            SippProcess uac = uac("register-pass" + pass, "uac-register.xml", SipTransport.UDP, port, csv, USERS,
                    REGISTER_RATE);
            SippProcess.Result r = uac.awaitResult(RUN_LIMIT);
            assertAllSucceeded(uac, r, USERS);
        }

        Map<String, List<BackendLog.Entry>> byUser = backendEntries("REGISTER", users);
        assertThat(byUser).as("users seen by the backends").hasSize(USERS);
        Map<String, String> home = new HashMap<>();
        byUser.forEach((user, entries) -> {
            assertThat(entries).as("REGISTERs of %s (two passes)", user).hasSize(2);
            Set<String> where = entries.stream().map(BackendLog.Entry::backend).collect(Collectors.toSet());
            assertThat(where).as("backends that got %s", user).hasSize(1);
            home.put(user, where.iterator().next());
            Set<Integer> flowPorts = new TreeSet<>();
            for (BackendLog.Entry e : entries) {
                assertLbViaOnTop(e, "UDP");
                LoadBalancerUnderTest.Flow flow = assertRouteCarriesClientFlow(e, "Path", "UDP");
                flowPorts.add(flow.port());
            }
            // one REGISTER per pass, each from that pass' SIPp socket: the flow is the client's source
            assertThat(flowPorts).as("flow ports in the Paths of %s", user).isEqualTo(clientPorts);
        });
        Map<String, Long> perBackend = home.values().stream()
                .collect(Collectors.groupingBy(b -> b, Collectors.counting()));
        // 1000 AORs over 3 equal backends: 333 each, sd ~15; under 200 is far outside any sane hash's spread
        assertThat(perBackend).as("users per backend").containsOnlyKeys(backends.keySet());
        assertThat(perBackend.values()).as("users per backend %s", perBackend)
                .allSatisfy(n -> assertThat(n).isGreaterThan(USERS * 6L / (10L * BACKEND_IPS.size())));

        lb.expectedBackends(users.stream().map(u -> u + "@" + DOMAIN).toList()).ifPresent(expected -> {
            assertThat(expected).as("siplb hash output").hasSize(USERS);
            home.forEach((user, backend) -> {
                String hashed = expected.get(user + "@" + DOMAIN);
                assertThat(backend).as("backend of %s (siplb hash says %s)", user, hashed).isEqualTo(hashed);
            });
        });
    }

    @ParameterizedTest
    @EnumSource(SipTransport.class)
    void completesCallsWithRecordRouteCrossingOnTheCallersHomeBackend(SipTransport transport) {
        String prefix = "c" + transport.name().toLowerCase(Locale.ROOT) + "-";
        List<String> callers = InjectionFile.users(prefix, CALLS);
        Path csv = InjectionFile.write(dir.resolve(prefix + "users.csv"), callers);
        int port = PortAllocator.freePort();

        SippProcess reg = uac(prefix + "register", "uac-register.xml", transport, port, csv, CALLS, 50);
        assertAllSucceeded(reg, reg.awaitResult(RUN_LIMIT), CALLS);
        SippProcess calls = uac(prefix + "calls", "uac-call.xml", transport, port, csv, CALLS, 20);
        assertAllSucceeded(calls, calls.awaitResult(RUN_LIMIT), CALLS);

        Map<String, List<BackendLog.Entry>> registers = backendEntries("REGISTER", callers);
        Map<String, List<BackendLog.Entry>> invites = backendEntries("INVITE", callers);
        Map<String, List<BackendLog.Entry>> acks = backendEntries("ACK", callers);
        Map<String, List<BackendLog.Entry>> byes = backendEntries("BYE", callers);
        Optional<Map<String, String>> hashed =
                lb.expectedBackends(callers.stream().map(u -> u + "@" + DOMAIN).toList());
        assertThat(invites).as("callers whose INVITE reached a backend").hasSize(CALLS);
        invites.forEach((caller, entries) -> {
            assertThat(entries).as("INVITEs of %s", caller).hasSize(1);
            BackendLog.Entry invite = entries.get(0);
            // session integrity: the caller's INVITE goes where its REGISTER went (DESIGN.md)
            assertThat(invite.backend()).as("backend of %s's INVITE", caller)
                    .isEqualTo(registers.get(caller).get(0).backend());
            hashed.ifPresent(h -> assertThat(invite.backend()).as("backend of %s's INVITE vs siplb hash", caller)
                    .isEqualTo(h.get(caller + "@" + DOMAIN)));
            assertLbViaOnTop(invite, "UDP");
            // SIPp sends from its -p port over TCP too (it binds its connection's local port)
            assertThat(invite.clientVia()).as("client Via").startsWith("SIP/2.0/" + transport.name())
                    .containsPattern(";rport=" + port + "\\b");
            if (lb instanceof SiplbLb) {
                // Kamailio's lb.cfg record-routes outside INVITEs without the flow; siplb puts it in (DESIGN rule 6)
                LoadBalancerUnderTest.Flow flow =
                        assertRouteCarriesClientFlow(invite, "Record-Route", transport.name());
                assertThat(flow.port()).as("flow port in the Record-Route of %s", caller).isEqualTo(port);
            } else {
                assertThat(invite.route()).as("Record-Route of %s's INVITE", caller)
                        .contains(":" + lbPort).contains(";lr");
            }

            // Record-Route crossing: the caller's ACK and BYE (sent to the LB with Route: <LB>, <backend>)
            // reach the INVITE's backend through the LB, which popped its own Route
            for (var inDialog : List.of(acks, byes)) {
                List<BackendLog.Entry> got = inDialog.getOrDefault(caller, List.of());
                assertThat(got).as("ACK/BYE of %s at the backends", caller).hasSize(1);
                BackendLog.Entry e = got.get(0);
                assertThat(e.backend()).as("%s of %s", e.method(), caller).isEqualTo(invite.backend());
                assertLbViaOnTop(e, "UDP");
                assertThat(e.clientVia()).as("%s of %s: client Via", e.method(), caller)
                        .startsWith("SIP/2.0/" + transport.name());
                LoadBalancerUnderTest.Backend b = backendAddresses.get(invite.backend());
                assertThat(e.route()).as("%s of %s: Route left for the backend", e.method(), caller)
                        .contains(b.host() + ":" + b.port()).doesNotContain(":" + lbPort);
            }
        });
    }

    /**
     * The other direction: the backend hangs up (its scenario does for callers whose user starts
     * with "h"). Its BYE follows the route set of the INVITE, the LB's Record-Route with the
     * caller's flow token, so the LB must send it down that flow: over TCP, down the very
     * connection the caller opened (RFC 5626 §5.3), with a Via of that transport.
     */
    @ParameterizedTest
    @EnumSource(SipTransport.class)
    void deliversTheBackendsByeDownTheCallersFlow(SipTransport transport) {
        String prefix = "h" + transport.name().toLowerCase(Locale.ROOT) + "-";
        List<String> callers = InjectionFile.users(prefix, CALLS);
        Path csv = InjectionFile.write(dir.resolve(prefix + "users.csv"), callers);
        int port = PortAllocator.freePort();

        SippProcess reg = uac(prefix + "register", "uac-register.xml", transport, port, csv, CALLS, 50);
        assertAllSucceeded(reg, reg.awaitResult(RUN_LIMIT), CALLS);
        SippProcess calls = uac(prefix + "calls", "uac-call-callee-hangs-up.xml", transport, port, csv, CALLS, 20);
        assertAllSucceeded(calls, calls.awaitResult(RUN_LIMIT), CALLS);

        Map<String, List<BackendLog.Entry>> registers = backendEntries("REGISTER", callers);
        Map<String, List<BackendLog.Entry>> invites = backendEntries("INVITE", callers);
        assertThat(invites).as("callers whose INVITE reached a backend").hasSize(CALLS);
        assertThat(backendEntries("BYE", callers)).as("BYEs from callers (the backends hang up here)").isEmpty();
        invites.forEach((caller, entries) -> assertThat(entries.get(0).backend())
                .as("backend of %s's INVITE", caller).isEqualTo(registers.get(caller).get(0).backend()));

        // what the caller's BYE came with: BYE | caller | top Via | second Via
        List<String[]> byes = calls.logLines().stream()
                .map(l -> l.split(" \\| ", -1))
                .filter(f -> f.length == 4 && f[0].equals("BYE"))
                .toList();
        assertThat(byes).as("BYEs the callers received").hasSize(CALLS);
        for (String[] f : byes) {
            assertThat(f[2].trim()).as("top Via of the BYE to %s: the LB's, over the caller's transport", f[1])
                    .startsWith("SIP/2.0/" + transport.name() + " " + CLIENT_IP + ":" + lbPort + ";");
            assertThat(f[3].trim()).as("second Via of the BYE to %s: the backend's", f[1])
                    .containsPattern("^SIP/2.0/UDP 127\\.0\\.1\\.\\d+:\\d+;");
        }
    }

    private SippProcess uac(String name, String scenario, SipTransport transport, int port, Path csv, int calls,
            int rate) {
        return SippProcess.builder(name, TestResources.scenario(scenario, dir), dir)
                .transport(transport)
                .local(CLIENT_IP, port)
                .remote(CLIENT_IP + ":" + lbPort)
                .injection(csv)
                .key("domain", DOMAIN)
                .key("callee", "callee")
                .calls(calls)
                .rate(rate)
                .lifetime(RUN_LIMIT)
                .start();
    }

    private void assertAllSucceeded(SippProcess uac, SippProcess.Result r, int calls) {
        String why = uac + ": " + r.stats() + "\n" + uac.diagnostics() + "\n" + lb.diagnostics();
        assertThat(r.exitCode()).as("exit code, %s", why).isZero();
        assertThat(r.stats().successful()).as("successful calls, %s", why).isEqualTo(calls);
        assertThat(r.stats().failed()).as("failed calls, %s", why).isZero();
        // Retransmissions are not failures: a cold JVM on a shared 2-core machine can answer late
        // during its first second (JIT warm-up). The clean-rate figures belong to the benchmarks.
        assertThat(r.stats().unexpected()).as("unexpected messages, %s", why).isZero();
    }

    /** Backend log entries of {@code method} for {@code users}, grouped by user. */
    private Map<String, List<BackendLog.Entry>> backendEntries(String method, List<String> users) {
        Set<String> wanted = new TreeSet<>(users);
        return backends.entrySet().stream()
                .flatMap(b -> BackendLog.parse(b.getKey(), b.getValue().logLines()).stream())
                .filter(e -> e.method().equals(method) && wanted.contains(e.user()))
                .collect(Collectors.groupingBy(BackendLog.Entry::user));
    }

    /** The LB's own Via is on top (RFC 3261 §16.6 step 8), over the transport to the backend. */
    private void assertLbViaOnTop(BackendLog.Entry e, String transport) {
        assertThat(e.topVia()).as("top Via of %s of %s at %s", e.method(), e.user(), e.backend())
                .startsWith("SIP/2.0/" + transport + " " + CLIENT_IP + ":" + lbPort + ";")
                .contains("branch=z9hG4bK");
    }

    /**
     * The Path or Record-Route names the LB (its port, loose routing) and carries the client's
     * flow (siplb: a flow token in the user part, RFC 5626 §5.2; Kamailio: {@code received=}),
     * and that flow is the source the LB wrote into the client's Via as received/rport
     * (RFC 3581 §4: both, since the client asked for rport). Returns the flow.
     */
    private LoadBalancerUnderTest.Flow assertRouteCarriesClientFlow(BackendLog.Entry e, String header,
            String transport) {
        String value = e.route();
        assertThat(value).as("%s of %s", header, e.user()).contains(":" + lbPort).contains(";lr");
        Optional<LoadBalancerUnderTest.Flow> decoded = lb.flowOf(value);
        if (decoded.isEmpty()) {
            fail("%s of %s carries no flow the LB can decode: %s", header, e.user(), value);
        }
        LoadBalancerUnderTest.Flow flow = decoded.get();
        assertThat(flow.transport()).as("flow transport in the %s of %s: %s", header, e.user(), value)
                .isEqualTo(transport);
        assertThat(flow.address()).as("flow address in the %s of %s: %s", header, e.user(), value)
                .isEqualTo(CLIENT_IP);
        assertThat(e.clientVia()).as("client Via of %s at %s", e.user(), e.backend())
                .containsPattern(";received=" + Pattern.quote(flow.address()) + "(;|$)")
                .containsPattern(";rport=" + flow.port() + "(;|$)");
        return flow;
    }
}

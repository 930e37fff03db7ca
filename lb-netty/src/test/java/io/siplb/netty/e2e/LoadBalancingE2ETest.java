package io.siplb.netty.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The LB under test ({@link LoadBalancerUnderTest#fromEnvironment()}: Kamailio until siplb runs)
 * between real SIPp peers on 127.0.0.1: one client, two backends ("home proxies").
 *
 * <pre>
 *   SIPp UAC ──udp/tcp──▶ LB 127.0.0.1:P ──udp──▶ SIPp backend b1
 *                                         └─udp──▶ SIPp backend b2
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
    private static final int USERS = 1000;
    private static final int REGISTER_RATE = 500;
    private static final int CALLS = 20;
    private static final Duration RUN_LIMIT = Duration.ofSeconds(40);

    private Path dir;
    private LoadBalancerUnderTest lb;
    private final Map<String, SippProcess> backends = new HashMap<>();
    private int lbPort;

    @BeforeAll
    void startLbAndBackends() {
        Prerequisites.requireCommands("sipp");
        dir = RunDirectory.create(getClass().getSimpleName());
        List<LoadBalancerUnderTest.Backend> list = new ArrayList<>();
        Path scenario = TestResources.scenario("uas-backend.xml", dir);
        for (String id : List.of("b1", "b2")) {
            int port = PortAllocator.freePort();
            backends.put(id, SippProcess.builder(id, scenario, dir)
                    .local("127.0.0.1", port)
                    .lifetime(Duration.ofSeconds(110))
                    .start());
            list.add(new LoadBalancerUnderTest.Backend(id, "127.0.0.1", port));
        }
        lbPort = PortAllocator.freePort();
        lb = LoadBalancerUnderTest.fromEnvironment();
        lb.start(new LoadBalancerUnderTest.Setup("127.0.0.1", lbPort, lbPort, list, dir.resolve(lb.name()), null,
                Duration.ofSeconds(115)));
    }

    /**
     * Soft-stops the backends (their final statistics) and checks that no call failed on their
     * side either: a REGISTER without Path or an INVITE without Record-Route fails there.
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
    }

    @Test
    void registersEveryDistinctUserAndKeepsItOnOneBackendOnRepeat() {
        List<String> users = InjectionFile.users("r", USERS);
        Path csv = InjectionFile.write(dir.resolve("register-users.csv"), users);

        for (int pass = 1; pass <= 2; pass++) {
            int port = PortAllocator.freePort();
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
            for (BackendLog.Entry e : entries) {
                assertPathCarriesFlow(e);
                assertThat(e.clientVia()).as("client Via of %s", user).containsPattern(";rport=\\d+");
            }
        });
        Map<String, Long> perBackend = home.values().stream()
                .collect(Collectors.groupingBy(b -> b, Collectors.counting()));
        // hashing spreads 1000 AORs over 2 backends; 30 % is far outside any sane hash's spread
        assertThat(perBackend).as("users per backend").containsOnlyKeys("b1", "b2");
        assertThat(perBackend.values()).allSatisfy(n -> assertThat(n).isGreaterThan(USERS * 3L / 10));

        Optional<Map<String, String>> expected = lb.expectedBackends(
                users.stream().map(u -> u + "@" + DOMAIN).toList());
        expected.ifPresent(map -> home.forEach((user, backend) ->
                assertThat(backend).as("backend of %s", user).isEqualTo(map.get(user + "@" + DOMAIN))));
    }

    @ParameterizedTest
    @EnumSource(SipTransport.class)
    void completesCallsWithRecordRouteCrossingOnTheCallersHomeBackend(SipTransport transport) {
        String prefix = "c" + transport.name().toLowerCase() + "-";
        List<String> callers = InjectionFile.users(prefix, CALLS);
        Path csv = InjectionFile.write(dir.resolve(prefix + "users.csv"), callers);
        int port = PortAllocator.freePort();

        SippProcess reg = uac(prefix + "register", "uac-register.xml", transport, port, csv, CALLS, 50);
        assertAllSucceeded(reg, reg.awaitResult(RUN_LIMIT), CALLS);
        SippProcess calls = uac(prefix + "calls", "uac-call.xml", transport, port, csv, CALLS, 20);
        assertAllSucceeded(calls, calls.awaitResult(RUN_LIMIT), CALLS);

        Map<String, List<BackendLog.Entry>> registers = backendEntries("REGISTER", callers);
        Map<String, List<BackendLog.Entry>> invites = backendEntries("INVITE", callers);
        assertThat(invites).as("callers whose INVITE reached a backend").hasSize(CALLS);
        invites.forEach((caller, entries) -> {
            BackendLog.Entry invite = entries.get(0);
            assertThat(entries).as("INVITEs of %s", caller).hasSize(1);
            // session integrity: the caller's INVITE goes where its REGISTER went (DESIGN.md)
            assertThat(invite.backend()).as("backend of %s's INVITE", caller)
                    .isEqualTo(registers.get(caller).get(0).backend());
            assertThat(invite.route()).as("Record-Route of %s's INVITE", caller)
                    .contains(":" + lbPort).contains(";lr");
            assertThat(invite.clientVia()).as("client Via").startsWith("SIP/2.0/" + transport.name())
                    .containsPattern(";rport=" + port);
        });
    }

    private SippProcess uac(String name, String scenario, SipTransport transport, int port, Path csv, int calls,
            int rate) {
        return SippProcess.builder(name, TestResources.scenario(scenario, dir), dir)
                .transport(transport)
                .local("127.0.0.1", port)
                .remote("127.0.0.1:" + lbPort)
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
        assertThat(r.stats().retransmissions()).as("retransmissions, %s", why).isZero();
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

    /**
     * The Path names the LB (its port, loose routing) and carries the client's flow: siplb puts
     * a flow token in the user part (RFC 5626 §5.2), Kamailio a {@code received=} parameter.
     */
    private void assertPathCarriesFlow(BackendLog.Entry e) {
        String path = e.route();
        assertThat(path).as("Path of %s", e.user()).contains(":" + lbPort).contains(";lr");
        boolean token = path.matches("<sips?:[^@>]+@.*");
        boolean received = path.contains(";received=");
        if (!token && !received) {
            fail("Path of %s carries no flow (no token user part, no received=): %s", e.user(), path);
        }
    }
}

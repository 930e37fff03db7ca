package io.siplb.netty.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.siplb.config.ConfigLoader;
import io.siplb.health.BackendStatus;
import io.siplb.health.HealthState;
import io.siplb.netty.Assembly;
import io.siplb.netty.SiplbServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Issue 9, "done when": three real Kamailio registrars as home proxies (the operator's example
 * {@code deploy/kamailio/registrar.cfg}, on 127.0.1.1-3, each its own run directory, stopped by
 * PID), siplb in this JVM with health checking and REGISTER replication. 100 users register from
 * one SIPp (the users' address, where a SIPp UAS answers their calls, reached through the Path's
 * flow token); one home proxy is killed; a caller from outside our domains calls every one of its
 * users; the proxy restarts empty and its users are called during the recovery hold-down; then
 * they re-register, the hold-down ends, and their calls reach it again. The same run with
 * replication off shows what the feature buys. Figures go to the output ({@code [replication]}
 * lines) and to docs/replication.md.
 */
@Timeout(110)
class ReplicationE2ETest {
    private static final String DOMAIN = "e2e.invalid";
    private static final int USERS = 100;
    private static final Duration HOLD_DOWN = Duration.ofSeconds(8);
    private static final String VICTIM = "b2";
    private static final Duration LIFETIME = Duration.ofSeconds(100);

    private Path dir;
    private final Map<String, KamailioProcess> registrars = new LinkedHashMap<>();
    private final Map<String, Integer> ports = new LinkedHashMap<>();
    private String registrarCfg;
    private SiplbServer server;
    private int lbPort;
    private int usersPort;
    private final List<String> users = InjectionFile.users("r", USERS);

    @AfterEach
    void stop() {
        if (server != null) {
            server.stop();
        }
        registrars.values().forEach(KamailioProcess::close);
    }

    @Test
    void keepsEveryUserOfADeadOrReturningHomeProxyReachable() {
        start("ReplicationE2ETest-on", true);
        List<String> victims = usersOf(VICTIM);
        register("register", victims.size());

        kill(VICTIM);
        SippStats outage = call("outage", victims);

        restart(VICTIM);
        await("hold-down of " + VICTIM + " started", Duration.ofSeconds(10),
                () -> server.routingView().get().heldDown().contains(VICTIM));
        long holdStart = System.nanoTime();
        SippStats holdDown = call("hold-down", victims);
        assertThat(server.routingView().get().heldDown()).as("still held down after the calls").contains(VICTIM);
        long victimInvitesInHoldDown = terminatingInvites(VICTIM);

        register("re-register", victims.size());
        await("hold-down over", HOLD_DOWN.plusSeconds(5), () -> server.routingView().get().heldDown().isEmpty());
        long heldMillis = (System.nanoTime() - holdStart) / 1_000_000;
        SippStats back = call("back", victims);
        long victimInvitesAfter = terminatingInvites(VICTIM) - victimInvitesInHoldDown;

        System.out.printf("[replication] on: %d users, %d homed on %s; proxy dead: %d/%d calls succeeded; "
                        + "restarted empty, during the hold-down: %d/%d; after re-REGISTER and the hold-down "
                        + "(%d ms seen): %d/%d, %d of them on %s%n",
                USERS, victims.size(), VICTIM, outage.successful(), victims.size(), holdDown.successful(),
                victims.size(), heldMillis, back.successful(), victims.size(), victimInvitesAfter, VICTIM);
        assertThat(outage.successful()).as("calls while %s is dead, %s", VICTIM, outage).isEqualTo(victims.size());
        assertThat(holdDown.successful()).as("calls during the hold-down, %s", holdDown).isEqualTo(victims.size());
        assertThat(victimInvitesInHoldDown).as("INVITEs that reached the restarted %s in the hold-down", VICTIM)
                .isZero();
        assertThat(back.successful()).as("calls after the hold-down, %s", back).isEqualTo(victims.size());
        assertThat(victimInvitesAfter).as("INVITEs on %s after the hold-down", VICTIM).isEqualTo(victims.size());
    }

    @Test
    void withoutReplicationTheUsersOfADeadOrReturningHomeProxyAreUnreachable() {
        start("ReplicationE2ETest-off", false);
        List<String> victims = usersOf(VICTIM);
        register("register", victims.size());

        kill(VICTIM);
        SippStats outage = call("outage", victims);
        restart(VICTIM);
        await(VICTIM + " UP", Duration.ofSeconds(10), () -> state(VICTIM) == HealthState.UP);
        SippStats returned = call("returned", victims);

        System.out.printf("[replication] off: %d users, %d homed on %s; proxy dead: %d/%d calls succeeded; "
                        + "restarted empty: %d/%d%n",
                USERS, victims.size(), VICTIM, outage.successful(), victims.size(), returned.successful(),
                victims.size());
        assertThat(outage.successful()).as("calls while %s is dead, %s", VICTIM, outage).isZero();
        assertThat(returned.successful()).as("calls after %s restarted empty, %s", VICTIM, returned).isZero();
    }

    // ---- the lab ------------------------------------------------------------------------------

    private void start(String name, boolean replication) {
        Prerequisites.requireCommands("sipp", "kamailio", "timeout");
        dir = RunDirectory.create(name);
        registrarCfg = readRegistrarCfg();
        for (int i = 1; i <= 3; i++) {
            ports.put("b" + i, PortAllocator.freePort());
            startRegistrar("b" + i, "b" + i);
        }
        lbPort = PortAllocator.freePort();
        usersPort = PortAllocator.freePort();
        StringBuilder yaml = new StringBuilder()
                .append("listen: [udp://127.0.0.1:").append(lbPort).append("]\n")
                .append("domains: [").append(DOMAIN).append("]\n")
                .append("backends:\n");
        ports.forEach((id, port) -> yaml.append("  - {id: ").append(id).append(", uri: \"sip:").append(ipOf(id))
                .append(':').append(port).append("\"}\n"));
        yaml.append("health: {interval: 500ms, timeout: 250ms, rise: 2, fall: 2, jitter: 0}\n")
                .append("flow-token: {secret: \"e2e-test-key-0123456789abcdef\"}\n")
                .append("admin: {listen: 127.0.0.1:").append(PortAllocator.freePort()).append("}\n")
                .append("routing:\n  replication: {enabled: ").append(replication)
                .append(", hold-down: ").append(HOLD_DOWN.toSeconds()).append("s}\n");
        Path config = dir.resolve("siplb.yaml");
        try {
            Files.writeString(config, yaml);
            server = new SiplbServer(Assembly.of(ConfigLoader.load(config)), 2);
            server.start();
        } catch (Exception e) {
            throw new IllegalStateException("siplb did not start: " + e, e);
        }
        await("every registrar UP", Duration.ofSeconds(10),
                () -> ports.keySet().stream().allMatch(id -> state(id) == HealthState.UP));
    }

    /** deploy/kamailio/registrar.cfg: the example is what is tested. */
    private static String readRegistrarCfg() {
        Path here = Path.of("").toAbsolutePath();
        for (Path base = here; base != null; base = base.getParent()) {
            Path cfg = base.resolve("deploy/kamailio/registrar.cfg");
            if (Files.isRegularFile(cfg)) {
                try {
                    return Files.readString(cfg);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
        }
        throw new IllegalStateException("deploy/kamailio/registrar.cfg not found above " + here);
    }

    private static String ipOf(String id) {
        return "127.0.1." + id.substring(1);
    }

    private void startRegistrar(String id, String name) {
        int port = ports.get(id);
        registrars.put(id, KamailioProcess.start(name, registrarCfg,
                Map.of("REG_LISTEN", "udp:" + ipOf(id) + ":" + port, "SIPLB_ADDR", "127.0.0.1"),
                dir, null, LIFETIME, new int[] {port}, new int[0]));
    }

    private void kill(String id) {
        registrars.remove(id).close();
        await(id + " DOWN", Duration.ofSeconds(5), () -> state(id) == HealthState.DOWN);
    }

    /** The same proxy, same address, a fresh process: it knows nobody. */
    private void restart(String id) {
        startRegistrar(id, id + "-restarted");
    }

    private List<String> usersOf(String id) {
        List<String> of = new ArrayList<>();
        for (String u : users) {
            if (server.routingView().get().select(u + "@" + DOMAIN).id().equals(id)) {
                of.add(u);
            }
        }
        assertThat(of).as("users homed on %s", id).isNotEmpty();
        return of;
    }

    /** Every user REGISTERs once from the users' address; all must succeed. */
    private void register(String name, int victims) {
        Path csv = InjectionFile.write(dir.resolve(name + "-users.csv"), users);
        SippProcess reg = SippProcess.builder(name, TestResources.scenario("uac-register.xml", dir), dir)
                .local("127.0.0.1", usersPort)
                .remote("127.0.0.1:" + lbPort)
                .injection(csv)
                .key("domain", DOMAIN)
                .calls(USERS)
                .rate(200)
                .recvTimeout(Duration.ofSeconds(3))
                .lifetime(Duration.ofSeconds(30))
                .start();
        SippProcess.Result r = reg.awaitResult(Duration.ofSeconds(30));
        assertThat(r.stats().successful()).as("%s: REGISTERs, %s\n%s", name, r.stats(), reg.diagnostics())
                .isEqualTo(USERS);
    }

    /** Calls {@code callees} from outside while the users' UAS answers; the caller's statistics. */
    private SippStats call(String name, List<String> callees) {
        try (SippProcess uas = SippProcess.builder(name + "-users", TestResources.scenario("uas-callee.xml", dir), dir)
                .local("127.0.0.1", usersPort)
                .key("me", "user")
                .lifetime(Duration.ofSeconds(30))
                .start()) {
            Path csv = InjectionFile.write(dir.resolve(name + "-callees.csv"), callees);
            SippProcess caller = SippProcess.builder(name + "-caller",
                            TestResources.scenario("uac-call-from-outside.xml", dir), dir)
                    .local("127.0.0.1", PortAllocator.freePort())
                    .remote("127.0.0.1:" + lbPort)
                    .injection(csv)
                    .key("domain", DOMAIN)
                    .calls(callees.size())
                    .rate(50)
                    .recvTimeout(Duration.ofSeconds(4))
                    .lifetime(Duration.ofSeconds(25))
                    .start();
            return caller.awaitResult(Duration.ofSeconds(30)).stats();
        }
    }

    /** INVITEs the registrar {@code id} (current process) found a binding for. */
    private long terminatingInvites(String id) {
        KamailioProcess k = registrars.get(id);
        try {
            Path log = k.dir().resolve(id + "-restarted.log");
            return Files.readAllLines(log).stream().filter(l -> l.contains("TERMINATING INVITE for") && l.contains(" via "))
                    .count();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private HealthState state(String id) {
        try {
            for (BackendStatus s : server.healthMonitor().statuses().get(2, TimeUnit.SECONDS)) {
                if (s.backend().id().equals(id)) {
                    return s.state();
                }
            }
            return null;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private void await(String what, Duration limit, BooleanSupplier condition) {
        long start = System.nanoTime();
        while (System.nanoTime() - start < limit.toNanos()) {
            if (condition.getAsBoolean()) {
                return;
            }
            PortProbe.sleep(Duration.ofMillis(20));
        }
        throw new AssertionError(what + ": not within " + limit + " (" + dir + ")");
    }
}

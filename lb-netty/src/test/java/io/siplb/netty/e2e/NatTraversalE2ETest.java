package io.siplb.netty.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;

/**
 * A client behind a NAT registers through the LB under test with a real registrar (Kamailio,
 * {@code e2e/kamailio/registrar.cfg}) as its home proxy; a caller on the public side calls it.
 * The INVITE is routed by the stored Path back to the LB, which must deliver it to the
 * client's NAT binding (its private Contact is unreachable from the public side: no route), and
 * the dialog must complete with ACK and BYE in either direction.
 *
 * <pre>
 *  [cl] client 10.79.1.100 ── [nat] MASQUERADE ── [pub] LB .10, registrar .20, caller .30
 * </pre>
 *
 * Needs root and network namespaces (skipped otherwise, failed in CI). The lab is built once
 * per class ({@link NatLab}, unique namespace names, removed in {@code @AfterAll} and by a
 * shutdown hook). Files stay in {@code target/e2e/NatTraversalE2ETest-*}.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(value = 120)
class NatTraversalE2ETest {
    private static final String DOMAIN = "e2e.invalid";
    private static final int SIP_PORT = 5060;
    private static final Duration CALL_LIMIT = Duration.ofSeconds(30);

    private Path dir;
    private NatLab lab;
    private KamailioProcess registrar;
    private LoadBalancerUnderTest lb;

    @BeforeAll
    void buildLab() {
        Prerequisites.requireRoot();
        Prerequisites.requireNetns();
        Prerequisites.requireCommands("sipp", "kamailio", "timeout");
        Prerequisites.requireAnyCommand("nft", "iptables");
        dir = RunDirectory.create(getClass().getSimpleName());
        lab = NatLab.up(dir);
        registrar = KamailioProcess.start("registrar", KamailioLb.resourceText("kamailio/registrar.cfg"),
                Map.of("REG_LISTEN", "udp:" + lab.registrarIp() + ":" + SIP_PORT), dir, lab.publicNs(),
                Duration.ofSeconds(115), new int[] {SIP_PORT}, new int[0]);
        lb = LoadBalancerUnderTest.fromEnvironment();
        lb.start(new LoadBalancerUnderTest.Setup(lab.lbIp(), DOMAIN, SIP_PORT, 0,
                List.of(new LoadBalancerUnderTest.Backend("registrar", lab.registrarIp(), SIP_PORT)),
                dir.resolve(lb.name()), lab.publicNs(), Duration.ofSeconds(115)));
    }

    @AfterAll
    void tearDownLab() {
        try {
            if (lb != null) {
                lb.stop();
            }
            if (registrar != null) {
                registrar.close();
            }
        } finally {
            if (lab != null) {
                lab.close();
            }
        }
        if (lb != null) {
            assertThat(lb.leakReports()).as("buffer leaks reported by %s", lb.name()).isEmpty();
        }
    }

    @Test
    void callToAClientBehindNatCompletesWhenTheCallerHangsUp() {
        callThroughNat("alice", 5070, "uas-callee.xml", "uac-call.xml");
    }

    @Test
    void callToAClientBehindNatCompletesWhenTheCalleeHangsUp() {
        callThroughNat("bob", 5072, "uas-callee-hangs-up.xml", "uac-call-callee-hangs-up.xml");
    }

    /**
     * REGISTER {@code user} from the client's private address:port, then let the callee answer on
     * that same address:port (the NAT binding REGISTER created) while a public caller calls.
     */
    private void callThroughNat(String user, int clientPort, String calleeScenario, String callerScenario) {
        String lbTarget = lab.lbIp() + ":" + SIP_PORT;
        Path user1 = InjectionFile.write(dir.resolve(user + ".csv"), List.of(user));

        // 1. REGISTER through the NAT and the LB; the registrar stores Contact + Path
        SippProcess reg = SippProcess.builder(user + "-register", TestResources.scenario("uac-register.xml", dir), dir)
                .netns(lab.clientNs())
                .local(lab.clientIp(), clientPort)
                .remote(lbTarget)
                .injection(user1)
                .key("domain", DOMAIN)
                .calls(1)
                .lifetime(CALL_LIMIT)
                .traceMessages()
                .start();
        assertSucceeded(reg, reg.awaitResult(CALL_LIMIT));

        // 2. the callee listens where the client registered from (SIPp's UAC mode drops requests of
        //    unknown calls, so REGISTER and answering are two SIPp runs on the same address:port;
        //    the NAT binding outlives the short gap)
        try (SippProcess callee = SippProcess.builder(user + "-callee", TestResources.scenario(calleeScenario, dir), dir)
                .netns(lab.clientNs())
                .local(lab.clientIp(), clientPort)
                .key("me", user)
                .calls(1)
                .lifetime(CALL_LIMIT)
                .traceMessages()
                .start()) {
            Path caller1 = InjectionFile.write(dir.resolve(user + "-caller.csv"), List.of("caller-of-" + user));
            SippProcess caller = SippProcess.builder(user + "-caller", TestResources.scenario(callerScenario, dir), dir)
                    .netns(lab.publicNs())
                    .local(lab.callerIp(), 5080)
                    .remote(lbTarget)
                    .injection(caller1)
                    .key("domain", DOMAIN)
                    .key("callee", user)
                    .calls(1)
                    .lifetime(CALL_LIMIT)
                    .traceMessages()
                    .start();
            assertSucceeded(caller, caller.awaitResult(CALL_LIMIT));
            SippProcess.Result calleeResult = callee.awaitResult(Duration.ofSeconds(10));
            assertSucceeded(callee, calleeResult);

            // the INVITE reached the client addressed to its private Contact, sent by the LB
            List<String> invites = callee.logLines().stream().filter(l -> l.startsWith("INVITE | ")).toList();
            assertThat(invites).as("INVITEs the callee received").hasSize(1);
            String[] f = invites.get(0).split(" \\| ", -1);
            assertThat(f).as("callee log line %s", invites.get(0)).hasSize(4);
            assertThat(f[1].trim()).as("Request-URI at the callee")
                    .startsWith("sip:" + user + "@" + lab.clientIp() + ":" + clientPort);
            // (Kamailio leaves out the default port)
            assertThat(f[2].trim()).as("top Via at the callee")
                    .containsPattern("^SIP/2.0/UDP " + Pattern.quote(lab.lbIp()) + "(:" + SIP_PORT + ")?;");
            // and the LB record-routed it with the callee's flow: the NAT's public address and mapped port
            // (nat-lab.sh maps to 40000-40999), where the caller's ACK and BYE must go (RFC 5626 §5.3)
            Optional<LoadBalancerUnderTest.Flow> flow = lb.flowOf(f[3].trim());
            assertThat(flow).as("flow in the top Record-Route at the callee: %s", f[3]).isPresent();
            assertThat(flow.get().transport()).isEqualTo("UDP");
            assertThat(flow.get().address()).as("flow address").isEqualTo(lab.natPublicIp());
            assertThat(flow.get().port()).as("flow port (NAT mapping)").isBetween(40000, 40999);
        }
    }

    private void assertSucceeded(SippProcess sipp, SippProcess.Result r) {
        String why = sipp + ": " + r.stats() + "\n" + sipp.diagnostics() + "\n" + lb.diagnostics()
                + "\n--- registrar log:\n" + registrar.logTail(3000);
        assertThat(r.exitCode()).as("exit code, %s", why).isZero();
        assertThat(r.stats().successful()).as("successful calls, %s", why).isEqualTo(1);
        assertThat(r.stats().failed()).as("failed calls, %s", why).isZero();
    }
}

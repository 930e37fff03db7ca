package io.siplb.netty.ha;

import static org.assertj.core.api.Assertions.assertThat;

import io.siplb.netty.e2e.Prerequisites;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * What a client's registration needs from a takeover (issue 6), with real registrars: the
 * e2e tests' Kamailio ({@code e2e/kamailio/registrar.cfg}, Path stored with the binding) on
 * proxy1 and proxy2 behind the siplb pair, and a UDP client behind the NAT.
 *
 * <ol>
 *   <li>Six users register through lb1: each AOR lands on its home registrar, which stores
 *       the Path lb1 inserted (the client's flow token: the NAT's public address and port).</li>
 *   <li>lb1 crashes; lb2 takes the VIP.</li>
 *   <li>A caller on the LAN calls one of them: its home registrar sends the INVITE along the
 *       stored Path, a token lb1 minted, to the VIP, now lb2, which must verify it (the key is
 *       shared) and deliver it to the client's NAT binding; the dialog completes.</li>
 *   <li>The six refresh their registrations through lb2: each lands on the same registrar as
 *       before (the hash is the same on both nodes).</li>
 * </ol>
 */
@Timeout(150)
class RegistrationsSurviveTakeoverLabTest {

    private static final String DOMAIN = "e2e.invalid";
    private static final List<String> USERS = List.of("alice", "bob", "carol", "dave", "erin", "frank");
    private static final Duration SIPP_LIMIT = Duration.ofSeconds(30);

    @BeforeAll
    static void prerequisites() {
        Prerequisites.requireRoot();
        Prerequisites.requireNetns();
        Prerequisites.requireCommands("ip", "curl", "timeout", "sipp", "kamailio", "ss", "kill");
        Prerequisites.requireAnyCommand("nft", "iptables");
    }

    @Test
    void aTakeoverKeepsEachRegistrationOnItsRegistrarAndTheOldPathStillReachesTheClientBehindTheNat() {
        Map<String, LabKamailio> registrars = new HashMap<>();
        try (TrafficLab t = TrafficLab.up("ha-registrations", Map.of(), lab -> {
            for (String proxy : List.of("proxy1", "proxy2")) {
                registrars.put(proxy, LabKamailio.registrar(lab, proxy, Duration.ofSeconds(140)));
            }
        })) {
            HaLab lab = t.lab;
            Path users = lab.write("users.csv", "SEQUENTIAL\n" + String.join("\n", USERS) + "\n");

            // 1. register through lb1
            register(t, "register-before", users);
            Map<String, String> homes = new HashMap<>();
            for (String user : USERS) {
                List<String> at = registrars.entrySet().stream().filter(e -> e.getValue().registersOf(user) == 1)
                        .map(Map.Entry::getKey).toList();
                assertThat(at).as("registrars that got %s's REGISTER", user).hasSize(1);
                homes.put(user, at.get(0));
            }

            // 2. lb1 crashes
            t.lb1.freezeAndKill();
            lab.linkDown("lb1");
            assertThat(HaLab.await(Duration.ofSeconds(5), () -> lab.hasVip("lb2"))).as(t.lb2.logTail()).isTrue();

            // 3. a call to alice follows the Path lb1 inserted, through lb2, to the NAT binding
            String callee = USERS.get(0);
            Path calleeScenario = LabSipp.scenario(lab, "/e2e/sipp/uas-callee.xml");
            try (LabSipp calleeUa = LabSipp.start(lab, HaLab.NAT_CLIENT, "callee", calleeScenario,
                    HaLab.NAT_CLIENT_ADDRESS, TrafficLab.CLIENT_PORT, SIPP_LIMIT,
                    List.of("-key", "me", callee, "-m", "1"))) {
                awaitBound(lab, HaLab.NAT_CLIENT, TrafficLab.CLIENT_PORT);
                Path caller = lab.write("caller.csv", "SEQUENTIAL\ncarl\n");
                LabSipp callerUa = LabSipp.start(lab, TrafficLab.CLIENT, "caller",
                        LabSipp.scenario(lab, "/e2e/sipp/uac-call.xml"), TrafficLab.CLIENT_ADDRESS, 5080, SIPP_LIMIT,
                        List.of("-inf", caller.toString(), "-key", "domain", DOMAIN, "-key", "callee", callee,
                                "-m", "1", "-r", "1", HaLab.VIP + ":5060"));
                String why = "\n" + callerUa.diagnostics() + "\n" + calleeUa.diagnostics() + "\nlb2:\n"
                        + t.lb2.logTail() + "\n" + homes.get(callee) + ":\n" + registrars.get(homes.get(callee))
                        .logTail();
                assertThat(callerUa.awaitExit(SIPP_LIMIT)).as("the caller's call%s", why).isEqualTo(OptionalInt.of(0));
                assertThat(calleeUa.awaitExit(Duration.ofSeconds(10))).as("the callee's call%s", why)
                        .isEqualTo(OptionalInt.of(0));
                List<String> invites = calleeUa.logLines().stream().filter(l -> l.startsWith("INVITE | ")).toList();
                assertThat(invites).as("INVITEs at the callee%s", why).hasSize(1);
                String[] f = invites.get(0).split(" \\| ", -1);
                assertThat(f[1].trim()).as("Request-URI at the callee: its private Contact")
                        .startsWith("sip:" + callee + "@" + HaLab.NAT_CLIENT_ADDRESS + ":" + TrafficLab.CLIENT_PORT);
                assertThat(f[2].trim()).as("top Via at the callee: the VIP's (lb2 sent it)")
                        .startsWith("SIP/2.0/UDP " + HaLab.VIP);
                assertThat(registrars.get(homes.get(callee)).log()).as("the home registrar routed by the stored Path")
                        .contains("INVITE for sip:" + callee + "@" + DOMAIN);
            }

            // 4. the refreshes, through lb2, land where the first REGISTERs did
            register(t, "register-after", users);
            for (String user : USERS) {
                for (var e : registrars.entrySet()) {
                    int expected = e.getKey().equals(homes.get(user)) ? 2 : 0;
                    assertThat(e.getValue().registersOf(user)).as("REGISTERs of %s at %s (home %s)", user, e.getKey(),
                            homes.get(user)).isEqualTo(expected);
                }
            }
        }
    }

    /** Registers {@link #USERS} from the client behind the NAT (port 5070) to the VIP; all must get 200. */
    private static void register(TrafficLab t, String name, Path users) {
        LabSipp reg = LabSipp.start(t.lab, HaLab.NAT_CLIENT, name, LabSipp.scenario(t.lab, "/e2e/sipp/uac-register.xml"),
                HaLab.NAT_CLIENT_ADDRESS, TrafficLab.CLIENT_PORT, SIPP_LIMIT,
                List.of("-inf", users.toString(), "-key", "domain", DOMAIN, "-m", Integer.toString(USERS.size()),
                        "-r", "20", HaLab.VIP + ":5060"));
        assertThat(reg.awaitExit(SIPP_LIMIT)).as("%s: every REGISTER answered 200\n%s\nlb1:\n%s\nlb2:\n%s", name,
                reg.diagnostics(), t.lb1.logTail(), t.lb2.logTail()).isEqualTo(OptionalInt.of(0));
    }

    /** Waits until something listens on UDP {@code port} in {@code node} (bounded: 10 s). */
    private static void awaitBound(HaLab lab, String node, int port) {
        HaLab.await(Duration.ofSeconds(10), () -> lab.run(List.of("ip", "netns", "exec", lab.ns(node), "ss", "-Hlun",
                "sport", "=", ":" + port)).contains(":" + port));
    }
}

package io.siplb.route;

import io.siplb.hash.BackendState;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.Set;

import static io.siplb.route.RouterFixture.wire;
import static org.assertj.core.api.Assertions.assertThat;

/** REGISTER replication (DESIGN "Home-proxy failure without losing reachability"). */
class ReplicationTest {

    private final RouterFixture lb = new RouterFixture();
    private final Router replicating = new Router(
            RouterConfig.of(lb.local, Set.of("example.com")).withReplication(true), lb.tokens, lb.branches,
            id -> false, RecentInvites.withDefaults(), () -> RouterFixture.NOW_MILLIS);

    @AfterEach
    void releaseMessages() {
        lb.close();
    }

    private static final String REGISTER = """
            REGISTER sip:example.com SIP/2.0
            Via: SIP/2.0/UDP 192.168.1.20:5060;branch=z9hG4bKnashds7;rport
            Max-Forwards: 70
            To: Bob <sip:bob@example.com>
            From: Bob <sip:bob@example.com>;tag=456248
            Call-ID: 843817637684230@998sdasdh09
            CSeq: 1826 REGISTER
            Contact: <sip:bob@192.168.1.20>
            Expires: 7200
            Content-Length: 0

            """;

    private static final String INVITE = """
            INVITE sip:bob@example.com SIP/2.0
            Via: SIP/2.0/UDP 198.51.100.7:40312;branch=z9hG4bK74bf9
            Max-Forwards: 70
            From: Carol <sip:carol@elsewhere.net>;tag=9fxced76sl
            To: Bob <sip:bob@example.com>
            Call-ID: 3848276298220188511@elsewhere.net
            CSeq: 1 INVITE
            Contact: <sip:carol@198.51.100.7:40312>
            Content-Length: 0

            """;

    private Decision replicate(String text) {
        return replicating.route(lb.request(text), Source.udp(RouterFixture.CLIENT, RouterFixture.SIPLB), lb.view);
    }

    private Replicate replicateRegister() {
        Decision d = replicate(REGISTER);
        assertThat(d).isInstanceOf(Replicate.class);
        return (Replicate) d;
    }

    @Test
    void sendsARegisterToItsHomeProxyAndAReplicaToItsSecondChoice() {
        Replicate r = replicateRegister();
        assertThat(r.primary().backendId()).isEqualTo(lb.view.select("bob@example.com").id());
        assertThat(r.replica().backendId()).isEqualTo(lb.view.secondChoice("bob@example.com").id())
                .isNotEqualTo(r.primary().backendId());
    }

    @Test
    void sendsTheReplicaToTheBackendThatBecomesHomeWhenTheHomeGoesDown() {
        Replicate r = replicateRegister();
        lb.down(r.primary().backendId());
        assertThat(lb.view.select("bob@example.com").id()).isEqualTo(r.replica().backendId());
    }

    @Test
    void givesTheReplicaTheSamePathAsThePrimary() {
        Replicate r = replicateRegister();
        assertThat(header(wire(r.replica()), "Path")).isEqualTo(header(wire(r.primary()), "Path"))
                .startsWith("Path: <sip:" + lb.clientToken() + "@192.0.2.1:5060;lr;ob>");
    }

    @Test
    void marksTheReplicaAndNotThePrimary() {
        Replicate r = replicateRegister();
        assertThat(wire(r.replica())).contains("\r\nX-Siplb-Replica: 1\r\n");
        assertThat(wire(r.primary())).doesNotContain("X-Siplb-Replica");
    }

    @Test
    void givesTheReplicaAReplicaBranchAndThePrimaryAnOrdinaryOne() {
        Replicate r = replicateRegister();
        assertThat(header(wire(r.primary()), "Via")).contains(";branch=" + ViaBranch.PREFIX);
        assertThat(header(wire(r.replica()), "Via")).contains(";branch=" + ViaBranch.REPLICA_PREFIX);
    }

    @Test
    void leavesThePrimaryExactlyAsItIsWithoutReplication() {
        String alone = wire(lb.fromClient(lb.request(REGISTER)));
        assertThat(wire(replicateRegister().primary())).isEqualTo(alone);
    }

    @Test
    void sendsOnlyTheRegisterWhenReplicationIsOff() {
        assertThat(lb.fromClient(lb.request(REGISTER))).isInstanceOf(Forward.class);
    }

    @Test
    void sendsOnlyTheRegisterWhenNoSecondBackendIsUp() {
        lb.down("a", "b");
        Decision d = replicate(REGISTER);
        assertThat(d).isInstanceOf(Forward.class);
        assertThat(((Forward) d).backendId()).isEqualTo("c");
    }

    @Test
    void doesNotReplicateAnInvite() {
        assertThat(replicate(INVITE)).isInstanceOf(Forward.class);
    }

    @Test
    void doesNotReplicateARegisterFromABackend() {
        String fromA = REGISTER.replace("192.168.1.20:5060;branch=z9hG4bKnashds7;rport", "10.0.0.1:5060;branch=z9hG4bKa1");
        Decision d = replicating.route(lb.request(fromA), Source.udp(RouterFixture.BACKEND_A, RouterFixture.SIPLB), lb.view);
        assertThat(d).isNotInstanceOf(Replicate.class);
    }

    @Test
    void removesAReplicaMarkerAClientWrote() {
        // a registrar trusts the marker from siplb's address, and every client REGISTER comes from there
        String forged = REGISTER.replace("Expires: 7200\n", "Expires: 7200\nx-siplb-replica: 1\n");
        assertThat(wire(lb.fromClient(lb.request(forged)))).doesNotContainIgnoringCase("X-Siplb-Replica");
    }

    @Test
    void removesAClientsReplicaMarkerFromTheReplicaTooAndMarksItOnce() {
        String forged = REGISTER.replace("Expires: 7200\n", "Expires: 7200\nX-Siplb-Replica: 1\n");
        Replicate r = (Replicate) replicate(forged);
        String replica = wire(r.replica());
        assertThat(replica.indexOf("X-Siplb-Replica")).isEqualTo(replica.lastIndexOf("X-Siplb-Replica"));
        assertThat(wire(r.primary())).doesNotContain("X-Siplb-Replica");
    }

    @Test
    void dropsTheResponseToAReplica() {
        String ok = okFor(wire(replicateRegister().replica()));
        Decision d = lb.responseRouter.route(lb.response(ok), Source.udp(RouterFixture.BACKEND_A, RouterFixture.SIPLB));
        assertThat(d).isEqualTo(Drop.of(DropReason.REPLICA_RESPONSE));
    }

    @Test
    void forwardsTheResponseToThePrimaryToTheClient() {
        String ok = okFor(wire(replicateRegister().primary()));
        Decision d = lb.responseRouter.route(lb.response(ok), Source.udp(RouterFixture.BACKEND_A, RouterFixture.SIPLB));
        assertThat(((Forward) d).target()).isEqualTo(new Target(Transport.UDP, RouterFixture.CLIENT, 0));
    }

    @Test
    void refusesAResponseWhoseBranchWasMadeAReplicasToSwallowIt() {
        String ok = okFor(wire(replicateRegister().primary())).replace(ViaBranch.PREFIX, ViaBranch.REPLICA_PREFIX);
        Decision d = lb.responseRouter.route(lb.response(ok), Source.udp(RouterFixture.BACKEND_A, RouterFixture.SIPLB));
        assertThat(d).isEqualTo(Drop.of(DropReason.NOT_OUR_VIA));
    }

    @Test
    void refusesAResponseWhoseReplicaBranchWasMadeOrdinaryToReachTheClient() {
        String ok = okFor(wire(replicateRegister().replica())).replace(ViaBranch.REPLICA_PREFIX, ViaBranch.PREFIX);
        Decision d = lb.responseRouter.route(lb.response(ok), Source.udp(RouterFixture.BACKEND_A, RouterFixture.SIPLB));
        assertThat(d).isEqualTo(Drop.of(DropReason.NOT_OUR_VIA));
    }

    @Test
    void sendsNoReplicaToADrainingSecondChoice() {
        // a draining backend takes no new AORs: the replica goes to the next backend that does
        String second = lb.view.secondChoice("bob@example.com").id();
        lb.view = lb.view.withBackends(lb.view.backends().withState(second, BackendState.DRAINING));
        Replicate r = replicateRegister();
        assertThat(r.replica().backendId()).isNotEqualTo(second).isNotEqualTo(r.primary().backendId());
    }

    /** The 200 a registrar sends back for the REGISTER as siplb forwarded it. */
    private static String okFor(String forwarded) {
        StringBuilder vias = new StringBuilder();
        for (String line : forwarded.split("\r\n")) {
            if (line.startsWith("Via: ")) {
                vias.append(line).append('\n');
            }
        }
        return "SIP/2.0 200 OK\n" + vias + """
                To: Bob <sip:bob@example.com>;tag=2493k59kd
                From: Bob <sip:bob@example.com>;tag=456248
                Call-ID: 843817637684230@998sdasdh09
                CSeq: 1826 REGISTER
                Content-Length: 0

                """;
    }

    private static String header(String wire, String name) {
        int start = wire.indexOf("\r\n" + name + ": ") + 2;
        return wire.substring(start, wire.indexOf("\r\n", start));
    }
}

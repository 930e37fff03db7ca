package io.siplb.route;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Recovery hold-down (DESIGN "Home-proxy failure"): a home proxy back from DOWN takes REGISTERs
 * at once, while terminating requests for its users go to their second choice until it ends.
 */
class HoldDownTest {

    private final RouterFixture lb = new RouterFixture();
    private final String home = lb.view.select("bob@example.com").id();
    private final String second = lb.view.secondChoice("bob@example.com").id();

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
            Content-Length: 0

            """;

    private static final String TERMINATING_INVITE = """
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

    private static final String ORIGINATING_INVITE = """
            INVITE sip:carol@elsewhere.net SIP/2.0
            Via: SIP/2.0/UDP 198.51.100.7:40312;branch=z9hG4bK74bfa
            Max-Forwards: 70
            From: Bob <sip:bob@example.com>;tag=9fxced76sm
            To: Carol <sip:carol@elsewhere.net>
            Call-ID: orig-1@example.com
            CSeq: 1 INVITE
            Contact: <sip:bob@198.51.100.7:40312>
            Content-Length: 0

            """;

    private static final String INVITE_FROM_A_BACKEND = """
            INVITE sip:bob@example.com SIP/2.0
            Via: SIP/2.0/UDP 10.0.0.1:5060;branch=z9hG4bKhome2
            Max-Forwards: 69
            From: Carol <sip:carol@example.com>;tag=777
            To: Bob <sip:bob@example.com>
            Call-ID: term-2
            CSeq: 1 INVITE
            Content-Length: 0

            """;

    private String backendOf(Decision d) {
        assertThat(d).isInstanceOf(Forward.class);
        return ((Forward) d).backendId();
    }

    private void holdDown(String... ids) {
        lb.view = lb.view.withHeldDown(Set.of(ids));
    }

    @Test
    void sendsATerminatingRequestForAUserOfAHeldDownHomeToTheSecondChoice() {
        holdDown(home);
        assertThat(backendOf(lb.fromClient(lb.request(TERMINATING_INVITE)))).isEqualTo(second);
    }

    @Test
    void sendsATerminatingRequestFromABackendForAUserOfAHeldDownHomeToTheSecondChoice() {
        holdDown(home);
        assertThat(backendOf(lb.fromBackendA(lb.request(INVITE_FROM_A_BACKEND)))).isEqualTo(second);
    }

    @Test
    void stillSendsARegisterToAHeldDownHome() {
        holdDown(home);
        assertThat(backendOf(lb.fromClient(lb.request(REGISTER)))).isEqualTo(home);
    }

    @Test
    void stillSendsAnOriginatingRequestToAHeldDownHome() {
        holdDown(home);
        assertThat(backendOf(lb.fromClient(lb.request(ORIGINATING_INVITE)))).isEqualTo(home);
    }

    @Test
    void sendsACancelToWhereItsInviteWentDuringTheHoldDown() {
        holdDown(home);
        lb.fromClient(lb.request(TERMINATING_INVITE));
        String cancel = TERMINATING_INVITE.replace("INVITE sip:bob@example.com", "CANCEL sip:bob@example.com")
                .replace("CSeq: 1 INVITE", "CSeq: 1 CANCEL");
        assertThat(backendOf(lb.fromClient(lb.request(cancel)))).isEqualTo(second);
    }

    @Test
    void skipsASecondChoiceThatIsHeldDownToo() {
        holdDown(home, second);
        String third = lb.view.backends().backends().stream().map(b -> b.id())
                .filter(id -> !id.equals(home) && !id.equals(second)).findFirst().orElseThrow();
        assertThat(backendOf(lb.fromClient(lb.request(TERMINATING_INVITE)))).isEqualTo(third);
    }

    @Test
    void sendsToTheHomeWhenEveryBackendUpIsHeldDown() {
        holdDown("a", "b", "c");
        assertThat(backendOf(lb.fromClient(lb.request(TERMINATING_INVITE)))).isEqualTo(home);
    }

    @Test
    void sendsTerminatingRequestsHomeAgainWhenTheHoldDownEnds() {
        holdDown(home);
        holdDown();
        assertThat(backendOf(lb.fromClient(lb.request(TERMINATING_INVITE)))).isEqualTo(home);
    }

    @Test
    void keepsTheHoldDownsWhenBackendStatesChange() {
        holdDown(home);
        lb.down(second);
        assertThat(lb.view.heldDown()).containsExactly(home);
    }
}

package io.siplb.route;

import io.siplb.hash.Backend;
import io.siplb.hash.BackendState;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static io.siplb.route.RouterFixture.wire;
import static org.assertj.core.api.Assertions.assertThat;

class RouterTest {

    private final RouterFixture lb = new RouterFixture();

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
            INVITE sip:bob@biloxi.com SIP/2.0
            Via: SIP/2.0/UDP 198.51.100.7:40312;branch=z9hG4bK74bf9
            Max-Forwards: 70
            From: Alice <sip:alice@example.com>;tag=9fxced76sl
            To: Bob <sip:bob@biloxi.com>
            Call-ID: 3848276298220188511@atlanta.example.com
            CSeq: 1 INVITE
            Contact: <sip:alice@198.51.100.7:40312>
            Content-Length: 0

            """;

    @Test
    void handlesAnIpv6ClientAsItHandlesAnIpv4One() {
        // RFC 5118 §4.5: received carries the bare IPv6 address; the flow token names the IPv6 flow
        java.net.InetSocketAddress v6 = new java.net.InetSocketAddress("2001:db8::7", 40312);
        String register = REGISTER.replace("192.168.1.20:5060;branch", "[2001:db8::7]:5060;branch");
        Decision d = lb.router.route(lb.request(register), Source.udp(v6, RouterFixture.SIPLB), lb.view);
        String wire = wire(d);
        assertThat(wire).contains("Via: SIP/2.0/UDP [2001:db8::7]:5060;branch=z9hG4bKnashds7;rport=40312;received=2001:db8::7\r\n");
        String path = wire.substring(wire.indexOf("Path: <sip:") + "Path: <sip:".length());
        assertThat(lb.tokens.decode(path.substring(0, path.indexOf('@')))).isEqualTo(FlowToken.udp(v6));
    }

    @Test
    void decrementsMaxForwards() {
        assertThat(wire(lb.fromClient(lb.request(REGISTER)))).contains("Max-Forwards: 69\r\n");
    }

    @Test
    void addsMaxForwards70WhenAbsent() {
        String wire = wire(lb.fromClient(lb.request(INVITE.replace("Max-Forwards: 70\n", ""))));
        assertThat(wire).contains("Max-Forwards: 70\r\n");
    }

    @Test
    void answers483WhenMaxForwardsIsZero() {
        Decision d = lb.fromClient(lb.request(INVITE.replace("Max-Forwards: 70", "Max-Forwards: 0")));
        assertThat(d).isInstanceOf(Respond.class);
        assertThat(((Respond) d).status()).isEqualTo(483);
    }

    @Test
    void addsReceivedAndFillsRportWhenTheClientAskedForRport() {
        // RFC 3581 §4: a private sent-by behind a NAT; the response must go to the NAT binding
        String wire = wire(lb.fromClient(lb.request(REGISTER)));
        assertThat(wire).contains(
                "Via: SIP/2.0/UDP 192.168.1.20:5060;branch=z9hG4bKnashds7;rport=40312;received=198.51.100.7\r\n");
    }

    @Test
    void leavesTheViaAloneWhenSentByIsTheSourceAndNoRportWasAsked() {
        String wire = wire(lb.fromClient(lb.request(INVITE)));
        assertThat(wire).contains("Via: SIP/2.0/UDP 198.51.100.7:40312;branch=z9hG4bK74bf9\r\n");
    }

    @Test
    void pushesOurViaOnTopWithABranchThatIsTheSameForARetransmission() {
        String first = wire(lb.fromClient(lb.request(INVITE)));
        String again = wire(lb.fromClient(lb.request(INVITE)));
        String ourVia = first.substring(first.indexOf("Via: SIP/2.0/UDP 192.0.2.1:5060;branch=z9hG4bKsl"));
        ourVia = ourVia.substring(0, ourVia.indexOf("\r\n"));
        assertThat(first.indexOf(ourVia)).isLessThan(first.indexOf("Via: SIP/2.0/UDP 198.51.100.7"));
        assertThat(again).contains(ourVia);
    }

    @Test
    void writesTheSendTimeIntoOurViaSoTheResponseCarriesItBack() {
        String wire = wire(lb.fromClient(lb.request(INVITE)));
        assertThat(topVia(wire)).endsWith(";t=" + Long.toString(RouterFixture.NOW_MILLIS, 36));
    }

    @Test
    void givesACancelTheBranchOfItsInvite() {
        // RFC 3261 §16.11
        String invite = wire(lb.fromClient(lb.request(INVITE)));
        String cancel = wire(lb.fromClient(lb.request(INVITE.replace("INVITE sip:bob@biloxi.com", "CANCEL sip:bob@biloxi.com")
                .replace("CSeq: 1 INVITE", "CSeq: 1 CANCEL"))));
        assertThat(topVia(cancel)).isEqualTo(topVia(invite));
    }

    @Test
    void sendsACancelToTheBackendOfItsInviteEvenAfterTheViewChanged() {
        Forward invite = (Forward) lb.fromClient(lb.request(INVITE));
        lb.down(invite.backendId());
        Forward cancel = (Forward) lb.fromClient(lb.request(INVITE.replace("INVITE sip:bob@biloxi.com", "CANCEL sip:bob@biloxi.com")
                .replace("CSeq: 1 INVITE", "CSeq: 1 CANCEL")));
        assertThat(cancel.backendId()).isEqualTo(invite.backendId());
    }

    @Test
    void givesANewTransactionANewBranch() {
        String first = wire(lb.fromClient(lb.request(INVITE)));
        String other = wire(lb.fromClient(lb.request(INVITE.replace("z9hG4bK74bf9", "z9hG4bK74bfa"))));
        assertThat(topVia(other)).isNotEqualTo(topVia(first));
    }

    @Test
    void insertsPathWithTheClientsFlowTokenIntoARegister() {
        Decision d = lb.fromClient(lb.request(REGISTER));
        String wire = wire(d);
        String path = wire.substring(wire.indexOf("Path: <sip:") + "Path: <sip:".length());
        String token = path.substring(0, path.indexOf('@'));
        assertThat(path).startsWith(token + "@192.0.2.1:5060;lr;ob>\r\n");
        FlowToken flow = lb.tokens.decode(token);
        assertThat(flow).isEqualTo(FlowToken.udp(RouterFixture.CLIENT));
    }

    @Test
    void recordRoutesAnInitialInviteWithTheClientsFlowToken() {
        String wire = wire(lb.fromClient(lb.request(INVITE)));
        assertThat(wire).containsPattern("Record-Route: <sip:[A-Za-z0-9_-]+@192\\.0\\.2\\.1:5060;lr>\r\n");
    }

    @Test
    void recordRoutesTwiceWhenATcpClientIsForwardedToAUdpBackend() {
        // RFC 5658 §4: the backend reaches us over UDP, the client over its TCP connection
        Source tcpClient = new Source(Transport.TCP, RouterFixture.CLIENT, RouterFixture.SIPLB, 9);
        String invite = INVITE.replace("SIP/2.0/UDP 198.51.100.7:40312", "SIP/2.0/TCP 198.51.100.7:40312");
        String wire = wire(lb.router.route(lb.request(invite), tcpClient, lb.view));
        String token = lb.tokens.encode(FlowToken.of(tcpClient));
        assertThat(wire).contains("Record-Route: <sip:" + token + "@192.0.2.1:5060;lr>\r\n"
                + "Record-Route: <sip:" + token + "@192.0.2.1:5060;transport=tcp;lr>\r\n");
    }

    @Test
    void popsBothOfItsRoutesAfterADoubleRecordRoute() {
        Source tcpClient = new Source(Transport.TCP, RouterFixture.CLIENT, RouterFixture.SIPLB, 9);
        String token = lb.tokens.encode(FlowToken.of(tcpClient));
        String bye = """
                BYE sip:bob@192.0.2.4 SIP/2.0
                Via: SIP/2.0/TCP 198.51.100.7:40312;branch=z9hG4bKnashds11
                Max-Forwards: 70
                Route: <sip:%s@192.0.2.1:5060;transport=tcp;lr>, <sip:%s@192.0.2.1:5060;lr>, <sip:10.0.0.3;lr>
                From: Alice <sip:alice@example.com>;tag=9fxced76sl
                To: Bob <sip:bob@biloxi.com>;tag=8321234356
                Call-ID: 3848276298220188511@atlanta.example.com
                CSeq: 2 BYE
                Content-Length: 0

                """.formatted(token, token);
        Decision d = lb.router.route(lb.request(bye), tcpClient, lb.view);
        assertThat(((Forward) d).backendId()).isEqualTo("c");
        assertThat(wire(d)).contains("Route: <sip:10.0.0.3;lr>\r\n").doesNotContain(token + "@192.0.2.1");
    }

    @Test
    void doesNotRecordRouteARequestInsideADialog() {
        String bye = """
                BYE sip:bob@192.0.2.4 SIP/2.0
                Via: SIP/2.0/UDP 198.51.100.7:40312;branch=z9hG4bKnashds10
                Max-Forwards: 70
                From: Alice <sip:alice@example.com>;tag=9fxced76sl
                To: Bob <sip:bob@biloxi.com>;tag=8321234356
                Call-ID: 3848276298220188511@atlanta.example.com
                CSeq: 2 BYE
                Content-Length: 0

                """;
        String wire = wire(lb.fromClient(lb.request(bye)));
        assertThat(wire).doesNotContain("Record-Route").doesNotContain("Path:");
    }

    @Test
    void sendsARegisterToTheHomeProxyOfItsToUri() {
        Forward f = (Forward) lb.fromClient(lb.request(REGISTER));
        assertThat(f.backendId()).isEqualTo(lb.view.select("bob@example.com").id());
        Backend home = lb.view.select("bob@example.com");
        assertThat(f.target().address().getAddress().getHostAddress()).isEqualTo(home.host());
    }

    @Test
    void sendsAnOriginatingRequestToTheHomeProxyOfItsFromUri() {
        Forward f = (Forward) lb.fromClient(lb.request(INVITE));
        assertThat(f.backendId()).isEqualTo(lb.view.select("alice@example.com").id());
    }

    @Test
    void sendsATerminatingRequestToTheHomeProxyOfItsRequestUri() {
        String fromElsewhere = INVITE.replace("sip:alice@example.com", "sip:carol@elsewhere.net")
                .replace("sip:bob@biloxi.com", "sip:bob@example.com");
        Forward f = (Forward) lb.fromClient(lb.request(fromElsewhere));
        assertThat(f.backendId()).isEqualTo(lb.view.select("bob@example.com").id());
    }

    @Test
    void answersAnOptionsForItselfWith200() {
        String options = """
                OPTIONS sip:192.0.2.1:5060 SIP/2.0
                Via: SIP/2.0/UDP 198.51.100.7:40312;branch=z9hG4bKopt1
                Max-Forwards: 70
                From: <sip:monitor@example.com>;tag=1
                To: <sip:192.0.2.1:5060>
                Call-ID: opt-1
                CSeq: 1 OPTIONS
                Content-Length: 0

                """;
        Decision d = lb.fromClient(lb.request(options));
        assertThat(d).isEqualTo(Respond.of(200, "OK"));
    }

    @Test
    void answers503WithRetryAfterWhenNoBackendIsUp() {
        lb.down("a", "b", "c");
        Decision d = lb.fromClient(lb.request(REGISTER));
        assertThat(d).isInstanceOf(Respond.class);
        assertThat(((Respond) d).status()).isEqualTo(503);
        assertThat(((Respond) d).extraHeaders()).containsExactly("Retry-After: 5");
    }

    @Test
    void refusesARouteFromOutsideThatNamesNeitherUsNorABackend() {
        String relay = INVITE.replace("Max-Forwards: 70\n", "Max-Forwards: 70\nRoute: <sip:203.0.113.9;lr>\n");
        Decision d = lb.fromClient(lb.request(relay));
        assertThat(d).isInstanceOf(Respond.class);
        assertThat(((Respond) d).status()).isEqualTo(403);
    }

    @Test
    void popsItsOwnRouteAndFollowsTheNextRouteToABackend() {
        String bye = """
                BYE sip:bob@192.0.2.4 SIP/2.0
                Via: SIP/2.0/UDP 198.51.100.7:40312;branch=z9hG4bKnashds10
                Max-Forwards: 70
                Route: <sip:%s@192.0.2.1:5060;lr>, <sip:10.0.0.3;lr>
                From: Alice <sip:alice@example.com>;tag=9fxced76sl
                To: Bob <sip:bob@biloxi.com>;tag=8321234356
                Call-ID: 3848276298220188511@atlanta.example.com
                CSeq: 2 BYE
                Content-Length: 0

                """.formatted(lb.clientToken());
        Decision d = lb.fromClient(lb.request(bye));
        assertThat(((Forward) d).backendId()).isEqualTo("c");
        assertThat(wire(d)).contains("Route: <sip:10.0.0.3;lr>\r\n").doesNotContain("192.0.2.1:5060;lr>");
    }

    @Test
    void answers503WithRetryAfterToAnInDialogRequestWhoseRouteNamesADownBackend() {
        lb.down("c");
        String bye = """
                BYE sip:bob@192.0.2.4 SIP/2.0
                Via: SIP/2.0/UDP 198.51.100.7:40312;branch=z9hG4bKnashds11
                Max-Forwards: 70
                Route: <sip:%s@192.0.2.1:5060;lr>, <sip:10.0.0.3;lr>
                From: Alice <sip:alice@example.com>;tag=9fxced76sl
                To: Bob <sip:bob@biloxi.com>;tag=8321234356
                Call-ID: indialog-down-1
                CSeq: 2 BYE
                Content-Length: 0

                """.formatted(lb.clientToken());
        Decision d = lb.fromClient(lb.request(bye));
        assertThat(d).isInstanceOf(Respond.class);
        assertThat(((Respond) d).status()).isEqualTo(503);
        assertThat(((Respond) d).extraHeaders()).containsExactly("Retry-After: 5");
    }

    @Test
    void stillSendsAnInDialogRequestToADrainingBackend() {
        lb.view = lb.view.withBackends(lb.view.backends().withState("c", BackendState.DRAINING));
        String bye = """
                BYE sip:bob@192.0.2.4 SIP/2.0
                Via: SIP/2.0/UDP 198.51.100.7:40312;branch=z9hG4bKnashds12
                Max-Forwards: 70
                Route: <sip:%s@192.0.2.1:5060;lr>, <sip:10.0.0.3;lr>
                From: Alice <sip:alice@example.com>;tag=9fxced76sl
                To: Bob <sip:bob@biloxi.com>;tag=8321234356
                Call-ID: indialog-draining-1
                CSeq: 2 BYE
                Content-Length: 0

                """.formatted(lb.clientToken());
        assertThat(((Forward) lb.fromClient(lb.request(bye))).backendId()).isEqualTo("c");
    }

    @Test
    void dropsAnInDialogAckWhoseRouteNamesADownBackend() {
        lb.down("c");
        String ack = """
                ACK sip:bob@192.0.2.4 SIP/2.0
                Via: SIP/2.0/UDP 198.51.100.7:40312;branch=z9hG4bKnashds13
                Max-Forwards: 70
                Route: <sip:%s@192.0.2.1:5060;lr>, <sip:10.0.0.3;lr>
                From: Alice <sip:alice@example.com>;tag=9fxced76sl
                To: Bob <sip:bob@biloxi.com>;tag=8321234356
                Call-ID: indialog-down-2
                CSeq: 1 ACK
                Content-Length: 0

                """.formatted(lb.clientToken());
        assertThat(lb.fromClient(lb.request(ack))).isEqualTo(Drop.of(DropReason.ACK_NOT_ROUTABLE));
    }

    @Test
    void answers503ToARequestFromABackendWhoseNextRouteNamesADownBackend() {
        lb.down("c");
        String bye = """
                BYE sip:bob@192.0.2.4 SIP/2.0
                Via: SIP/2.0/UDP 10.0.0.1:5060;branch=z9hG4bKhome9
                Max-Forwards: 70
                Route: <sip:10.0.0.3;lr>
                From: Alice <sip:alice@example.com>;tag=9fxced76sl
                To: Bob <sip:bob@biloxi.com>;tag=8321234356
                Call-ID: indialog-down-3
                CSeq: 3 BYE
                Content-Length: 0

                """;
        assertThat(((Respond) lb.fromBackendA(lb.request(bye))).status()).isEqualTo(503);
    }

    @Test
    void sendsARequestFromABackendToTheClientFlowInItsRouteAndRecordRoutesItAgain() {
        // RFC 5626 §5.3: terminating INVITE routed by the Path we inserted at registration
        String token = lb.tokens.encode(FlowToken.udp(RouterFixture.CLIENT));
        String invite = """
                INVITE sip:bob@192.168.1.20 SIP/2.0
                Via: SIP/2.0/UDP 10.0.0.1:5060;branch=z9hG4bKhome1
                Max-Forwards: 69
                Route: <sip:%s@192.0.2.1:5060;lr;ob>
                From: Carol <sip:carol@example.com>;tag=777
                To: Bob <sip:bob@example.com>
                Call-ID: term-1
                CSeq: 1 INVITE
                Content-Length: 0

                """.formatted(token);
        Decision d = lb.fromBackendA(lb.request(invite));
        Forward f = (Forward) d;
        assertThat(f.target()).isEqualTo(new Target(Transport.UDP, RouterFixture.CLIENT, 0));
        assertThat(wire(d)).contains("Record-Route: <sip:" + token + "@192.0.2.1:5060;lr>\r\n")
                .doesNotContain("Route: <sip:" + token + "@192.0.2.1:5060;lr;ob>");
    }

    @Test
    void answers403ToARequestFromABackendWithAForgedFlowToken() {
        String invite = """
                INVITE sip:bob@192.168.1.20 SIP/2.0
                Via: SIP/2.0/UDP 10.0.0.1:5060;branch=z9hG4bKhome1
                Max-Forwards: 69
                Route: <sip:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA@192.0.2.1:5060;lr>
                From: Carol <sip:carol@example.com>;tag=777
                To: Bob <sip:bob@example.com>
                Call-ID: term-1
                CSeq: 1 INVITE
                Content-Length: 0

                """;
        Decision d = lb.fromBackendA(lb.request(invite));
        assertThat(((Respond) d).status()).isEqualTo(403);
    }

    @Test
    void answers430WhenTheClientsTcpConnectionIsGone() {
        String token = lb.tokens.encode(FlowToken.of(Transport.TCP, RouterFixture.CLIENT, 42));
        String invite = """
                INVITE sip:bob@192.168.1.20 SIP/2.0
                Via: SIP/2.0/UDP 10.0.0.1:5060;branch=z9hG4bKhome1
                Max-Forwards: 69
                Route: <sip:%s@192.0.2.1:5060;lr>
                From: Carol <sip:carol@example.com>;tag=777
                To: Bob <sip:bob@example.com>
                Call-ID: term-1
                CSeq: 1 INVITE
                Content-Length: 0

                """.formatted(token);
        assertThat(((Respond) lb.fromBackendA(lb.request(invite))).status()).isEqualTo(430);
        lb.openConnections.add(42L);
        Forward f = (Forward) lb.fromBackendA(lb.request(invite));
        assertThat(f.target()).isEqualTo(new Target(Transport.TCP, RouterFixture.CLIENT, 42));
    }

    @Test
    void sendsARequestFromABackendForOneOfOurUsersToThatUsersHomeProxy() {
        String invite = """
                INVITE sip:bob@example.com SIP/2.0
                Via: SIP/2.0/UDP 10.0.0.1:5060;branch=z9hG4bKhome2
                Max-Forwards: 69
                From: Carol <sip:carol@example.com>;tag=777
                To: Bob <sip:bob@example.com>
                Call-ID: term-2
                CSeq: 1 INVITE
                Content-Length: 0

                """;
        Forward f = (Forward) lb.fromBackendA(lb.request(invite));
        assertThat(f.backendId()).isEqualTo(lb.view.select("bob@example.com").id());
    }

    @Test
    void refusesARequestFromABackendToAForeignDomainUnlessOutboundIsAllowed() {
        String invite = """
                INVITE sip:dave@203.0.113.5 SIP/2.0
                Via: SIP/2.0/UDP 10.0.0.1:5060;branch=z9hG4bKhome3
                Max-Forwards: 69
                From: Carol <sip:carol@example.com>;tag=777
                To: <sip:dave@203.0.113.5>
                Call-ID: out-1
                CSeq: 1 INVITE
                Content-Length: 0

                """;
        assertThat(((Respond) lb.fromBackendA(lb.request(invite))).status()).isEqualTo(403);
    }

    @Test
    void answers400ToARequestWithoutCallId() {
        Decision d = lb.fromClient(lb.request(REGISTER.replace("Call-ID: 843817637684230@998sdasdh09\n", "")));
        assertThat(((Respond) d).status()).isEqualTo(400);
    }

    @Test
    void dropsTheAckOfALocalResponse() {
        String ack = """
                ACK sip:bob@biloxi.com SIP/2.0
                Via: SIP/2.0/UDP 198.51.100.7:40312;branch=z9hG4bK74bf9
                Max-Forwards: 70
                From: Alice <sip:alice@example.com>;tag=9fxced76sl
                To: Bob <sip:bob@biloxi.com>;tag=siplb.1234abcd
                Call-ID: 3848276298220188511@atlanta.example.com
                CSeq: 1 ACK
                Content-Length: 0

                """;
        assertThat(lb.fromClient(lb.request(ack))).isEqualTo(Drop.of(DropReason.ACK_FOR_LOCAL_RESPONSE));
    }

    private static String topVia(String wire) {
        int start = wire.indexOf("Via: ");
        return wire.substring(start, wire.indexOf("\r\n", start));
    }
}

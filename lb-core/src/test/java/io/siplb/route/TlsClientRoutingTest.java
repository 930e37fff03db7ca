package io.siplb.route;

import static io.siplb.route.RouterFixture.wire;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A client on a TLS connection (RFC 3261 §26, RFC 5630) in front of UDP backends: its flow token
 * says TLS, and what it reads names siplb's TLS address (siplb.example.com:5061 in the fixture)
 * with {@code transport=tls}, while the backend keeps reading the UDP address.
 */
class TlsClientRoutingTest {

    private final RouterFixture lb = new RouterFixture();
    private final Source tlsClient = new Source(Transport.TLS, RouterFixture.CLIENT, RouterFixture.SIPLB, 9);

    @AfterEach
    void releaseMessages() {
        lb.close();
    }

    private static final String INVITE = """
            INVITE sip:bob@biloxi.com SIP/2.0
            Via: SIP/2.0/TLS 198.51.100.7:40312;branch=z9hG4bK74bf9
            Max-Forwards: 70
            From: Alice <sip:alice@example.com>;tag=9fxced76sl
            To: Bob <sip:bob@biloxi.com>
            Call-ID: 3848276298220188511@atlanta.example.com
            CSeq: 1 INVITE
            Contact: <sip:alice@198.51.100.7:40312;transport=tls>
            Content-Length: 0

            """;

    @Test
    void aTlsClientsInviteIsRecordRoutedTwiceTheClientsEntryNamingTheTlsAddress() {
        String wire = wire(lb.router.route(lb.request(INVITE), tlsClient, lb.view));

        String token = lb.tokens.encode(FlowToken.of(tlsClient));
        // RFC 5658 §4: the top entry as the UDP backend sees us, the second as the TLS client does
        assertThat(wire).contains("Record-Route: <sip:" + token + "@192.0.2.1:5060;lr>\r\n"
                + "Record-Route: <sip:" + token + "@siplb.example.com:5061;transport=tls;lr>\r\n");
        assertThat(lb.tokens.decode(token)).isEqualTo(new FlowToken(Transport.TLS,
                RouterFixture.CLIENT.getAddress(), RouterFixture.CLIENT.getPort(), 9));
        assertThat(wire).contains("\r\nVia: SIP/2.0/UDP 192.0.2.1:5060;branch=");
    }

    @Test
    void aTlsClientsRegisterCarriesItsTlsFlowInPath() {
        String register = """
                REGISTER sip:example.com SIP/2.0
                Via: SIP/2.0/TLS 198.51.100.7:40312;branch=z9hG4bKnashds7
                Max-Forwards: 70
                To: <sip:bob@example.com>
                From: <sip:bob@example.com>;tag=456248
                Call-ID: 843817637684230@998sdasdh09
                CSeq: 1826 REGISTER
                Contact: <sip:bob@198.51.100.7:40312;transport=tls>
                Content-Length: 0

                """;
        String wire = wire(lb.router.route(lb.request(register), tlsClient, lb.view));

        String path = wire.substring(wire.indexOf("Path: <sip:") + "Path: <sip:".length());
        String token = path.substring(0, path.indexOf('@'));
        // Path is read by the registrar, which reaches us over UDP
        assertThat(path).startsWith(token + "@192.0.2.1:5060;lr;ob>\r\n");
        assertThat(lb.tokens.decode(token).transport()).isEqualTo(Transport.TLS);
        assertThat(lb.tokens.decode(token).connectionId()).isEqualTo(9);
    }

    @Test
    void aRequestFromTheBackendForATlsFlowGoesDownThatConnectionUnderOurTlsVia() {
        lb.openConnections.add(9L);
        String token = lb.tokens.encode(FlowToken.of(tlsClient));
        String invite = """
                INVITE sip:alice@198.51.100.7:40312;transport=tls SIP/2.0
                Via: SIP/2.0/UDP 10.0.0.1:5060;branch=z9hG4bKbackend1
                Max-Forwards: 70
                Route: <sip:%s@192.0.2.1:5060;lr;ob>
                From: <sip:carol@example.com>;tag=c1
                To: <sip:alice@example.com>
                Call-ID: from-backend-1
                CSeq: 1 INVITE
                Content-Length: 0

                """.formatted(token);

        Decision d = lb.fromBackendA(lb.request(invite));

        assertThat(((Forward) d).target()).isEqualTo(new Target(Transport.TLS, RouterFixture.CLIENT, 9));
        String wire = wire(d);
        assertThat(wire).contains("\r\nVia: SIP/2.0/TLS siplb.example.com:5061;branch=")
                .contains("Record-Route: <sip:" + token + "@siplb.example.com:5061;transport=tls;lr>\r\n"
                        + "Record-Route: <sip:" + token + "@192.0.2.1:5060;lr>\r\n");
    }

    @Test
    void aRequestForAClosedTlsConnectionIsAnsweredFlowFailed() {
        String token = lb.tokens.encode(FlowToken.of(tlsClient));
        String options = """
                OPTIONS sip:alice@198.51.100.7:40312;transport=tls SIP/2.0
                Via: SIP/2.0/UDP 10.0.0.1:5060;branch=z9hG4bKbackend2
                Max-Forwards: 70
                Route: <sip:%s@192.0.2.1:5060;lr;ob>
                From: <sip:carol@example.com>;tag=c1
                To: <sip:alice@example.com>
                Call-ID: from-backend-2
                CSeq: 1 OPTIONS
                Content-Length: 0

                """.formatted(token);

        assertThat(lb.fromBackendA(lb.request(options))).isInstanceOf(Respond.class)
                .extracting(r -> ((Respond) r).status()).isEqualTo(430);
    }

    @Test
    void aTlsClientsByeAlongTheDoubleRecordRoutePopsBothOfOurRoutes() {
        String token = lb.tokens.encode(FlowToken.of(tlsClient));
        String bye = """
                BYE sip:bob@192.0.2.4 SIP/2.0
                Via: SIP/2.0/TLS 198.51.100.7:40312;branch=z9hG4bKnashds11
                Max-Forwards: 70
                Route: <sip:%s@siplb.example.com:5061;transport=tls;lr>, <sip:%s@192.0.2.1:5060;lr>, <sip:10.0.0.3;lr>
                From: Alice <sip:alice@example.com>;tag=9fxced76sl
                To: Bob <sip:bob@biloxi.com>;tag=8321234356
                Call-ID: 3848276298220188511@atlanta.example.com
                CSeq: 2 BYE
                Content-Length: 0

                """.formatted(token, token);

        Decision d = lb.router.route(lb.request(bye), tlsClient, lb.view);

        assertThat(((Forward) d).backendId()).isEqualTo("c");
        assertThat(wire(d)).contains("Route: <sip:10.0.0.3;lr>\r\n").doesNotContain(token + "@");
    }

    @Test
    void theTlsAddressIsOneOfOurs() {
        assertThat(lb.local.isLocal("siplb.example.com", 5061, 5060)).isTrue();
        assertThat(LocalAddresses.of("192.0.2.1", 5060, java.util.List.of()).withTls("192.0.2.1", 5061)
                .isLocal("192.0.2.1", -1, 5061)).isTrue();
        assertThat(lb.local.advertisedPort(Transport.UDP)).isEqualTo(5060);
        assertThat(lb.local.advertisedHost(Transport.TCP)).isEqualTo("192.0.2.1");
    }
}

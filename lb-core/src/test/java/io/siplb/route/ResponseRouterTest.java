package io.siplb.route;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.net.InetSocketAddress;

import static io.siplb.route.RouterFixture.wire;
import static org.assertj.core.api.Assertions.assertThat;

class ResponseRouterTest {

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
            Content-Length: 0

            """;

    /** The 200 a registrar sends back for the REGISTER as siplb forwarded it. */
    private String okFor(String forwarded) {
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

    @Test
    void sendsAResponseToTheReceivedAddressAndRportOfTheNextVia() {
        String ok = okFor(wire(lb.fromClient(lb.request(REGISTER))));
        Decision d = lb.responseRouter.route(lb.response(ok), Source.udp(RouterFixture.BACKEND_A, RouterFixture.SIPLB));
        assertThat(((Forward) d).target()).isEqualTo(new Target(Transport.UDP, RouterFixture.CLIENT, 0));
    }

    @Test
    void removesOurViaAndNothingElse() {
        String ok = okFor(wire(lb.fromClient(lb.request(REGISTER))));
        String out = wire(lb.responseRouter.route(lb.response(ok), Source.udp(RouterFixture.BACKEND_A, RouterFixture.SIPLB)));
        assertThat(out).isEqualTo(ok.replaceAll("Via: SIP/2.0/UDP 192\\.0\\.2\\.1:5060;[^\n]*\n", "").replace("\n", "\r\n"));
    }

    @Test
    void dropsAResponseWhoseTopViaIsNotOurs() {
        String ok = okFor(REGISTER.replace("\n", "\r\n"));
        Decision d = lb.responseRouter.route(lb.response(ok), Source.udp(RouterFixture.BACKEND_A, RouterFixture.SIPLB));
        assertThat(d).isEqualTo(Drop.of(DropReason.NOT_OUR_VIA));
    }

    @Test
    void dropsAForgedResponseThatRedirectsOurViaElsewhere() {
        // our Via copied from a real exchange, the next hop rewritten: siplb must not relay it
        String ok = okFor(wire(lb.fromClient(lb.request(REGISTER))))
                .replace("received=198.51.100.7", "received=203.0.113.66");
        Decision d = lb.responseRouter.route(lb.response(ok), Source.udp(RouterFixture.CLIENT, RouterFixture.SIPLB));
        assertThat(d).isEqualTo(Drop.of(DropReason.NOT_OUR_VIA));
    }

    @Test
    void dropsAResponseWithOnlyOurVia() {
        String forwarded = wire(lb.fromClient(lb.request(REGISTER)));
        String ourVia = forwarded.substring(forwarded.indexOf("Via: SIP/2.0/UDP 192.0.2.1"));
        ourVia = ourVia.substring(0, ourVia.indexOf("\r\n"));
        String ok = "SIP/2.0 200 OK\n" + ourVia + "\n" + """
                To: <sip:bob@example.com>;tag=1
                From: <sip:bob@example.com>;tag=2
                Call-ID: x
                CSeq: 1 REGISTER
                Content-Length: 0

                """;
        Decision d = lb.responseRouter.route(lb.response(ok), Source.udp(RouterFixture.BACKEND_A, RouterFixture.SIPLB));
        assertThat(d).isEqualTo(Drop.of(DropReason.NO_NEXT_HOP));
    }

    @Test
    void sendsTheResponseOfATcpClientDownItsConnection() {
        Source tcpClient = new Source(Transport.TCP, RouterFixture.CLIENT, RouterFixture.SIPLB, 17);
        String register = REGISTER.replace("SIP/2.0/UDP 192.168.1.20:5060", "SIP/2.0/TCP 192.168.1.20:5060");
        String ok = okFor(wire(lb.router.route(lb.request(register), tcpClient, lb.view)));
        Decision d = lb.responseRouter.route(lb.response(ok), Source.udp(RouterFixture.BACKEND_A, RouterFixture.SIPLB));
        assertThat(((Forward) d).target()).isEqualTo(new Target(Transport.TCP, RouterFixture.CLIENT, 17));
    }

    @Test
    void neverSendsToABroadcastOrUnspecifiedAddress() {
        // RFC 4475 §3.3.10: a response whose next Via is 255.255.255.255 is dropped
        assertThat(NextHop.address("255.255.255.255", 5060)).isNull();
        assertThat(NextHop.address("0.0.0.0", 5060)).isNull();
        assertThat(NextHop.address("224.0.0.1", 5060)).isNull();
        assertThat(NextHop.address("client.example.com", 5060)).isNull();
        assertThat(NextHop.address("198.51.100.7", 5060)).isEqualTo(new InetSocketAddress("198.51.100.7", 5060));
    }
}

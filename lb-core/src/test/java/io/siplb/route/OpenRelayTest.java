package io.siplb.route;

import io.siplb.hash.Backend;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 8 "no open relay": from outside, no Request-URI, Route, maddr, Via or flow token makes
 * siplb send anywhere but a backend. A systematic table of crafted requests, then a property
 * over random combinations. The invariant checked for every request: a {@link Forward} goes to
 * one of the configured backends' addresses with the backend's transport, and names that backend.
 */
class OpenRelayTest {

    private final RouterFixture lb = new RouterFixture();

    /** The backends' addresses in the fixture: the only places a request from outside may go. */
    private static final Set<InetSocketAddress> BACKENDS = Set.of(
            new InetSocketAddress("10.0.0.1", 5060),
            new InetSocketAddress("10.0.0.2", 5060),
            new InetSocketAddress("10.0.0.3", 5060));

    private static final String ATTACKER = "203.0.113.9";
    private static final InetSocketAddress OTHER_CLIENT = new InetSocketAddress("198.51.100.99", 5060);

    @AfterEach
    void release() {
        lb.close();
    }

    /** One crafted request from outside and what must become of it: "backend" or a status code. */
    record Case(String name, String ruri, List<String> routes, String via, String expected) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Case> crafted() {
        String me = "192.0.2.1:5060";
        String own = "{own}";
        String clientVia = "SIP/2.0/UDP 198.51.100.7:40312;branch=z9hG4bKrelay1";
        return Stream.of(
                new Case("R-URI at a foreign host", "sip:bob@" + ATTACKER, List.of(), clientVia, "backend"),
                new Case("R-URI with maddr", "sip:bob@example.com;maddr=" + ATTACKER, List.of(), clientVia, "backend"),
                new Case("R-URI foreign host and port, transport=tcp", "sip:bob@" + ATTACKER + ":5080;transport=tcp",
                        List.of(), clientVia, "backend"),
                new Case("R-URI sips foreign", "sips:bob@" + ATTACKER, List.of(), clientVia, "backend"),
                new Case("R-URI tel", "tel:+15551234567", List.of(), clientVia, "backend"),
                new Case("R-URI naming a backend with maddr", "sip:bob@10.0.0.1;maddr=" + ATTACKER, List.of(),
                        clientVia, "backend"),
                new Case("R-URI naming us with maddr", "sip:bob@" + me + ";maddr=" + ATTACKER, List.of(),
                        clientVia, "backend"),
                new Case("loose Route to a foreign host", "sip:bob@example.com",
                        List.of("<sip:" + ATTACKER + ";lr>"), clientVia, "403"),
                new Case("strict Route to a foreign host", "sip:bob@example.com",
                        List.of("<sip:" + ATTACKER + ">"), clientVia, "403"),
                new Case("Route to a foreign host by name", "sip:bob@example.com",
                        List.of("<sip:evil.example.net;lr>"), clientVia, "403"),
                new Case("Route to a backend with maddr elsewhere", "sip:bob@example.com",
                        List.of("<sip:10.0.0.3;lr;maddr=" + ATTACKER + ">"), clientVia, "backend"),
                new Case("Route to a backend with transport=tcp", "sip:bob@example.com",
                        List.of("<sip:10.0.0.3;lr;transport=tcp>"), clientVia, "backend"),
                new Case("Route to a backend's IP on another port", "sip:bob@example.com",
                        List.of("<sip:10.0.0.3:5070;lr>"), clientVia, "403"),
                new Case("sips Route to a backend (port 5061)", "sip:bob@example.com",
                        List.of("<sips:10.0.0.3;lr>"), clientVia, "403"),
                new Case("Route to the IPv6 loopback", "sip:bob@example.com",
                        List.of("<sip:[::1];lr>"), clientVia, "403"),
                new Case("Route to 0.0.0.0", "sip:bob@example.com", List.of("<sip:0.0.0.0;lr>"), clientVia, "403"),
                new Case("our Route without token, then a foreign one", "sip:bob@example.com",
                        List.of("<sip:" + me + ";lr>", "<sip:" + ATTACKER + ";lr>"), clientVia, "403"),
                new Case("our Route with maddr elsewhere", "sip:bob@example.com",
                        List.of("<sip:" + me + ";lr;maddr=" + ATTACKER + ">"), clientVia, "backend"),
                new Case("our own token, then a foreign Route", "sip:bob@example.com",
                        List.of("<sip:" + own + "@" + me + ";lr>", "<sip:" + ATTACKER + ";lr>"), clientVia, "403"),
                new Case("our own token, then a backend", "sip:bob@example.com",
                        List.of("<sip:" + own + "@" + me + ";lr>", "<sip:10.0.0.2;lr>"), clientVia, "backend"),
                // RFC 5658 double Record-Route: both of ours are popped, then it routes as an initial request
                new Case("our own token, then our own token again", "sip:bob@example.com",
                        List.of("<sip:" + own + "@" + me + ";lr>", "<sip:" + own + "@" + me + ";lr>"), clientVia,
                        "backend"),
                new Case("our own token via an alias, then a backend", "sip:bob@example.com",
                        List.of("<sip:" + own + "@siplb.example.com;lr>", "<sip:10.0.0.1;lr>"), clientVia,
                        "backend"),
                new Case("forged token", "sip:bob@example.com",
                        List.of("<sip:AAAAAAAAAAAAAAAAAAAAAAA@" + me + ";lr>"), clientVia, "403"),
                new Case("truncated token", "sip:bob@example.com", List.of("<sip:{truncated}@" + me + ";lr>"),
                        clientVia, "403"),
                new Case("token with one character changed", "sip:bob@example.com",
                        List.of("<sip:{flipped}@" + me + ";lr>"), clientVia, "403"),
                new Case("token of another client (replayed)", "sip:bob@example.com",
                        List.of("<sip:{other}@" + me + ";lr>", "<sip:10.0.0.1;lr>"), clientVia, "403"),
                new Case("token of our client's flow over TCP (other transport)", "sip:bob@example.com",
                        List.of("<sip:{tcp}@" + me + ";lr>", "<sip:10.0.0.1;lr>"), clientVia, "403"),
                new Case("token of our client's address, other port", "sip:bob@example.com",
                        List.of("<sip:{otherport}@" + me + ";lr>", "<sip:10.0.0.1;lr>"), clientVia, "403"),
                new Case("token naming a foreign host, alone", "sip:bob@" + ATTACKER,
                        List.of("<sip:{attacker}@" + me + ";lr>"), clientVia, "403"),
                new Case("token naming a backend's flow", "sip:bob@example.com",
                        List.of("<sip:{backend}@" + me + ";lr>"), clientVia, "403"),
                new Case("Via with maddr, received and rport elsewhere", "sip:bob@" + ATTACKER, List.of(),
                        "SIP/2.0/UDP " + ATTACKER + ":5060;branch=z9hG4bKrelay2;maddr=" + ATTACKER
                                + ";received=" + ATTACKER + ";rport=9", "backend"),
                new Case("Via over TCP naming a foreign host", "sip:bob@" + ATTACKER + ";transport=tcp", List.of(),
                        "SIP/2.0/TCP " + ATTACKER + ":5060;branch=z9hG4bKrelay3", "backend"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("crafted")
    void sendsARequestFromOutsideOnlyToABackendOrRefusesIt(Case c) {
        Decision d = lb.fromClient(lb.request(invite(c.ruri(), expand(c.routes()), c.via())));
        assertOnlyToABackend(d);
        if (c.expected().equals("backend")) {
            assertThat(d).as(c.name()).isInstanceOf(Forward.class);
        } else {
            assertThat(d).as(c.name()).isInstanceOf(Respond.class);
            assertThat(((Respond) d).status()).as(c.name()).isEqualTo(Integer.parseInt(c.expected()));
        }
    }

    @org.junit.jupiter.api.Test
    void refusesForgedAndReplayedTokensWithAnswersTheRuntimeCountsByIdentity() {
        Decision forged = lb.fromClient(lb.request(invite("sip:bob@example.com",
                List.of("<sip:AAAAAAAAAAAAAAAAAAAAAAA@192.0.2.1;lr>"), "SIP/2.0/UDP 198.51.100.7:40312;branch=z9hG4bKf")));
        Decision replayed = lb.fromClient(lb.request(invite("sip:bob@example.com",
                expand(List.of("<sip:{other}@192.0.2.1;lr>")), "SIP/2.0/UDP 198.51.100.7:40312;branch=z9hG4bKr")));
        assertThat(forged).isSameAs(Router.INVALID_FLOW_TOKEN);
        assertThat(replayed).isSameAs(Router.FOREIGN_FLOW_TOKEN);
    }

    @org.junit.jupiter.api.Test
    void acceptsTheClientsOwnTcpTokenOnANewConnectionFromTheSameAddress() {
        // after a siplb restart or takeover the client reconnects; its dialogs keep their route sets
        String token = lb.tokens.encode(FlowToken.of(Transport.TCP, new InetSocketAddress("198.51.100.7", 40000), 7));
        Decision d = lb.router.route(lb.request(invite("sip:bob@example.com",
                        List.of("<sip:" + token + "@192.0.2.1;lr;transport=tcp>", "<sip:10.0.0.2;lr>"),
                        "SIP/2.0/TCP 198.51.100.7:40001;branch=z9hG4bKtcp")),
                new Source(Transport.TCP, new InetSocketAddress("198.51.100.7", 40001), RouterFixture.SIPLB, 8),
                lb.view);
        assertThat(((Forward) d).backendId()).isEqualTo("b");
    }

    @org.junit.jupiter.api.Test
    void refusesAResponseFromOutsideWhoseTopViaIsForged() {
        // a response naming our Via with a made-up branch, next hop the attacker's victim
        String response = """
                SIP/2.0 200 OK
                Via: SIP/2.0/UDP 192.0.2.1:5060;branch=z9hG4bKslAAAAAAAAAAAAAAAAAAAAAA
                Via: SIP/2.0/UDP 203.0.113.9:5060;branch=z9hG4bKvictim
                From: <sip:a@example.com>;tag=1
                To: <sip:b@example.com>;tag=2
                Call-ID: forged-1
                CSeq: 1 INVITE
                Content-Length: 0

                """;
        Decision d = lb.responseRouter.route(lb.response(response), Source.udp(RouterFixture.CLIENT, RouterFixture.SIPLB));
        assertThat(d).isEqualTo(Drop.of(DropReason.NOT_OUR_VIA));
    }

    @org.junit.jupiter.api.Test
    void refusesAResponseThatMovesTheNextViaOfAGenuineBranch() {
        // a genuine branch of ours, bound to the client's Via, pasted onto a Via naming someone else
        Forward f = (Forward) lb.fromClient(lb.request(invite("sip:bob@example.com", List.of(),
                "SIP/2.0/UDP 198.51.100.7:40312;branch=z9hG4bKgenuine")));
        String wire = RouterFixture.wire(f);
        String ourVia = wire.substring(wire.indexOf("Via: "), wire.indexOf("\r\n", wire.indexOf("Via: ")));
        String response = ("SIP/2.0 200 OK\n" + ourVia + "\n"
                + "Via: SIP/2.0/UDP 203.0.113.9:5060;branch=z9hG4bKgenuine\n"
                + "From: <sip:a@example.com>;tag=1\nTo: <sip:b@example.com>;tag=2\nCall-ID: forged-2\n"
                + "CSeq: 1 INVITE\nContent-Length: 0\n\n");
        Decision d = lb.responseRouter.route(lb.response(response), Source.udp(BACKEND_C, RouterFixture.SIPLB));
        assertThat(d).isEqualTo(Drop.of(DropReason.NOT_OUR_VIA));
        // and the untouched one still goes to the client
        String genuine = response.replace("203.0.113.9:5060", "198.51.100.7:40312");
        Decision ok = lb.responseRouter.route(lb.response(genuine), Source.udp(BACKEND_C, RouterFixture.SIPLB));
        assertThat(((Forward) ok).target().address()).isEqualTo(RouterFixture.CLIENT);
    }

    private static final InetSocketAddress BACKEND_C = new InetSocketAddress("10.0.0.3", 5060);

    // ---- property ------------------------------------------------------------------------

    @Property(tries = 2000)
    void noCombinationFromOutsideReachesAnythingButABackend(
            @ForAll("ruris") String ruri, @ForAll("routeSets") List<String> routes, @ForAll("vias") String via,
            @ForAll("outsideSources") Source source) {
        String text = invite(ruri, expand(routes, source), via.replace("{t}", source.transport().name()));
        io.siplb.sip.ParseResult parsed = io.siplb.sip.SipParser.parse(io.siplb.sip.SipText.sip(text),
                io.siplb.sip.SipLimits.DEFAULTS, io.siplb.sip.Framing.DATAGRAM);
        if (!parsed.isSuccess()) {
            return; // not a message: never reaches the router
        }
        try {
            assertOnlyToABackend(lb.router.route((io.siplb.sip.SipRequest) parsed.message(), source, lb.view));
        } finally {
            parsed.message().release();
        }
    }

    private static final List<String> HOSTS = List.of(ATTACKER, "evil.example.net", "10.0.0.1", "10.0.0.2:5060",
            "10.0.0.3:5070", "192.0.2.1", "192.0.2.1:5060", "192.0.2.1:5061", "siplb.example.com", "[::1]",
            "[2001:db8::1]", "127.0.0.1", "0.0.0.0", "255.255.255.255", "example.com");

    @Provide
    Arbitrary<String> ruris() {
        Arbitrary<String> scheme = Arbitraries.of("sip:", "sips:");
        Arbitrary<String> user = Arbitraries.of("bob@", "", "{own}@", "{other}@");
        Arbitrary<String> params = Arbitraries.of("", ";maddr=" + ATTACKER, ";transport=tcp", ";lr",
                ";maddr=10.0.0.1;transport=tls", ";user=phone");
        return Arbitraries.oneOf(Combinators.combine(scheme, user, Arbitraries.of(HOSTS), params)
                        .as((s, u, h, p) -> s + u + h + p),
                Arbitraries.of("tel:+15551234567", "urn:service:sos", "http://evil.example.net/"));
    }

    @Provide
    Arbitrary<List<String>> routeSets() {
        Arbitrary<String> user = Arbitraries.of("", "{own}@", "{other}@", "{tcp}@", "{otherport}@", "{attacker}@",
                "{truncated}@", "{flipped}@", "{backend}@", "AAAAAAAAAAAAAAAAAAAAAAA@", "x@");
        Arbitrary<String> params = Arbitraries.of(";lr", "", ";lr;maddr=" + ATTACKER, ";lr;transport=tcp",
                ";lr;ob", ";maddr=" + ATTACKER, ";lr;transport=tls;maddr=10.0.0.1");
        Arbitrary<String> route = Combinators.combine(Arbitraries.of("sip:", "sips:"), user, Arbitraries.of(HOSTS),
                params).as((s, u, h, p) -> "<" + s + u + h + p + ">");
        return route.list().ofMinSize(0).ofMaxSize(4);
    }

    @Provide
    Arbitrary<String> vias() {
        Arbitrary<String> host = Arbitraries.of("198.51.100.7:40312", ATTACKER + ":5060", "10.0.0.1:5060",
                "192.0.2.1:5060", "[2001:db8::1]:5060", "evil.example.net");
        Arbitrary<String> params = Arbitraries.of("", ";rport", ";rport=9;received=" + ATTACKER, ";maddr=" + ATTACKER,
                ";received=10.0.0.2");
        return Combinators.combine(host, params, Arbitraries.integers().between(0, 999))
                .as((h, p, n) -> "SIP/2.0/{t} " + h + ";branch=z9hG4bKp" + n + p);
    }

    @Provide
    Arbitrary<Source> outsideSources() {
        Arbitrary<InetSocketAddress> remote = Arbitraries.of(RouterFixture.CLIENT, OTHER_CLIENT,
                new InetSocketAddress(ATTACKER, 5060), new InetSocketAddress("10.0.0.1", 5999),
                new InetSocketAddress("2001:db8::7", 5060));
        Arbitrary<Transport> transport = Arbitraries.of(Transport.class);
        return Combinators.combine(transport, remote, Arbitraries.longs().between(1, 3))
                .as((t, r, id) -> new Source(t, r, RouterFixture.SIPLB, t.isStream() ? id : 0))
                // a TCP/TLS connection from a backend's IP is inside, whatever its port (RoutingView#sideOf)
                .filter(s -> !(s.transport().isStream() && s.remote().getAddress().getHostAddress().startsWith("10.0.0.")));
    }

    // ---- helpers -------------------------------------------------------------------------

    /** The invariant: whatever the decision, a forward goes to a backend only. */
    private void assertOnlyToABackend(Decision d) {
        if (d instanceof Replicate r) {
            assertOnlyToABackend(r.primary());
            assertOnlyToABackend(r.replica());
        } else if (d instanceof Forward f) {
            assertThat(f.backendId()).as("a forward from outside names its backend").isNotNull();
            assertThat(f.target().address()).isIn(BACKENDS);
            Backend b = lb.view.backendWithId(f.backendId());
            assertThat(f.target().address()).isEqualTo(new InetSocketAddress(b.host(), b.port()));
            assertThat(f.target().transport().name()).isEqualTo(b.transport());
            assertThat(f.target().connectionId()).isZero();
        }
    }

    private List<String> expand(List<String> routes) {
        return expand(routes, Source.udp(RouterFixture.CLIENT, RouterFixture.SIPLB));
    }

    /** Replaces token placeholders with real, forged or replayed tokens relative to {@code source}. */
    private List<String> expand(List<String> routes, Source source) {
        String own = lb.tokens.encode(FlowToken.of(source));
        List<String> out = new ArrayList<>();
        for (String r : routes) {
            out.add(r.replace("{own}", own)
                    .replace("{other}", lb.tokens.encode(FlowToken.udp(OTHER_CLIENT)))
                    .replace("{tcp}", lb.tokens.encode(FlowToken.of(Transport.TCP, RouterFixture.CLIENT, 1)))
                    .replace("{otherport}", lb.tokens.encode(FlowToken.udp(new InetSocketAddress("198.51.100.7", 40313))))
                    .replace("{attacker}", lb.tokens.encode(FlowToken.udp(new InetSocketAddress(ATTACKER, 5060))))
                    .replace("{backend}", lb.tokens.encode(FlowToken.udp(new InetSocketAddress("10.0.0.1", 5060))))
                    .replace("{truncated}", own.substring(0, own.length() - 4))
                    .replace("{flipped}", flip(own)));
        }
        return out;
    }

    private static String flip(String token) {
        char c = token.charAt(3);
        return token.substring(0, 3) + (c == 'A' ? 'B' : 'A') + token.substring(4);
    }

    private String invite(String ruri, List<String> routes, String via) {
        String route = routes.isEmpty() ? "" : "Route: " + routes.stream().collect(Collectors.joining(", ")) + "\n";
        return ("INVITE " + ruri.replace("{own}", "x").replace("{other}", "y") + " SIP/2.0\n"
                + "Via: " + via + "\n"
                + "Max-Forwards: 70\n"
                + route
                + "From: Alice <sip:alice@example.org>;tag=9fxced76sl\n"
                + "To: Bob <sip:bob@example.com>\n"
                + "Call-ID: relay-" + Math.abs((ruri + routes + via).hashCode()) + "@example.org\n"
                + "CSeq: 1 INVITE\n"
                + "Contact: <sip:alice@198.51.100.7:40312>\n"
                + "Content-Length: 0\n\n");
    }
}

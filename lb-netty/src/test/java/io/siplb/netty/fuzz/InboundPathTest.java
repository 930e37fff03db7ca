package io.siplb.netty.fuzz;

import io.siplb.netty.fuzz.InboundPath.Output;
import io.siplb.netty.fuzz.InboundPath.Peer;
import io.siplb.netty.pipeline.SipCounters.Event;
import io.siplb.sip.SipText;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The fuzz harness does what the fuzzer relies on: messages really go through siplb's routing
 * (a broken harness would fuzz nothing and find nothing), and its invariants hold for the flows
 * it must accept. Findings of the fuzzer become tests here too, with the input inline.
 */
class InboundPathTest {

    private final InboundPath path = new InboundPath();

    @AfterEach
    void close() {
        path.close();
    }

    private List<Output> send(Peer peer, String text) {
        return path.run(InboundPath.input(peer, false, 0, SipText.sipBytes(text)));
    }

    private static final String REGISTER = """
            REGISTER sip:example.com SIP/2.0
            Via: SIP/2.0/UDP 198.51.100.7:40312;branch=z9hG4bKtest1;rport
            Max-Forwards: 70
            From: <sip:alice@example.com>;tag=1
            To: <sip:alice@example.com>
            Call-ID: test-1@client
            CSeq: 1 REGISTER
            Contact: <sip:alice@198.51.100.7:40312>
            Content-Length: 0

            """;

    @Test
    void forwardsAClientsRegisterToABackendWithOurViaAndAPathCarryingItsFlow() {
        List<Output> out = send(Peer.CLIENT_UDP, REGISTER);

        assertThat(out).hasSize(1);
        assertThat(InboundPath.BACKENDS).contains(out.get(0).to());
        assertThat(out.get(0).text()).startsWith("REGISTER sip:example.com SIP/2.0\r\n")
                .contains("\r\nVia: SIP/2.0/UDP 192.0.2.1:5060;branch=z9hG4bKsl")
                .contains("\r\nPath: <sip:")
                .contains(";rport=40312;received=198.51.100.7");
    }

    @Test
    void sendsTheBackendsAnswerToTheClientTheSignedViaNames() {
        String forwarded = send(Peer.CLIENT_UDP, REGISTER).get(0).text();
        String ok = "SIP/2.0 200 OK\r\n" + forwarded.substring(forwarded.indexOf("Via:"));

        List<Output> out = path.run(InboundPath.input(Peer.BACKEND_UDP, false, 0,
                ok.getBytes(java.nio.charset.StandardCharsets.ISO_8859_1)));

        assertThat(out).extracting(Output::to).containsExactly(InboundPath.CLIENT_V4);
        assertThat(out.get(0).text()).startsWith("SIP/2.0 200 OK\r\n").doesNotContain("192.0.2.1:5060;branch");
    }

    @Test
    void dropsAnAnswerWhoseSignedViaWasMovedToAnotherAddress() {
        String forwarded = send(Peer.CLIENT_UDP, REGISTER).get(0).text();
        String moved = ("SIP/2.0 200 OK\r\n" + forwarded.substring(forwarded.indexOf("Via:")))
                .replace("received=198.51.100.7", "received=203.0.113.9");

        List<Output> out = path.run(InboundPath.input(Peer.BACKEND_UDP, false, 0,
                moved.getBytes(java.nio.charset.StandardCharsets.ISO_8859_1)));

        assertThat(out).isEmpty();
    }

    @Test
    void answersARequestItCannotParseWith400ToItsSource() {
        List<Output> out = send(Peer.CLIENT_UDP, """
                INVITE sip:bob@example.com SIP/2.0
                Via: SIP/2.0/UDP 198.51.100.7:40312;branch=z9hG4bKbad1
                Max-Forwards: 70
                From: <sip:alice@example.com>;tag=1
                To: <sip:bob@example.com>
                Call-ID: bad-1@client
                CSeq: 1 INVITE
                Content-Length: x

                """);

        assertThat(out).extracting(Output::to).containsExactly(InboundPath.CLIENT_V4);
        assertThat(out.get(0).text()).startsWith("SIP/2.0 400 ");
    }

    @Test
    void forwardsPipelinedRegistersOverTcpReadOneByteAtATime() {
        String tcp = REGISTER.replace("SIP/2.0/UDP", "SIP/2.0/TCP");
        byte[] twice = SipText.sipBytes(tcp + tcp.replace("CSeq: 1", "CSeq: 2"));

        List<Output> out = path.run(InboundPath.input(Peer.CLIENT_TCP_TRICKLE, false, 0, twice));

        assertThat(out).hasSize(2).allSatisfy(o -> assertThat(InboundPath.BACKENDS).contains(o.to()));
        assertThat(path.counters().get(Event.REQUEST_IN)).isEqualTo(2);
    }

    @Test
    void everySeedPassesTheInvariants() {
        // the same check as the fuzz test's regression mode, in the ordinary test run
        for (FuzzSeeds.Seed seed : FuzzSeeds.all()) {
            path.run(seed.input());
        }
        assertThat(path.counters().get(Event.FORWARDED)).as("seeds that reach a backend or a client").isGreaterThan(50);
    }

    // ---- findings of the fuzzer, inputs as it found them ----------------------------------

    @Test
    void dropsARequestWhoseAnswerWouldRepeatTheViaValuesThatBrokeTheHeaderLimit() {
        // A NOTIFY from a backend whose Via lines hold more than 256 (empty) values: siplb answered
        // 513 with those Via lines copied, an answer over the same limit (UnparsedRequestResponse).
        String bytes = "NOTIFY sip:alice@198.51.100.7:40312;transport=tcp SIP/2.0\r\n"
                + "Nia: SIP/1.0/UDs: 70\r\n"
                + "Call-ID: regbadct.k345asrl3fdbv@10.0.0.1\377\377\377\377v5\224\0001 REGISTER\r\n"
                + "Via: SI,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,dct.k345asrl3fdbv@10.0.0.1\377\377\377\377v5\224\0001 REGISTER\r\n"
                + "Via: SI,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,\001\000\000a,,,,TIFY sip:alice@198.51.100.7:40312;transport=tcp SIP/2.0\r\n"
                + "Nia: SIP/1.0/UDs: 70\r\n"
                + "Call-ID: regbadct.k345asrl3fdbv@10.0.0.1\377\377\377\377v5\224\0001 REGISTER\r\n"
                + "Via: SI,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,dct.k345asrl3fdbv@10.0.0.1\377\377\377\377v5\224\0001 REGISTER\r\n"
                + "Via: SI,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,\001\000\000a,,,,,,,,,,,,,,,,,,,,,actiVe\r\n"
                + "Content-Le,,,,,,,,,,,,,,,,,actiVe\r\n"
                + "Content-Length: 0\r\n"
                + "\r\n";

        assertThat(finding(Peer.BACKEND_UDP, false, 0, bytes)).isEmpty();
    }

    /** Runs a fuzzer finding: the peer byte's fields and the bytes as ISO-8859-1 text. */
    private List<Output> finding(Peer peer, boolean ipv6, int split32, String bytes) {
        return path.run(InboundPath.input(peer, ipv6, split32, bytes.getBytes(java.nio.charset.StandardCharsets.ISO_8859_1)));
    }
}

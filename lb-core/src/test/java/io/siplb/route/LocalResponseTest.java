package io.siplb.route;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.UnpooledByteBufAllocator;
import io.siplb.sip.SipRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class LocalResponseTest {

    private final RouterFixture lb = new RouterFixture();

    @AfterEach
    void releaseMessages() {
        lb.close();
    }

    private static final String OPTIONS = """
            OPTIONS sip:192.0.2.1:5060 SIP/2.0
            Via: SIP/2.0/UDP 192.168.1.20:5060;branch=z9hG4bKopt1;rport, SIP/2.0/UDP 10.1.1.1;branch=z9hG4bKx
            Via: SIP/2.0/UDP 10.1.1.2;branch=z9hG4bKy
            Max-Forwards: 70
            From: <sip:monitor@example.com>;tag=1
            To: <sip:192.0.2.1:5060>
            Call-ID: opt-1
            CSeq: 7 OPTIONS
            Content-Length: 0

            """;

    private String encode(SipRequest request, Respond respond) {
        ByteBuf out = LocalResponse.encode(request, respond, Source.udp(RouterFixture.CLIENT, RouterFixture.SIPLB),
                UnpooledByteBufAllocator.DEFAULT);
        try {
            return out.toString(StandardCharsets.UTF_8);
        } finally {
            out.release();
        }
    }

    @Test
    void copiesTheViasFromToCallIdAndCseqAndAddsReceivedAndRportToTheTopVia() {
        // RFC 3261 §8.2.6.2, §18.2.1; RFC 3581 §4
        String response = encode(lb.request(OPTIONS), Respond.of(200, "OK"));
        assertThat(response).startsWith("SIP/2.0 200 OK\r\n"
                + "Via: SIP/2.0/UDP 192.168.1.20:5060;branch=z9hG4bKopt1;received=198.51.100.7;rport=40312,"
                + " SIP/2.0/UDP 10.1.1.1;branch=z9hG4bKx\r\n"
                + "Via: SIP/2.0/UDP 10.1.1.2;branch=z9hG4bKy\r\n"
                + "From: <sip:monitor@example.com>;tag=1\r\n");
        assertThat(response).contains("\r\nCall-ID: opt-1\r\nCSeq: 7 OPTIONS\r\n").endsWith("Content-Length: 0\r\n\r\n");
    }

    @Test
    void givesAFinalResponseAToTagThatIsStableAcrossRetransmissions() {
        String first = encode(lb.request(OPTIONS), Respond.of(200, "OK"));
        String again = encode(lb.request(OPTIONS), Respond.of(200, "OK"));
        assertThat(first).containsPattern("To: <sip:192\\.0\\.2\\.1:5060>;tag=siplb\\.[0-9a-f]+\r\n");
        assertThat(again).isEqualTo(first);
    }

    @Test
    void writesTheExtraHeadersOfTheDecision() {
        String response = encode(lb.request(OPTIONS), new Respond(503, "Service Unavailable", List.of("Retry-After: 5")));
        assertThat(response).startsWith("SIP/2.0 503 Service Unavailable\r\n").contains("\r\nRetry-After: 5\r\n");
    }

    @Test
    void leavesOutWhatTheRequestLacksInsteadOfInventingIt() {
        // RFC 4475 §3.3.1 insuf.dat: no Call-ID, From, To
        String insufficient = """
                INVITE sip:user@example.com SIP/2.0
                Via: SIP/2.0/UDP 192.0.2.19;branch=z9hG4bKkdjuw
                CSeq: 8 INVITE
                l: 0

                """;
        String response = encode(lb.request(insufficient), Respond.of(400, "Missing Required Header Fields"));
        assertThat(response).doesNotContain("From:").doesNotContain("To:").doesNotContain("Call-ID:")
                .contains("CSeq: 8 INVITE\r\n");
    }
}

package io.siplb.netty.probe;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.UnpooledByteBufAllocator;
import io.siplb.hash.Backend;
import io.siplb.health.Probe;
import io.siplb.health.ProbeResult;
import io.siplb.sip.Framing;
import io.siplb.sip.ParseResult;
import io.siplb.sip.SipLimits;
import io.siplb.sip.SipParser;
import io.siplb.sip.SipRequest;
import io.siplb.sip.SipResponse;
import io.siplb.sip.SipText;
import org.junit.jupiter.api.Test;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

class ProbeMessagesTest {

    private static final ProbeMessages MESSAGES = new ProbeMessages("n0de");
    private static final InetSocketAddress LOCAL = new InetSocketAddress("10.0.0.9", 40312);

    @Test
    void buildsAValidOptionsRequestFromTheProbeSocketsAddress() {
        Probe probe = new Probe(new Backend("b1", "10.0.0.2", 5060, "UDP", 1), 17);
        ByteBuf out = MESSAGES.options(probe, LOCAL, UnpooledByteBufAllocator.DEFAULT);
        String text = out.toString(StandardCharsets.US_ASCII);
        ParseResult r = SipParser.parse(out, SipLimits.DEFAULTS, Framing.DATAGRAM);
        try {
            assertThat(r.isSuccess()).as("parses: %s", r).isTrue();
            SipRequest request = (SipRequest) r.message();
            assertThat(request.verify()).isNull();
            assertThat(request.topVia().branch()).isEqualTo("z9hG4bK-siplb-probe-n0de-17");
            assertThat(request.topVia().hasRport()).isTrue();
            assertThat(request.callId()).isEqualTo(MESSAGES.callId(probe, LOCAL));
            assertThat(text).startsWith("OPTIONS sip:10.0.0.2:5060 SIP/2.0\r\n")
                    .contains("Via: SIP/2.0/UDP 10.0.0.9:40312;", "From: <sip:siplb@10.0.0.9>;tag=n0de\r\n",
                            "CSeq: 18 OPTIONS\r\n", "Max-Forwards: 70\r\n", "Content-Length: 0\r\n\r\n");
        } finally {
            r.message().release();
        }
    }

    @Test
    void namesTheTransportOfATcpBackend() {
        Probe probe = new Probe(new Backend("b1", "10.0.0.2", 5070, "TCP", 1), 1);
        ByteBuf out = MESSAGES.options(probe, LOCAL, UnpooledByteBufAllocator.DEFAULT);
        try {
            assertThat(out.toString(StandardCharsets.US_ASCII))
                    .startsWith("OPTIONS sip:10.0.0.2:5070;transport=tcp SIP/2.0\r\nVia: SIP/2.0/TCP ");
        } finally {
            out.release();
        }
    }

    @Test
    void readsA503sRetryAfterWithParametersAndComment() {
        SipResponse response = response("""
                SIP/2.0 503 Service Unavailable
                Via: SIP/2.0/UDP 10.0.0.9:40312;branch=z9hG4bK-siplb-probe-n0de-3;rport=40312
                From: <sip:siplb@10.0.0.9>;tag=n0de
                To: <sip:10.0.0.2:5060>;tag=x
                Call-ID: siplb-probe-n0de-3@10.0.0.9
                CSeq: 4 OPTIONS
                Retry-After: 120 (overloaded);duration=3600
                Content-Length: 0

                """);
        try {
            assertThat(ProbeMessages.resultOf(response)).isEqualTo(ProbeResult.reply(503, 120));
        } finally {
            response.release();
        }
    }

    @Test
    void waitsForAFinalResponseAfterAProvisionalOne() {
        SipResponse response = response("""
                SIP/2.0 100 Trying
                Via: SIP/2.0/UDP 10.0.0.9:40312;branch=z9hG4bK-siplb-probe-n0de-3;rport=40312
                From: <sip:siplb@10.0.0.9>;tag=n0de
                To: <sip:10.0.0.2:5060>
                Call-ID: siplb-probe-n0de-3@10.0.0.9
                CSeq: 4 OPTIONS
                Content-Length: 0

                """);
        try {
            assertThat(ProbeMessages.resultOf(response)).isNull();
        } finally {
            response.release();
        }
    }

    private static SipResponse response(String text) {
        ParseResult r = SipParser.parse(SipText.sip(text), SipLimits.DEFAULTS, Framing.DATAGRAM);
        assertThat(r.isSuccess()).as("parses: %s", r).isTrue();
        return (SipResponse) r.message();
    }
}

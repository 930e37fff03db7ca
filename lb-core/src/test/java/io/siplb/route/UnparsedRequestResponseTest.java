package io.siplb.route;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.UnpooledByteBufAllocator;
import io.siplb.sip.Framing;
import io.siplb.sip.ParseResult;
import io.siplb.sip.SipLimits;
import io.siplb.sip.SipParser;
import io.siplb.sip.SipText;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

class UnparsedRequestResponseTest {

    /** Parses {@code frame}, expects a failure, and returns the answer as text (null for none). */
    private static String answer(ByteBuf frame) {
        try {
            ParseResult result = SipParser.parse(frame, SipLimits.DEFAULTS, Framing.DATAGRAM);
            assertThat(result.isSuccess()).isFalse();
            ByteBuf out = UnparsedRequestResponse.encode(frame, result.failure(), UnpooledByteBufAllocator.DEFAULT);
            if (out == null) {
                return null;
            }
            try {
                return out.toString(StandardCharsets.UTF_8);
            } finally {
                out.release();
            }
        } finally {
            frame.release();
        }
    }

    @Test
    void answersAnUnsupportedVersionWith505() {
        // RFC 4475 §3.1.2.16 badvers.dat
        String response = answer(SipText.resource("sip/rfc4475/badvers.dat"));
        assertThat(response).startsWith("SIP/2.0 505 ");
        assertThat(response).contains("\r\nVia:     SIP/7.0/UDP c.example.com;branch=z9hG4bKkdjuw\r\n")
                .contains("\r\nCall-ID: ").contains("\r\nCSeq: ").endsWith("Content-Length: 0\r\n\r\n");
    }

    @Test
    void answersARequestLineWithExtraSpacesWith400AndCopiesTheDialogHeaders() {
        String response = answer(SipText.sip("""
                INVITE  sip:user@example.com  SIP/2.0
                Via: SIP/2.0/UDP 192.0.2.1;branch=z9hG4bKkdjuw
                 ;received=192.0.2.1
                To: <sip:user@example.com>
                From: <sip:caller@example.net>;tag=93334
                Call-ID: lwsstart.dfknq234oi243099adsdfnawe3@example.com
                CSeq: 1 INVITE
                Subject: not copied
                Content-Length: 0

                """));
        assertThat(response).isEqualTo("""
                SIP/2.0 400 %s\r
                Via: SIP/2.0/UDP 192.0.2.1;branch=z9hG4bKkdjuw\r
                 ;received=192.0.2.1\r
                To: <sip:user@example.com>\r
                From: <sip:caller@example.net>;tag=93334\r
                Call-ID: lwsstart.dfknq234oi243099adsdfnawe3@example.com\r
                CSeq: 1 INVITE\r
                Server: siplb\r
                Content-Length: 0\r
                \r
                """.formatted(response.substring("SIP/2.0 400 ".length(), response.indexOf('\r'))));
    }

    @Test
    void doesNotAnswerWhenItsAnswerWouldRepeatTheViaValuesThatBrokeTheHeaderLimit() {
        // issue 8, found by the fuzzer: the answer copies the Via lines, so it would break the
        // header limit (256 values) just as the request did, and no peer could parse it
        String manyVias = "Via: SIP/2.0/UDP 192.0.2.1;branch=z9hG4bKmany" + ",".repeat(300);
        String response = answer(SipText.sip("""
                OPTIONS sip:user@example.com SIP/2.0
                %s
                To: <sip:user@example.com>
                From: <sip:caller@example.net>;tag=1
                Call-ID: many-vias@example.net
                CSeq: 1 OPTIONS
                Content-Length: 0

                """.formatted(manyVias)));
        assertThat(response).isNull();
    }

    @Test
    void neverAnswersAResponse() {
        // RFC 4475 §3.1.2.19 bigcode.dat: a response is dropped, whatever is wrong with it
        assertThat(answer(SipText.resource("sip/rfc4475/bigcode.dat"))).isNull();
    }

    @Test
    void doesNotAnswerARequestWithoutVia() {
        assertThat(answer(SipText.sip("""
                OPTIONS  sip:user@example.com SIP/2.0
                To: <sip:user@example.com>
                Call-ID: x
                CSeq: 1 OPTIONS

                """))).isNull();
    }
}

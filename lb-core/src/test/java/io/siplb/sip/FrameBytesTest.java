package io.siplb.sip;

import static io.siplb.sip.SipText.sipBytes;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The parser reads a heap buffer's array and a copy of any other buffer, made block by block:
 * whatever holds the bytes, and wherever a block ends, the index is the same.
 */
class FrameBytesTest {

    @Test
    void aHeaderSectionLongerThanTheFirstCopiedBlockIndexesAsInAHeapBuffer() {
        // the pad moves every line end, fold and the final CRLF across the 1 KiB block boundary
        for (int pad = 880; pad <= 1040; pad++) {
            byte[] bytes = sipBytes("""
                    INVITE sip:bob@biloxi.example.com SIP/2.0
                    Via: SIP/2.0/UDP 192.168.1.20:5060;branch=z9hG4bK74bf9a2c
                    X-Pad: %s
                    Subject: folded
                     over two lines
                    Route: <sip:a.example.com;lr>, <sip:b.example.com;lr>
                    To: Bob <sip:bob@biloxi.example.com>
                    From: Alice <sip:alice@atlanta.example.com>;tag=9fxced76sl
                    Call-ID: 3848276298220188511@atlanta.example.com
                    CSeq: 1 INVITE
                    Max-Forwards: 70
                    Content-Length: 4

                    body""".formatted("p".repeat(pad)));
            assertThat(indexIn(Unpooled.directBuffer(bytes.length).writeBytes(bytes)))
                    .as("pad %s", pad)
                    .isEqualTo(indexIn(Unpooled.wrappedBuffer(bytes)))
                    .contains("11 values");
        }
    }

    @Test
    void aHeaderSectionLargerThanTheKeptScratchArrayParsesFromADirectBuffer() {
        StringBuilder text = new StringBuilder("OPTIONS sip:lb.example.com SIP/2.0\n"
                + "Via: SIP/2.0/UDP 192.0.2.1;branch=z9hG4bK1\nCall-ID: big\nCSeq: 1 OPTIONS\n");
        for (int h = 0; h < 1500; h++) {
            text.append("X-Filler-").append(h).append(": ").append("f".repeat(40)).append('\n');
        }
        text.append("Content-Length: 0\n\n");
        byte[] bytes = sipBytes(text.toString());
        SipLimits limits = new SipLimits(1 << 20, 2000, 8192);

        assertThat(bytes.length).isGreaterThan(64 * 1024);
        assertThat(indexIn(Unpooled.directBuffer(bytes.length).writeBytes(bytes), limits))
                .isEqualTo(indexIn(Unpooled.wrappedBuffer(bytes), limits))
                .contains("1504 values");
    }

    @Test
    void aLargeBodyAfterAShortHeaderSectionParsesFromADirectBuffer() {
        String body = "a=candidate:1 1 UDP 2130706431 192.0.2.1 49170 typ host\r\n".repeat(250);
        byte[] bytes = sipBytes("""
                INVITE sip:bob@biloxi.example.com SIP/2.0
                Via: SIP/2.0/UDP 192.168.1.20:5060;branch=z9hG4bK74bf9a2c
                Content-Length: %d

                """.formatted(body.length()) + body);

        assertThat(indexIn(Unpooled.directBuffer(bytes.length).writeBytes(bytes)))
                .isEqualTo(indexIn(Unpooled.wrappedBuffer(bytes)))
                .contains("body " + body.length());
    }

    @Test
    void typedAccessorsReadTheirOwnMessageAfterTheThreadParsedAnother() throws Exception {
        byte[] first = sipBytes(REGISTER.formatted("alice", "atlanta", "a1"));
        byte[] second = sipBytes(REGISTER.formatted("bob", "biloxi", "b2"));
        SipMessage one = SipParser.parse(Unpooled.directBuffer().writeBytes(first), SipLimits.DEFAULTS,
                Framing.DATAGRAM).message();
        SipMessage two = SipParser.parse(Unpooled.directBuffer().writeBytes(second), SipLimits.DEFAULTS,
                Framing.DATAGRAM).message();
        try {
            // the thread's copy now holds the second message: the first reads its own buffer
            assertThat(one.from().uri().user()).isEqualTo("alice");
            assertThat(one.topVia().branch()).isEqualTo("z9hG4bKa1");
            // another thread has no copy of the second one
            Thread other = new Thread(() -> two.to().uri().host().length());
            other.start();
            other.join();
            assertThat(two.to().uri().host()).isEqualTo("biloxi.example.com");
            assertThat(two.from().uri().user()).isEqualTo("bob");
            assertThat(two.topVia().branch()).isEqualTo("z9hG4bKb2");
            assertThat(two.cseq().number()).isEqualTo(7);
            assertThat(two.maxForwards()).isEqualTo(69);
            assertThat(((SipRequest) two).requestUri().host()).isEqualTo("biloxi.example.com");
        } finally {
            one.release();
            two.release();
        }
    }

    @Test
    void aReleasedMessageDoesNotReadTheParsersCopy() {
        byte[] bytes = sipBytes(REGISTER.formatted("alice", "atlanta", "a1"));
        SipMessage msg = SipParser.parse(Unpooled.directBuffer().writeBytes(bytes), SipLimits.DEFAULTS,
                Framing.DATAGRAM).message();
        msg.release();

        assertThatThrownBy(msg::from).isInstanceOf(io.netty.util.IllegalReferenceCountException.class);
    }

    private static final String REGISTER = """
            REGISTER sip:%2$s.example.com SIP/2.0
            Via: SIP/2.0/UDP 192.0.2.4;branch=z9hG4bK%3$s
            Max-Forwards: 69
            From: <sip:%1$s@%2$s.example.com>;tag=x
            To: <sip:%1$s@%2$s.example.com>
            Call-ID: %3$s
            CSeq: 7 REGISTER
            Content-Length: 0

            """;

    private static String indexIn(ByteBuf buf) {
        return indexIn(buf, SipLimits.DEFAULTS);
    }

    /** Every offset the index holds, as text; releases the buffer. */
    private static String indexIn(ByteBuf buf, SipLimits limits) {
        ParseResult r = SipParser.parse(buf, limits, Framing.DATAGRAM);
        if (!r.isSuccess()) {
            buf.release();
            return r.toString();
        }
        SipMessage msg = r.message();
        try {
            List<String> values = new ArrayList<>();
            for (int h = 0; h < msg.headerCount(); h++) {
                values.add(msg.name(h) + " " + msg.lineStart(h) + "-" + msg.nameEnd(h) + " " + msg.valueStart(h)
                        + "-" + msg.valueEnd(h) + " " + msg.lineEnd(h) + " next " + msg.next(h));
            }
            return msg.headerCount() + " values, body " + msg.bodyLength() + " at " + msg.bodyStart()
                    + ", content " + msg.content().readerIndex() + "-" + msg.content().writerIndex() + ": " + values;
        } finally {
            msg.release();
        }
    }
}

package io.siplb.sip.edit;

import static io.siplb.sip.SipText.sip;
import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.buffer.AbstractByteBufAllocator;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.CompositeByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.siplb.sip.Framing;
import io.siplb.sip.HeaderName;
import io.siplb.sip.ParseResult;
import io.siplb.sip.SipLimits;
import io.siplb.sip.SipMessage;
import io.siplb.sip.SipParser;
import io.siplb.sip.header.Via;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** What a proxy's edits do to the bytes, and who owns which buffer afterwards. */
class MessageSplicerTest {

    private static final ByteBufAllocator ALLOC = PooledByteBufAllocator.DEFAULT;

    private static final String INVITE = """
            INVITE sip:bob@biloxi.example.com SIP/2.0
            Via: SIP/2.0/UDP 10.1.1.1:4540;rport;branch=z9hG4bKkjshdyff
            Max-Forwards: 70
            Route: <sip:lb.example.com;lr>
            From: Alice <sip:alice@atlanta.example.com>;tag=9fxced76sl
            To: Bob <sip:bob@biloxi.example.com>
            Call-ID: 3848276298220188511@atlanta.example.com
            CSeq: 1 INVITE
            Contact: <sip:alice@10.1.1.1:4540>
            Content-Length: 0

            """;

    private final List<ByteBuf> outputs = new ArrayList<>();
    private final List<SipMessage> messages = new ArrayList<>();
    private final HeaderWriter writer = new HeaderWriter();

    /** Every output and every message released once frees everything: nothing else holds a reference. */
    @AfterEach
    void releasesEverything() {
        for (ByteBuf out : outputs) {
            if (out.refCnt() > 0) {
                out.release();
            }
        }
        for (SipMessage msg : messages) {
            if (msg.refCnt() > 0) {
                msg.release();
            }
        }
        outputs.forEach(out -> assertThat(out.refCnt()).as("output refCnt").isZero());
        messages.forEach(msg -> assertThat(msg.refCnt()).as("message refCnt").isZero());
    }

    @Test
    void pushesOurViaAboveTheTopVia() {
        SipMessage msg = parse(INVITE);
        MessageEdits edits = MessageEdits.of(msg)
                .insertHeaderBefore(msg.first(HeaderName.VIA),
                        writer.via("UDP", "192.0.2.10", 5060, "z9hG4bK-lb-1"));

        assertThat(text(splice(msg, edits))).isEqualTo(wire(INVITE).replace(
                "Via: SIP/2.0/UDP 10.1.1.1",
                "Via: SIP/2.0/UDP 192.0.2.10:5060;branch=z9hG4bK-lb-1\r\nVia: SIP/2.0/UDP 10.1.1.1"));
    }

    @Test
    void addsReceivedAndFillsTheEmptyRportOfTheClientVia() {
        // RFC 3581 §4: the client at 10.1.1.1:4540 is seen as 192.0.2.1:9988
        SipMessage msg = parse(INVITE);
        Via via = msg.topVia();
        MessageEdits edits = MessageEdits.of(msg)
                .setViaParam(via, "received", "192.0.2.1")
                .setViaParam(via, "rport", 9988);

        assertThat(line(splice(msg, edits), "Via:"))
                .isEqualTo("Via: SIP/2.0/UDP 10.1.1.1:4540;rport=9988;branch=z9hG4bKkjshdyff;received=192.0.2.1");
    }

    @Test
    void replacesAnExistingViaParam() {
        SipMessage msg = parse("""
                OPTIONS sip:lb.example.com SIP/2.0
                Via: SIP/2.0/UDP 10.1.1.1:4540;received=198.51.100.7;branch=z9hG4bK1
                Call-ID: a
                Content-Length: 0

                """);
        MessageEdits edits = MessageEdits.of(msg).setViaParam(msg.topVia(), "received", "192.0.2.1");

        assertThat(line(splice(msg, edits), "Via:"))
                .isEqualTo("Via: SIP/2.0/UDP 10.1.1.1:4540;received=192.0.2.1;branch=z9hG4bK1");
    }

    @Test
    void removesTheWholeRouteLineWhenOurRouteIsItsOnlyValue() {
        SipMessage msg = parse(INVITE);
        MessageEdits edits = MessageEdits.of(msg).removeValue(msg.first(HeaderName.ROUTE));

        assertThat(text(splice(msg, edits)))
                .isEqualTo(wire(INVITE).replace("Route: <sip:lb.example.com;lr>\r\n", ""));
    }

    @Test
    void removesOurRouteAndOneCommaWhenItIsTheFirstOfTwoValues() {
        SipMessage msg = parse("""
                BYE sip:alice@10.1.1.1 SIP/2.0
                Route: <sip:lb.example.com;lr> , <sip:p2.example.com;lr>
                Call-ID: a

                """);
        MessageEdits edits = MessageEdits.of(msg).removeValue(msg.first(HeaderName.ROUTE));

        assertThat(line(splice(msg, edits), "Route:")).isEqualTo("Route: <sip:p2.example.com;lr>");
    }

    @Test
    void removesTheLastValueOfALineWithThePrecedingComma() {
        SipMessage msg = parse("""
                BYE sip:alice@10.1.1.1 SIP/2.0
                Route: <sip:p1.example.com;lr>,<sip:lb.example.com;lr>
                Call-ID: a

                """);
        int second = msg.next(msg.first(HeaderName.ROUTE));
        MessageEdits edits = MessageEdits.of(msg).removeValue(second);

        assertThat(line(splice(msg, edits), "Route:")).isEqualTo("Route: <sip:p1.example.com;lr>");
    }

    @Test
    void removesTheWholeLineWhenEveryValueOnItIsRemoved() {
        SipMessage msg = parse("""
                BYE sip:alice@10.1.1.1 SIP/2.0
                Route: <sip:lb.example.com;lr>, <sip:lb.example.com:5070;lr>
                Call-ID: a

                """);
        int first = msg.first(HeaderName.ROUTE);
        MessageEdits edits = MessageEdits.of(msg).removeValue(msg.next(first)).removeValue(first);

        assertThat(text(splice(msg, edits))).isEqualTo(wire("""
                BYE sip:alice@10.1.1.1 SIP/2.0
                Call-ID: a

                """));
    }

    @Test
    void removesAValueThatSpansAFoldedLine() {
        SipMessage msg = parse("""
                BYE sip:alice@10.1.1.1 SIP/2.0
                Route: <sip:lb.example.com;lr>,
                 <sip:p2.example.com;lr>
                Call-ID: a

                """);
        MessageEdits edits = MessageEdits.of(msg).removeValue(msg.first(HeaderName.ROUTE));

        assertThat(line(splice(msg, edits), "Route:")).isEqualTo("Route: <sip:p2.example.com;lr>");
    }

    @Test
    void insertsRecordRouteAboveTheExistingOnes() {
        SipMessage msg = parse("""
                INVITE sip:bob@biloxi.example.com SIP/2.0
                Record-Route: <sip:p1.example.com;lr>
                Call-ID: a

                """);
        MessageEdits edits = MessageEdits.of(msg).insertHeaderBefore(msg.first(HeaderName.RECORD_ROUTE),
                writer.recordRoute("TOKEN", "192.0.2.10", 5060));

        assertThat(text(splice(msg, edits))).isEqualTo(wire("""
                INVITE sip:bob@biloxi.example.com SIP/2.0
                Record-Route: <sip:TOKEN@192.0.2.10:5060;lr>
                Record-Route: <sip:p1.example.com;lr>
                Call-ID: a

                """));
    }

    @Test
    void insertsPathAsTheFirstHeader() {
        SipMessage msg = parse("""
                REGISTER sip:example.com SIP/2.0
                Call-ID: a
                Content-Length: 0

                """);
        MessageEdits edits = MessageEdits.of(msg).insertHeaderFirst(writer.path("TOKEN", "192.0.2.10", 5060));

        assertThat(text(splice(msg, edits))).isEqualTo(wire("""
                REGISTER sip:example.com SIP/2.0
                Path: <sip:TOKEN@192.0.2.10:5060;lr;ob>
                Call-ID: a
                Content-Length: 0

                """));
    }

    @Test
    void insertsAfterTheLineThatHoldsAValue() {
        SipMessage msg = parse("""
                OPTIONS sip:lb.example.com SIP/2.0
                Via: SIP/2.0/UDP 10.1.1.1:4540;branch=z9hG4bK1, SIP/2.0/UDP 10.1.1.2;branch=z9hG4bK2
                Call-ID: a

                """);
        MessageEdits edits = MessageEdits.of(msg)
                .insertHeaderAfter(msg.first(HeaderName.VIA), HeaderWriter.line("Subject", "x"));

        assertThat(text(splice(msg, edits))).isEqualTo(wire("""
                OPTIONS sip:lb.example.com SIP/2.0
                Via: SIP/2.0/UDP 10.1.1.1:4540;branch=z9hG4bK1, SIP/2.0/UDP 10.1.1.2;branch=z9hG4bK2
                Subject: x
                Call-ID: a

                """));
    }

    @Test
    void insertsAtTheEndOfTheHeaders() {
        SipMessage msg = parse("""
                OPTIONS sip:lb.example.com SIP/2.0
                Call-ID: a
                Content-Length: 3

                abc""");
        MessageEdits edits = MessageEdits.of(msg).insertHeaderLast(HeaderWriter.line("Max-Forwards", "70"));

        assertThat(text(splice(msg, edits))).isEqualTo(wire("""
                OPTIONS sip:lb.example.com SIP/2.0
                Call-ID: a
                Content-Length: 3
                Max-Forwards: 70

                abc"""));
    }

    @Test
    void replacesAValueAndKeepsTheSpaceAroundIt() {
        SipMessage msg = parse("""
                OPTIONS sip:lb.example.com SIP/2.0
                Subject:   hello  \t
                Call-ID: a

                """);
        MessageEdits edits = MessageEdits.of(msg).replaceValue(msg.first(HeaderName.SUBJECT), "bye");

        assertThat(text(splice(msg, edits))).contains("Subject:   bye  \t\r\n");
    }

    @Test
    void decrementsMaxForwardsByReplacingItsValue() {
        SipMessage msg = parse(INVITE);
        MessageEdits edits = MessageEdits.of(msg)
                .replaceValueWithNumber(msg.first(HeaderName.MAX_FORWARDS), msg.maxForwards() - 1);

        assertThat(line(splice(msg, edits), "Max-Forwards:")).isEqualTo("Max-Forwards: 69");
    }

    @Test
    void appliesEditsGivenInAnyOrderByOffset() {
        SipMessage msg = parse(INVITE);
        MessageEdits edits = MessageEdits.of(msg)
                .replaceValueWithNumber(msg.first(HeaderName.MAX_FORWARDS), 69)
                .removeValue(msg.first(HeaderName.ROUTE))
                .setViaParam(msg.topVia(), "rport", 9988)
                .insertHeaderBefore(msg.first(HeaderName.VIA), HeaderWriter.viaLine("UDP", "192.0.2.10", 5060, "z9hG4bK2"));

        assertThat(text(splice(msg, edits))).isEqualTo(wire("""
                INVITE sip:bob@biloxi.example.com SIP/2.0
                Via: SIP/2.0/UDP 192.0.2.10:5060;branch=z9hG4bK2
                Via: SIP/2.0/UDP 10.1.1.1:4540;rport=9988;branch=z9hG4bKkjshdyff
                Max-Forwards: 69
                From: Alice <sip:alice@atlanta.example.com>;tag=9fxced76sl
                To: Bob <sip:bob@biloxi.example.com>
                Call-ID: 3848276298220188511@atlanta.example.com
                CSeq: 1 INVITE
                Contact: <sip:alice@10.1.1.1:4540>
                Content-Length: 0

                """));
    }

    @Test
    void keepsInsertsAtTheSameOffsetInTheOrderTheyWereAdded() {
        SipMessage msg = parse(INVITE);
        int via = msg.first(HeaderName.VIA);
        MessageEdits edits = MessageEdits.of(msg)
                .insertHeaderBefore(via, HeaderWriter.line("A", "1"))
                .insertHeaderFirst(HeaderWriter.line("B", "2"))
                .insertHeaderBefore(via, HeaderWriter.line("C", "3"));

        assertThat(text(splice(msg, edits))).startsWith(
                "INVITE sip:bob@biloxi.example.com SIP/2.0\r\nA: 1\r\nB: 2\r\nC: 3\r\nVia: ");
    }

    @Test
    void putsAnInsertBeforeARemovalThatStartsAtTheSameOffset() {
        SipMessage msg = parse(INVITE);
        int route = msg.first(HeaderName.ROUTE);
        MessageEdits edits = MessageEdits.of(msg)
                .removeValue(route)
                .insertHeaderBefore(route, HeaderWriter.line("Route", "<sip:p2.example.com;lr>"));

        assertThat(line(splice(msg, edits), "Route:")).isEqualTo("Route: <sip:p2.example.com;lr>");
    }

    @Test
    void appliesAProxysEditsToAnInviteWithSdp() {
        SipMessage msg = parse(ProxyFixtures.INVITE_WITH_SDP);

        ByteBuf out = splice(msg, ProxyFixtures.proxyEdits(msg, writer));

        assertThat(text(out)).isEqualTo(wire(ProxyFixtures.INVITE_WITH_SDP)
                .replace("Via: SIP/2.0/UDP 192.168.1.20:5060;rport;branch=z9hG4bK74bf9a2c\r\n",
                        "Record-Route: <sip:" + ProxyFixtures.FLOW_TOKEN + "@192.0.2.10:5060;lr>\r\n"
                        + "Via: SIP/2.0/UDP 192.0.2.10:5060;branch=" + ProxyFixtures.BRANCH + "\r\n"
                        + "Via: SIP/2.0/UDP 192.168.1.20:5060;rport=40123;branch=z9hG4bK74bf9a2c;received=203.0.113.7\r\n")
                .replace("Max-Forwards: 70", "Max-Forwards: 69"));
    }

    @Test
    void refusesOverlappingEdits() {
        SipMessage msg = parse(INVITE);
        int mf = msg.first(HeaderName.MAX_FORWARDS);
        MessageEdits edits = MessageEdits.of(msg).replaceValueWithNumber(mf, 69);

        assertThatThrownBy(() -> edits.remove(msg.lineStart(mf), msg.lineEnd(mf)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("overlaps");
        assertThat(edits.size()).isEqualTo(1);
    }

    @Test
    void refusesAnInsertInsideARemovedRange() {
        SipMessage msg = parse(INVITE);
        int route = msg.first(HeaderName.ROUTE);
        MessageEdits edits = MessageEdits.of(msg).remove(msg.lineStart(route), msg.lineEnd(route));

        assertThatThrownBy(() -> edits.insert(msg.valueStart(route), new byte[] {'x'}))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("overlaps");
    }

    @Test
    void refusesAnEditThatReachesIntoARemovedValuesComma() {
        SipMessage msg = parse("""
                BYE sip:alice@10.1.1.1 SIP/2.0
                Route: <sip:lb.example.com;lr>, <sip:p2.example.com;lr>
                Call-ID: a

                """);
        int first = msg.first(HeaderName.ROUTE);
        MessageEdits edits = MessageEdits.of(msg)
                .removeValue(first)
                .insert(msg.valueEnd(first) + 1, new byte[] {'x'});

        assertThatThrownBy(() -> splice(msg, edits))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("overlaps");
    }

    @Test
    void refusesARangeOutsideTheMessage() {
        SipMessage msg = parse(INVITE);
        int end = msg.content().writerIndex();

        assertThatThrownBy(() -> MessageEdits.of(msg).remove(end - 1, end + 1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("within the message");
    }

    @Test
    void refusesAHeaderLineWithoutCrlf() {
        SipMessage msg = parse(INVITE);

        assertThatThrownBy(() -> MessageEdits.of(msg).insertHeaderFirst("Subject: x".getBytes(ISO_8859_1)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("CRLF");
    }

    @Test
    void refusesEditsMadeForAnotherMessage() {
        SipMessage msg = parse(INVITE);
        SipMessage other = parse(INVITE);
        MessageEdits edits = MessageEdits.of(other).removeValue(other.first(HeaderName.ROUTE));

        assertThatThrownBy(() -> MessageSplicer.splice(msg, edits, ALLOC))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("another message");
    }

    @Test
    void sendsUntouchedBytesAsSlicesOfTheOriginal() {
        SipMessage msg = parse(INVITE);
        ByteBuf in = msg.content();
        int route = msg.first(HeaderName.ROUTE);
        MessageEdits edits = MessageEdits.of(msg).removeValue(route);

        ByteBuf out = track(MessageSplicer.splice(msg, edits, ALLOC, 1)); // share every run

        int before = msg.lineStart(route) - in.readerIndex();
        int after = in.writerIndex() - msg.lineEnd(route);
        assertThat(ByteBufUtil.equals(out, out.readerIndex(), in, in.readerIndex(), before)).isTrue();
        assertThat(ByteBufUtil.equals(out, out.readerIndex() + before, in, msg.lineEnd(route), after)).isTrue();
        assertThat(((CompositeByteBuf) out).numComponents()).isEqualTo(2);
        in.setByte(in.readerIndex(), 'X'); // shared, not copied: the output sees the change
        assertThat(out.getByte(out.readerIndex())).isEqualTo((byte) 'X');
    }

    @Test
    void copiesShortUnchangedRunsAndSharesLongOnes() {
        String body = "x".repeat(MessageSplicer.MIN_SHARED_RUN) + "\n";
        SipMessage msg = parse(INVITE.replace("Content-Length: 0", "Content-Length: " + (body.length() + 1)) + body);
        ByteBuf in = msg.content();
        MessageEdits edits = MessageEdits.of(msg)
                .replaceValueWithNumber(msg.first(HeaderName.MAX_FORWARDS), 69)
                .removeValue(msg.first(HeaderName.ROUTE));

        ByteBuf out = splice(msg, edits);

        // the head up to the empty line is short and rewritten; the body is long and shared
        assertThat(((CompositeByteBuf) out).numComponents()).isEqualTo(2);
        in.setByte(in.readerIndex(), 'X');
        in.setByte(msg.bodyStart(), 'Y');
        assertThat(out.getByte(out.readerIndex())).isEqualTo((byte) 'I');
        assertThat(out.getByte(out.writerIndex() - body.length() - 1)).isEqualTo((byte) 'Y');
    }

    @Test
    void leavesABinaryBodyUntouched() {
        byte[] body = new byte[256];
        for (int i = 0; i < body.length; i++) {
            body[i] = (byte) i; // NUL, CR, LF, commas and non-ASCII
        }
        ByteBuf head = sip("""
                MESSAGE sip:bob@biloxi.example.com SIP/2.0
                Via: SIP/2.0/UDP 10.1.1.1:4540;branch=z9hG4bK1
                Max-Forwards: 70
                Call-ID: a
                Content-Type: application/octet-stream
                Content-Length: 256

                """);
        ByteBuf frame = Unpooled.buffer().writeBytes(head).writeBytes(body);
        head.release();
        SipMessage msg = parse(frame);
        MessageEdits edits = MessageEdits.of(msg)
                .insertHeaderBefore(msg.first(HeaderName.VIA), writer.via("UDP", "192.0.2.10", 5060, "z9hG4bK2"))
                .replaceValueWithNumber(msg.first(HeaderName.MAX_FORWARDS), 69);

        ByteBuf out = splice(msg, edits);

        assertThat(ByteBufUtil.getBytes(out, out.writerIndex() - body.length, body.length)).isEqualTo(body);
    }

    @Test
    void keepsADirectMessageDirect() {
        ByteBuf heap = sip(INVITE);
        ByteBuf direct = Unpooled.directBuffer(heap.readableBytes()).writeBytes(heap);
        heap.release();
        SipMessage msg = parse(direct);
        MessageEdits edits = MessageEdits.of(msg)
                .insertHeaderBefore(msg.first(HeaderName.VIA), writer.via("UDP", "192.0.2.10", 5060, "z9hG4bK2"));

        assertThat(splice(msg, edits).isDirect()).isTrue();
    }

    @Test
    void givesTheSameBytesAsACopy() {
        SipMessage msg = parse(INVITE);
        MessageEdits edits = MessageEdits.of(msg)
                .insertHeaderBefore(msg.first(HeaderName.VIA), writer.via("UDP", "192.0.2.10", 5060, "z9hG4bK2"))
                .setViaParam(msg.topVia(), "received", "192.0.2.1")
                .setViaParam(msg.topVia(), "rport", 9988)
                .removeValue(msg.first(HeaderName.ROUTE))
                .replaceValueWithNumber(msg.first(HeaderName.MAX_FORWARDS), 69);

        ByteBuf copy = track(MessageSplicer.copy(msg, edits, ALLOC));

        assertThat(text(copy)).isEqualTo(text(splice(msg, edits)));
    }

    @Test
    void copiesAShortMessageWhoseEveryRunIsShort() {
        SipMessage msg = parse("""
                OPTIONS sip:lb.example.com SIP/2.0
                Max-Forwards: 70
                Call-ID: a

                """);
        MessageEdits edits = MessageEdits.of(msg).replaceValueWithNumber(msg.first(HeaderName.MAX_FORWARDS), 69);

        ByteBuf out = splice(msg, edits);

        assertThat(out).isNotInstanceOf(CompositeByteBuf.class);
        assertThat(text(out)).contains("Max-Forwards: 69\r\n");
    }

    @Test
    void returnsASliceOfTheMessageWhenThereAreNoEdits() {
        SipMessage msg = parse(INVITE);

        ByteBuf out = splice(msg, MessageEdits.of(msg));

        assertThat(text(out)).isEqualTo(text(msg.content()));
        assertThat(msg.refCnt()).isEqualTo(2);
    }

    @Test
    void releasesTheOriginalOnlyWhenBothTheMessageAndTheOutputAreReleased() {
        SipMessage msg = parse(INVITE);
        MessageEdits edits = MessageEdits.of(msg)
                .insertHeaderBefore(msg.first(HeaderName.VIA), writer.via("UDP", "192.0.2.10", 5060, "z9hG4bK2"))
                .removeValue(msg.first(HeaderName.ROUTE));
        ByteBuf out = MessageSplicer.splice(msg, edits, ALLOC, 1); // share every run

        assertThat(msg.release()).isFalse(); // the output's slices still hold the bytes
        assertThat(msg.refCnt()).isPositive();
        assertThat(out.release()).isTrue();
        assertThat(out.refCnt()).isZero();
        assertThat(msg.refCnt()).isZero();
    }

    @Test
    void leavesNothingRetainedWhenTheAllocatorFails() {
        SipMessage msg = parse(INVITE);
        MessageEdits edits = MessageEdits.of(msg)
                .insertHeaderBefore(msg.first(HeaderName.VIA), writer.via("UDP", "192.0.2.10", 5060, "z9hG4bK2"));
        ByteBufAllocator failing = new AbstractByteBufAllocator(false) {
            @Override
            protected ByteBuf newHeapBuffer(int initialCapacity, int maxCapacity) {
                throw new OutOfMemoryError("test: no memory for the new bytes");
            }

            @Override
            protected ByteBuf newDirectBuffer(int initialCapacity, int maxCapacity) {
                throw new OutOfMemoryError("test: no memory for the new bytes");
            }

            @Override
            public boolean isDirectBufferPooled() {
                return false;
            }
        };

        assertThatThrownBy(() -> MessageSplicer.splice(msg, edits, failing)).isInstanceOf(OutOfMemoryError.class);
        assertThat(msg.refCnt()).isEqualTo(1);
    }

    // ---- helpers -----------------------------------------------------------------------

    private SipMessage parse(String text) {
        return parse(sip(text));
    }

    private SipMessage parse(ByteBuf frame) {
        ParseResult result = SipParser.parse(frame, SipLimits.DEFAULTS, Framing.DATAGRAM);
        if (!result.isSuccess()) {
            frame.release();
        }
        assertThat(result.isSuccess()).as("parse: %s", result).isTrue();
        messages.add(result.message());
        return result.message();
    }

    private ByteBuf splice(SipMessage msg, MessageEdits edits) {
        return track(MessageSplicer.splice(msg, edits, ALLOC));
    }

    private ByteBuf track(ByteBuf buf) {
        outputs.add(buf);
        return buf;
    }

    /** The wire text of a SIP fixture, for comparing with an output. */
    private static String wire(String text) {
        ByteBuf buf = sip(text);
        try {
            return text(buf);
        } finally {
            buf.release();
        }
    }

    private static String text(ByteBuf buf) {
        return buf.toString(ISO_8859_1);
    }

    /** The first line of {@code buf} that starts with {@code prefix}, without its CRLF. */
    private static String line(ByteBuf buf, String prefix) {
        for (String line : text(buf).split("\r\n", -1)) {
            if (line.startsWith(prefix)) {
                return line;
            }
        }
        throw new AssertionError("no line starting with " + prefix + " in\n" + text(buf));
    }
}

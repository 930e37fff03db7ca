package io.siplb.sip;

import static io.siplb.sip.SipText.sip;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.buffer.ByteBuf;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class SipParserTest {

    /** RFC 3261 §24.2 F1, the INVITE from Alice (atlanta.com) to Bob via proxy. */
    private static final String INVITE = """
            INVITE sip:bob@biloxi.com SIP/2.0
            Via: SIP/2.0/UDP pc33.atlanta.com;branch=z9hG4bKnashds8
            Max-Forwards: 70
            To: Bob <sip:bob@biloxi.com>
            From: Alice <sip:alice@atlanta.com>;tag=1928301774
            Call-ID: a84b4c76e66710
            CSeq: 314159 INVITE
            Contact: <sip:alice@pc33.atlanta.com>
            Content-Type: application/sdp
            Content-Length: 4

            v=0
            """;

    private final List<ParseResult> results = new ArrayList<>();
    private final List<ByteBuf> buffers = new ArrayList<>();

    @AfterEach
    void releaseEverything() {
        for (ParseResult r : results) {
            if (r.isSuccess()) {
                assertThat(r.message().release()).isTrue();
            }
        }
        for (ByteBuf b : buffers) {
            if (b.refCnt() > 0) {
                b.release();
            }
        }
    }

    private ParseResult parse(String text) {
        return parse(text, SipLimits.DEFAULTS, Framing.DATAGRAM);
    }

    private ParseResult parse(String text, SipLimits limits, Framing framing) {
        ByteBuf buf = sip(text);
        ParseResult r = SipParser.parse(buf, limits, framing);
        if (r.isSuccess()) {
            results.add(r);
        } else {
            buffers.add(buf);
        }
        return r;
    }

    private SipRequest request(String text) {
        ParseResult r = parse(text);
        assertThat(r.failure()).isNull();
        return (SipRequest) r.message();
    }

    private ParseError error(String text) {
        ParseResult r = parse(text);
        assertThat(r.isSuccess()).as("parse succeeded").isFalse();
        return r.failure().error();
    }

    @Test
    void parsesTheRequestLineOfAnInvite() {
        SipRequest msg = request(INVITE);
        assertThat(msg.method()).isEqualTo(SipMethod.INVITE);
        assertThat(msg.methodStart()).isZero();
        assertThat(msg.methodEnd()).isEqualTo(6);
        assertThat(msg.content().toString(msg.uriStart(), msg.uriEnd() - msg.uriStart(),
                java.nio.charset.StandardCharsets.US_ASCII)).isEqualTo("sip:bob@biloxi.com");
        assertThat(msg.requestUri().host()).isEqualTo("biloxi.com");
        assertThat(msg.verify()).isNull();
    }

    @Test
    void indexesOneEntryPerHeaderLineInOrder() {
        SipRequest msg = request(INVITE);
        assertThat(msg.headerCount()).isEqualTo(9);
        assertThat(msg.name(0)).isEqualTo(HeaderName.VIA);
        assertThat(msg.name(8)).isEqualTo(HeaderName.CONTENT_LENGTH);
        assertThat(msg.value(2)).isEqualTo("Bob <sip:bob@biloxi.com>");
        assertThat(msg.rawName(4)).isEqualTo("Call-ID");
    }

    @Test
    void readsTheRoutingHeadersLazily() {
        SipRequest msg = request(INVITE);
        assertThat(msg.topVia().branch()).isEqualTo("z9hG4bKnashds8");
        assertThat(msg.from().tag()).isEqualTo("1928301774");
        assertThat(msg.to().uri().user()).isEqualTo("bob");
        assertThat(msg.cseq().number()).isEqualTo(314159);
        assertThat(msg.maxForwards()).isEqualTo(70);
        assertThat(msg.callId()).isEqualTo("a84b4c76e66710");
        assertThat(msg.topVia()).isSameAs(msg.topVia());
    }

    @Test
    void findsTheBodyAfterTheEmptyLine() {
        SipRequest msg = request(INVITE);
        assertThat(msg.contentLength()).isEqualTo(4);
        assertThat(msg.bodyLength()).isEqualTo(4);
        assertThat(msg.bodyStart()).isEqualTo(msg.headersEnd() + 2);
        assertThat(msg.content().getByte(msg.bodyStart())).isEqualTo((byte) 'v');
        assertThat(msg.content().writerIndex()).isEqualTo(msg.bodyStart() + 4);
    }

    @Test
    void lineOffsetsCoverTheWholeLineWithItsCrlf() {
        SipRequest msg = request(INVITE);
        int h = msg.first(HeaderName.MAX_FORWARDS);
        assertThat(msg.content().toString(msg.lineStart(h), msg.lineEnd(h) - msg.lineStart(h),
                java.nio.charset.StandardCharsets.US_ASCII)).isEqualTo("Max-Forwards: 70\r\n");
        assertThat(msg.nameEnd(h) - msg.nameStart(h)).isEqualTo("Max-Forwards".length());
    }

    @Test
    void parsesAStatusLine() {
        ParseResult r = parse("""
                SIP/2.0 180 Ringing
                Via: SIP/2.0/UDP pc33.atlanta.com;branch=z9hG4bKnashds8;received=192.0.2.1
                To: Bob <sip:bob@biloxi.com>;tag=a6c85cf
                From: Alice <sip:alice@atlanta.com>;tag=1928301774
                Call-ID: a84b4c76e66710
                CSeq: 314159 INVITE
                Content-Length: 0

                """);
        SipResponse msg = (SipResponse) r.message();
        assertThat(msg.statusCode()).isEqualTo(180);
        assertThat(msg.reasonPhrase()).isEqualTo("Ringing");
        assertThat(msg.isRequest()).isFalse();
        assertThat(msg.verify()).isNull();
    }

    @Test
    void acceptsAnEmptyReasonPhraseAfterTheRequiredSpace() {
        ParseResult r = parse("SIP/2.0 100\s\nContent-Length: 0\n\n");
        assertThat(((SipResponse) r.message()).reasonPhrase()).isEmpty();
    }

    @Test
    void splitsCommaSeparatedViaValues() {
        SipRequest msg = request("""
                OPTIONS sip:carol@chicago.com SIP/2.0
                Via: SIP/2.0/UDP a.example.com;branch=z9hG4bK1, SIP/2.0/UDP b.example.com;branch=z9hG4bK2
                Via: SIP/2.0/UDP c.example.com;branch=z9hG4bK3
                Content-Length: 0

                """);
        assertThat(msg.count(HeaderName.VIA)).isEqualTo(3);
        int h = msg.first(HeaderName.VIA);
        assertThat(msg.value(h)).isEqualTo("SIP/2.0/UDP a.example.com;branch=z9hG4bK1");
        assertThat(msg.value(msg.next(h))).isEqualTo("SIP/2.0/UDP b.example.com;branch=z9hG4bK2");
        assertThat(msg.lineStart(msg.next(h))).isEqualTo(msg.lineStart(h));
        assertThat(msg.value(msg.next(msg.next(h)))).isEqualTo("SIP/2.0/UDP c.example.com;branch=z9hG4bK3");
        assertThat(msg.next(msg.next(msg.next(h)))).isEqualTo(-1);
    }

    @Test
    void doesNotSplitOnCommasInsideQuotesOrAngleBrackets() {
        SipRequest msg = request("""
                REGISTER sip:example.com SIP/2.0
                Contact: "Doe, John \\" <x>" <sip:j@a.example.com;p=a,b>;q=0.5, <sip:j@b.example.com>
                Content-Length: 0

                """);
        assertThat(msg.count(HeaderName.CONTACT)).isEqualTo(2);
        assertThat(msg.value(msg.first(HeaderName.CONTACT)))
                .isEqualTo("\"Doe, John \\\" <x>\" <sip:j@a.example.com;p=a,b>;q=0.5");
    }

    @Test
    void doesNotSplitOtherHeadersOnCommas() {
        SipRequest msg = request("""
                OPTIONS sip:carol@chicago.com SIP/2.0
                Date: Sat, 13 Nov 2010 23:29:00 GMT
                Content-Length: 0

                """);
        assertThat(msg.count(HeaderName.DATE)).isEqualTo(1);
        assertThat(msg.value(0)).isEqualTo("Sat, 13 Nov 2010 23:29:00 GMT");
    }

    @Test
    void unfoldsContinuationLinesIntoOneHeader() {
        SipRequest msg = request("""
                OPTIONS sip:carol@chicago.com SIP/2.0
                Subject: I know you're there,
                   pick up the phone
                  and talk to me!
                Content-Length: 0

                """);
        assertThat(msg.headerCount()).isEqualTo(2);
        assertThat(msg.value(0)).isEqualTo("I know you're there,\r\n   pick up the phone\r\n  and talk to me!");
        assertThat(msg.lineEnd(0)).isEqualTo(msg.lineStart(1));
    }

    @Test
    void matchesHeaderNamesCaseInsensitivelyAndInCompactForm() {
        SipRequest msg = request("""
                OPTIONS sip:carol@chicago.com SIP/2.0
                v: SIP/2.0/UDP a.example.com;branch=z9hG4bK1
                cALL-iD: x@y
                l: 0

                """);
        assertThat(msg.name(0)).isEqualTo(HeaderName.VIA);
        assertThat(msg.callId()).isEqualTo("x@y");
        assertThat(msg.contentLength()).isZero();
    }

    @Test
    void acceptsWhitespaceBeforeTheColon() {
        SipRequest msg = request("OPTIONS sip:c@chicago.com SIP/2.0\nCall-ID  \t: abc\nl: 0\n\n");
        assertThat(msg.callId()).isEqualTo("abc");
    }

    @Test
    void ignoresCrlfBeforeTheStartLine() {
        SipRequest msg = request("\n\nOPTIONS sip:c@chicago.com SIP/2.0\nl: 0\n\n");
        assertThat(msg.method()).isEqualTo(SipMethod.OPTIONS);
        assertThat(msg.content().readerIndex()).isEqualTo(4);
    }

    @Test
    void takesTheRestOfTheDatagramAsBodyWithoutContentLength() {
        SipRequest msg = request("MESSAGE sip:c@chicago.com SIP/2.0\nCall-ID: 1\n\nhello");
        assertThat(msg.contentLength()).isEqualTo(-1);
        assertThat(msg.bodyLength()).isEqualTo(5);
    }

    @Test
    void takesNoBodyWithoutContentLengthOnAStream() {
        ParseResult r = parse("MESSAGE sip:c@chicago.com SIP/2.0\nCall-ID: 1\n\nhello",
                SipLimits.DEFAULTS, Framing.STREAM);
        assertThat(r.message().bodyLength()).isZero();
    }

    @Test
    void ignoresOctetsAfterTheDeclaredBodyOfADatagram() {
        SipRequest msg = request("MESSAGE sip:c@chicago.com SIP/2.0\nl: 2\n\nhello");
        assertThat(msg.bodyLength()).isEqualTo(2);
        assertThat(msg.content().readableBytes()).isEqualTo(msg.bodyStart() + 2);
    }

    @Test
    void acceptsARepeatedContentLengthWithTheSameValue() {
        SipRequest msg = request("MESSAGE sip:c@chicago.com SIP/2.0\nl: 2\nContent-Length: 2\n\nhi");
        assertThat(msg.bodyLength()).isEqualTo(2);
    }

    @Test
    void rejectsAContentLengthLargerThanTheDatagram() {
        ParseResult r = parse("MESSAGE sip:c@chicago.com SIP/2.0\nContent-Length: 10\n\nhello");
        assertThat(r.failure()).isEqualTo(new ParseFailure(ParseError.BODY_SHORTER_THAN_CONTENT_LENGTH, 51));
        assertThat(r.failure().statusCode()).isEqualTo(400);
    }

    @Test
    void rejectsANegativeContentLength() {
        assertThat(error("MESSAGE sip:c@chicago.com SIP/2.0\nContent-Length: -1\n\n"))
                .isEqualTo(ParseError.BAD_CONTENT_LENGTH);
    }

    @Test
    void rejectsConflictingContentLengths() {
        assertThat(error("MESSAGE sip:c@chicago.com SIP/2.0\nContent-Length: 1\nl: 2\n\nhi"))
                .isEqualTo(ParseError.CONFLICTING_CONTENT_LENGTH);
    }

    @Test
    void rejectsTwoSpacesBetweenRequestLineElements() {
        assertThat(error("OPTIONS  sip:c@chicago.com SIP/2.0\nl: 0\n\n"))
                .isEqualTo(ParseError.EXTRA_WHITESPACE_IN_START_LINE);
    }

    @Test
    void rejectsASpaceBeforeTheVersion() {
        assertThat(error("OPTIONS sip:c@chicago.com  SIP/2.0\nl: 0\n\n"))
                .isEqualTo(ParseError.EXTRA_WHITESPACE_IN_START_LINE);
    }

    @Test
    void rejectsTrailingSpaceAfterTheVersion() {
        assertThat(error("OPTIONS sip:c@chicago.com SIP/2.0\s\nl: 0\n\n"))
                .isEqualTo(ParseError.EXTRA_WHITESPACE_IN_START_LINE);
    }

    @Test
    void rejectsARequestUriInAngleBrackets() {
        assertThat(error("OPTIONS <sip:c@chicago.com> SIP/2.0\nl: 0\n\n"))
                .isEqualTo(ParseError.REQUEST_URI_IN_ANGLE_BRACKETS);
    }

    @Test
    void rejectsWhitespaceInsideTheRequestUri() {
        assertThat(error("OPTIONS sip:c@chicago.com; lr SIP/2.0\nl: 0\n\n"))
                .isEqualTo(ParseError.WHITESPACE_IN_REQUEST_URI);
    }

    @Test
    void answers505ToAnotherSipVersion() {
        ParseResult r = parse("OPTIONS sip:c@chicago.com SIP/3.0\nl: 0\n\n");
        assertThat(r.failure()).isEqualTo(new ParseFailure(ParseError.UNSUPPORTED_VERSION, 26));
        assertThat(r.failure().statusCode()).isEqualTo(505);
    }

    @Test
    void acceptsTheVersionInLowerCase() {
        assertThat(request("OPTIONS sip:c@chicago.com sip/2.0\nl: 0\n\n").method()).isEqualTo(SipMethod.OPTIONS);
    }

    @Test
    void rejectsARequestLineWithoutVersion() {
        assertThat(error("INVITE sip:alan@jasomi.com\nl: 0\n\n")).isEqualTo(ParseError.MALFORMED_START_LINE);
    }

    @Test
    void rejectsAMethodThatIsNotAToken() {
        assertThat(error("INV@ITE sip:c@chicago.com SIP/2.0\nl: 0\n\n")).isEqualTo(ParseError.BAD_METHOD);
    }

    @Test
    void rejectsAStatusCodeOutside100To699() {
        assertThat(error("SIP/2.0 099 Odd\nl: 0\n\n")).isEqualTo(ParseError.BAD_STATUS_CODE);
        assertThat(error("SIP/2.0 700 Odd\nl: 0\n\n")).isEqualTo(ParseError.BAD_STATUS_CODE);
    }

    @Test
    void rejectsAStatusCodeOfFourDigits() {
        assertThat(error("SIP/2.0 2000 OK\nl: 0\n\n")).isEqualTo(ParseError.BAD_STATUS_CODE);
    }

    @Test
    void dropsAFailedStatusLine() {
        assertThat(ParseError.BAD_STATUS_CODE.isAnswerable()).isFalse();
    }

    @Test
    void rejectsAStatusLineWithoutTheSpaceBeforeTheReason() {
        assertThat(error("SIP/2.0 200\nl: 0\n\n")).isEqualTo(ParseError.MALFORMED_START_LINE);
    }

    @Test
    void rejectsAHeaderSectionWithoutTheEmptyLine() {
        assertThat(error("OPTIONS sip:c@chicago.com SIP/2.0\nl: 0\n")).isEqualTo(ParseError.HEADERS_UNTERMINATED);
    }

    @Test
    void rejectsAHeaderLineWithoutColon() {
        ParseResult r = parse("OPTIONS sip:c@chicago.com SIP/2.0\nCall-ID x\nl: 0\n\n");
        assertThat(r.failure()).isEqualTo(new ParseFailure(ParseError.MALFORMED_HEADER, 43));
    }

    @Test
    void rejectsAContinuationLineRightAfterTheStartLine() {
        assertThat(error("OPTIONS sip:c@chicago.com SIP/2.0\n Call-ID: x\nl: 0\n\n"))
                .isEqualTo(ParseError.CONTINUATION_WITHOUT_HEADER);
    }

    @Test
    void rejectsABareLineFeed() {
        ByteBuf buf = io.netty.buffer.Unpooled.copiedBuffer(
                "OPTIONS sip:c@chicago.com SIP/2.0\r\nCall-ID: x\nl: 0\r\n\r\n", java.nio.charset.StandardCharsets.US_ASCII);
        buffers.add(buf);
        ParseResult r = SipParser.parse(buf, SipLimits.DEFAULTS, Framing.DATAGRAM);
        assertThat(r.failure().error()).isEqualTo(ParseError.BARE_LINE_BREAK);
    }

    @Test
    void reportsNothingButLineBreaksAsEmpty() {
        ParseResult r = parse("\n\n");
        assertThat(r.failure().error()).isEqualTo(ParseError.EMPTY);
        assertThat(r.failure().error().isAnswerable()).isFalse();
    }

    @Test
    void answers413ToAMessageAboveTheLimit() {
        ParseResult r = parse(INVITE, SipLimits.DEFAULTS.withMaxMessageBytes(100), Framing.DATAGRAM);
        assertThat(r.failure()).isEqualTo(new ParseFailure(ParseError.MESSAGE_TOO_LARGE, 100));
        assertThat(r.failure().statusCode()).isEqualTo(413);
    }

    @Test
    void rejectsMoreHeaderValuesThanTheLimit() {
        ParseResult r = parse(INVITE, SipLimits.DEFAULTS.withMaxHeaders(3), Framing.DATAGRAM);
        assertThat(r.failure().error()).isEqualTo(ParseError.TOO_MANY_HEADERS);
    }

    @Test
    void limitsHeaderValuesTo65535AsTheConfigurationDoes() {
        assertThat(SipLimits.DEFAULTS.withMaxHeaders(65_535).maxHeaders()).isEqualTo(65_535);
        assertThatThrownBy(() -> SipLimits.DEFAULTS.withMaxHeaders(65_536))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("1 ~ 65535");
    }

    @Test
    void rejectsAHeaderLongerThanTheLimit() {
        ParseResult r = parse(INVITE, SipLimits.DEFAULTS.withMaxLineBytes(40), Framing.DATAGRAM);
        assertThat(r.failure().error()).isEqualTo(ParseError.LINE_TOO_LONG);
    }

    @Test
    void leavesTheBufferUntouchedOnFailure() {
        ByteBuf buf = sip("OPTIONS <sip:c@chicago.com> SIP/2.0\nl: 0\n\n");
        buffers.add(buf);
        int writer = buf.writerIndex();
        ParseResult r = SipParser.parse(buf, SipLimits.DEFAULTS, Framing.DATAGRAM);
        assertThat(r.isSuccess()).isFalse();
        assertThat(buf.refCnt()).isEqualTo(1);
        assertThat(buf.readerIndex()).isZero();
        assertThat(buf.writerIndex()).isEqualTo(writer);
    }

    @Test
    void keepsOffsetsAbsoluteInASliceOfALargerBuffer() {
        ByteBuf big = io.netty.buffer.Unpooled.buffer(1024);
        big.writeZero(100).writeBytes(SipText.sipBytes(INVITE));
        big.readerIndex(100);
        ParseResult r = SipParser.parse(big, SipLimits.DEFAULTS, Framing.DATAGRAM);
        results.add(r);
        SipRequest msg = (SipRequest) r.message();
        assertThat(msg.methodStart()).isEqualTo(100);
        assertThat(msg.topVia().branch()).isEqualTo("z9hG4bKnashds8");
    }
}

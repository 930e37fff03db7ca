package io.siplb.sip;

import static io.siplb.sip.SipText.sip;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** {@link SipMessage#verify()}: one rule per test, on RFC 3261 §24.2-style requests. */
class SipMessageVerifyTest {

    private static final String HEAD = "INVITE sip:bob@biloxi.com SIP/2.0\n";
    private static final String VIA = "Via: SIP/2.0/UDP pc33.atlanta.com;branch=z9hG4bKnashds8\n";
    private static final String MF = "Max-Forwards: 70\n";
    private static final String TO = "To: Bob <sip:bob@biloxi.com>\n";
    private static final String FROM = "From: Alice <sip:alice@atlanta.com>;tag=1928301774\n";
    private static final String CALL_ID = "Call-ID: a84b4c76e66710\n";
    private static final String CSEQ = "CSeq: 314159 INVITE\n";
    private static final String END = "Content-Length: 0\n\n";

    private final List<SipMessage> messages = new ArrayList<>();

    @AfterEach
    void release() {
        messages.forEach(SipMessage::release);
    }

    private ParseFailure verify(String text) {
        ParseResult r = SipParser.parse(sip(text), SipLimits.DEFAULTS, Framing.DATAGRAM);
        assertThat(r.failure()).as("parse").isNull();
        messages.add(r.message());
        return r.message().verify();
    }

    private ParseError error(String text) {
        ParseFailure f = verify(text);
        assertThat(f).as("verify").isNotNull();
        return f.error();
    }

    @Test
    void acceptsACompleteRequest() {
        assertThat(verify(HEAD + VIA + MF + TO + FROM + CALL_ID + CSEQ + END)).isNull();
    }

    @Test
    void acceptsARequestWithoutMaxForwards() {
        assertThat(verify(HEAD + VIA + TO + FROM + CALL_ID + CSEQ + END)).isNull();
    }

    @Test
    void requiresVia() {
        assertThat(error(HEAD + MF + TO + FROM + CALL_ID + CSEQ + END)).isEqualTo(ParseError.MISSING_VIA);
    }

    @Test
    void requiresFrom() {
        assertThat(error(HEAD + VIA + MF + TO + CALL_ID + CSEQ + END)).isEqualTo(ParseError.MISSING_FROM);
    }

    @Test
    void requiresTo() {
        assertThat(error(HEAD + VIA + MF + FROM + CALL_ID + CSEQ + END)).isEqualTo(ParseError.MISSING_TO);
    }

    @Test
    void requiresCallId() {
        assertThat(error(HEAD + VIA + MF + TO + FROM + CSEQ + END)).isEqualTo(ParseError.MISSING_CALL_ID);
    }

    @Test
    void requiresCSeq() {
        assertThat(error(HEAD + VIA + MF + TO + FROM + CALL_ID + END)).isEqualTo(ParseError.MISSING_CSEQ);
    }

    @Test
    void reportsAMissingHeaderAtTheEndOfTheHeaderSection() {
        String text = HEAD + VIA + MF + TO + FROM + CALL_ID + END;
        ParseFailure f = verify(text);
        assertThat(f.offset()).isEqualTo(messages.get(0).headersEnd());
    }

    @Test
    void rejectsASecondFromAtItsLine() {
        String text = HEAD + VIA + MF + TO + FROM + FROM + CALL_ID + CSEQ + END;
        ParseFailure f = verify(text);
        assertThat(f.error()).isEqualTo(ParseError.DUPLICATE_HEADER);
        SipMessage msg = messages.get(0);
        int second = msg.next(msg.first(HeaderName.FROM));
        assertThat(f.offset()).isEqualTo(msg.lineStart(second));
    }

    @Test
    void rejectsASecondCallIdInCompactForm() {
        assertThat(error(HEAD + VIA + MF + TO + FROM + CALL_ID + "i: other\n" + CSEQ + END))
                .isEqualTo(ParseError.DUPLICATE_HEADER);
    }

    @Test
    void rejectsTwoMaxForwards() {
        assertThat(error(HEAD + VIA + MF + "Max-Forwards: 5\n" + TO + FROM + CALL_ID + CSEQ + END))
                .isEqualTo(ParseError.DUPLICATE_HEADER);
    }

    @Test
    void rejectsACSeqMethodOtherThanTheRequestMethod() {
        ParseError e = error(HEAD + VIA + MF + TO + FROM + CALL_ID + "CSeq: 314159 BYE\n" + END);
        assertThat(e).isEqualTo(ParseError.CSEQ_METHOD_MISMATCH);
        assertThat(e.statusCode()).isEqualTo(400);
    }

    @Test
    void comparesTheCSeqMethodCaseSensitively() {
        assertThat(error(HEAD + VIA + MF + TO + FROM + CALL_ID + "CSeq: 1 invite\n" + END))
                .isEqualTo(ParseError.CSEQ_METHOD_MISMATCH);
    }

    @Test
    void answers501ToAnUnknownMethodWithAnotherCSeqMethod() {
        String text = "FOO sip:bob@biloxi.com SIP/2.0\n" + VIA + MF + TO + FROM + CALL_ID + CSEQ + END;
        ParseError e = error(text);
        assertThat(e).isEqualTo(ParseError.UNKNOWN_METHOD_CSEQ_MISMATCH);
        assertThat(e.statusCode()).isEqualTo(501);
    }

    @Test
    void acceptsAnUnknownMethodWithTheSameCSeqMethod() {
        assertThat(verify("FOO sip:bob@biloxi.com SIP/2.0\n" + VIA + MF + TO + FROM + CALL_ID
                + "CSeq: 1 FOO\n" + END)).isNull();
    }

    @Test
    void rejectsACSeqNumberAbove2To32Minus1() {
        assertThat(error(HEAD + VIA + MF + TO + FROM + CALL_ID + "CSeq: 4294967296 INVITE\n" + END))
                .isEqualTo(ParseError.BAD_CSEQ);
    }

    @Test
    void acceptsTheLargestCSeqNumber() {
        assertThat(verify(HEAD + VIA + MF + TO + FROM + CALL_ID + "CSeq: 4294967295 INVITE\n" + END)).isNull();
    }

    @Test
    void rejectsMaxForwardsAbove255() {
        assertThat(error(HEAD + VIA + "Max-Forwards: 256\n" + TO + FROM + CALL_ID + CSEQ + END))
                .isEqualTo(ParseError.BAD_MAX_FORWARDS);
    }

    @Test
    void rejectsAMalformedVia() {
        assertThat(error(HEAD + "Via: SIP/2.0/UDP\n" + MF + TO + FROM + CALL_ID + CSEQ + END))
                .isEqualTo(ParseError.BAD_VIA);
    }

    @Test
    void rejectsAnEmptyViaValueBetweenCommas() {
        assertThat(error(HEAD + "Via: SIP/2.0/UDP a.example.com;branch=z9hG4bK1,,SIP/2.0/UDP b.example.com\n"
                + MF + TO + FROM + CALL_ID + CSEQ + END)).isEqualTo(ParseError.BAD_VIA);
    }

    @Test
    void rejectsAViaOfAnotherSipVersion() {
        assertThat(error(HEAD + "Via: SIP/3.0/UDP pc33.atlanta.com;branch=z9hG4bK1\n"
                + MF + TO + FROM + CALL_ID + CSEQ + END)).isEqualTo(ParseError.BAD_VIA);
    }

    @Test
    void rejectsABranchThatIsOnlyTheMagicCookie() {
        String text = HEAD + "Via: SIP/2.0/UDP pc33.atlanta.com;branch=z9hG4bK\n" + MF + TO + FROM + CALL_ID + CSEQ + END;
        ParseFailure f = verify(text);
        assertThat(f.error()).isEqualTo(ParseError.BAD_BRANCH);
        assertThat(f.offset()).isEqualTo(text.indexOf(";branch") + 1); // after HEAD's CR
    }

    @Test
    void acceptsAViaWithoutBranch() {
        assertThat(verify(HEAD + "Via: SIP/2.0/UDP pc33.atlanta.com\n" + MF + TO + FROM + CALL_ID + CSEQ + END))
                .isNull();
    }

    @Test
    void rejectsAMalformedFrom() {
        assertThat(error(HEAD + VIA + MF + TO + "From: \"Alice <sip:alice@atlanta.com>\n" + CALL_ID + CSEQ + END))
                .isEqualTo(ParseError.BAD_FROM);
    }

    @Test
    void rejectsAMalformedTo() {
        assertThat(error(HEAD + VIA + MF + "To: < sip:bob@biloxi.com >\n" + FROM + CALL_ID + CSEQ + END))
                .isEqualTo(ParseError.BAD_TO);
    }

    @Test
    void rejectsAMalformedRequestUri() {
        assertThat(error("INVITE sip: SIP/2.0\n" + VIA + MF + TO + FROM + CALL_ID + CSEQ + END))
                .isEqualTo(ParseError.BAD_REQUEST_URI);
    }

    @Test
    void rejectsHeadersInTheRequestUri() {
        assertThat(error("INVITE sip:bob@biloxi.com?Subject=hi SIP/2.0\n" + VIA + MF + TO + FROM + CALL_ID + CSEQ + END))
                .isEqualTo(ParseError.REQUEST_URI_HAS_HEADERS);
    }

    @Test
    void rejectsAnEmptyCallId() {
        assertThat(error(HEAD + VIA + MF + TO + FROM + "Call-ID:\n" + CSEQ + END)).isEqualTo(ParseError.BAD_CALL_ID);
    }

    @Test
    void rejectsACallIdWithWhitespace() {
        assertThat(error(HEAD + VIA + MF + TO + FROM + "Call-ID: a b\n" + CSEQ + END)).isEqualTo(ParseError.BAD_CALL_ID);
    }

    @Test
    void acceptsContactStar() {
        assertThat(verify("REGISTER sip:biloxi.com SIP/2.0\n" + VIA + MF + TO + FROM + CALL_ID
                + "CSeq: 1 REGISTER\nContact: *\nExpires: 0\n" + END)).isNull();
    }

    @Test
    void rejectsAnAddrSpecContactWithUriHeaders() {
        assertThat(error("REGISTER sip:biloxi.com SIP/2.0\n" + VIA + MF + TO + FROM + CALL_ID
                + "CSeq: 1 REGISTER\nContact: sip:bob@biloxi.com?Route=%3Csip:x%3E\n" + END))
                .isEqualTo(ParseError.BAD_CONTACT);
    }

    @Test
    void verifiesResponsesWithoutTheRequestRules() {
        assertThat(verify("SIP/2.0 200 OK\n" + VIA + TO + FROM + CALL_ID + CSEQ + END)).isNull();
    }

    @Test
    void rejectsAResponseWithoutCSeq() {
        assertThat(error("SIP/2.0 200 OK\n" + VIA + TO + FROM + CALL_ID + END)).isEqualTo(ParseError.MISSING_CSEQ);
    }
}

package io.siplb.sip;

import static org.assertj.core.api.Assertions.assertThat;

import io.siplb.sip.header.Via;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every message of RFC 4475 (sip/rfc4475, the RFC's own archive bytes), parsed as one UDP
 * datagram and verified, against the verdicts of sip/rfc4475/index.tsv.
 *
 * <p>Choices where the RFC leaves one:
 * <ul>
 *   <li>The liberal alternatives of §3.1.2.6 to §3.1.2.15 (repairing a start line or header)
 *       are not taken: a stateless proxy that repaired them would forward bytes its next
 *       hop may read differently.</li>
 *   <li>baddate (§3.1.2.12): the index says forward (a proxy does not use Date), so it is
 *       accepted; Date is never parsed.</li>
 *   <li>baddn (§3.1.2.15): the RFC's archive has no empty line after the header section, so
 *       the parser rejects it for that before it reaches the display names; with the CRLF
 *       added it fails on the display name (see {@link #baddnWithItsEmptyLineFailsOnTheDisplayName}).</li>
 *   <li>mismatch02 (§3.1.2.18): 501, the RFC's first choice.</li>
 *   <li>unkscm, novelsc (416), bext01 (420), zeromf (483): well-formed; the code is the
 *       router's decision, so the codec accepts them.</li>
 * </ul>
 */
class Rfc4475TortureTest {

    private static final String DIR = "sip/rfc4475/";

    /** What parse() or verify() must report for each invalid message. */
    private static final Map<String, ParseError> REJECTIONS = Map.ofEntries(
            Map.entry("badinv01.dat", ParseError.BAD_VIA),
            Map.entry("clerr.dat", ParseError.BODY_SHORTER_THAN_CONTENT_LENGTH),
            Map.entry("ncl.dat", ParseError.BAD_CONTENT_LENGTH),
            Map.entry("scalar02.dat", ParseError.BAD_CSEQ),
            Map.entry("scalarlg.dat", ParseError.BAD_CSEQ),
            Map.entry("quotbal.dat", ParseError.BAD_TO),
            Map.entry("ltgtruri.dat", ParseError.REQUEST_URI_IN_ANGLE_BRACKETS),
            Map.entry("lwsruri.dat", ParseError.WHITESPACE_IN_REQUEST_URI),
            Map.entry("lwsstart.dat", ParseError.EXTRA_WHITESPACE_IN_START_LINE),
            Map.entry("trws.dat", ParseError.EXTRA_WHITESPACE_IN_START_LINE),
            Map.entry("escruri.dat", ParseError.REQUEST_URI_HAS_HEADERS),
            Map.entry("regbadct.dat", ParseError.BAD_CONTACT),
            Map.entry("badaspec.dat", ParseError.BAD_TO),
            Map.entry("baddn.dat", ParseError.HEADERS_UNTERMINATED),
            Map.entry("badvers.dat", ParseError.UNSUPPORTED_VERSION),
            Map.entry("mismatch01.dat", ParseError.CSEQ_METHOD_MISMATCH),
            Map.entry("mismatch02.dat", ParseError.UNKNOWN_METHOD_CSEQ_MISMATCH),
            Map.entry("bigcode.dat", ParseError.BAD_STATUS_CODE),
            Map.entry("badbranch.dat", ParseError.BAD_BRANCH),
            Map.entry("insuf.dat", ParseError.MISSING_FROM),
            Map.entry("multi01.dat", ParseError.DUPLICATE_HEADER),
            Map.entry("mcl01.dat", ParseError.CONFLICTING_CONTENT_LENGTH));

    static Stream<TortureCase> cases() {
        return TortureCase.load("sip/rfc4475").stream();
    }

    @Test
    void indexListsAllFortyNineMessages() {
        assertThat(TortureCase.load("sip/rfc4475")).hasSize(49)
                .filteredOn(TortureCase::invalid).hasSize(23);
    }

    @ParameterizedTest
    @MethodSource("cases")
    void meetsTheVerdictOfTheIndex(TortureCase c) {
        try (TortureRun run = TortureRun.of(DIR + c.file())) {
            ParseError expected = REJECTIONS.get(c.file());
            if (c.action().equals("forward") || !c.invalid()) {
                assertThat(expected).as("no rejection listed for an accepted message").isNull();
                assertThat(run.failure()).as(c.toString()).isNull();
                return;
            }
            assertThat(run.failure()).as(c.toString()).isNotNull();
            assertThat(run.failure().error()).as(c.toString()).isEqualTo(expected);
            if (c.respondCode() != 0) {
                assertThat(run.failure().statusCode()).as(c.toString()).isEqualTo(c.respondCode());
            } else {
                // "drop": a response (never answered) or nothing answerable
                boolean response = new String(SipText.resourceBytes(DIR + c.file()), 0, 4,
                        StandardCharsets.US_ASCII).equals("SIP/");
                assertThat(response || !run.failure().error().isAnswerable()).as(c.toString()).isTrue();
            }
        }
    }

    @Test
    void wsinvUnfoldsEveryHeaderAndReadsLeadingZeros() {
        try (TortureRun run = TortureRun.of(DIR + "wsinv.dat")) {
            SipRequest msg = run.request();
            assertThat(msg.method()).isEqualTo(SipMethod.INVITE);
            assertThat(msg.maxForwards()).isEqualTo(68);
            assertThat(msg.cseq().number()).isEqualTo(9);
            assertThat(msg.cseq().method()).isEqualTo(SipMethod.INVITE);
            assertThat(msg.count(HeaderName.VIA)).isEqualTo(3);
            assertThat(msg.topVia().transport()).isEqualTo("UDP");
            assertThat(msg.topVia().host()).isEqualTo("192.0.2.2");
            assertThat(msg.topVia().branch()).isEqualTo("390skdjuw");
            int second = msg.next(msg.first(HeaderName.VIA));
            Via v2 = Via.parse(msg.content(), msg.valueStart(second), msg.valueEnd(second));
            assertThat(v2.transport()).isEqualTo("TCP");
            assertThat(v2.branch()).isEqualTo("z9hG4bK9ikj8");
            assertThat(msg.to().tag()).isEqualTo("1918181833n");
            assertThat(msg.from().tag()).isEqualTo("98asjd8");
            assertThat(msg.from().displayName()).isEqualTo("J Rosenberg \\\"");
            assertThat(msg.callId()).isEqualTo("wsinv.ndaksdj@192.0.2.1");
            assertThat(msg.contentLength()).isEqualTo(150);
            assertThat(msg.bodyLength()).isEqualTo(150);
            assertThat(msg.value(msg.first(HeaderName.SUBJECT))).isEmpty();
            int unusual = msg.first(HeaderName.OTHER);
            List<String> unknown = new ArrayList<>();
            for (int h = unusual; h >= 0; h = msg.next(h)) {
                unknown.add(msg.rawName(h) + '=' + msg.value(h));
            }
            assertThat(unknown).containsExactly(
                    "NewFangledHeader=newfangled value\r\n continued newfangled value",
                    "UnknownHeaderWithUnusualValue=;;,,;;,;");
            assertThat(msg.count(HeaderName.ROUTE)).isEqualTo(1);
            assertThat(msg.count(HeaderName.CONTACT)).isEqualTo(1);
        }
    }

    @Test
    void intmethKeepsTheUnknownMethodAsWritten() {
        try (TortureRun run = TortureRun.of(DIR + "intmeth.dat")) {
            assertThat(run.request().method()).isEqualTo(SipMethod.OTHER);
            assertThat(run.request().methodName()).isEqualTo("!interesting-Method0123456789_*+`.%indeed'~");
            assertThat(run.request().cseq().methodName()).isEqualTo(run.request().methodName());
            assertThat(run.request().topVia().branch()).isEqualTo("z9hG4bK-.!%66*_+`'~");
        }
    }

    @Test
    void esc02IsAnUnknownMethodWithTwoContacts() {
        try (TortureRun run = TortureRun.of(DIR + "esc02.dat")) {
            SipRequest msg = run.request();
            assertThat(msg.method()).isEqualTo(SipMethod.OTHER);
            assertThat(msg.methodName()).isEqualTo("RE%47IST%45R");
            // C%6Fntact is an extension header, not Contact (RFC 4475 §3.1.1.5)
            assertThat(msg.count(HeaderName.CONTACT)).isEqualTo(2);
            assertThat(msg.rawName(msg.first(HeaderName.OTHER))).isEqualTo("C%6Fntact");
        }
    }

    @Test
    void longreqIndexesEveryViaWhateverTheCaseOrFormOfItsName() {
        try (TortureRun run = TortureRun.of(DIR + "longreq.dat")) {
            SipMessage msg = run.message();
            assertThat(msg.count(HeaderName.VIA)).isEqualTo(34);
            assertThat(msg.topVia().transport()).isEqualTo("TCP");
            assertThat(msg.topVia().host()).isEqualTo("sip33.example.com");
            assertThat(msg.topVia().branch()).isNull();
            int last = msg.first(HeaderName.VIA);
            while (msg.next(last) >= 0) {
                last = msg.next(last);
            }
            assertThat(msg.value(last)).startsWith("SIP/2.0/TCP host.example.com;received=192.0.2.5");
            assertThat(msg.bodyLength()).isEqualTo((int) msg.contentLength());
        }
    }

    @Test
    void dblreqFramesOnlyTheRegisterAndDropsTheTrailingOctets() {
        byte[] bytes = SipText.resourceBytes(DIR + "dblreq.dat");
        try (TortureRun run = TortureRun.of(bytes)) {
            SipRequest msg = run.request();
            assertThat(msg.method()).isEqualTo(SipMethod.REGISTER);
            assertThat(msg.bodyLength()).isZero();
            assertThat(msg.content().writerIndex()).isEqualTo(msg.bodyStart());
            assertThat(bytes.length - msg.content().writerIndex()).isEqualTo(450);
        }
    }

    @Test
    void mpart01KeepsItsBinaryBodyWhole() {
        try (TortureRun run = TortureRun.of(DIR + "mpart01.dat")) {
            assertThat(run.message().bodyLength()).isEqualTo(553);
            assertThat(run.message().content().writerIndex())
                    .isEqualTo(SipText.resourceBytes(DIR + "mpart01.dat").length);
        }
    }

    @Test
    void inv2543TakesTheRestOfTheDatagramAsItsBody() {
        byte[] bytes = SipText.resourceBytes(DIR + "inv2543.dat");
        try (TortureRun run = TortureRun.of(bytes)) {
            SipMessage msg = run.message();
            assertThat(msg.contentLength()).isEqualTo(-1);
            assertThat(msg.bodyStart() + msg.bodyLength()).isEqualTo(bytes.length);
            assertThat(msg.bodyLength()).isPositive();
            assertThat(msg.topVia().branch()).isNull();
            assertThat(msg.maxForwards()).isEqualTo(-1);
        }
    }

    @Test
    void transportsReadsFiveViaTransports() {
        try (TortureRun run = TortureRun.of(DIR + "transports.dat")) {
            SipMessage msg = run.message();
            List<String> transports = new ArrayList<>();
            for (int h = msg.first(HeaderName.VIA); h >= 0; h = msg.next(h)) {
                transports.add(Via.parse(msg.content(), msg.valueStart(h), msg.valueEnd(h)).transport());
            }
            assertThat(transports).containsExactly("UDP", "SCTP", "TLS", "UNKNOWN", "TCP");
        }
    }

    @Test
    void responsesWithUnusualOrEmptyReasonPhrasesParse() {
        try (TortureRun unreason = TortureRun.of(DIR + "unreason.dat");
             TortureRun noreason = TortureRun.of(DIR + "noreason.dat")) {
            assertThat(unreason.response().statusCode()).isEqualTo(200);
            assertThat(unreason.response().reasonPhrase()).startsWith("= 2**3 * 5**2 ")
                    .contains("\u043d\u043e");
            assertThat(noreason.response().statusCode()).isEqualTo(100);
            assertThat(noreason.response().reasonPhrase()).isEmpty();
        }
    }

    @Test
    void bcastParsesWithTheBroadcastAddressInItsSecondVia() {
        try (TortureRun run = TortureRun.of(DIR + "bcast.dat")) {
            SipMessage msg = run.message();
            assertThat(run.response().statusCode()).isEqualTo(200);
            int second = msg.next(msg.first(HeaderName.VIA));
            assertThat(Via.parse(msg.content(), msg.valueStart(second), msg.valueEnd(second)).host())
                    .isEqualTo("255.255.255.255");
        }
    }

    @Test
    void unknownUriSchemesParseAsOpaqueRequestUris() {
        try (TortureRun unkscm = TortureRun.of(DIR + "unkscm.dat");
             TortureRun novelsc = TortureRun.of(DIR + "novelsc.dat")) {
            assertThat(unkscm.request().requestUri().schemeName()).isEqualToIgnoringCase("nobodyKnowsThisScheme");
            assertThat(unkscm.request().requestUri().isSip()).isFalse();
            assertThat(novelsc.request().requestUri().schemeName()).isEqualToIgnoringCase("soap.beep");
        }
    }

    @Test
    void zeromfReadsMaxForwardsZero() {
        try (TortureRun run = TortureRun.of(DIR + "zeromf.dat")) {
            assertThat(run.message().maxForwards()).isZero();
        }
    }

    @Test
    void baddnWithItsEmptyLineFailsOnTheDisplayName() {
        byte[] archived = SipText.resourceBytes(DIR + "baddn.dat");
        byte[] completed = Arrays.copyOf(archived, archived.length + 2);
        completed[archived.length] = '\r';
        completed[archived.length + 1] = '\n';
        try (TortureRun run = TortureRun.of(completed)) {
            assertThat(run.parsed.isSuccess()).isTrue();
            assertThat(run.failure().error()).isIn(ParseError.BAD_FROM, ParseError.BAD_TO);
        }
    }

    @Test
    void scalar02AlsoHasMaxForwardsAbove255() {
        try (TortureRun run = TortureRun.of(DIR + "scalar02.dat")) {
            assertThat(run.message().maxForwards()).isEqualTo(-2);
            assertThat(run.message().cseq()).isNull();
        }
    }

    @Test
    void bigcodeFailsAtTheStatusCode() {
        try (TortureRun run = TortureRun.of(DIR + "bigcode.dat")) {
            assertThat(run.failure()).isEqualTo(new ParseFailure(ParseError.BAD_STATUS_CODE, 8));
        }
    }
}

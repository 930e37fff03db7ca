package io.siplb.sip.header;

import io.netty.buffer.ByteBuf;
import io.siplb.sip.SipMethod;
import io.siplb.sip.SipText;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Header values cut straight out of the RFC 4475 and RFC 5118 messages (sip/rfc4475, sip/rfc5118:
 * the RFCs' own bytes), so the parsers are checked against the originals, not a transcription.
 * A value is located by the text it starts with and the text that follows it.
 */
class RfcFixtureValuesTest {

    private static <T> T parse(String resource, String valueStart, String after, Wire.Parser<T> parser) {
        ByteBuf buf = SipText.resource(resource);
        try {
            // ISO-8859-1 maps each byte to one char, so string indices are byte offsets
            String text = buf.toString(StandardCharsets.ISO_8859_1);
            int start = text.indexOf(valueStart);
            assertThat(start).as("%s in %s", valueStart, resource).isNotNegative();
            int end = text.indexOf(after, start + valueStart.length());
            assertThat(end).as("%s after %s in %s", after, valueStart, resource).isNotNegative();
            return parser.parse(buf, start, end);
        } finally {
            buf.release();
        }
    }

    // ---- RFC 4475 §3.1.1.1 wsinv -------------------------------------------------------------------

    @Test
    void wsinvViaFoldedAroundItsSlashes() {
        Via v = parse("sip/rfc4475/wsinv.dat", "SIP  /   2.0", "\r\ns :", Via::parse);

        assertThat(v.transport()).isEqualTo("UDP");
        assertThat(v.host()).isEqualTo("192.0.2.2");
        assertThat(v.branch()).isEqualTo("390skdjuw");
    }

    @Test
    void wsinvCompactViaFirstValue() {
        Via v = parse("sip/rfc4475/wsinv.dat", "SIP  / 2.0  / TCP", ",", Via::parse);

        assertThat(v.host()).isEqualTo("spindle.example.com");
        assertThat(v.branch()).isEqualTo("z9hG4bK9ikj8");
    }

    @Test
    void wsinvCompactViaSecondValueFoldedAfterTheEqualsSign() {
        Via v = parse("sip/rfc4475/wsinv.dat", "SIP  /    2.0", "\r\nm:", Via::parse);

        assertThat(v.host()).isEqualTo("192.168.255.111");
        assertThat(v.branch()).isEqualTo("z9hG4bK30239");
    }

    @Test
    void wsinvToIsAnAddrSpecWithSpacedTag() {
        NameAddr to = parse("sip/rfc4475/wsinv.dat", "sip:vivekg@chair-dnrc.example.com ;", "\r\nfrom", NameAddr::parse);

        assertThat(to.uri().host()).isEqualTo("chair-dnrc.example.com");
        assertThat(to.tag()).isEqualTo("1918181833n");
    }

    @Test
    void wsinvFromHasQuotedPairsAndAFoldedTag() {
        NameAddr from = parse("sip/rfc4475/wsinv.dat", "\"J Rosenberg", "\r\nMaX-fOrWaRdS", NameAddr::parse);

        assertThat(from.displayName()).isEqualTo("J Rosenberg \\\"");
        assertThat(from.tag()).isEqualTo("98asjd8");
    }

    @Test
    void wsinvContactHasFoldedParams() {
        NameAddr m = parse("sip/rfc4475/wsinv.dat", "\"Quoted string", "\r\n\r\n", NameAddr::parse);

        assertThat(m.displayName()).isEqualTo("Quoted string \"\"");
        assertThat(m.param("newparam")).isEqualTo("newvalue");
        assertThat(m.param("secondparam")).isEmpty();
        assertThat(m.param("q")).isEqualTo("0.33");
    }

    @Test
    void wsinvRouteUriHasUnknownParams() {
        NameAddr route = parse("sip/rfc4475/wsinv.dat", "<sip:services", "\r\nv:", NameAddr::parse);

        assertThat(route.uri().hasParam("lr")).isTrue();
        assertThat(route.uri().param("unknownwith")).isEqualTo("value");
        assertThat(route.uri().param("unknown-no-value")).isEmpty();
    }

    @Test
    void wsinvMaxForwardsAndCSeqHaveLeadingZeros() {
        assertThat(parse("sip/rfc4475/wsinv.dat", "0068", "\r\n", MaxForwards::parse)).isEqualTo(68);
        assertThat(parse("sip/rfc4475/wsinv.dat", "0009", "\r\nVia", CSeq::parse))
                .isEqualTo(new CSeq(9, SipMethod.INVITE, "INVITE"));
    }

    // ---- RFC 4475 valid messages ----------------------------------------------------------------

    @Test
    void intmethToDisplayNameHoldsQuotedControlCharacters() {
        NameAddr to = parse("sip/rfc4475/intmeth.dat", "\"BEL:", "\r\nFrom:", NameAddr::parse);

        assertThat(to.displayName()).isEqualTo("BEL:\u0007 NUL:\u0000 DEL:\u007F");
    }

    @Test
    void intmethFromHasATokenDisplayNameAndUtf8Param() {
        NameAddr from = parse("sip/rfc4475/intmeth.dat", "token1~`", "\r\nCall-ID", NameAddr::parse);

        assertThat(from.displayName()).isEqualTo("token1~` token2'+_ token3*%!.-");
        assertThat(from.param("fromParam''~+*_!.-%")).isEqualTo("\"работающий\"");
        assertThat(from.tag()).isEqualTo("_token~1'+`*%!-.");
    }

    @Test
    void intmethViaBranchUsesEveryTokenCharacter() {
        Via v = parse("sip/rfc4475/intmeth.dat", "SIP/2.0/TCP host1", "\r\nTo:", Via::parse);

        assertThat(v.branch()).isEqualTo("z9hG4bK-.!%66*_+`'~");
    }

    @Test
    void intmethRequestUriHasAnUnusualUserAndPassword() {
        SipUri u = parse("sip/rfc4475/intmeth.dat", "sip:1_unusual", " SIP/2.0", SipUri::parse);

        assertThat(u.user()).isEqualTo("1_unusual.URI~(to-be!sure)&isn't+it$/crazy?,/;;*");
        assertThat(u.password()).isEqualTo("&it+has=1,weird!*pas$wo~d_too.(doesn't-it)");
    }

    @Test
    void esc01RequestUriUserUnescapes() {
        SipUri u = parse("sip/rfc4475/esc01.dat", "sip:sips%3A", " SIP/2.0", SipUri::parse);

        assertThat(u.userUnescaped()).isEqualTo("sips:user@example.com");
    }

    @Test
    void esc01ContactHasEscapedParamNames() {
        NameAddr c = parse("sip/rfc4475/esc01.dat", "<sip:cal%6Cer", "\r\nContent-Length", NameAddr::parse);

        assertThat(c.uri().userUnescaped()).isEqualTo("caller");
        assertThat(c.uri().hasParam("lr")).isTrue();
        assertThat(c.uri().param("name")).isEqualTo("v%61lue%25%34%31");
    }

    @Test
    void lwsdispFromHasNoSpaceBeforeTheAngleBracket() {
        NameAddr from = parse("sip/rfc4475/lwsdisp.dat", "caller<", "\r\n", NameAddr::parse);

        assertThat(from.displayName()).isEqualTo("caller");
        assertThat(from.tag()).isEqualTo("323");
    }

    @Test
    void longreqViaHasAVeryLongBranch() {
        Via v = parse("sip/rfc4475/longreq.dat", "SIP/2.0/TCP host.example.com;received", "\r\n", Via::parse);

        assertThat(v.received()).isEqualTo("192.0.2.5");
        assertThat(v.branch()).startsWith("verylonglonglong").hasSizeGreaterThan(100);
    }

    @Test
    void transportsUnknownTransportIsKept() {
        Via v = parse("sip/rfc4475/transports.dat", "SIP/2.0/UNKNOWN", "\r\n", Via::parse);

        assertThat(v.transport()).isEqualTo("UNKNOWN");
    }

    @Test
    void cparam01ParamAfterAnAddrSpecIsAHeaderParam() {
        NameAddr c = parse("sip/rfc4475/cparam01.dat", "sip:+19725552222", "\r\n", NameAddr::parse);

        assertThat(c.param("unknownparam")).isEmpty();
        assertThat(c.uri().hasParam("unknownparam")).isFalse();
    }

    @Test
    void unkscmRequestUriIsOpaque() {
        SipUri u = parse("sip/rfc4475/unkscm.dat", "nobodyKnowsThisScheme:", " SIP/2.0", SipUri::parse);

        assertThat(u.scheme()).isEqualTo(SipUri.Scheme.OTHER);
    }

    // ---- RFC 4475 invalid messages ----------------------------------------------------------------

    @Test
    void baddnDisplayNamesWithCommasAreRejected() {
        assertThat(parse("sip/rfc4475/baddn.dat", "Bell, Alexander", "\r\n", NameAddr::parse)).isNull();
        assertThat(parse("sip/rfc4475/baddn.dat", "Watson, Thomas", "\r\n", NameAddr::parse)).isNull();
    }

    @Test
    void badaspecSpacesInsideTheBracketsAreRejected() {
        assertThat(parse("sip/rfc4475/badaspec.dat", "\"Watson, Thomas\" <", "\r\n", NameAddr::parse)).isNull();
    }

    @Test
    void quotbalUnterminatedQuoteIsRejected() {
        assertThat(parse("sip/rfc4475/quotbal.dat", "\"Mr. J. User", "\r\n", NameAddr::parse)).isNull();
    }

    @Test
    void regbadctHeadersInAnAddrSpecAreRejected() {
        assertThat(parse("sip/rfc4475/regbadct.dat", "sip:user@example.com?Route", "\r\n", NameAddr::parse)).isNull();
    }

    @Test
    void badinv01EmptyViaParamsAreRejected() {
        assertThat(parse("sip/rfc4475/badinv01.dat", "SIP/2.0/UDP 192.0.2.15", ",", Via::parse)).isNull();
    }

    @Test
    void scalar02OverlargeScalarsAreRejected() {
        assertThat(parse("sip/rfc4475/scalar02.dat", "36893488147419103232", "\r\n", CSeq::parse)).isNull();
        assertThat(parse("sip/rfc4475/scalar02.dat", "300", "\r\n", MaxForwards::parse)).isEqualTo(-1);
    }

    // ---- RFC 5118 ------------------------------------------------------------------------------

    @Test
    void receivedWithBracketsIsAccepted() {
        Via v = parse("sip/rfc5118/via-received-param-with-delim.dat", "SIP/2.0/UDP", "\r\n", Via::parse);

        assertThat(v.received()).isEqualTo("[2001:db8::9:255]");
    }

    @Test
    void receivedWithoutBracketsIsAccepted() {
        Via v = parse("sip/rfc5118/via-received-param-no-delim.dat", "SIP/2.0/UDP", "\r\n", Via::parse);

        assertThat(v.received()).isEqualTo("2001:db8::9:255");
    }

    @Test
    void multIpInHeaderViasAllParse() {
        String file = "sip/rfc5118/mult-ip-in-header.dat";

        assertThat(parse(file, "SIP/2.0/UDP [2001", "\r\n", Via::parse).port()).isEqualTo(6050);
        assertThat(parse(file, "SIP/2.0/UDP 192.0.2.1", "\r\n", Via::parse).host()).isEqualTo("192.0.2.1");
        assertThat(parse(file, "SIP/2.0/TCP", "\r\n", Via::parse).received()).isEqualTo("192.0.2.200");
    }

    @Test
    void ipv4MappedViaParses() {
        Via v = parse("sip/rfc5118/ipv4-mapped-ipv6.dat", "SIP/2.0/UDP [::ffff:192.0.2.10]", "\r\n", Via::parse);

        assertThat(v.host()).isEqualTo("[::ffff:192.0.2.10]");
        assertThat(v.port()).isEqualTo(19823);
    }

    @Test
    void portAmbiguousRequestUriHasNoPort() {
        SipUri u = parse("sip/rfc5118/port-ambiguous.dat", "sip:", " SIP/2.0", SipUri::parse);

        assertThat(u.host()).isEqualTo("[2001:db8::10:5070]");
        assertThat(u.port()).isEqualTo(-1);
    }

    @Test
    void ipv6BadRequestUriIsRejected() {
        assertThat(parse("sip/rfc5118/ipv6-bad.dat", "sip:", " SIP/2.0", SipUri::parse)).isNull();
    }

    @Test
    void threeColonRequestUriIsTolerated() {
        SipUri u = parse("sip/rfc5118/ipv6-bug-abnf-3-colons.dat", "sip:", " SIP/2.0", SipUri::parse);

        assertThat(u.host()).isEqualTo("[2001:db8:::192.0.2.1]");
    }
}

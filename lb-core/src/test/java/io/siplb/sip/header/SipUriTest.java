package io.siplb.sip.header;

import io.siplb.sip.header.SipUri.Scheme;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;

class SipUriTest {

    private static SipUri uri(String text) {
        return Wire.parse(SipUri::parse, text);
    }

    // ---- sip and sips -----------------------------------------------------------------------

    @Test
    void readsUserHostAndPort() {
        SipUri u = uri("sip:alice@atlanta.com:5070");

        assertThat(u.scheme()).isEqualTo(Scheme.SIP);
        assertThat(u.user()).isEqualTo("alice");
        assertThat(u.host()).isEqualTo("atlanta.com");
        assertThat(u.port()).isEqualTo(5070);
    }

    @Test
    void readsAUriWithoutUser() {
        SipUri u = uri("sip:registrar.biloxi.com");

        assertThat(u.user()).isNull();
        assertThat(u.host()).isEqualTo("registrar.biloxi.com");
        assertThat(u.port()).isEqualTo(-1);
    }

    @Test
    void readsSipsAndIgnoresSchemeCase() {
        assertThat(uri("SIPS:bob@biloxi.com").scheme()).isEqualTo(Scheme.SIPS);
        assertThat(uri("Sip:bob@biloxi.com").scheme()).isEqualTo(Scheme.SIP);
    }

    @Test
    void lowerCasesTheHostButNotTheUser() {
        SipUri u = uri("sip:Alice@AtLanTa.COM");

        assertThat(u.host()).isEqualTo("atlanta.com");
        assertThat(u.user()).isEqualTo("Alice");
    }

    @Test
    void readsThePassword() {
        assertThat(uri("sip:alice:secretword@atlanta.com;transport=tcp").password()).isEqualTo("secretword");
    }

    @Test
    void readsUriParamsCaseInsensitively() {
        SipUri u = uri("sip:p1.example.com;LR;Transport=tcp;maddr=239.255.255.1;ttl=15");

        assertThat(u.hasParam("lr")).isTrue();
        assertThat(u.param("lr")).isEmpty();
        assertThat(u.param("transport")).isEqualTo("tcp");
        assertThat(u.param("maddr")).isEqualTo("239.255.255.1");
        assertThat(u.param("ob")).isNull();
        assertThat(u.hasParam("ob")).isFalse();
    }

    @Test
    void readsHeadersAfterTheQuestionMark() {
        String text = "sip:user@example.com?Route=%3Csip:sip.example.com%3E";
        SipUri u = uri(text);

        assertThat(u.hasHeaders()).isTrue();
        assertThat(u.headersStart()).isEqualTo(text.indexOf('?'));
        assertThat(u.host()).isEqualTo("example.com");
    }

    @Test
    void readsSeveralHeaders() {
        SipUri u = uri("sips:alice@atlanta.com?subject=project%20x&priority=urgent");

        assertThat(u.hasHeaders()).isTrue();
    }

    @Test
    void hasNoHeadersWithoutQuestionMark() {
        assertThat(uri("sip:alice@atlanta.com").hasHeaders()).isFalse();
    }

    @Test
    void acceptsTheUnusualUserAndPasswordOfIntmeth() {
        // RFC 4475 §3.1.1.3 intmeth Request-URI
        SipUri u = uri("sip:1_unusual.URI~(to-be!sure)&isn't+it$/crazy?,/;;*:&it+has=1,weird!*pas$wo~d_too.(doesn't-it)"
                + "@example.com");

        assertThat(u.user()).isEqualTo("1_unusual.URI~(to-be!sure)&isn't+it$/crazy?,/;;*");
        assertThat(u.password()).isEqualTo("&it+has=1,weird!*pas$wo~d_too.(doesn't-it)");
        assertThat(u.host()).isEqualTo("example.com");
    }

    @Test
    void acceptsASemicolonInTheUser() {
        // RFC 4475 §3.1.1.8 semiuri
        SipUri u = uri("sip:user;par=u%40example.net@example.com");

        assertThat(u.user()).isEqualTo("user;par=u%40example.net");
        assertThat(u.host()).isEqualTo("example.com");
        assertThat(u.params().isEmpty()).isTrue();
    }

    // ---- escapes ---------------------------------------------------------------------------------

    @Test
    void unescapesTheUserOfEsc01() {
        // RFC 4475 §3.1.1.4 esc01 Request-URI
        SipUri u = uri("sip:sips%3Auser%40example.com@example.net");

        assertThat(u.user()).isEqualTo("sips%3Auser%40example.com");
        assertThat(u.userUnescaped()).isEqualTo("sips:user@example.com");
        assertThat(u.host()).isEqualTo("example.net");
    }

    @Test
    void unescapesSpacesAndLetters() {
        assertThat(uri("sip:I%20have%20spaces@example.net").userUnescaped()).isEqualTo("I have spaces");
        assertThat(uri("sip:%75se%72@example.com").userUnescaped()).isEqualTo("user");
    }

    @Test
    void unescapesNulInTheUser() {
        // RFC 4475 §3.1.1.5 escnull
        assertThat(uri("sip:null-%00-null@example.com").userUnescaped()).isEqualTo("null-\0-null");
    }

    @Test
    void userUnescapedReturnsTheSameStringWithoutEscapes() {
        SipUri u = uri("sip:alice@example.com");

        assertThat(u.userUnescaped()).isSameAs(u.user());
    }

    @Test
    void decodesEscapedParamNames() {
        // RFC 4475 §3.1.1.4 esc01 Contact: <sip:cal%6Cer@host5.example.net;%6C%72;n%61me=v%61lue%25%34%31>
        SipUri u = uri("sip:cal%6Cer@host5.example.net;%6C%72;n%61me=v%61lue%25%34%31");

        assertThat(u.hasParam("lr")).isTrue();
        assertThat(u.param("name")).isEqualTo("v%61lue%25%34%31");
    }

    // ---- IPv6 (RFC 5118) -------------------------------------------------------------------------

    @Test
    void acceptsAnIpv6ReferenceHost() {
        SipUri u = uri("sip:[2001:db8::10]");

        assertThat(u.host()).isEqualTo("[2001:db8::10]");
        assertThat(u.ipv6()).isTrue();
        assertThat(u.port()).isEqualTo(-1);
    }

    @Test
    void aPortLikeLastGroupInsideTheBracketsIsNotAPort() {
        // RFC 5118 §4.3 port-ambiguous
        SipUri u = uri("sip:[2001:db8::10:5070]");

        assertThat(u.host()).isEqualTo("[2001:db8::10:5070]");
        assertThat(u.port()).isEqualTo(-1);
    }

    @Test
    void readsThePortAfterTheBrackets() {
        // RFC 5118 §4.4 port-unambiguous
        SipUri u = uri("sip:[2001:db8::10]:5070");

        assertThat(u.host()).isEqualTo("[2001:db8::10]");
        assertThat(u.port()).isEqualTo(5070);
    }

    @Test
    void acceptsAnIpv4MappedAddress() {
        // RFC 5118 §4.8
        assertThat(uri("sip:user@[::ffff:192.0.2.10]").host()).isEqualTo("[::ffff:192.0.2.10]");
    }

    @Test
    void acceptsThreeColonsBeforeAnIpv4Tail() {
        // RFC 5118 §4.9 ipv6-bug-abnf-3-colons: valid by the RFC 3261 ABNF, so be liberal
        assertThat(uri("sip:[2001:db8:::192.0.2.1]").host()).isEqualTo("[2001:db8:::192.0.2.1]");
    }

    @Test
    void acceptsTwoColonsBeforeAnIpv4Tail() {
        // RFC 5118 §4.10 ipv6-correct-abnf-2-colons
        assertThat(uri("sip:[2001:db8::192.0.2.1]").host()).isEqualTo("[2001:db8::192.0.2.1]");
    }

    @Test
    void lowerCasesAnIpv6Host() {
        assertThat(uri("sip:[2001:DB8::A]").host()).isEqualTo("[2001:db8::a]");
    }

    @Test
    void rejectsAnIpv6HostWithoutBrackets() {
        // RFC 5118 §4.2 ipv6-no-brackets
        assertThat(uri("sip:2001:db8::10")).isNull();
        assertThat(uri("sip:user@2001:db8::10")).isNull();
    }

    // ---- offsets ---------------------------------------------------------------------------------

    @Test
    void hostOffsetsBoundTheHostWithoutPort() {
        String text = "sip:alice@atlanta.com:5070;lr";
        SipUri u = uri(text);

        assertThat(u.start()).isZero();
        assertThat(u.end()).isEqualTo(text.length());
        assertThat(u.hostStart()).isEqualTo(text.indexOf('@') + 1);
        assertThat(u.hostEnd()).isEqualTo(text.indexOf(':', 4));
    }

    @Test
    void paramRangeCoversTheUriParam() {
        String text = "sip:p.example.com;lr;transport=tcp";

        assertThat(uri(text).params().rangeOf("transport")).isEqualTo(Wire.rangeOf(text, ";transport=tcp"));
    }

    // ---- tel (RFC 3966) --------------------------------------------------------------------------

    @Test
    void readsAGlobalTelNumber() {
        SipUri u = uri("tel:+1-201-555-0123");

        assertThat(u.scheme()).isEqualTo(Scheme.TEL);
        assertThat(u.number()).isEqualTo("+1-201-555-0123");
        assertThat(u.isGlobalNumber()).isTrue();
        assertThat(u.host()).isNull();
        assertThat(u.user()).isNull();
    }

    @Test
    void readsALocalTelNumberWithPhoneContext() {
        SipUri u = uri("tel:7042;phone-context=example.com");

        assertThat(u.number()).isEqualTo("7042");
        assertThat(u.isGlobalNumber()).isFalse();
        assertThat(u.param("phone-context")).isEqualTo("example.com");
    }

    @Test
    void readsTelParams() {
        SipUri u = uri("tel:+1-201-555-0123;ext=1234;isub=1411");

        assertThat(u.param("ext")).isEqualTo("1234");
        assertThat(u.param("isub")).isEqualTo("1411");
    }

    @Test
    void theAorOfATelUriIsItsNumberWithoutSeparators() {
        assertThat(uri("tel:+1-(201)-555.0123;ext=1").aor()).isEqualTo("+12015550123");
    }

    @ParameterizedTest
    @ValueSource(strings = {"tel:", "tel:+", "tel:+--", "tel:+1 201", "tel:+1;", "tel:+1;;x", "tel:+1?x=y", "tel:+1;a_b=1"})
    void rejectsMalformedTelUris(String text) {
        assertThat(uri(text)).isNull();
    }

    // ---- aor -------------------------------------------------------------------------------------

    @Test
    void theAorOfASipUriIsUserAtLowerCaseHostWithoutPortOrParams() {
        assertThat(uri("sip:Alice@Atlanta.COM:5070;transport=tcp").aor()).isEqualTo("Alice@atlanta.com");
    }

    @Test
    void theAorComparesEscapedAndUnescapedUsersEqual() {
        assertThat(uri("sip:%61lice@atlanta.com").aor()).isEqualTo(uri("sip:alice@atlanta.com").aor());
    }

    @Test
    void theAorOfAUserPhoneUriIsTheNumber() {
        assertThat(uri("sip:+1-201-555-0123;isub=1@gw.example.com;user=phone").aor()).isEqualTo("+12015550123");
    }

    @Test
    void theAorOfAUriWithoutUserIsTheHost() {
        assertThat(uri("sip:Example.COM").aor()).isEqualTo("example.com");
    }

    // ---- other schemes ---------------------------------------------------------------------------

    @Test
    void keepsAnUnknownSchemeOpaque() {
        // RFC 4475 §3.1.1.12 unkscm
        SipUri u = uri("nobodyKnowsThisScheme:totallyopaquecontent");

        assertThat(u.scheme()).isEqualTo(Scheme.OTHER);
        assertThat(u.schemeName()).isEqualTo("nobodyknowsthisscheme");
        assertThat(u.opaque()).isEqualTo("totallyopaquecontent");
        assertThat(u.host()).isNull();
        assertThat(u.aor()).isNull();
    }

    @Test
    void acceptsAHierarchicalUnknownScheme() {
        // RFC 4475 §3.1.1.13 novelsc
        SipUri u = uri("soap.beep://192.0.2.103:3002");

        assertThat(u.schemeName()).isEqualTo("soap.beep");
        assertThat(u.opaque()).isEqualTo("//192.0.2.103:3002");
    }

    @Test
    void acceptsMailtoAndHttpUris() {
        assertThat(uri("mailto:alice@atlanta.com")).isNotNull();
        assertThat(uri("http://www.example.com/a?b=c")).isNotNull();
    }

    // ---- malformed -------------------------------------------------------------------------------

    @ParameterizedTest
    @ValueSource(strings = {
        "",
        "sip:",
        "sip:@example.com",
        "sip:alice@",
        "sip:alice@example.com:",
        "sip:alice@example.com:65536",
        "sip:alice@example.com:5o60",
        "sip:alice@exa mple.com",
        "sip:alice@example.com ",
        " sip:alice@example.com",
        "sip:al ice@example.com",
        "sip:alice@example.com;lr ",
        "sip:alice@example.com;;lr",
        "sip:alice@example.com;",
        "sip:alice@example.com;x=",
        "sip:al%4ice@example.com",
        "sip:alice%@example.com",
        "sip:alice%4@example.com",
        "sip:alice@example.com;x=%zz",
        "sip:alice@example.com?",
        "sip:alice@example.com?x",
        "sip:alice@example.com?=y",
        "sip:alice@-example.com",
        "sip:alice@example-.com",
        "sip:alice@example..com",
        "sip:alice@1.2.3.256",
        "sip:alice@example.123",
        "sip:alice@[2001:db8::1",
        "sip:alice@[not:an:address]",
        "sip:alice@[1:2:3:4:5:6:7:8:9]",
        "sip:alice@[1::2::3]",
        "sip:alice@[2001:db8::]:x",
        "sip:<alice@example.com>",
        "sip:alice@example.com>",
        "sip:a@b@example.com",
        "sip:alice:pass:word@example.com",
        "sip",
        ":alice@example.com",
        "1sip:alice@example.com",
        "x:",
        "x: y",
        "x:a b",
        "x:a%g0",
    })
    void rejectsMalformedUris(String text) {
        assertThat(uri(text)).isNull();
    }
}

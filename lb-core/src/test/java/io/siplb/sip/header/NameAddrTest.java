package io.siplb.sip.header;

import io.siplb.sip.header.SipUri.Scheme;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;

class NameAddrTest {

    private static NameAddr nameAddr(String text) {
        return Wire.parse(NameAddr::parse, text);
    }

    // ---- name-addr -------------------------------------------------------------------------------

    @Test
    void readsAQuotedDisplayNameUriAndTag() {
        NameAddr n = nameAddr("\"Bob\" <sips:bob@biloxi.example.com>;tag=a48s");

        assertThat(n.displayName()).isEqualTo("Bob");
        assertThat(n.uri().scheme()).isEqualTo(Scheme.SIPS);
        assertThat(n.uri().host()).isEqualTo("biloxi.example.com");
        assertThat(n.tag()).isEqualTo("a48s");
        assertThat(n.isNameAddr()).isTrue();
    }

    @Test
    void readsATokenDisplayName() {
        assertThat(nameAddr("Anonymous <sip:c8oqz84zk7z@privacy.org>;tag=hyh8").displayName()).isEqualTo("Anonymous");
    }

    @Test
    void joinsATokenSequenceDisplayNameWithSingleSpaces() {
        // RFC 4475 §3.1.1.3 intmeth From
        NameAddr n = nameAddr("token1~` token2'+_ \n token3*%!.- <sip:mundane@example.com>;tag=_token~1'+`*%!-.");

        assertThat(n.displayName()).isEqualTo("token1~` token2'+_ token3*%!.-");
        assertThat(n.tag()).isEqualTo("_token~1'+`*%!-.");
    }

    @Test
    void acceptsADisplayNameWithoutWhiteSpaceBeforeTheAngleBracket() {
        // RFC 4475 §3.1.1.6 lwsdisp: "caller<sip:caller@example.com>;tag=323"
        NameAddr n = nameAddr("caller<sip:caller@example.com>;tag=323");

        assertThat(n.displayName()).isEqualTo("caller");
        assertThat(n.uri().user()).isEqualTo("caller");
        assertThat(n.tag()).isEqualTo("323");
    }

    @Test
    void hasNoDisplayNameWhenTheValueStartsWithTheAngleBracket() {
        NameAddr n = nameAddr("<sip:caller@example.com>;tag=323");

        assertThat(n.displayName()).isNull();
        assertThat(n.isNameAddr()).isTrue();
    }

    @Test
    void anEmptyQuotedDisplayNameIsEmpty() {
        assertThat(nameAddr("\"\" <sip:a@example.com>").displayName()).isEmpty();
    }

    @Test
    void resolvesQuotedPairsInTheDisplayName() {
        // RFC 4475 §3.1.1.1 wsinv From: "J Rosenberg \\\""       <sip:jdrosen@example.com>
        NameAddr n = nameAddr("""
                "J Rosenberg \\\\\\""       <sip:jdrosen@example.com>
                  ;
                  tag = 98asjd8""");

        assertThat(n.displayName()).isEqualTo("J Rosenberg \\\"");
        assertThat(n.tag()).isEqualTo("98asjd8");
    }

    @Test
    void resolvesQuotedPairsOfEscapedQuotes() {
        // RFC 4475 §3.1.1.1 wsinv Contact: "Quoted string \"\"" <sip:jdrosen@example.com>
        NameAddr n = nameAddr("""
                "Quoted string \\"\\"" <sip:jdrosen@example.com> ; newparam =
                      newvalue ;
                  secondparam ; q = 0.33""");

        assertThat(n.displayName()).isEqualTo("Quoted string \"\"");
        assertThat(n.param("newparam")).isEqualTo("newvalue");
        assertThat(n.param("secondparam")).isEmpty();
        assertThat(n.param("q")).isEqualTo("0.33");
    }

    @Test
    void resolvesQuotedPairsOfControlCharacters() {
        // RFC 4475 §3.1.1.3 intmeth To: "BEL:\<07> NUL:\<00> DEL:\<7F>"
        NameAddr n = nameAddr("\"BEL:\\\u0007 NUL:\\\u0000 DEL:\\\u007F\" "
                + "<sip:1_unusual.URI~(to-be!sure)&isn't+it$/crazy?,/;;*@example.com>");

        assertThat(n.displayName()).isEqualTo("BEL:\u0007 NUL:\u0000 DEL:\u007F");
        assertThat(n.uri().user()).isEqualTo("1_unusual.URI~(to-be!sure)&isn't+it$/crazy?,/;;*");
    }

    @Test
    void decodesAUtf8DisplayName() {
        assertThat(nameAddr("\"Jürgen 大\" <sip:j@example.com>").displayName()).isEqualTo("Jürgen 大");
    }

    @Test
    void keepsAUtf8QuotedParamValue() {
        // RFC 4475 §3.1.1.3 intmeth From: fromParam''~+*_!.-%="работающий"
        NameAddr n = nameAddr("<sip:mundane@example.com>;fromParam''~+*_!.-%=\"работающий\";tag=_token");

        assertThat(n.param("fromparam''~+*_!.-%")).isEqualTo("\"работающий\"");
        assertThat(n.tag()).isEqualTo("_token");
    }

    @Test
    void uriParamsInsideTheBracketsAreNotHeaderParams() {
        NameAddr n = nameAddr("<sip:+19725552222@gw1.example.net;unknownparam>;tag=1");

        assertThat(n.uri().hasParam("unknownparam")).isTrue();
        assertThat(n.param("unknownparam")).isNull();
    }

    @Test
    void acceptsUriHeadersInsideTheBrackets() {
        // RFC 4475 §3.1.1.10 regescrt Contact
        NameAddr n = nameAddr("<sip:user@example.com?Route=%3Csip:sip.example.com%3E>");

        assertThat(n.uri().hasHeaders()).isTrue();
    }

    @Test
    void readsAnIpv6ContactUri() {
        // RFC 5118 §4.1
        assertThat(nameAddr("\"Caller\" <sip:caller@[2001:db8::1]>").uri().host()).isEqualTo("[2001:db8::1]");
    }

    @Test
    void readsATelUri() {
        NameAddr n = nameAddr("<tel:+1-201-555-0123>;tag=x");

        assertThat(n.uri().scheme()).isEqualTo(Scheme.TEL);
        assertThat(n.uri().number()).isEqualTo("+1-201-555-0123");
    }

    @Test
    void readsAnUnknownSchemeAsOpaque() {
        // RFC 4475 §3.1.1.13 novelsc-style To
        NameAddr n = nameAddr("<soap.beep://192.0.2.103:3002>");

        assertThat(n.uri().scheme()).isEqualTo(Scheme.OTHER);
        assertThat(n.uri().opaque()).isEqualTo("//192.0.2.103:3002");
    }

    // ---- addr-spec -------------------------------------------------------------------------------

    @Test
    void paramsAfterAnAddrSpecBelongToTheHeader() {
        // RFC 3261 §20.10; RFC 4475 §3.1.1.11 cparam01 "Contact: sip:+19725552222@gw1.example.net;unknownparam"
        NameAddr n = nameAddr("sip:+19725552222@gw1.example.net;unknownparam");

        assertThat(n.isNameAddr()).isFalse();
        assertThat(n.displayName()).isNull();
        assertThat(n.param("unknownparam")).isEmpty();
        assertThat(n.uri().params().isEmpty()).isTrue();
    }

    @Test
    void acceptsAnAddrSpecWithWhiteSpaceBeforeParams() {
        // RFC 4475 §3.1.1.1 wsinv To: "sip:vivekg@chair-dnrc.example.com ;   tag    = 1918181833n"
        NameAddr n = nameAddr("""
                sip:vivekg@chair-dnrc.example.com ;   tag    = 1918181833n""");

        assertThat(n.uri().user()).isEqualTo("vivekg");
        assertThat(n.tag()).isEqualTo("1918181833n");
    }

    @Test
    void acceptsAnAddrSpecWithEscapes() {
        // RFC 4475 §3.1.1.4 esc01 To
        assertThat(nameAddr("sip:%75se%72@example.com").uri().userUnescaped()).isEqualTo("user");
    }

    @Test
    void acceptsLeadingFoldedWhiteSpace() {
        // RFC 4475 §3.1.1.1 wsinv "TO :\r\n sip:vivekg@..."
        assertThat(nameAddr("\n sip:vivekg@chair-dnrc.example.com").uri().host()).isEqualTo("chair-dnrc.example.com");
    }

    // ---- offsets ---------------------------------------------------------------------------------

    @Test
    void uriOffsetsBoundTheUriInsideTheBrackets() {
        String text = "\"A\" <sip:a@example.com>;tag=1";
        NameAddr n = nameAddr(text);

        assertThat(n.uriStart()).isEqualTo(text.indexOf('<') + 1);
        assertThat(n.uriEnd()).isEqualTo(text.indexOf('>'));
        assertThat(n.start()).isZero();
        assertThat(n.end()).isEqualTo(text.length());
    }

    @Test
    void uriOffsetsBoundABareAddrSpec() {
        String text = "sip:a@example.com ;tag=1";
        NameAddr n = nameAddr(text);

        assertThat(n.uriStart()).isZero();
        assertThat(n.uriEnd()).isEqualTo(text.indexOf(' '));
        assertThat(n.paramRange("tag")).isEqualTo(Wire.rangeOf(text, ";tag=1"));
    }

    // ---- malformed -------------------------------------------------------------------------------

    @Test
    void rejectsAnUnquotedDisplayNameWithAComma() {
        // RFC 4475 §3.1.2.14 baddn
        assertThat(nameAddr("Bell, Alexander <sip:a.g.bell@bell-tel.com>;tag=43")).isNull();
    }

    @Test
    void rejectsWhiteSpaceInsideTheAngleBrackets() {
        // RFC 4475 §3.1.2.13 badaspec
        assertThat(nameAddr("\"Watson, Thomas\" < sip:t.watson@example.org >")).isNull();
    }

    @Test
    void rejectsAnUnterminatedQuotedDisplayName() {
        // RFC 4475 §3.1.2.12 quotbig-style unterminated quote
        assertThat(nameAddr("\"Mr. J. User <sip:j.user@example.com>")).isNull();
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "",
        "  ",
        "<>",
        "<sip:a@example.com",
        "sip:a@example.com>",
        "<sip:a@example.com> x",
        "<sip:a@example.com>;",
        "<sip:a@example.com>;;tag=1",
        "<sip:a@example.com>;tag=\"x",
        "<sip:a@example.com>;tag=a b",
        "\"x\\",
        "\"x\"",
        "\"x\" sip:a@example.com",
        "\"x\"\r\n<sip:a@example.com>",
        "\"bad\u0001control\" <sip:a@example.com>",
        "\"bare\rcr\" <sip:a@example.com>",
        "sip:a@example.com?subject=x",
        "sip:a,b@example.com",
        "sip:a@example.com, <sip:b@example.com>",
        "sip:a@ example.com",
        "<sip:a@example.com> <sip:b@example.com>",
        "name <sip:a@exa mple.com>",
    })
    void rejectsMalformedValues(String text) {
        assertThat(nameAddr(text)).isNull();
    }
}

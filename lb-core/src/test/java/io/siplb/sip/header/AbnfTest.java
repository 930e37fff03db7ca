package io.siplb.sip.header;

import io.siplb.sip.SipText;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;

class AbnfTest {

    /** A scanner over a byte array, as the parsers call them. */
    @FunctionalInterface
    private interface Scanner<T> {
        T scan(byte[] a, int start, int end);
    }

    /** Runs {@code scanner} over all of {@code text}'s wire bytes, in an array of exactly that size. */
    private static <T> T run(Scanner<T> scanner, String text) {
        byte[] a = SipText.sipBytes(text);
        return scanner.scan(a, 0, a.length);
    }

    private static int scan(String text, Scanner<Integer> scanner) {
        return run(scanner, text);
    }

    private static boolean check(String text, Scanner<Boolean> predicate) {
        return run(predicate, text);
    }

    // ---- white space (RFC 3261 §7.3.1, §25.1) ---------------------------------------------------

    @Test
    void lwsIncludesAFoldedLine() {
        assertThat(scan("  \n \tx", (b, s, e) -> Abnf.consumeLws(b, s, e))).isEqualTo(6);
    }

    @Test
    void aCrlfNotFollowedByWhiteSpaceEndsTheLws() {
        assertThat(scan(" \nx", (b, s, e) -> Abnf.consumeLws(b, s, e))).isEqualTo(1);
    }

    @Test
    void aCrlfAtTheEndOfTheRangeIsNotLws() {
        assertThat(scan(" \n", (b, s, e) -> Abnf.consumeLws(b, s, e))).isEqualTo(1);
    }

    @Test
    void consumeMatchesNothingAndExpectFails() {
        assertThat(scan("x", (b, s, e) -> Abnf.consumeSws(b, s, e))).isZero();
        assertThat(scan("x", (b, s, e) -> Abnf.expectLws(b, s, e))).isEqualTo(-1);
        assertThat(scan("x", (b, s, e) -> Abnf.expectToken(b, s, e))).isEqualTo(1);
        assertThat(scan(" ", (b, s, e) -> Abnf.expectToken(b, s, e))).isEqualTo(-1);
    }

    @Test
    void separatorsAllowWhiteSpaceOnBothSides() {
        assertThat(scan(" / x", (b, s, e) -> Abnf.expectSlash(b, s, e))).isEqualTo(3);
        assertThat(scan(" \n ; x", (b, s, e) -> Abnf.expectSemi(b, s, e))).isEqualTo(6);
        assertThat(scan("=x", (b, s, e) -> Abnf.expectEqual(b, s, e))).isEqualTo(1);
        assertThat(scan(" ,x", (b, s, e) -> Abnf.expectColon(b, s, e))).isEqualTo(-1);
    }

    @Test
    void hcolonAllowsOnlySpacesAndTabsBeforeTheColon() {
        assertThat(scan(" \t: x", (b, s, e) -> Abnf.expectHcolon(b, s, e))).isEqualTo(4);
        assertThat(scan("\n :x", (b, s, e) -> Abnf.expectHcolon(b, s, e))).isEqualTo(-1);
    }

    @Test
    void angleQuotesTakeWhiteSpaceOnTheOutsideOnly() {
        assertThat(scan("  <x", (b, s, e) -> Abnf.expectLaquot(b, s, e))).isEqualTo(3);
        assertThat(scan("> ;", (b, s, e) -> Abnf.expectRaquot(b, s, e))).isEqualTo(2);
        assertThat(scan(" >", (b, s, e) -> Abnf.expectRaquot(b, s, e))).isEqualTo(-1);
    }

    // ---- quoted-string -----------------------------------------------------------------------------

    @Test
    void quotedStringEndsAfterTheClosingQuote() {
        assertThat(scan("\"a \\\" b\" rest", (b, s, e) -> Abnf.consumeQuotedString(b, s, e))).isEqualTo(8);
    }

    @Test
    void quotedStringMayHoldAFold() {
        assertThat(scan("\"a\n b\"", (b, s, e) -> Abnf.consumeQuotedString(b, s, e))).isEqualTo(7);
    }

    @Test
    void quotedStringMatchesNothingWithoutAQuote() {
        assertThat(scan("abc", (b, s, e) -> Abnf.consumeQuotedString(b, s, e))).isZero();
    }

    @ParameterizedTest
    @ValueSource(strings = {"\"abc", "\"abc\\", "\"a\nb\"", "\"a\u0001\"", "\"a\u007F\"", "\"a\\\n\""})
    void quotedStringFailsWhenUnterminatedOrHoldingControls(String text) {
        assertThat(scan(text, (b, s, e) -> Abnf.consumeQuotedString(b, s, e))).isEqualTo(-1);
    }

    // ---- escapes --------------------------------------------------------------------------------

    @Test
    void escapedRunAcceptsPercentHexHex() {
        assertThat(scan("a%41b>", (b, s, e) -> Abnf.consumeEscapedRun(b, s, e, Abnf.UNRESERVED))).isEqualTo(5);
    }

    @ParameterizedTest
    @ValueSource(strings = {"a%4", "a%", "a%4g", "a%g4"})
    void escapedRunFailsOnABadEscape(String text) {
        assertThat(scan(text, (b, s, e) -> Abnf.consumeEscapedRun(b, s, e, Abnf.UNRESERVED))).isEqualTo(-1);
    }

    @Test
    void unescapeDecodesUtf8() {
        assertThat(Abnf.unescape("J%C3%BCrgen%20%41")).isEqualTo("Jürgen A");
    }

    // ---- character classes ----------------------------------------------------------------------

    @Test
    void tokenCharactersAreExactlyThoseOfRfc3261() {
        StringBuilder token = new StringBuilder();
        for (int c = 0; c < 256; c++) {
            if (Abnf.is(c, Abnf.TOKEN)) {
                token.append((char) c);
            }
        }
        assertThat(token.toString())
                .isEqualTo("!%'*+-.0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ_`abcdefghijklmnopqrstuvwxyz~");
    }

    @Test
    void classTablesMatchRfc3261() {
        assertThat(classMembers(Abnf.UNRESERVED & ~Abnf.ALPHANUM)).isEqualTo("!'()*-._~");
        assertThat(classMembers(Abnf.USER_UNRESERVED)).isEqualTo("$&+,/;=?");
        assertThat(classMembers(Abnf.PARAM_UNRESERVED)).isEqualTo("$&+/:[]");
        assertThat(classMembers(Abnf.HNV_UNRESERVED)).isEqualTo("$+/:?[]");
        assertThat(classMembers(Abnf.RESERVED)).isEqualTo("$&+,/:;=?@");
    }

    private static String classMembers(int mask) {
        StringBuilder sb = new StringBuilder();
        for (int c = 0; c < 256; c++) {
            if (Abnf.is(c, mask) && !Character.isLetterOrDigit(c)) {
                sb.append((char) c);
            }
        }
        return sb.toString();
    }

    // ---- hosts ----------------------------------------------------------------------------------

    @ParameterizedTest
    @ValueSource(strings = {"192.0.2.1", "0.0.0.0", "255.255.255.255", "010.000.002.001"})
    void recognisesIpv4Addresses(String text) {
        assertThat(check(text, Abnf::isIpv4Address)).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"256.0.0.1", "1.2.3", "1.2.3.4.5", "1..2.3", "1.2.3.4.", "1234.1.1.1", "a.b.c.d", ""})
    void rejectsNonIpv4Addresses(String text) {
        assertThat(check(text, Abnf::isIpv4Address)).isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "2001:db8::10", "::", "::1", "2001:db8::", "1:2:3:4:5:6:7:8", "2001:DB8:0:0:8:800:200C:417A",
        "::ffff:192.0.2.10", "2001:db8::192.0.2.1", "2001:db8:::192.0.2.1", ":::192.0.2.1",
        "1:2:3:4:5:6:192.0.2.1", "2001:db8::10:5070",
    })
    void recognisesIpv6Addresses(String text) {
        assertThat(check(text, Abnf::isIpv6Address)).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "", ":", ":1", "1:", "1::2::3", "1:2:3:4:5:6:7", "1:2:3:4:5:6:7:8:9", "12345::1", "g::1",
        "2001:db8:::1", "2001:db8::::192.0.2.1", "::ffff:192.0.2", "::ffff:1.2.3.4:5", "1:2:3:4:5:6:7:1.2.3.4",
        "192.0.2.1", ":::",
    })
    void rejectsNonIpv6Addresses(String text) {
        assertThat(check(text, Abnf::isIpv6Address)).isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = {"example.com", "example.com.", "a", "a-b.c-d.example", "x1.y2.z3", "1.example.com",
        "EXAMPLE.Com", "1.2.3.a1", "1.2.3.4", "255.255.255.255", "0.0.0.0", "010.1.1.1"})
    void recognisesHostnamesAndIpv4Addresses(String text) {
        assertThat(check(text, Abnf::isHost)).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"", ".", "..", "-a.com", "a-.com", "a..com", "a-", "example.com-", "a.-b", "example.1com",
        "exa_mple.com", "256.1.1.1", "1.2.3", "1.2.3.4.", "1.2.3.4.5", "1234.1.1.1", ".example.com"})
    void rejectsWhatIsNeitherHostnameNorIpv4Address(String text) {
        assertThat(check(text, Abnf::isHost)).isFalse();
    }

    @Test
    void hostEndsBeforeAPort() {
        assertThat(scan("example.com:5060", (b, s, e) -> Abnf.consumeHost(b, s, e))).isEqualTo(11);
        assertThat(scan("[::1]:5060", (b, s, e) -> Abnf.consumeHost(b, s, e))).isEqualTo(5);
    }

    @Test
    void ipv6ReferenceNeedsBothBrackets() {
        assertThat(check("[2001:db8::1]", Abnf::isIpv6Reference)).isTrue();
        assertThat(check("[2001:db8::1", Abnf::isIpv6Reference)).isFalse();
        assertThat(check("2001:db8::1", Abnf::isIpv6Reference)).isFalse();
    }

    @Test
    void findsUpperCaseLettersEightBytesAtATimeAndInTheTail() {
        String ascii = " !\"#$%&'()*+,-./0123456789:;<=>?@[\\]^_`abcdefghijklmnopqrstuvwxyz{|}~\u007f";
        for (int at = 0; at <= 20; at++) {
            for (char upper : new char[] {'A', 'M', 'Z'}) {
                String text = ascii.substring(0, at) + upper + ascii.substring(at);
                assertThat(check(text, Abnf::hasUpperCase)).as(text).isTrue();
            }
        }
        assertThat(check(ascii, Abnf::hasUpperCase)).isFalse();
        assertThat(check("example.com.atlanta-1", Abnf::hasUpperCase)).isFalse();
    }

    @Test
    void scannersStopAtTheEndOfTheRange() {
        byte[] a = SipText.sipBytes("abc def");
        assertThat(Abnf.consumeToken(a, 0, 2)).isEqualTo(2);
        assertThat(Abnf.consumeLws(a, 3, 3)).isEqualTo(3);
        assertThat(Abnf.consumeHost(a, 4, 6)).isEqualTo(6);
    }
}

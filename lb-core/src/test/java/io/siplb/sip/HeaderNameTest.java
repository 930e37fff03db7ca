package io.siplb.sip;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;

class HeaderNameTest {

    /**
     * Looks {@code name} up the three ways: in a buffer, and in an array (the parser's way) read
     * as whole words or, when fewer than eight bytes may be read, byte by byte. All must agree.
     */
    private static HeaderName lookup(String name) {
        // the name sits inside a larger buffer so that lookup must honour start and length
        String text = "##" + name + ":x=========";
        ByteBuf buf = Unpooled.copiedBuffer(text, StandardCharsets.ISO_8859_1);
        byte[] a = text.getBytes(StandardCharsets.ISO_8859_1);
        try {
            HeaderName found = HeaderName.lookup(buf, 2, name.length());
            assertThat(HeaderName.lookup(a, 2, name.length(), a.length)).as("words").isEqualTo(found);
            assertThat(HeaderName.lookup(a, 2, name.length(), 2 + name.length())).as("bytes").isEqualTo(found);
            return found;
        } finally {
            buf.release();
        }
    }

    @ParameterizedTest
    @CsvSource({
        "v, VIA", "f, FROM", "t, TO", "i, CALL_ID", "m, CONTACT", "l, CONTENT_LENGTH",
        "k, SUPPORTED", "s, SUBJECT", "c, CONTENT_TYPE", "e, CONTENT_ENCODING", "o, EVENT",
        "u, ALLOW_EVENTS", "x, SESSION_EXPIRES", "r, REFER_TO", "b, REFERRED_BY",
        "j, REJECT_CONTACT", "y, IDENTITY", "d, REQUEST_DISPOSITION", "a, ACCEPT_CONTACT",
    })
    void mapsEveryCompactForm(String compact, HeaderName expected) {
        assertThat(lookup(compact)).isEqualTo(expected);
        assertThat(lookup(compact.toUpperCase())).isEqualTo(expected);
        assertThat(expected.compactForm()).isEqualTo(compact.charAt(0));
    }

    @ParameterizedTest
    @EnumSource(value = HeaderName.class, mode = EnumSource.Mode.EXCLUDE, names = "OTHER")
    void mapsEveryLongFormInAnyCase(HeaderName name) {
        String canonical = name.canonicalName();
        assertThat(lookup(canonical)).isEqualTo(name);
        assertThat(lookup(canonical.toUpperCase())).isEqualTo(name);
        assertThat(lookup(canonical.toLowerCase())).isEqualTo(name);
    }

    @Test
    void mapsMixedCaseAsInRfc4475() {
        assertThat(lookup("MaX-fOrWaRdS")).isEqualTo(HeaderName.MAX_FORWARDS);
        assertThat(lookup("ViA")).isEqualTo(HeaderName.VIA);
    }

    @Test
    void mapsUnknownNamesToOther() {
        assertThat(lookup("X-Custom")).isEqualTo(HeaderName.OTHER);
        assertThat(lookup("C%6Fntact")).isEqualTo(HeaderName.OTHER);
        assertThat(lookup("q")).isEqualTo(HeaderName.OTHER);
        assertThat(lookup("Vias")).isEqualTo(HeaderName.OTHER);
        assertThat(lookup("")).isEqualTo(HeaderName.OTHER);
        assertThat(lookup("A-Name-Longer-Than-Any-Known-Header-Name")).isEqualTo(HeaderName.OTHER);
    }

    @Test
    void doesNotFoldNonLettersIntoLetters() {
        // '\r' | 0x20 would be '-' if case folding were a blind bit operation
        assertThat(lookup("Call\rID")).isEqualTo(HeaderName.OTHER);
        assertThat(lookup("@")).isEqualTo(HeaderName.OTHER);
    }

    @Test
    void splitsOnlyListHeadersOnCommas() {
        assertThat(HeaderName.VIA.isCommaSeparated()).isTrue();
        assertThat(HeaderName.CONTACT.isCommaSeparated()).isTrue();
        assertThat(HeaderName.ROUTE.isCommaSeparated()).isTrue();
        assertThat(HeaderName.RECORD_ROUTE.isCommaSeparated()).isTrue();
        assertThat(HeaderName.PATH.isCommaSeparated()).isTrue();
        assertThat(HeaderName.DATE.isCommaSeparated()).isFalse();
        assertThat(HeaderName.WWW_AUTHENTICATE.isCommaSeparated()).isFalse();
    }

    @Test
    void looksUpMethodsCaseSensitively() {
        byte[] a = "INVITE invite RE%47IST%45R REGISTER".getBytes(StandardCharsets.US_ASCII);
        assertThat(SipMethod.lookup(a, 0, 6)).isEqualTo(SipMethod.INVITE);
        assertThat(SipMethod.lookup(a, 7, 6)).isEqualTo(SipMethod.OTHER);
        assertThat(SipMethod.lookup(a, 14, 12)).isEqualTo(SipMethod.OTHER);
        assertThat(SipMethod.lookup(a, 27, 8)).isEqualTo(SipMethod.REGISTER);
    }
}

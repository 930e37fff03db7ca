package io.siplb.sip.header;

import io.siplb.sip.SipMethod;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CSeqTest {

    private static CSeq cseq(String text) {
        return Wire.parse(CSeq::parse, text);
    }

    @Test
    void readsNumberAndMethod() {
        assertThat(cseq("4711 INVITE")).isEqualTo(new CSeq(4711, SipMethod.INVITE, "INVITE"));
    }

    @Test
    void acceptsLeadingZerosAndAFoldBeforeTheMethod() {
        // RFC 4475 §3.1.1.1 wsinv: "cseq: 0009\r\n  INVITE"
        assertThat(cseq("0009\n  INVITE")).isEqualTo(new CSeq(9, SipMethod.INVITE, "INVITE"));
    }

    @Test
    void acceptsTheLargest32BitNumber() {
        assertThat(cseq("4294967295 ACK").number()).isEqualTo(4294967295L);
    }

    @Test
    void keepsAnExtensionMethodAsWritten() {
        // RFC 4475 §3.1.1.3 intmeth
        CSeq c = cseq("139122385 !interesting-Method0123456789_*+`.%indeed'~");

        assertThat(c.method()).isEqualTo(SipMethod.OTHER);
        assertThat(c.methodName()).isEqualTo("!interesting-Method0123456789_*+`.%indeed'~");
    }

    @Test
    void comparesTheMethodCaseSensitively() {
        CSeq c = cseq("1 invite");

        assertThat(c.method()).isEqualTo(SipMethod.OTHER);
        assertThat(c.methodName()).isEqualTo("invite");
    }

    @Test
    void reusesTheEnumNameForAKnownMethod() {
        assertThat(cseq("1 REGISTER").methodName()).isSameAs(SipMethod.REGISTER.name());
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "INVITE", "1", "1 ", "1INVITE", "4294967296 INVITE", "99999999999999999999 INVITE",
        "-1 INVITE", "1 INVITE x", "1 INV@TE", "1.0 INVITE", "1\r\nINVITE", "0x1 INVITE"})
    void rejectsMalformedValues(String text) {
        assertThat(cseq(text)).isNull();
    }

    @Test
    void constructorRejectsANumberOutOfRange() {
        assertThatThrownBy(() -> new CSeq(1L << 32, SipMethod.ACK, "ACK"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("expected: 0 ~ 4294967295");
    }
}

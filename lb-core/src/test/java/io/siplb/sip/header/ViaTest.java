package io.siplb.sip.header;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ViaTest {

    private static Via via(String text) {
        return Wire.parse(Via::parse, text);
    }

    // ---- RFC 3261 examples --------------------------------------------------------------------

    @Test
    void readsProtocolTransportHostPortAndBranch() {
        Via v = via("SIP/2.0/UDP pc33.atlanta.com:5066;branch=z9hG4bK776asdhds");

        assertThat(v.protocolName()).isEqualTo("SIP");
        assertThat(v.protocolVersion()).isEqualTo("2.0");
        assertThat(v.transport()).isEqualTo("UDP");
        assertThat(v.host()).isEqualTo("pc33.atlanta.com");
        assertThat(v.port()).isEqualTo(5066);
        assertThat(v.branch()).isEqualTo("z9hG4bK776asdhds");
        assertThat(v.ipv6()).isFalse();
    }

    @Test
    void portIsMinusOneWhenAbsent() {
        assertThat(via("SIP/2.0/UDP bigbox3.site3.atlanta.com;branch=z9hG4bK77ef4c2312983.1").port()).isEqualTo(-1);
    }

    @Test
    void readsReceivedAddedByAProxy() {
        Via v = via("SIP/2.0/UDP pc33.atlanta.com;branch=z9hG4bKnashds8;received=192.0.2.1");

        assertThat(v.received()).isEqualTo("192.0.2.1");
    }

    @Test
    void upperCasesTheTransport() {
        assertThat(via("SIP/2.0/tls client.biloxi.example.com:5061;branch=z9hG4bKnashds7").transport()).isEqualTo("TLS");
    }

    @Test
    void keepsTheHostAsWritten() {
        assertThat(via("SIP/2.0/UDP PC33.Atlanta.COM;branch=z9hG4bK1").host()).isEqualTo("PC33.Atlanta.COM");
    }

    @Test
    void readsMaddrAndTtl() {
        Via v = via("SIP/2.0/UDP first.example.com:4000;ttl=16;maddr=224.2.0.1;branch=z9hG4bKa7c6a8dlze.1");

        assertThat(v.param("ttl")).isEqualTo("16");
        assertThat(v.param("maddr")).isEqualTo("224.2.0.1");
    }

    @Test
    void allowsWhiteSpaceAroundTheSentByColon() {
        Via v = via("SIP/2.0/UDP host.example.com : 5060 ;branch=z9hG4bK1");

        assertThat(v.port()).isEqualTo(5060);
        assertThat(v.branch()).isEqualTo("z9hG4bK1");
    }

    // ---- generic parameters -------------------------------------------------------------------

    @Test
    void genericParamIsNullWhenAbsentAndEmptyWithoutValue() {
        Via v = via("SIP/2.0/UDP h.example.com;branch=z9hG4bK1;keep;x=1");

        assertThat(v.param("nope")).isNull();
        assertThat(v.param("keep")).isEmpty();
        assertThat(v.param("x")).isEqualTo("1");
    }

    @Test
    void paramNamesAreCaseInsensitive() {
        Via v = via("SIP/2.0/UDP h.example.com;BRANCH=z9hG4bK1;Received=10.0.0.1;X-Foo=Bar");

        assertThat(v.branch()).isEqualTo("z9hG4bK1");
        assertThat(v.received()).isEqualTo("10.0.0.1");
        assertThat(v.param("x-foo")).isEqualTo("Bar");
        assertThat(v.param("X-FOO")).isEqualTo("Bar");
    }

    @Test
    void keepsAQuotedParamValueWithItsQuotes() {
        assertThat(via("SIP/2.0/UDP h.example.com;branch=z9hG4bK1;note=\"a; b\"").param("note"))
                .isEqualTo("\"a; b\"");
    }

    @Test
    void acceptsAHostAsAGenericParamValue() {
        assertThat(via("SIP/2.0/UDP h.example.com;branch=z9hG4bK1;alias=[2001:db8::1]").param("alias"))
                .isEqualTo("[2001:db8::1]");
    }

    // ---- RFC 3581 rport ---------------------------------------------------------------------------

    @Test
    void rportWithoutValueAsksForTheSourcePort() {
        Via v = via("SIP/2.0/UDP 10.1.1.1:4540;rport;branch=z9hG4bKkjshdyff");

        assertThat(v.hasRport()).isTrue();
        assertThat(v.rport()).isEqualTo(-1);
        assertThat(v.param("rport")).isEmpty();
    }

    @Test
    void rportWithValueCarriesTheSourcePort() {
        Via v = via("SIP/2.0/UDP 10.1.1.1:4540;received=192.0.2.1;rport=9988;branch=z9hG4bKkjshdyff");

        assertThat(v.hasRport()).isTrue();
        assertThat(v.rport()).isEqualTo(9988);
        assertThat(v.received()).isEqualTo("192.0.2.1");
    }

    @Test
    void noRportWhenTheParamIsAbsent() {
        Via v = via("SIP/2.0/UDP 10.1.1.1:4540;branch=z9hG4bKkjshdyff");

        assertThat(v.hasRport()).isFalse();
        assertThat(v.rport()).isEqualTo(-1);
    }

    // ---- RFC 4475 --------------------------------------------------------------------------------

    @Test
    void acceptsFoldsAroundTheSlashesOfTheProtocol() {
        // the folded Via of RFC 4475 §3.1.1.1 wsinv, with an rport added
        Via v = via("""
                SIP  /   2.0
                 /UDP
                    192.0.2.2;rport;branch=390skdjuw""");

        assertThat(v.transport()).isEqualTo("UDP");
        assertThat(v.host()).isEqualTo("192.0.2.2");
        assertThat(v.hasRport()).isTrue();
        assertThat(v.branch()).isEqualTo("390skdjuw");
    }

    @Test
    void acceptsWhiteSpaceAfterTheLastSlashOfSip20() {
        Via v = via("SIP/2.0/ UDP h.example.com;branch=z9hG4bK1");

        assertThat(v.transport()).isEqualTo("UDP");
        assertThat(v.host()).isEqualTo("h.example.com");
    }

    @Test
    void keepsAProtocolNameWrittenInLowerCase() {
        Via v = via("sip/2.0/UDP h.example.com;branch=z9hG4bK1");

        assertThat(v.protocolName()).isEqualTo("sip");
        assertThat(v.protocolVersion()).isEqualTo("2.0");
    }

    @Test
    void acceptsTheSecondViaOfWsinvWithFoldedParams() {
        // RFC 4475 §3.1.1.1, the compact "v:" line split at its comma
        Via v = via("""
                SIP  / 2.0  / TCP     spindle.example.com   ;
                  branch  =   z9hG4bK9ikj8""");

        assertThat(v.transport()).isEqualTo("TCP");
        assertThat(v.host()).isEqualTo("spindle.example.com");
        assertThat(v.branch()).isEqualTo("z9hG4bK9ikj8");
    }

    @Test
    void acceptsAValueFoldedAfterTheEqualsSign() {
        // RFC 4475 §3.1.1.1: "; branch=\r\n z9hG4bK30239"
        Via v = via("""
                SIP  /    2.0   / UDP  192.168.255.111   ; branch=
                 z9hG4bK30239""");

        assertThat(v.host()).isEqualTo("192.168.255.111");
        assertThat(v.branch()).isEqualTo("z9hG4bK30239");
    }

    @ParameterizedTest
    @CsvSource({
        "SIP/2.0/UDP t1.example.com;branch=z9hG4bKkdjuw, UDP",
        "SIP/2.0/SCTP t2.example.com;branch=z9hG4bKklasjdhf, SCTP",
        "SIP/2.0/TLS t3.example.com;branch=z9hG4bK2980unddj, TLS",
        "SIP/2.0/UNKNOWN t4.example.com;branch=z9hG4bKasd0f3en, UNKNOWN",
        "SIP/2.0/TCP t5.example.com;branch=z9hG4bK0a9idfnee, TCP",
    })
    void acceptsEveryTransportOfTransportsDat(String value, String transport) {
        // RFC 4475 §3.1.1.9 transports.dat
        assertThat(via(value).transport()).isEqualTo(transport);
    }

    @Test
    void acceptsLongTokensAndManyParams() {
        // in the spirit of RFC 4475 §3.1.1.2 longreq: long branch and long unknown params
        String branch = "z9hG4bK" + "longlonglong".repeat(40);
        String name = "unknownparamname".repeat(10);
        Via v = via("SIP/2.0/TCP sip33.example.com;branch=" + branch + ";" + name + "=" + "value".repeat(30)
                + ";" + name + "x;received=192.0.2.1");

        assertThat(v.branch()).isEqualTo(branch);
        assertThat(v.param(name)).isEqualTo("value".repeat(30));
        assertThat(v.param(name + "x")).isEmpty();
        assertThat(v.received()).isEqualTo("192.0.2.1");
    }

    // ---- RFC 5118 IPv6 ---------------------------------------------------------------------------

    @Test
    void acceptsAnIpv6ReferenceAsSentBy() {
        // RFC 5118 §4.1
        Via v = via("SIP/2.0/UDP [2001:db8::9:1];branch=z9hG4bKas3-111");

        assertThat(v.host()).isEqualTo("[2001:db8::9:1]");
        assertThat(v.ipv6()).isTrue();
        assertThat(v.port()).isEqualTo(-1);
    }

    @Test
    void readsThePortAfterAnIpv6Reference() {
        // RFC 5118 §4.7 mult-ip-in-header
        Via v = via("SIP/2.0/UDP [2001:db8::9:1]:6050;branch=z9hG4bKas3-111");

        assertThat(v.host()).isEqualTo("[2001:db8::9:1]");
        assertThat(v.port()).isEqualTo(6050);
    }

    @Test
    void acceptsIpv4ReceivedOnAnIpv6Via() {
        // RFC 5118 §4.7 mult-ip-in-header
        Via v = via("SIP/2.0/TCP [2001:db8::9:255];branch=z9hG4bK451jj;received=192.0.2.200");

        assertThat(v.received()).isEqualTo("192.0.2.200");
    }

    @Test
    void acceptsIpv6ReceivedWithBrackets() {
        // RFC 5118 §4.5 via-received-param-with-delim
        Via v = via("SIP/2.0/UDP [2001:db8::9:1];received=[2001:db8::9:255];branch=z9hG4bKas3-111");

        assertThat(v.received()).isEqualTo("[2001:db8::9:255]");
        assertThat(v.branch()).isEqualTo("z9hG4bKas3-111");
    }

    @Test
    void acceptsIpv6ReceivedWithoutBrackets() {
        // RFC 5118 §4.5 via-received-param-no-delim
        Via v = via("SIP/2.0/UDP [2001:db8::9:1];received=2001:db8::9:255;branch=z9hG4bKas3");

        assertThat(v.received()).isEqualTo("2001:db8::9:255");
        assertThat(v.branch()).isEqualTo("z9hG4bKas3");
    }

    @Test
    void acceptsAnIpv4MappedIpv6Reference() {
        // RFC 5118 §4.8
        Via v = via("SIP/2.0/UDP [::ffff:192.0.2.10]:19823;branch=z9hG4bKbh19");

        assertThat(v.host()).isEqualTo("[::ffff:192.0.2.10]");
        assertThat(v.port()).isEqualTo(19823);
    }

    // ---- offsets for the editor ---------------------------------------------------------------

    @Test
    void offsetsBoundTheViaParmWithoutSurroundingWhiteSpace() {
        String text = "  SIP/2.0/UDP h.example.com:5060;branch=z9hG4bK1  ";
        Via v = via(text);

        assertThat(v.start()).isEqualTo(2);
        assertThat(v.end()).isEqualTo(text.length() - 2);
    }

    @Test
    void sentByEndIsAfterThePort() {
        String text = "SIP/2.0/UDP h.example.com:5060;branch=z9hG4bK1";

        assertThat(via(text).sentByEnd()).isEqualTo(text.indexOf(';'));
    }

    @Test
    void sentByEndIsAfterTheHostWithoutPort() {
        String text = "SIP/2.0/UDP h.example.com ;branch=z9hG4bK1";

        assertThat(via(text).sentByEnd()).isEqualTo(text.indexOf(' ', 12));
    }

    @Test
    void paramRangeCoversSemicolonNameAndValue() {
        String text = "SIP/2.0/UDP h.example.com;branch=z9hG4bK1;rport;received=10.0.0.1";
        Via v = via(text);

        assertThat(v.paramRange("rport")).isEqualTo(Wire.rangeOf(text, ";rport"));
        assertThat(v.paramRange("received")).isEqualTo(Wire.rangeOf(text, ";received=10.0.0.1"));
        assertThat(v.paramRange("branch")).isEqualTo(Wire.rangeOf(text, ";branch=z9hG4bK1"));
    }

    @Test
    void paramRangeIsMinusOneWhenAbsent() {
        assertThat(via("SIP/2.0/UDP h.example.com;branch=z9hG4bK1").paramRange("rport")).isEqualTo(-1);
    }

    @Test
    void paramRangeSpansFoldedWhiteSpace() {
        String text = "SIP/2.0/UDP h.example.com ; branch =\n z9hG4bK1";

        assertThat(via(text).paramRange("branch")).isEqualTo(Wire.rangeOf(text, "; branch =\r\n z9hG4bK1"));
    }

    @Test
    void offsetsAreAbsoluteInTheBuffer() {
        io.netty.buffer.ByteBuf buf = Wire.bytes("Via: SIP/2.0/UDP h;branch=z9hG4bK1\r\n");
        try {
            Via v = Via.parse(buf, 5, buf.writerIndex() - 2);

            assertThat(v.start()).isEqualTo(5);
            assertThat(v.sentByEnd()).isEqualTo(18);
            assertThat(v.paramRange("branch")).isEqualTo((long) 18 << 32 | (buf.writerIndex() - 2));
        } finally {
            buf.release();
        }
    }

    // ---- malformed -------------------------------------------------------------------------------

    @ParameterizedTest
    @ValueSource(strings = {
        "",
        "   ",
        "SIP/2.0/UDP",
        "SIP/2.0/UDP ",
        "SIP/2.0/UDP ;branch=z9hG4bK1",
        "SIP/2.0 h.example.com",
        "SIP/2.0/UDPh.example.com",
        "SIP/2.0/U@P h.example.com",
        "SIP/2.0/ h.example.com",
        "SIP//UDP h.example.com",
        "SIP/2.0/UDP h.example.com;;branch=z9hG4bK1",
        "SIP/2.0/UDP h.example.com;branch=z9hG4bK1;",
        "SIP/2.0/UDP h.example.com;branch=z9hG4bK1; ;x",
        "SIP/2.0/UDP h.example.com:65536",
        "SIP/2.0/UDP h.example.com:99999999999999999999",
        "SIP/2.0/UDP h.example.com:50x0",
        "SIP/2.0/UDP h.example.com:",
        "SIP/2.0/UDP 2001:db8::1",
        "SIP/2.0/UDP [2001:db8::1",
        "SIP/2.0/UDP h.example.com;branch",
        "SIP/2.0/UDP h.example.com;branch=",
        "SIP/2.0/UDP h.example.com;received=host.example.com",
        "SIP/2.0/UDP h.example.com;received=256.1.1.1",
        "SIP/2.0/UDP h.example.com;rport=65536",
        "SIP/2.0/UDP h.example.com;rport=x",
        "SIP/2.0/UDP h.example.com;ttl=256",
        "SIP/2.0/UDP h.example.com;maddr=\"x\"",
        "SIP/2.0/UDP h.example.com;x=\"unterminated",
        "SIP/2.0/UDP h.example.com branch=z9hG4bK1",
        "SIP/2.0/UDP h.example.com;branch=z9hG4bK1,SIP/2.0/UDP second",
        "SIP/2.0/UDP h.example.com\r\n;branch=z9hG4bK1",
    })
    void rejectsMalformedValues(String text) {
        assertThat(via(text)).isNull();
    }

    @Test
    void parsesFromAnArrayWithBufferOffsets() {
        byte[] bytes = "xxSIP/2.0/UDP h.example.com;branch=z9hG4bK1".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        // buffer offset k is bytes[k - 10]: the value spans buffer offsets 12..54
        Via v = Via.parseBytes(bytes, -10, 12, 10 + bytes.length);

        assertThat(v.host()).isEqualTo("h.example.com");
        assertThat(v.start()).isEqualTo(12);
        assertThat(v.sentByEnd()).isEqualTo(12 + "SIP/2.0/UDP h.example.com".length());
        assertThat(Via.parseBytes(bytes, -10, 12, 11 + bytes.length)).isNull();
        assertThat(Via.parseBytes(bytes, -10, 9, 20)).isNull();
    }

    @Test
    void rejectsARangeOutsideTheBuffer() {
        io.netty.buffer.ByteBuf buf = Wire.bytes("SIP/2.0/UDP h");
        try {
            assertThat(Via.parse(buf, 0, buf.capacity() + 1)).isNull();
            assertThat(Via.parse(buf, -1, 3)).isNull();
            assertThat(Via.parse(buf, 4, 3)).isNull();
        } finally {
            buf.release();
        }
    }
}

package io.siplb.sip.edit;

import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;

/** The bytes of the lines and parameters a proxy adds. */
class HeaderWriterTest {

    private final HeaderWriter w = new HeaderWriter();

    @Test
    void writesOurViaWithItsBranch() {
        assertThat(w.via("UDP", "192.0.2.10", 5060, "z9hG4bK-lb-1").toString())
                .isEqualTo("Via: SIP/2.0/UDP 192.0.2.10:5060;branch=z9hG4bK-lb-1\r\n");
    }

    @Test
    void writesAViaWithMoreParametersThanTheBranch() {
        w.viaStart("TCP", "[2001:db8::10]", -1).param("branch", "z9hG4bK1").param("t", 1234567L).crlf();

        assertThat(w.toString()).isEqualTo("Via: SIP/2.0/TCP [2001:db8::10];branch=z9hG4bK1;t=1234567\r\n");
    }

    @Test
    void writesRecordRouteWithTheFlowTokenAndLr() {
        assertThat(w.recordRoute("Zm9vYmFy", "lb.example.com", 5060).toString())
                .isEqualTo("Record-Route: <sip:Zm9vYmFy@lb.example.com:5060;lr>\r\n");
    }

    @Test
    void writesPathWithLrAndOb() {
        assertThat(new String(HeaderWriter.pathLine("Zm9vYmFy", "192.0.2.10", 5060), ISO_8859_1))
                .isEqualTo("Path: <sip:Zm9vYmFy@192.0.2.10:5060;lr;ob>\r\n");
    }

    @Test
    void writesReceivedAndRportParameters() {
        w.param("received", "192.0.2.1").param("rport", 9988).param("lr", null);

        assertThat(w.toString()).isEqualTo(";received=192.0.2.1;rport=9988;lr");
    }

    @Test
    void writesDecimalsWithoutAllocatingStrings() {
        w.decimal(0).ch(' ').decimal(-42).ch(' ').decimal(Long.MAX_VALUE).ch(' ').decimal(Long.MIN_VALUE);

        assertThat(w.toString()).isEqualTo("0 -42 9223372036854775807 -9223372036854775808");
    }

    @Test
    void refusesACrLfThatWouldEndTheLine() {
        assertThatThrownBy(() -> w.recordRoute("x\r\nEvil: 1", "lb.example.com", 5060))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("printable ASCII");
    }

    @Test
    void refusesAPortOutOfRange() {
        assertThatThrownBy(() -> w.hostPort("lb.example.com", 65536))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("expected");
    }

    @Test
    void growsPastItsInitialCapacity() {
        HeaderWriter small = new HeaderWriter(4);

        small.via("UDP", "a-rather-long-host-name.example.com", 5060, "z9hG4bK0123456789abcdef");

        assertThat(small.length()).isEqualTo(small.toString().length()).isGreaterThan(60);
    }

    @Test
    void startsOverAfterReset() {
        w.via("UDP", "192.0.2.10", 5060, "z9hG4bK1").reset().ascii("x");

        assertThat(w.toByteArray()).containsExactly('x');
    }

    @Test
    void writesItsBytesToAByteBuf() {
        ByteBuf out = Unpooled.buffer();
        try {
            w.ascii("Max-Forwards: ").decimal(70).crlf().writeTo(out);

            assertThat(out.toString(ISO_8859_1)).isEqualTo("Max-Forwards: 70\r\n");
        } finally {
            out.release();
        }
    }
}

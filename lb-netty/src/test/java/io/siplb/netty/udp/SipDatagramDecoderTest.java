package io.siplb.netty.udp;

import static io.siplb.sip.SipText.sip;
import static io.siplb.sip.SipText.sipBytes;
import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.channel.socket.DatagramPacket;
import io.siplb.netty.pipeline.SipCounters;
import io.siplb.netty.pipeline.SipCounters.Event;
import io.siplb.netty.pipeline.SipInbound;
import io.siplb.route.Transport;
import io.siplb.sip.ParseError;
import io.siplb.sip.SipLimits;
import io.siplb.sip.SipMethod;
import io.siplb.sip.SipRequest;
import java.net.InetSocketAddress;
import org.junit.jupiter.api.Test;

class SipDatagramDecoderTest {

    private static final InetSocketAddress CLIENT = new InetSocketAddress("192.0.2.7", 40123);
    private static final InetSocketAddress LOCAL = new InetSocketAddress("127.0.0.1", 5060);

    private final SipCounters counters = new SipCounters();
    private final EmbeddedChannel ch = new EmbeddedChannel(new SipDatagramDecoder(SipLimits.DEFAULTS, counters));

    private static final String REGISTER = """
            REGISTER sip:example.com SIP/2.0
            Via: SIP/2.0/UDP 192.168.1.20:5060;branch=z9hG4bK776asdhds;rport
            Max-Forwards: 70
            To: <sip:alice@example.com>
            From: <sip:alice@example.com>;tag=1928301774
            Call-ID: a84b4c76e66710@pc33.example.com
            CSeq: 1 REGISTER
            Contact: <sip:alice@192.168.1.20:5060>
            Content-Length: 0

            """;

    @Test
    void turnsADatagramIntoAMessageWithItsSource() {
        assertThat(ch.writeInbound(new DatagramPacket(sip(REGISTER), LOCAL, CLIENT))).isTrue();

        SipInbound inbound = ch.readInbound();
        try {
            assertThat(inbound.message()).isInstanceOf(SipRequest.class);
            assertThat(((SipRequest) inbound.message()).method()).isEqualTo(SipMethod.REGISTER);
            assertThat(inbound.source().transport()).isEqualTo(Transport.UDP);
            assertThat(inbound.source().remote()).isEqualTo(CLIENT);
            assertThat(inbound.source().local()).isEqualTo(LOCAL);
            assertThat(inbound.source().connectionId()).isZero();
            assertThat(counters.get(Event.REQUEST_IN)).isEqualTo(1);
        } finally {
            assertThat(inbound.release()).isTrue();
        }
        assertThat(inbound.refCnt()).isZero();
        assertThat(ch.finish()).isFalse();
    }

    @Test
    void parsesInPlaceWithoutCopying() {
        ByteBuf datagram = sip(REGISTER);
        ch.writeInbound(new DatagramPacket(datagram, LOCAL, CLIENT));

        SipInbound inbound = ch.readInbound();
        assertThat(inbound.message().content()).as("the message is a view over the received buffer").isSameAs(datagram);
        assertThat(datagram.refCnt()).as("the packet's reference was released, the message's remains").isEqualTo(1);
        inbound.release();
        assertThat(datagram.refCnt()).isZero();
        assertThat(ch.finish()).isFalse();
    }

    @Test
    void dropsAKeepAliveAndCountsIt() {
        ByteBuf crlf = Unpooled.wrappedBuffer(sipBytes("\n\n"));
        assertThat(ch.writeInbound(new DatagramPacket(crlf, LOCAL, CLIENT))).isFalse();

        assertThat(counters.get(Event.KEEP_ALIVE)).isEqualTo(1);
        assertThat(crlf.refCnt()).isZero();
        assertThat(ch.finish()).isFalse();
    }

    @Test
    void dropsWhatDoesNotParseAndCountsItsError() {
        ByteBuf garbage = sip("HELLO WORLD\n\n");
        assertThat(ch.writeInbound(new DatagramPacket(garbage, LOCAL, CLIENT))).isFalse();

        assertThat(counters.get(ParseError.MALFORMED_START_LINE)).isEqualTo(1);
        assertThat(garbage.refCnt()).isZero();
        assertThat(ch.finish()).isFalse();
    }
}

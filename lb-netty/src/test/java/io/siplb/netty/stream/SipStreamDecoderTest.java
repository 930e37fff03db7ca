package io.siplb.netty.stream;

import static io.siplb.sip.SipText.sip;
import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.channel.embedded.EmbeddedChannel;
import io.siplb.netty.pipeline.SipCounters;
import io.siplb.netty.pipeline.SipCounters.Event;
import io.siplb.netty.pipeline.SipInbound;
import io.siplb.route.Transport;
import io.siplb.sip.ParseError;
import io.siplb.sip.SipLimits;
import io.siplb.sip.SipResponse;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class SipStreamDecoderTest {

    private static final InetSocketAddress PEER = new InetSocketAddress("192.0.2.7", 40123);
    private static final InetSocketAddress LOCAL = new InetSocketAddress("127.0.0.1", 5060);

    private static final String OK = """
            SIP/2.0 200 OK
            Via: SIP/2.0/TCP 192.168.1.20:5060;branch=z9hG4bK776asdhds
            To: <sip:alice@example.com>;tag=37GkEhwl6
            From: <sip:alice@example.com>;tag=1928301774
            Call-ID: a84b4c76e66710@pc33.example.com
            CSeq: 1 REGISTER
            Content-Length: 4

            body""";

    private final SipCounters counters = new SipCounters();
    private final ConnectionTable connections = new ConnectionTable();
    private final EmbeddedChannel ch = new TcpLikeChannel();

    SipStreamDecoderTest() {
        connections.register(ch);
        ch.pipeline().addLast(new SipStreamDecoder(Transport.TCP, SipLimits.DEFAULTS, counters));
    }

    @AfterEach
    void noLeftovers() {
        assertThat(ch.finish()).isFalse();
    }

    @Test
    void framesAMessageSplitOverTwoReadsAndNamesItsConnection() {
        ByteBuf whole = sip(OK);
        int half = whole.readableBytes() / 2;
        assertThat(ch.writeInbound(whole.readRetainedSlice(half))).isFalse();
        assertThat(ch.writeInbound(whole.readRetainedSlice(whole.readableBytes()))).isTrue();
        whole.release();

        SipInbound inbound = ch.readInbound();
        assertThat(inbound.message()).isInstanceOf(SipResponse.class);
        assertThat(inbound.message().bodyLength()).isEqualTo(4);
        assertThat(inbound.source().transport()).isEqualTo(Transport.TCP);
        assertThat(inbound.source().remote()).isEqualTo(PEER);
        assertThat(inbound.source().connectionId()).isEqualTo(ConnectionTable.idOf(ch)).isPositive();
        inbound.release();
        assertThat(inbound.refCnt()).isZero();
    }

    @Test
    void framesTwoPipelinedMessagesFromOneRead() {
        ByteBuf two = sip(OK + OK);
        ch.writeInbound(two);

        SipInbound first = ch.readInbound();
        SipInbound second = ch.readInbound();
        assertThat(first).isNotNull();
        assertThat(second).isNotNull();
        first.release();
        second.release();
        assertThat(two.refCnt()).isZero();
    }

    @Test
    void answersACrlfCrlfPingWithCrlf() {
        assertThat(ch.writeInbound(sip("\n\n"))).isFalse();

        ByteBuf pong = ch.readOutbound();
        assertThat(pong.toString(StandardCharsets.US_ASCII)).isEqualTo("\r\n");
        pong.release();
        assertThat(counters.get(Event.PONG)).isEqualTo(1);
        assertThat(ch.isOpen()).isTrue();
    }

    @Test
    void consumesABareCrlfBeforeAMessage() {
        ch.writeInbound(sip("\n" + OK));

        SipInbound inbound = ch.readInbound();
        assertThat(inbound).isNotNull();
        inbound.release();
        assertThat(counters.get(Event.KEEP_ALIVE)).isEqualTo(1);
        ByteBuf answer = ch.readOutbound();
        assertThat(answer).as("a bare CRLF is not answered").isNull();
    }

    @Test
    void closesTheConnectionWhenTheStreamCannotBeFramed() {
        ByteBuf bad = sip("""
                SIP/2.0 200 OK
                Content-Length: many

                """);
        ch.writeInbound(bad);

        assertThat(ch.isOpen()).isFalse();
        assertThat(bad.refCnt()).isZero();
        assertThat(counters.get(Event.FRAMING_ERROR)).isEqualTo(1);
        assertThat(counters.get(ParseError.BAD_CONTENT_LENGTH)).isEqualTo(1);
        assertThat(connections.get(ConnectionTable.idOf(ch))).as("a closed connection leaves the table").isNull();
    }

    /** An EmbeddedChannel with IP addresses, as a TCP connection has. */
    private static final class TcpLikeChannel extends EmbeddedChannel {
        @Override
        protected SocketAddress remoteAddress0() {
            return PEER;
        }

        @Override
        protected SocketAddress localAddress0() {
            return LOCAL;
        }
    }
}

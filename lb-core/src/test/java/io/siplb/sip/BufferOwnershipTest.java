package io.siplb.sip;

import static io.siplb.sip.SipText.sip;
import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import org.junit.jupiter.api.Test;

/** Who owns the buffer, under paranoid leak detection (set by the parent POM). */
class BufferOwnershipTest {

    private static final byte[] OPTIONS = SipText.sipBytes("""
            OPTIONS sip:carol@chicago.com SIP/2.0
            Via: SIP/2.0/UDP pc33.atlanta.com;branch=z9hG4bKhjhs8ass877
            Max-Forwards: 70
            To: <sip:carol@chicago.com>
            From: Alice <sip:alice@atlanta.com>;tag=1928301774
            Call-ID: a84b4c76e66710
            CSeq: 63104 OPTIONS
            Content-Length: 0

            """);

    private static ByteBuf pooled(byte[] bytes) {
        return PooledByteBufAllocator.DEFAULT.directBuffer(bytes.length).writeBytes(bytes);
    }

    @Test
    void releasingTheMessageReleasesItsBuffer() {
        ByteBuf buf = pooled(OPTIONS);
        ParseResult r = SipParser.parse(buf, SipLimits.DEFAULTS, Framing.DATAGRAM);
        assertThat(r.message().content()).isSameAs(buf);
        assertThat(r.message().refCnt()).isEqualTo(1);
        assertThat(r.message().release()).isTrue();
        assertThat(buf.refCnt()).isZero();
    }

    @Test
    void leavesTheBufferToTheCallerOnFailure() {
        ByteBuf buf = pooled(SipText.sipBytes("OPTIONS  sip:carol@chicago.com SIP/2.0\nl: 0\n\n"));
        ParseResult r = SipParser.parse(buf, SipLimits.DEFAULTS, Framing.DATAGRAM);
        assertThat(r.isSuccess()).isFalse();
        assertThat(buf.refCnt()).isEqualTo(1);
        assertThat(buf.release()).isTrue();
    }

    @Test
    void aRetainedSliceGivesBackItsReferenceToTheCumulationOnRelease() {
        ByteBuf cumulation = pooled(OPTIONS);
        ParseResult r = SipParser.parse(cumulation.retainedSlice(), SipLimits.DEFAULTS, Framing.STREAM);
        assertThat(cumulation.refCnt()).isEqualTo(2);
        r.message().release(); // a pooled retained slice counts its own references
        assertThat(r.message().refCnt()).isZero();
        assertThat(cumulation.refCnt()).isEqualTo(1);
        assertThat(cumulation.release()).isTrue();
        assertThat(cumulation.refCnt()).isZero();
    }

    @Test
    void retainedDuplicateSharesTheIndexAndNeedsItsOwnRelease() {
        ParseResult r = SipParser.parse(pooled(OPTIONS), SipLimits.DEFAULTS, Framing.DATAGRAM);
        SipMessage msg = r.message();
        SipMessage dup = msg.retainedDuplicate();
        assertThat(dup).isInstanceOf(SipRequest.class);
        assertThat(msg.refCnt()).isEqualTo(2);
        assertThat(msg.release()).isFalse();
        assertThat(dup.callId()).isEqualTo("a84b4c76e66710");
        assertThat(dup.release()).isTrue();
        assertThat(msg.refCnt()).isZero();
    }

    @Test
    void copyKeepsOffsetsValidInTheNewBuffer() {
        ByteBuf buf = sip("\n" + new String(OPTIONS, java.nio.charset.StandardCharsets.US_ASCII));
        SipMessage msg = SipParser.parse(buf, SipLimits.DEFAULTS, Framing.DATAGRAM).message();
        SipMessage copy = msg.copy();
        try {
            assertThat(msg.release()).isTrue();
            assertThat(copy.content().readerIndex()).isEqualTo(2);
            assertThat(copy.topVia().branch()).isEqualTo("z9hG4bKhjhs8ass877");
            assertThat(((SipRequest) copy).method()).isEqualTo(SipMethod.OPTIONS);
        } finally {
            assertThat(copy.release()).isTrue();
        }
    }
}

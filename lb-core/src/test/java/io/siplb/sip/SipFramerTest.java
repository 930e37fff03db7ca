package io.siplb.sip;

import static io.siplb.sip.SipText.sip;
import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;

class SipFramerTest {

    private static FrameKind frame(ByteBuf buf) {
        try {
            return SipFramer.frame(buf);
        } finally {
            buf.release();
        }
    }

    @Test
    void classifiesADatagramWithAStartLineAsAMessage() {
        assertThat(frame(sip("OPTIONS sip:a@b.example.com SIP/2.0\nl: 0\n\n"))).isEqualTo(FrameKind.MESSAGE);
    }

    @Test
    void classifiesLineBreaksAsKeepAlive() {
        assertThat(frame(sip("\n\n"))).isEqualTo(FrameKind.KEEP_ALIVE);
        assertThat(frame(sip("\n"))).isEqualTo(FrameKind.KEEP_ALIVE);
        assertThat(frame(Unpooled.buffer())).isEqualTo(FrameKind.KEEP_ALIVE);
        assertThat(frame(Unpooled.wrappedBuffer(new byte[4]))).isEqualTo(FrameKind.KEEP_ALIVE);
    }

    @Test
    void classifiesAStunBindingRequest() {
        ByteBuf stun = Unpooled.buffer(20);
        stun.writeShort(0x0001).writeShort(0).writeInt(0x2112A442).writeZero(12);
        assertThat(frame(stun)).isEqualTo(FrameKind.STUN);
    }

    @Test
    void leavesTheIndicesAlone() {
        ByteBuf buf = sip("\nOPTIONS sip:a@b.example.com SIP/2.0\n\n");
        try {
            assertThat(SipFramer.frame(buf)).isEqualTo(FrameKind.MESSAGE);
            assertThat(buf.readerIndex()).isZero();
        } finally {
            buf.release();
        }
    }
}

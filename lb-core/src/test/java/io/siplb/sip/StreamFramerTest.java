package io.siplb.sip;

import static io.siplb.sip.SipText.sipBytes;
import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class StreamFramerTest {

    /** Pings, a bare CRLF, and four pipelined messages, one with CRLFCRLF inside its body. */
    private static final byte[] PIPELINE = sipBytes("""


            INVITE sip:bob@biloxi.com SIP/2.0
            Via: SIP/2.0/TCP pc33.atlanta.com;branch=z9hG4bKnashds8
            To: Bob <sip:bob@biloxi.com>
            From: Alice <sip:alice@atlanta.com>;tag=1928301774
            Call-ID: first
            CSeq: 314159 INVITE
            Content-Length: 5

            v=0

            SIP/2.0 200 OK
            Via: SIP/2.0/TCP pc33.atlanta.com;branch=z9hG4bKnashds8
            Call-ID: second
            l: 0



            MESSAGE sip:bob@biloxi.com SIP/2.0
            Call-ID: third
            Content-Length:
             6

            a

            bOPTIONS sip:bob@biloxi.com SIP/2.0
            Call-ID: fourth

            """);

    private static final List<String> EXPECTED = List.of(
            "PING",
            "MESSAGE INVITE first body=v=0\r\n",
            "KEEP_ALIVE",
            "MESSAGE 200 second body=",
            "PING",
            "MESSAGE MESSAGE third body=a\r\n\r\nb",
            "MESSAGE OPTIONS fourth body=");

    private Driver driver;

    @AfterEach
    void releaseCumulation() {
        if (driver != null) {
            assertThat(driver.cumulation.release()).isTrue();
        }
    }

    /** Plays the role of a ByteToMessageDecoder: cumulates, frames, parses, consumes. */
    private static final class Driver {
        final SipLimits limits;
        final StreamFramer framer;
        final ByteBuf cumulation = Unpooled.buffer();
        final List<String> events = new ArrayList<>();

        Driver(SipLimits limits) {
            this.limits = limits;
            this.framer = new StreamFramer(limits);
        }

        Driver feed(byte[] bytes) {
            return feed(bytes, 0, bytes.length);
        }

        Driver feed(byte[] bytes, int from, int to) {
            cumulation.writeBytes(bytes, from, to - from);
            while (true) {
                FrameKind kind = framer.decode(cumulation);
                switch (kind) {
                    case NEED_MORE -> {
                        cumulation.discardReadBytes(); // offsets kept by the framer are relative
                        return this;
                    }
                    case ERROR -> {
                        events.add("ERROR " + framer.failure().error());
                        cumulation.skipBytes(cumulation.readableBytes());
                        return this;
                    }
                    case MESSAGE -> events.add(parse(cumulation.readRetainedSlice(framer.frameLength())));
                    default -> {
                        events.add(kind.name());
                        cumulation.skipBytes(framer.frameLength());
                    }
                }
            }
        }

        private String parse(ByteBuf frame) {
            ParseResult r = SipParser.parse(frame, limits, Framing.STREAM);
            if (!r.isSuccess()) {
                frame.release();
                return "UNPARSEABLE " + r.failure();
            }
            SipMessage msg = r.message();
            try {
                String head = msg instanceof SipRequest req ? req.methodName()
                        : String.valueOf(((SipResponse) msg).statusCode());
                return "MESSAGE " + head + ' ' + msg.callId() + " body="
                        + msg.content().toString(msg.bodyStart(), msg.bodyLength(), StandardCharsets.US_ASCII);
            } finally {
                msg.release();
            }
        }
    }

    private Driver driver(SipLimits limits) {
        driver = new Driver(limits);
        return driver;
    }

    @Test
    void framesPipelinedMessagesAndKeepAlivesReadAtOnce() {
        assertThat(driver(SipLimits.DEFAULTS).feed(PIPELINE).events).isEqualTo(EXPECTED);
    }

    @Test
    void framesTheSameWhereverTheStreamIsSplit() {
        for (int split = 0; split <= PIPELINE.length; split++) {
            Driver d = new Driver(SipLimits.DEFAULTS);
            try {
                d.feed(PIPELINE, 0, split).feed(PIPELINE, split, PIPELINE.length);
                assertThat(d.events).as("split at %d", split).isEqualTo(EXPECTED);
            } finally {
                d.cumulation.release();
            }
        }
    }

    @Test
    void framesTheSameWhenFedOneByteAtATime() {
        Driver d = driver(SipLimits.DEFAULTS);
        for (int i = 0; i < PIPELINE.length; i++) {
            d.feed(PIPELINE, i, i + 1);
        }
        assertThat(d.events).isEqualTo(EXPECTED);
    }

    @Test
    void answersACrlfCrlfPing() {
        Driver d = driver(SipLimits.DEFAULTS).feed(sipBytes("\n\n"));
        assertThat(d.events).containsExactly("PING");
        assertThat(d.framer.frameLength()).isEqualTo(4);
    }

    @Test
    void holdsALoneCrlfUntilItIsKnownNotToBeAPing() {
        Driver d = driver(SipLimits.DEFAULTS).feed(sipBytes("\n"));
        assertThat(d.events).isEmpty();
        d.feed(sipBytes("OPTIONS sip:a@b.example.com SIP/2.0\nl: 0\n\n"));
        assertThat(d.events).containsExactly("KEEP_ALIVE", "MESSAGE OPTIONS null body=");
    }

    @Test
    void waitsForTheWholeBody() {
        byte[] msg = sipBytes("MESSAGE sip:a@b.example.com SIP/2.0\nContent-Length: 10\n\nhello");
        Driver d = driver(SipLimits.DEFAULTS).feed(msg);
        assertThat(d.events).isEmpty();
        d.feed("world".getBytes(StandardCharsets.US_ASCII));
        assertThat(d.events).containsExactly("MESSAGE MESSAGE null body=helloworld");
    }

    @Test
    void failsOnANegativeContentLength() {
        Driver d = driver(SipLimits.DEFAULTS).feed(sipBytes("INVITE sip:a@b.example.com SIP/2.0\nContent-Length: -999\n\n"));
        assertThat(d.events).containsExactly("ERROR BAD_CONTENT_LENGTH");
    }

    @Test
    void failsOnANonNumericContentLength() {
        Driver d = driver(SipLimits.DEFAULTS).feed(sipBytes("INVITE sip:a@b.example.com SIP/2.0\nl: ten\n\n"));
        assertThat(d.events).containsExactly("ERROR BAD_CONTENT_LENGTH");
    }

    @Test
    void failsOnConflictingContentLengths() {
        Driver d = driver(SipLimits.DEFAULTS).feed(sipBytes("OPTIONS sip:a@b.example.com SIP/2.0\nContent-Length: 13\nl: 5\n\nhello"));
        assertThat(d.events).containsExactly("ERROR CONFLICTING_CONTENT_LENGTH");
    }

    @Test
    void acceptsARepeatedEqualContentLength() {
        Driver d = driver(SipLimits.DEFAULTS).feed(sipBytes("OPTIONS sip:a@b.example.com SIP/2.0\nContent-Length: 2\nl: 2\n\nhi"));
        assertThat(d.events).containsExactly("MESSAGE OPTIONS null body=hi");
    }

    @Test
    void failsOnAHeaderSectionLongerThanTheLimit() {
        Driver d = driver(SipLimits.DEFAULTS.withMaxMessageBytes(200));
        d.feed(sipBytes("OPTIONS sip:a@b.example.com SIP/2.0\n"));
        for (int i = 0; i < 20 && d.events.isEmpty(); i++) {
            d.feed(sipBytes("X-Filler: 0123456789\n"));
        }
        assertThat(d.events).containsExactly("ERROR MESSAGE_TOO_LARGE");
        assertThat(d.framer.failure().statusCode()).isEqualTo(413);
    }

    @Test
    void failsOnAContentLengthBeyondTheLimit() {
        Driver d = driver(SipLimits.DEFAULTS).feed(sipBytes("MESSAGE sip:a@b.example.com SIP/2.0\nl: 99999999999999999999\n\n"));
        assertThat(d.events).containsExactly("ERROR MESSAGE_TOO_LARGE");
    }

    @Test
    void failsOnABareLineFeedBetweenMessages() {
        Driver d = driver(SipLimits.DEFAULTS).feed(new byte[] {'\n', 'O'});
        assertThat(d.events).containsExactly("ERROR BARE_LINE_BREAK");
    }

    @Test
    void framesAMessageWithoutContentLengthWithAnEmptyBody() {
        Driver d = driver(SipLimits.DEFAULTS).feed(sipBytes("OPTIONS sip:a@b.example.com SIP/2.0\ni: x\n\n"));
        assertThat(d.events).containsExactly("MESSAGE OPTIONS x body=");
    }

    @Test
    void doesLinearWorkWhenALargeHeaderSectionArrivesByteByByte() {
        StringBuilder sb = new StringBuilder("OPTIONS sip:a@b.example.com SIP/2.0\n");
        while (sb.length() < 400_000) {
            sb.append("X-Filler: 0123456789abcdefghijklmnopqrstuvwxyz\n");
        }
        byte[] big = sipBytes(sb.append("l: 0\n\n").toString());
        Driver d = driver(SipLimits.DEFAULTS.withMaxMessageBytes(1 << 20).withMaxHeaders(20_000));
        long t0 = System.nanoTime();
        for (int i = 0; i < big.length; i++) {
            d.feed(big, i, i + 1);
        }
        long millis = (System.nanoTime() - t0) / 1_000_000;
        assertThat(d.events).containsExactly("MESSAGE OPTIONS null body=");
        // rescanning from the start on every byte would read ~10^11 bytes: minutes, not seconds
        assertThat(millis).isLessThan(10_000);
    }
}

package io.siplb.sip;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.siplb.sip.edit.ProxyFixtures;
import io.siplb.sip.header.NameAddr;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * Index a received message and read what routing needs from it: the parsed top Via, the top
 * Route, From, To, Call-ID, CSeq, Max-Forwards and the Request-URI (DESIGN.md, routing rules
 * 1–5). This is the per-request parsing cost of the proxy; target ≤ 2 µs for the INVITE.
 *
 * <p>Each invocation parses the buffer as the datagram decoder does (the received buffer with
 * one more reference, see {@link #received()}) and releases the message.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = "-Dio.netty.leakDetection.level=disabled")
public class SipParserBenchmark {

    /** Which fixture: an INVITE with SDP (896 bytes) or a REGISTER (489 bytes). */
    @Param({"INVITE_WITH_SDP", "REGISTER"})
    public String message;

    /** Where the bytes are: a heap buffer, or a direct one as a native transport delivers. */
    @Param({"heap", "direct"})
    public String buffer;

    private ByteBuf frame;
    private int length;

    @Setup(Level.Trial)
    public void setUp() {
        byte[] bytes = SipText.sipBytes(message.equals("REGISTER") ? ProxyFixtures.REGISTER : ProxyFixtures.INVITE_WITH_SDP);
        length = bytes.length;
        // "direct" is what the epoll datagram channel hands the decoder: a pooled direct buffer
        frame = buffer.equals("direct") ? PooledByteBufAllocator.DEFAULT.directBuffer(bytes.length)
                : Unpooled.buffer(bytes.length);
        frame.writeBytes(bytes);
        // fail at setup, not with a NullPointerException in the measurement
        ParseResult check = SipParser.parse(received(), SipLimits.DEFAULTS, Framing.DATAGRAM);
        if (!check.isSuccess() || check.message().topVia() == null || check.message().cseq() == null) {
            throw new IllegalStateException("fixture does not parse: " + check);
        }
        check.message().release();
    }

    /**
     * The frame as the datagram decoder passes it: the received buffer itself with one more
     * reference ({@code content.retain()}, no slice or duplicate), its indices spanning the datagram.
     */
    private ByteBuf received() {
        return frame.retain().setIndex(0, length);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        frame.release();
    }

    /** Index only: find the start line, every header value, the body. */
    @Benchmark
    public Object index() {
        ParseResult result = SipParser.parse(received(), SipLimits.DEFAULTS, Framing.DATAGRAM);
        SipMessage msg = result.message();
        msg.release();
        return msg;
    }

    /** Index, then read and parse the headers the router needs. */
    @Benchmark
    public void indexAndReadRoutingHeaders(Blackhole bh) {
        ParseResult result = SipParser.parse(received(), SipLimits.DEFAULTS, Framing.DATAGRAM);
        SipRequest msg = (SipRequest) result.message();
        try {
            bh.consume(msg.topVia().branch());
            int route = msg.first(HeaderName.ROUTE);
            if (route >= 0) {
                bh.consume(NameAddr.parse(msg.content(), msg.valueStart(route), msg.valueEnd(route)).uri());
            }
            bh.consume(msg.from().uri());
            bh.consume(msg.to().uri());
            bh.consume(msg.callId());
            bh.consume(msg.cseq());
            bh.consume(msg.maxForwards());
            bh.consume(msg.requestUri());
        } finally {
            msg.release();
        }
    }
}

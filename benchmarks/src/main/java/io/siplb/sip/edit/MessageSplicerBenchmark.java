package io.siplb.sip.edit;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.PooledByteBufAllocator;
import io.siplb.sip.Framing;
import io.siplb.sip.ParseResult;
import io.siplb.sip.SipLimits;
import io.siplb.sip.SipMessage;
import io.siplb.sip.SipParser;
import io.siplb.sip.SipText;
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

/**
 * The proxy's rewrite of an initial INVITE with SDP (896 bytes, or about 13 KB with a large
 * SDP): push our Via, add {@code received} and fill {@code rport} on the client's Via, insert
 * a Record-Route, decrement Max-Forwards ({@link ProxyFixtures#proxyEdits}).
 *
 * <p>{@link #splice} is the splice as shipped (unchanged runs shorter than
 * {@link MessageSplicer#MIN_SHARED_RUN} copied, longer ones shared); {@link #spliceEveryRun}
 * shares every run however short; {@link #fullCopy} is the baseline that copies the whole
 * message into one new buffer with the same edits applied. All three include building the
 * edits ({@link #editsOnly} shows that part alone) and releasing the output; the message is
 * parsed once, as the router has already parsed it when it decides on the edits.
 * Target: splice ≤ 1 µs and faster than the copy (see benchmarks/README.md for why that holds
 * only for large bodies).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = "-Dio.netty.leakDetection.level=disabled")
public class MessageSplicerBenchmark {

    /**
     * Extra SDP lines (ICE candidates, as a WebRTC or video client sends) appended to the
     * INVITE's body: 0 gives the 896-byte INVITE, 150 one of about 13 KB, whose body is long
     * enough to be shared ({@link MessageSplicer#MIN_SHARED_RUN}).
     */
    @Param({"0", "150"})
    public int extraSdpLines;

    private final ByteBufAllocator alloc = PooledByteBufAllocator.DEFAULT;
    private final HeaderWriter writer = new HeaderWriter();
    private SipMessage msg;

    @Setup(Level.Trial)
    public void setUp() {
        byte[] bytes = SipText.sipBytes(invite(extraSdpLines));
        // direct, as a native transport delivers datagrams
        ByteBuf frame = alloc.directBuffer(bytes.length).writeBytes(bytes);
        ParseResult result = SipParser.parse(frame, SipLimits.DEFAULTS, Framing.DATAGRAM);
        if (!result.isSuccess()) {
            frame.release();
            throw new IllegalStateException("fixture does not parse: " + result);
        }
        msg = result.message();
        ByteBuf a = MessageSplicer.splice(msg, ProxyFixtures.proxyEdits(msg, writer), alloc);
        ByteBuf b = MessageSplicer.copy(msg, ProxyFixtures.proxyEdits(msg, writer), alloc);
        ByteBuf c = MessageSplicer.splice(msg, ProxyFixtures.proxyEdits(msg, writer), alloc, 1);
        boolean same = a.equals(b) && a.equals(c);
        a.release();
        b.release();
        c.release();
        if (!same) {
            throw new IllegalStateException("splice and copy disagree");
        }
    }

    /** The fixture INVITE with {@code lines} more SDP attribute lines and a matching Content-Length. */
    static String invite(int lines) {
        StringBuilder extra = new StringBuilder();
        for (int i = 0; i < lines; i++) {
            extra.append("a=candidate:").append(842163049 + i).append(" 1 udp 1677729535 203.0.113.")
                    .append(i % 250).append(' ').append(40000 + i).append(" typ srflx raddr 192.168.1.20 rport 49172\n");
        }
        String text = ProxyFixtures.INVITE_WITH_SDP + extra;
        int body = SipText.sipBytes(text.substring(text.indexOf("\n\n") + 2)).length;
        return text.replace("Content-Length: 266", "Content-Length: " + body);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        msg.release();
    }

    /** Building the five edits, without applying them. */
    @Benchmark
    public MessageEdits editsOnly() {
        return ProxyFixtures.proxyEdits(msg, writer);
    }

    /**
     * The splice as shipped: unchanged runs of at least {@link MessageSplicer#MIN_SHARED_RUN}
     * shared, the rest copied next to the new bytes (for the 896-byte INVITE: one buffer).
     */
    @Benchmark
    public int splice() {
        ByteBuf out = MessageSplicer.splice(msg, ProxyFixtures.proxyEdits(msg, writer), alloc);
        int length = out.readableBytes();
        out.release();
        return length;
    }

    /** A plain splice: every unchanged run shared as a slice, however short (nine components here). */
    @Benchmark
    public int spliceEveryRun() {
        ByteBuf out = MessageSplicer.splice(msg, ProxyFixtures.proxyEdits(msg, writer), alloc, 1);
        int length = out.readableBytes();
        out.release();
        return length;
    }

    /** Baseline: the whole message copied into one new buffer with the edits applied. */
    @Benchmark
    public int fullCopy() {
        ByteBuf out = MessageSplicer.copy(msg, ProxyFixtures.proxyEdits(msg, writer), alloc);
        int length = out.readableBytes();
        out.release();
        return length;
    }
}

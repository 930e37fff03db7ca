package io.siplb.route;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
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
 * Flow-token signing (every REGISTER and dialog-creating request from a client) and
 * verification (every request from a home proxy towards a client): one HMAC-SHA256 each, which
 * dominates. {@code verifyForged} is what a forger costs us per attempt.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class FlowTokenBenchmark {

    @Param({"UDP_V4", "TCP_V6"})
    public String flow;

    private FlowTokenCodec codec;
    private FlowToken token;
    private String encoded;
    private String forged;
    private ByteBuf route;
    private int tokenStart;

    @Setup
    public void setUp() {
        codec = FlowTokenCodec.of("benchmark-secret-of-32-bytes!!!!".getBytes(StandardCharsets.US_ASCII));
        token = flow.equals("UDP_V4")
                ? FlowToken.udp(new InetSocketAddress("198.51.100.7", 40312))
                : FlowToken.of(Transport.TCP, new InetSocketAddress("2001:db8::7", 40312), 123_456_789L);
        encoded = codec.encode(token);
        char flipped = encoded.charAt(5) == 'A' ? 'B' : 'A';
        forged = encoded.substring(0, 5) + flipped + encoded.substring(6);
        String header = "Route: <sip:" + encoded + "@192.0.2.1;lr>\r\n";
        tokenStart = "Route: <sip:".length();
        route = Unpooled.directBuffer().writeBytes(header.getBytes(StandardCharsets.US_ASCII));
    }

    @TearDown
    public void tearDown() {
        route.release();
    }

    @Benchmark
    public String encode() {
        return codec.encode(token);
    }

    @Benchmark
    public FlowToken verify() {
        return codec.decode(encoded);
    }

    /** Verifying in place, from the received Route header bytes. */
    @Benchmark
    public FlowToken verifyFromByteBuf() {
        return codec.decode(route, tokenStart, tokenStart + encoded.length());
    }

    @Benchmark
    public FlowToken verifyForged() {
        return codec.decode(forged);
    }
}

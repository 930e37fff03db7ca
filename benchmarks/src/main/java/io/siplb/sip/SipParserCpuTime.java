package io.siplb.sip;

import com.sun.management.ThreadMXBean;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.siplb.sip.edit.ProxyFixtures;
import io.siplb.sip.header.NameAddr;
import java.lang.management.ManagementFactory;
import java.util.Arrays;

/**
 * {@link SipParserBenchmark} measured in the benchmark thread's CPU time instead of wall time:
 * for comparing two builds on a shared machine, where other processes take the CPU away from a
 * JMH run and its wall-clock figures swing by 50 % or more. CPU time leaves out the time the
 * thread waits for a core; what other processes do to the caches still shows. Not a replacement
 * for the JMH figures, which are taken on a quiet machine.
 *
 * <p>One case per JVM, as JMH forks one per benchmark:
 * {@code java -Dio.netty.leakDetection.level=disabled -cp benchmarks.jar io.siplb.sip.SipParserCpuTime
 * INVITE_WITH_SDP direct routing} (message {@code INVITE_WITH_SDP} or {@code REGISTER}; buffer
 * {@code heap} or {@code direct}; {@code index} or {@code routing} for
 * {@code indexAndReadRoutingHeaders}). It prints the minimum, first quartile and median of 12
 * rounds of 200,000 operations after 6 rounds of warm-up, and the bytes allocated per operation.
 */
public final class SipParserCpuTime {

    private static final int OPERATIONS = 200_000;
    private static final int WARM_UP_ROUNDS = 6;
    private static final int ROUNDS = 12;

    /** Keeps the results alive, as JMH's Blackhole does. */
    private static volatile int sink;
    private static int accumulated;

    private SipParserCpuTime() {
    }

    public static void main(String[] args) {
        if (args.length != 3) {
            System.err.println("usage: SipParserCpuTime INVITE_WITH_SDP|REGISTER heap|direct index|routing");
            System.exit(2);
        }
        byte[] bytes = SipText.sipBytes(args[0].equals("REGISTER") ? ProxyFixtures.REGISTER : ProxyFixtures.INVITE_WITH_SDP);
        ByteBuf frame = args[1].equals("direct") ? PooledByteBufAllocator.DEFAULT.directBuffer(bytes.length)
                : Unpooled.buffer(bytes.length);
        frame.writeBytes(bytes);
        boolean routing = args[2].equals("routing");
        ThreadMXBean threads = (ThreadMXBean) ManagementFactory.getThreadMXBean();
        long thread = Thread.currentThread().getId();
        double[] nanos = new double[ROUNDS];
        long allocated = 0;
        for (int round = 0; round < WARM_UP_ROUNDS + ROUNDS; round++) {
            long bytesBefore = threads.getThreadAllocatedBytes(thread);
            long cpuBefore = threads.getCurrentThreadCpuTime();
            for (int i = 0; i < OPERATIONS; i++) {
                accumulated += routing ? indexAndReadRoutingHeaders(frame, bytes.length) : index(frame, bytes.length);
            }
            long cpuAfter = threads.getCurrentThreadCpuTime();
            long bytesAfter = threads.getThreadAllocatedBytes(thread);
            if (round >= WARM_UP_ROUNDS) {
                nanos[round - WARM_UP_ROUNDS] = (cpuAfter - cpuBefore) / (double) OPERATIONS;
                allocated = (bytesAfter - bytesBefore) / OPERATIONS;
            }
        }
        sink = accumulated;
        frame.release();
        Arrays.sort(nanos);
        System.out.printf("%s %s %s: CPU ns/op min %.0f, p25 %.0f, median %.0f; %d B/op%n",
                routing ? "indexAndReadRoutingHeaders" : "index", args[0], args[1],
                nanos[0], nanos[ROUNDS / 4], nanos[ROUNDS / 2], allocated);
    }

    /** {@link SipParserBenchmark#index()}. */
    private static int index(ByteBuf frame, int length) {
        SipMessage msg = SipParser.parse(frame.retain().setIndex(0, length), SipLimits.DEFAULTS, Framing.DATAGRAM).message();
        int count = msg.headerCount();
        msg.release();
        return count;
    }

    /** The reads of {@link SipParserBenchmark#indexAndReadRoutingHeaders}, folded into an int. */
    private static int indexAndReadRoutingHeaders(ByteBuf frame, int length) {
        SipRequest msg = (SipRequest) SipParser.parse(frame.retain().setIndex(0, length), SipLimits.DEFAULTS,
                Framing.DATAGRAM).message();
        try {
            int r = msg.topVia().branch().length();
            int route = msg.first(HeaderName.ROUTE);
            if (route >= 0) {
                r += NameAddr.parse(msg.content(), msg.valueStart(route), msg.valueEnd(route)).uri().port();
            }
            r += msg.from().uri().port();
            r += msg.to().uri().port();
            r += msg.callId().length();
            r += (int) msg.cseq().number();
            r += msg.maxForwards();
            r += msg.requestUri().port();
            return r;
        } finally {
            msg.release();
        }
    }
}

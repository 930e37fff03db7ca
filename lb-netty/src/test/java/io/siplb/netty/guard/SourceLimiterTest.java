package io.siplb.netty.guard;

import io.siplb.netty.guard.SourceLimiter.Verdict;
import org.junit.jupiter.api.Test;

import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.net.UnknownHostException;

import static org.assertj.core.api.Assertions.assertThat;

class SourceLimiterTest {

    private static final long SECOND = 1_000_000_000L;

    private static InetAddress ip(String s) {
        try {
            return InetAddress.getByName(s);
        } catch (UnknownHostException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void passesTheBurstThenTheRate() {
        SourceLimiter l = new SourceLimiter(10, 5, 1000, 60 * SECOND, 1024);
        InetAddress a = ip("192.0.2.1");
        long now = 5 * SECOND;
        int passed = 0;
        for (int i = 0; i < 100; i++) {
            passed += l.admit(a, now) == Verdict.PASS ? 1 : 0;
        }
        assertThat(passed).isBetween(5, 6);
        // a second later the bucket is full again (it never holds more than the burst)
        passed = 0;
        for (int i = 0; i < 100; i++) {
            passed += l.admit(a, now + SECOND) == Verdict.PASS ? 1 : 0;
        }
        assertThat(passed).isBetween(5, 6);
        // sending at the rate always passes
        for (int i = 1; i <= 50; i++) {
            assertThat(l.admit(a, now + 2 * SECOND + i * SECOND / 10)).isEqualTo(Verdict.PASS);
        }
    }

    @Test
    void bansAfterEnoughRefusalsInARowAndTheBanExpiresByItself() {
        SourceLimiter l = new SourceLimiter(10, 1, 5, 30 * SECOND, 1024);
        InetAddress a = ip("192.0.2.2");
        long now = SECOND;
        l.admit(a, now);
        l.admit(a, now);
        Verdict v = null;
        int refusals = 0;
        while ((v = l.admit(a, now)) == Verdict.LIMITED && refusals < 100) {
            refusals++;
        }
        assertThat(refusals).isEqualTo(4); // the 5th refusal in a row bans
        assertThat(v).isEqualTo(Verdict.BAN_STARTED);
        assertThat(l.admit(a, now + 29 * SECOND)).isEqualTo(Verdict.BANNED);
        assertThat(l.isBanned(a, now + 29 * SECOND)).isTrue();
        assertThat(l.admit(ip("192.0.2.3"), now)).as("others unaffected").isEqualTo(Verdict.PASS);
        assertThat(l.admit(a, now + 31 * SECOND)).isEqualTo(Verdict.PASS);
        assertThat(l.bannedCount(now + 31 * SECOND)).isZero();
    }

    @Test
    void keepsItsMemoryFixedAndItsBansWhileAMillionNewSourcesPassBy() {
        SourceLimiter l = new SourceLimiter(10, 1, 2, 600 * SECOND, 4096);
        InetAddress banned = ip("198.51.100.1");
        long now = SECOND;
        for (int i = 0; i < 10 && l.admit(banned, now) != Verdict.BAN_STARTED; i++) {
            // flood until banned
        }
        assertThat(l.isBanned(banned, now)).isTrue();
        byte[] b = new byte[4];
        for (int i = 0; i < 1_000_000; i++) {
            b[0] = 10;
            b[1] = (byte) (i >>> 16);
            b[2] = (byte) (i >>> 8);
            b[3] = (byte) i;
            try {
                l.admit(InetAddress.getByAddress(b), now + i);
            } catch (UnknownHostException e) {
                throw new AssertionError(e);
            }
        }
        assertThat(l.capacity()).isEqualTo(4096);
        assertThat(l.isBanned(banned, now + SECOND)).as("a ban is not evicted by unbanned newcomers").isTrue();
    }

    @Test
    void treatsAnIpv6Slash64AsOneSource() {
        SourceLimiter l = new SourceLimiter(10, 1, 1000, SECOND, 1024);
        long now = SECOND;
        assertThat(l.admit(ip("2001:db8:1:2::1"), now)).isEqualTo(Verdict.PASS);
        assertThat(l.admit(ip("2001:db8:1:2::2"), now)).isEqualTo(Verdict.PASS);
        assertThat(l.admit(ip("2001:db8:1:2::3"), now)).isEqualTo(Verdict.LIMITED);
        assertThat(l.admit(ip("2001:db8:1:3::1"), now)).isEqualTo(Verdict.PASS);
    }

    @Test
    void admitsWithoutAllocatingForIpv4AndInWellUnderAMicrosecond() {
        SourceLimiter l = new SourceLimiter(1000, 100, 1000, SECOND, 65536);
        InetAddress[] sources = new InetAddress[256];
        for (int i = 0; i < sources.length; i++) {
            sources[i] = ip("10.1.0." + i);
        }
        com.sun.management.ThreadMXBean mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long sink = 0;
        for (int i = 0; i < 2_000_000; i++) { // warm up, JIT
            sink += l.admit(sources[i & 255], i * 1000L).ordinal();
        }
        int n = 5_000_000;
        long before = mx.getCurrentThreadAllocatedBytes();
        long t0 = System.nanoTime();
        for (int i = 0; i < n; i++) {
            sink += l.admit(sources[i & 255], 2_000_000_000L + i * 1000L).ordinal();
        }
        long nanos = System.nanoTime() - t0;
        long allocated = mx.getCurrentThreadAllocatedBytes() - before;
        System.out.printf("SourceLimiter.admit: %.1f ns/message, %.3f bytes/message (sink %d)%n",
                (double) nanos / n, (double) allocated / n, sink);
        assertThat((double) allocated / n).isLessThan(1.0);
        assertThat((double) nanos / n).isLessThan(1000.0);
    }
}

package io.siplb.netty.vrrp;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.channel.DefaultEventLoopGroup;
import io.netty.channel.EventLoopGroup;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** A loop blocked for longer than period + 500 ms is reported; an idle one is not. */
class EventLoopWatchdogTest {

    @Test
    void blockedLoopIsReportedAndRecovers() throws Exception {
        EventLoopGroup group = new DefaultEventLoopGroup(2);
        try (EventLoopWatchdog watchdog = new EventLoopWatchdog(group)) {
            Thread.sleep(300);
            assertThat(watchdog.stall()).isNull();

            CountDownLatch release = new CountDownLatch(1);
            group.next().execute(() -> {
                try {
                    release.await(5, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            String stall = null;
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(3);
            while (stall == null && System.nanoTime() < deadline) {
                Thread.sleep(20);
                stall = watchdog.stall();
            }
            assertThat(stall).startsWith("event loop ").contains("stalled");

            release.countDown();
            deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(3);
            while (watchdog.stall() != null && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            assertThat(watchdog.stall()).isNull();
        } finally {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
        }
    }
}

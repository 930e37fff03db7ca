package io.siplb.netty.vrrp;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.common.base.Ticker;
import com.google.common.net.InetAddresses;
import io.siplb.vrrp.VrrpPacket;
import io.siplb.vrrp.VrrpParameters;
import io.siplb.vrrp.VrrpState;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.AppenderBase;
import org.junit.jupiter.api.AfterEach;
import org.slf4j.LoggerFactory;
import org.junit.jupiter.api.Test;

/**
 * Speakers on an {@link InMemoryWire}: the speaker thread, its timer, health and handover,
 * with real time at a 100 ms advertisement interval (bounded waits, generous for a busy box).
 */
class VrrpSpeakerTest {

    private static final InetAddress VIP = InetAddresses.forString("10.77.0.50");
    private static final Duration LIMIT = Duration.ofSeconds(5);

    private final InMemoryWire wire = new InMemoryWire();
    private final List<VrrpSpeaker> speakers = new ArrayList<>();

    @AfterEach
    void closeSpeakers() {
        speakers.forEach(VrrpSpeaker::close);
    }

    private VrrpSpeaker speaker(String primary, int priority, AtomicReference<String> health) {
        Inet4Address address = (Inet4Address) InetAddresses.forString(primary);
        InMemoryWire.Link link = wire.link(address);
        VrrpParameters p = new VrrpParameters(77, priority, 10, true, address, List.of(VIP));
        VrrpSpeaker s = new VrrpSpeaker(p, "eth0", link, link, health::get, Ticker.systemTicker());
        speakers.add(s);
        s.start();
        return s;
    }

    private static boolean await(BooleanSupplier condition) {
        long deadline = System.nanoTime() + LIMIT.toNanos();
        while (System.nanoTime() - deadline < 0) {
            if (condition.getAsBoolean()) {
                return true;
            }
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        return condition.getAsBoolean();
    }

    @Test
    void twoSpeakersElectTheHigherPriorityAndOnlyItHoldsTheVip() {
        VrrpSpeaker a = speaker("10.77.0.11", 150, new AtomicReference<>());
        VrrpSpeaker b = speaker("10.77.0.12", 100, new AtomicReference<>());

        assertThat(await(() -> a.state() == VrrpState.MASTER && b.state() == VrrpState.BACKUP)).isTrue();
        assertThat(a.holdsVips()).isTrue();
        assertThat(b.holdsVips()).isFalse();
        assertThat(a.describe()).startsWith("vrrp MASTER vrid 77 priority 150 eth0 vips [10.77.0.50] (held)");
        assertThat(await(() -> b.advertisementsReceived() >= 3)).isTrue();
    }

    @Test
    void handOverKeepsTheVipUntilTheSuccessorIsHeard() {
        VrrpSpeaker a = speaker("10.77.0.11", 150, new AtomicReference<>());
        VrrpSpeaker b = speaker("10.77.0.12", 100, new AtomicReference<>());
        assertThat(await(() -> a.state() == VrrpState.MASTER && b.state() == VrrpState.BACKUP)).isTrue();

        boolean released = a.handOver(a.handoverBound());

        assertThat(released).isTrue();
        assertThat(b.state()).isEqualTo(VrrpState.MASTER);
        List<String> events = wire.events();
        int bAdds = events.lastIndexOf("10.77.0.12 add [/10.77.0.50]");
        int aRemoves = events.lastIndexOf("10.77.0.11 remove [/10.77.0.50]");
        assertThat(bAdds).as("events %s", events).isNotNegative();
        assertThat(aRemoves).as("the old master lets go only after the new one took the VIP: %s", events)
                .isGreaterThan(bAdds);
    }

    @Test
    void anUnhealthyMasterStepsDownWithPriorityZeroAndComesBackAfterTheRise() {
        AtomicReference<String> aHealth = new AtomicReference<>();
        VrrpSpeaker a = speaker("10.77.0.11", 150, aHealth);
        VrrpSpeaker b = speaker("10.77.0.12", 100, new AtomicReference<>());
        assertThat(await(() -> a.state() == VrrpState.MASTER && b.state() == VrrpState.BACKUP)).isTrue();

        long start = System.nanoTime();
        aHealth.set("no backend up");
        assertThat(await(() -> b.state() == VrrpState.MASTER && !a.holdsVips())).isTrue();
        // priority 0 makes the backup wait Skew_Time (61 ms), not Master_Down_Interval (361 ms)
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(2));
        assertThat(a.describe()).contains("unhealthy: no backend up");

        aHealth.set(null);
        assertThat(await(() -> a.state() == VrrpState.MASTER && b.state() == VrrpState.BACKUP))
                .as("healthy again after %s, preempts", VrrpSpeaker.HEALTH_RISE).isTrue();
        assertThat(a.unhealthyReason()).isNull();
    }

    @Test
    void anAdvertisementWithTtlBelow255IsDropped() {
        VrrpSpeaker a = speaker("10.77.0.11", 100, new AtomicReference<>());
        assertThat(await(() -> a.state() == VrrpState.MASTER)).isTrue();
        InetAddress peer = InetAddresses.forString("10.77.0.99");
        byte[] higher = new VrrpPacket(77, 200, 10, List.of(VIP)).encode(peer);

        for (int i = 0; i < 5; i++) {
            wire.inject(InMemoryWire.ipv4(peer, 254, higher));
        }

        assertThat(await(() -> a.packetsDropped() >= 5)).isTrue();
        assertThat(a.state()).isEqualTo(VrrpState.MASTER);
    }

    @Test
    void aHigherPriorityAdvertisementWithTtl255Preempts() {
        VrrpSpeaker a = speaker("10.77.0.11", 100, new AtomicReference<>());
        assertThat(await(() -> a.state() == VrrpState.MASTER)).isTrue();
        InetAddress peer = InetAddresses.forString("10.77.0.99");

        wire.inject(InMemoryWire.ipv4(peer, 255, new VrrpPacket(77, 200, 10, List.of(VIP)).encode(peer)));

        assertThat(await(() -> a.state() == VrrpState.BACKUP && !a.holdsVips())).isTrue();
    }

    /** Log lines of the speaker into the wire's event list, in order with the VIP and GARP events. */
    private AppenderBase<ILoggingEvent> recordLog() {
        Logger logger = (Logger) LoggerFactory.getLogger(VrrpSpeaker.class);
        AppenderBase<ILoggingEvent> appender = new AppenderBase<>() {
            @Override
            protected void append(ILoggingEvent e) {
                wire.record("log " + e.getLevel() + " " + e.getFormattedMessage());
            }
        };
        appender.start();
        logger.addAppender(appender);
        return appender;
    }

    private static void stopRecording(AppenderBase<ILoggingEvent> appender) {
        ((Logger) LoggerFactory.getLogger(VrrpSpeaker.class)).detachAppender(appender);
    }

    private List<String> logged(String fragment) {
        return wire.events().stream().filter(e -> e.startsWith("log ") && e.contains(fragment)).toList();
    }

    @Test
    void aTakeoverAddsTheVipAndAnnouncesItBeforeLoggingTheTransition() {
        AppenderBase<ILoggingEvent> appender = recordLog();
        try {
            VrrpSpeaker a = speaker("10.77.0.11", 150, new AtomicReference<>());
            assertThat(await(() -> a.state() == VrrpState.MASTER)).isTrue();
            assertThat(await(() -> !logged("BACKUP -> MASTER").isEmpty())).isTrue();

            List<String> events = wire.events();
            int garp = events.indexOf("10.77.0.11 garp [/10.77.0.50]");
            int logLine = events.indexOf(logged("BACKUP -> MASTER").get(0));
            assertThat(events.indexOf("10.77.0.11 add [/10.77.0.50]")).as("%s", events).isNotNegative()
                    .isLessThan(garp);
            assertThat(garp).as("the log line waits for the GARP: %s", events).isLessThan(logLine);
        } finally {
            stopRecording(appender);
        }
    }

    @Test
    void anAdvertisementThatKeepsFailingIsLoggedOnceAndItsRecoveryOnce() {
        AppenderBase<ILoggingEvent> appender = recordLog();
        try {
            VrrpSpeaker a = speaker("10.77.0.11", 150, new AtomicReference<>());
            assertThat(await(() -> a.state() == VrrpState.MASTER)).isTrue();
            InMemoryWire.Link link = wire.links().get(0);
            link.sendFails = true;
            long sent = a.advertisementsSent();
            sleepMillis(600); // 6 advertisement intervals, every send fails
            assertThat(a.advertisementsSent()).isEqualTo(sent);
            assertThat(a.lastError()).contains("EPERM");
            link.sendFails = false;
            assertThat(await(() -> a.advertisementsSent() > sent)).isTrue();
            assertThat(await(() -> !logged("working again").isEmpty())).isTrue();

            assertThat(logged("ERROR VRRP vrid 77: cannot send a VRRP advertisement")).hasSize(1);
            assertThat(logged("working again after: cannot send a VRRP advertisement")).hasSize(1);
            assertThat(a.lastError()).isNull();
        } finally {
            stopRecording(appender);
        }
    }

    private static void sleepMillis(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}

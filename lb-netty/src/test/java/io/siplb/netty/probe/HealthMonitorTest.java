package io.siplb.netty.probe;

import io.netty.channel.EventLoopGroup;
import io.siplb.hash.Backend;
import io.siplb.hash.BackendState;
import io.siplb.hash.BackendView;
import io.siplb.health.HealthPolicy;
import io.siplb.health.HealthState;
import io.siplb.netty.Transports;
import io.siplb.route.RoutingView;
import io.siplb.sip.SipLimits;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;

/** The monitor's loop against a loopback UDP answerer: probes, publication, drain, ICMP. */
@Timeout(20)
class HealthMonitorTest {

    private static final HealthPolicy FAST = HealthPolicy.DEFAULTS
            .withTiming(Duration.ofMillis(200), Duration.ofMillis(100)).withJitter(0);

    private final EventLoopGroup group = Transports.newGroup(1, "health-test");
    private DatagramSocket answerer;
    private HealthMonitor monitor;

    @AfterEach
    void close() throws Exception {
        if (monitor != null) {
            monitor.close();
        }
        if (answerer != null) {
            answerer.close();
        }
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).await(5, TimeUnit.SECONDS);
    }

    @Test
    void publishesABackendUpAfterRiseAnsweredProbes() throws Exception {
        Backend b = answeringBackend();
        AtomicReference<RoutingView> view = new AtomicReference<>(RoutingView.of(BackendView.of(List.of(b))));
        monitor = HealthMonitor.start(group.next(), FAST, List.of(b), view, SipLimits.DEFAULTS);

        awaitState(HealthState.UP);
        assertThat(view.get().backends().state("b1")).isEqualTo(BackendState.UP);
        assertThat(monitor.statuses().get().get(0).lastRoundTripNanos()).isPositive();
    }

    @Test
    void drainsAndUndrainsAKnownBackendAndRefusesAnUnknownOne() throws Exception {
        Backend b = answeringBackend();
        AtomicReference<RoutingView> view = new AtomicReference<>(RoutingView.of(BackendView.of(List.of(b))));
        monitor = HealthMonitor.start(group.next(), FAST, List.of(b), view, SipLimits.DEFAULTS);
        awaitState(HealthState.UP);

        assertThat(monitor.drain("b1").get()).isTrue();
        assertThat(view.get().backends().state("b1")).isEqualTo(BackendState.DRAINING);
        assertThat(monitor.undrain("b1").get()).isTrue();
        assertThat(view.get().backends().state("b1")).isEqualTo(BackendState.UP);
        assertThat(monitor.drain("nope").get()).isFalse();
    }

    private void awaitState(HealthState state) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (System.nanoTime() < deadline) {
            if (monitor.statuses().get().get(0).state() == state) {
                return;
            }
            Thread.sleep(10);
        }
        throw new AssertionError("not " + state + ": " + monitor.statuses().get());
    }

    /** A backend that answers every request 200 until the test ends. */
    private Backend answeringBackend() throws Exception {
        answerer = new DatagramSocket(0, InetAddress.getLoopbackAddress());
        Thread t = new Thread(() -> {
            byte[] buf = new byte[4096];
            while (!answerer.isClosed()) {
                DatagramPacket p = new DatagramPacket(buf, buf.length);
                try {
                    answerer.receive(p);
                    String request = new String(buf, 0, p.getLength(), StandardCharsets.US_ASCII);
                    StringBuilder sb = new StringBuilder("SIP/2.0 200 OK\r\n");
                    for (String line : request.split("\r\n")) {
                        if (line.startsWith("Via:") || line.startsWith("From:") || line.startsWith("To:")
                                || line.startsWith("Call-ID:") || line.startsWith("CSeq:")) {
                            sb.append(line).append("\r\n");
                        }
                    }
                    byte[] out = sb.append("Content-Length: 0\r\n\r\n").toString().getBytes(StandardCharsets.US_ASCII);
                    answerer.send(new DatagramPacket(out, out.length, p.getSocketAddress()));
                } catch (Exception e) {
                    return;
                }
            }
        });
        t.setDaemon(true);
        t.start();
        return new Backend("b1", "127.0.0.1", answerer.getLocalPort(), "UDP", 1);
    }
}

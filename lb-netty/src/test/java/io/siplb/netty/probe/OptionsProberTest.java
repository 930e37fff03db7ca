package io.siplb.netty.probe;

import io.netty.channel.EventLoopGroup;
import io.siplb.hash.Backend;
import io.siplb.health.PassiveSignal;
import io.siplb.health.Probe;
import io.siplb.health.ProbeResult;
import io.siplb.netty.Transports;
import io.siplb.sip.SipLimits;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** The prober against real loopback sockets: a UDP answerer, a closed UDP port, a refusing TCP port. */
@Timeout(20)
class OptionsProberTest {

    private final EventLoopGroup group = Transports.newGroup(1, "probe-test");
    private final BlockingQueue<Object> reports = new LinkedBlockingQueue<>();
    private final ProbeListener listener = new ProbeListener() {
        @Override
        public void onProbeResult(Probe probe, ProbeResult result) {
            reports.add(result);
        }

        @Override
        public void onPassiveSignal(String backendId, PassiveSignal signal) {
            reports.add(signal);
        }
    };
    private final OptionsProber prober = new OptionsProber(group.next(), listener, SipLimits.DEFAULTS, "t3st",
            Duration.ofMillis(500));

    @AfterEach
    void close() throws Exception {
        group.submit(prober::close).get(5, TimeUnit.SECONDS);
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).await(5, TimeUnit.SECONDS);
    }

    @Test
    void reportsTheFinalReplyOfAUdpBackend() throws Exception {
        try (DatagramSocket backend = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            Thread answerer = new Thread(() -> answer(backend, "404 Not Here"));
            answerer.start();
            send(new Probe(new Backend("b1", "127.0.0.1", backend.getLocalPort(), "UDP", 1), 1));

            assertThat(reports.poll(5, TimeUnit.SECONDS)).isEqualTo(ProbeResult.reply(404));
            answerer.join(5000);
        }
    }

    @Test
    void reportsAClosedUdpPortAtOnceThroughIcmp() throws Exception {
        int closed;
        try (DatagramSocket s = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            closed = s.getLocalPort();
        }
        long start = System.nanoTime();
        send(new Probe(new Backend("b1", "127.0.0.1", closed, "UDP", 1), 1));

        assertThat(reports.poll(5, TimeUnit.SECONDS)).isEqualTo(ProbeResult.unreachable());
        assertThat(reports.poll(1, TimeUnit.SECONDS)).isEqualTo(PassiveSignal.PORT_UNREACHABLE);
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofMillis(500));
    }

    @Test
    void reportsARefusedTcpConnect() throws Exception {
        int closed;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closed = s.getLocalPort();
        }
        send(new Probe(new Backend("b1", "127.0.0.1", closed, "TCP", 1), 1));

        assertThat(reports.poll(5, TimeUnit.SECONDS)).isEqualTo(ProbeResult.unreachable());
        assertThat(reports.poll(1, TimeUnit.SECONDS)).isEqualTo(PassiveSignal.CONNECTION_REFUSED);
    }

    @Test
    void ignoresAReplyWithAnotherCallId() throws Exception {
        try (DatagramSocket backend = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            Thread answerer = new Thread(() -> {
                byte[] buf = new byte[4096];
                DatagramPacket p = new DatagramPacket(buf, buf.length);
                try {
                    backend.receive(p);
                    String stale = "SIP/2.0 200 OK\r\nVia: SIP/2.0/UDP 127.0.0.1:1;branch=z9hG4bKold\r\n"
                            + "From: <sip:a@b>;tag=1\r\nTo: <sip:c@d>\r\nCall-ID: siplb-probe-t3st-0@127.0.0.1\r\n"
                            + "CSeq: 1 OPTIONS\r\nContent-Length: 0\r\n\r\n";
                    byte[] out = stale.getBytes(StandardCharsets.US_ASCII);
                    backend.send(new DatagramPacket(out, out.length, p.getSocketAddress()));
                } catch (Exception e) {
                    // the test fails on its own
                }
            });
            answerer.start();
            send(new Probe(new Backend("b1", "127.0.0.1", backend.getLocalPort(), "UDP", 1), 5));

            assertThat(reports.poll(1, TimeUnit.SECONDS)).isNull();
            answerer.join(5000);
        }
    }

    private void send(Probe probe) throws Exception {
        group.submit(() -> prober.send(probe)).get(5, TimeUnit.SECONDS);
    }

    /** Answers one request with {@code status}, copying the headers a response needs (RFC 3261 §8.2.6.2). */
    private static void answer(DatagramSocket socket, String status) {
        byte[] buf = new byte[4096];
        DatagramPacket p = new DatagramPacket(buf, buf.length);
        try {
            socket.receive(p);
            String request = new String(buf, 0, p.getLength(), StandardCharsets.US_ASCII);
            StringBuilder sb = new StringBuilder("SIP/2.0 ").append(status).append("\r\n");
            for (String line : request.split("\r\n")) {
                if (line.startsWith("Via:") || line.startsWith("From:") || line.startsWith("To:")
                        || line.startsWith("Call-ID:") || line.startsWith("CSeq:")) {
                    sb.append(line).append("\r\n");
                }
            }
            byte[] out = sb.append("Content-Length: 0\r\n\r\n").toString().getBytes(StandardCharsets.US_ASCII);
            socket.send(new DatagramPacket(out, out.length, (InetSocketAddress) p.getSocketAddress()));
        } catch (Exception e) {
            // the test fails on its own
        }
    }
}

package io.siplb.netty.e2e;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * A client that sends one REGISTER every {@code interval} for a while, once each (no
 * retransmission), and records when each one's 200 came back: how soon a client is served
 * again after a flood ends. Its own source address, so siplb's per-source state is its own.
 */
final class RegisterProbe implements AutoCloseable {

    /** One REGISTER: when it was sent (ns since the probe started) and when answered (-1: never). */
    record Sample(long sentNanos, long answeredNanos) {
        boolean answered() {
            return answeredNanos >= 0;
        }

        long latencyMillis() {
            return TimeUnit.NANOSECONDS.toMillis(answeredNanos - sentNanos);
        }
    }

    private final DatagramSocket socket;
    private final InetSocketAddress siplb;
    private final String domain;
    private final ConcurrentHashMap<String, Long> answers = new ConcurrentHashMap<>();
    private final Thread receiver;
    private long start;

    RegisterProbe(String localIp, InetSocketAddress siplb, String domain) {
        this.siplb = siplb;
        this.domain = domain;
        try {
            socket = new DatagramSocket(new InetSocketAddress(localIp, 0));
            socket.setSoTimeout(100);
        } catch (SocketException e) {
            throw new UncheckedIOException("probe socket on " + localIp, e);
        }
        receiver = new Thread(this::receive, "register-probe");
        receiver.setDaemon(true);
    }

    /**
     * Sends {@code count} REGISTERs {@code interval} apart, waits {@code grace} for the last
     * answers, and returns a sample per REGISTER, in order.
     */
    List<Sample> run(int count, Duration interval, Duration grace) throws InterruptedException {
        start = System.nanoTime();
        receiver.start();
        long[] sent = new long[count];
        for (int i = 0; i < count; i++) {
            long due = start + i * interval.toNanos();
            long wait = due - System.nanoTime();
            if (wait > 0) {
                TimeUnit.NANOSECONDS.sleep(wait);
            }
            sent[i] = System.nanoTime() - start;
            send(i);
        }
        Thread.sleep(grace.toMillis());
        List<Sample> samples = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            Long at = answers.get(callId(i));
            samples.add(new Sample(sent[i], at == null ? -1 : at));
        }
        return samples;
    }

    private String callId(int i) {
        return "probe-" + i + "-" + socket.getLocalPort() + "@flood-test";
    }

    private void send(int i) {
        String local = socket.getLocalAddress().getHostAddress() + ":" + socket.getLocalPort();
        byte[] bytes = ("REGISTER sip:" + domain + " SIP/2.0\r\n"
                + "Via: SIP/2.0/UDP " + local + ";branch=z9hG4bKprobe" + i + ";rport\r\n"
                + "Max-Forwards: 70\r\n"
                + "From: <sip:probe" + i + "@" + domain + ">;tag=p" + i + "\r\n"
                + "To: <sip:probe" + i + "@" + domain + ">\r\n"
                + "Call-ID: " + callId(i) + "\r\n"
                + "CSeq: 1 REGISTER\r\n"
                + "Contact: <sip:probe" + i + "@" + local + ">\r\n"
                + "Expires: 3600\r\n"
                + "Content-Length: 0\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
        try {
            socket.send(new DatagramPacket(bytes, bytes.length, siplb));
        } catch (IOException e) {
            throw new UncheckedIOException("probe send", e);
        }
    }

    private void receive() {
        byte[] buf = new byte[65_535];
        while (!socket.isClosed()) {
            DatagramPacket p = new DatagramPacket(buf, buf.length);
            try {
                socket.receive(p);
            } catch (SocketTimeoutException e) {
                continue;
            } catch (IOException e) {
                return; // closed
            }
            long at = System.nanoTime() - start;
            String text = new String(buf, 0, p.getLength(), StandardCharsets.ISO_8859_1);
            if (!text.startsWith("SIP/2.0 200")) {
                continue;
            }
            int c = text.indexOf("\r\nCall-ID: ");
            if (c >= 0) {
                int e = text.indexOf("\r\n", c + 11);
                answers.putIfAbsent(text.substring(c + 11, e).trim(), at);
            }
        }
    }

    @Override
    public void close() {
        socket.close();
    }
}

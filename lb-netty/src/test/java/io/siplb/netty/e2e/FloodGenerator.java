package io.siplb.netty.e2e;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A UDP flood from many loopback source addresses (Linux accepts any 127.0.0.0/8 source on lo):
 * one non-blocking {@link DatagramChannel} bound to each source, sending round-robin from
 * pre-built datagrams of three kinds, in turn:
 * <ul>
 *   <li>valid REGISTERs, each for its own random AOR (8,192 variants, new Call-ID and branch each),
 *       which cost siplb a parse, a route and a send, and its backends an answer;</li>
 *   <li>garbage: random bytes, and SIP request lines followed by junk;</li>
 *   <li>scanner OPTIONS ({@code User-Agent: friendly-scanner}, SIPVicious' default).</li>
 * </ul>
 * The sources never read: siplb's and the backends' answers pile up in their receive buffers and
 * are dropped by the kernel, as for a spoofed flood. Bounded by a duration and a rate cap; the
 * achieved rate is measured, not assumed.
 */
final class FloodGenerator implements AutoCloseable {

    /** What a run achieved. */
    record Result(long sent, long refused, long registers, long garbage, long scanners, Duration elapsed) {
        double rate() {
            return sent / (elapsed.toNanos() / 1e9);
        }

        @Override
        public String toString() {
            return String.format("%d datagrams in %.1f s = %.0f/s (REGISTER %d, garbage %d, scanner %d; %d not sent: socket buffer full)",
                    sent, elapsed.toNanos() / 1e9, rate(), registers, garbage, scanners, refused);
        }
    }

    private static final int VARIANTS = 8192;
    /**
     * Placeholder of each REGISTER's Call-ID, overwritten with a counter before each send: every
     * REGISTER is a new transaction for the registrars (a repeated Call-ID would be a "dead call"
     * to SIPp, logged line by line).
     */
    private static final String CALL_ID_COUNTER = "0000000000000000";

    private final List<DatagramChannel> channels = new ArrayList<>();
    private final InetSocketAddress target;
    private final byte[][] registers = new byte[VARIANTS][];
    private final int[] callIdAt = new int[VARIANTS];
    private final byte[][] garbage = new byte[1024][];
    private final byte[][] scanners = new byte[256][];
    private final AtomicBoolean stop = new AtomicBoolean();

    /**
     * @param target  siplb's SIP address
     * @param sources the source addresses, one socket each (ephemeral port)
     * @param domain  the domain of the REGISTERs' AORs
     */
    FloodGenerator(InetSocketAddress target, List<InetAddress> sources, String domain) {
        this.target = target;
        try {
            for (InetAddress source : sources) {
                DatagramChannel ch = DatagramChannel.open();
                ch.setOption(StandardSocketOptions.SO_SNDBUF, 256 * 1024);
                ch.setOption(StandardSocketOptions.SO_RCVBUF, 4096); // answers are not read
                ch.bind(new InetSocketAddress(source, 0));
                ch.configureBlocking(false);
                channels.add(ch);
            }
        } catch (IOException e) {
            close();
            throw new UncheckedIOException("binding flood sources " + sources.get(0) + "...", e);
        }
        SplittableRandom random = new SplittableRandom(20261125);
        for (int i = 0; i < VARIANTS; i++) {
            String user = "flood" + Long.toString(random.nextLong() & Long.MAX_VALUE, 36);
            String id = Long.toString(random.nextLong() & Long.MAX_VALUE, 36);
            registers[i] = ("REGISTER sip:" + domain + " SIP/2.0\r\n"
                    + "Via: SIP/2.0/UDP 127.1.0.1:5060;branch=z9hG4bK" + id + ";rport\r\n"
                    + "Max-Forwards: 70\r\n"
                    + "From: <sip:" + user + "@" + domain + ">;tag=" + id + "\r\n"
                    + "To: <sip:" + user + "@" + domain + ">\r\n"
                    + "Call-ID: " + CALL_ID_COUNTER + "@flood\r\n"
                    + "CSeq: 1 REGISTER\r\n"
                    + "Contact: <sip:" + user + "@127.1.0.1:5060>\r\n"
                    + "Expires: 3600\r\n"
                    + "Content-Length: 0\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
            callIdAt[i] = callIdOffset(registers[i]);
        }
        for (int i = 0; i < garbage.length; i++) {
            byte[] junk = new byte[20 + random.nextInt(1400)];
            for (int j = 0; j < junk.length; j++) {
                junk[j] = (byte) random.nextInt(256);
            }
            if (i % 2 == 1) {
                byte[] line = "INVITE sip:x@flood SIP/2.0\r\nVia: ".getBytes(StandardCharsets.US_ASCII);
                System.arraycopy(line, 0, junk, 0, Math.min(line.length, junk.length));
            }
            garbage[i] = junk;
        }
        for (int i = 0; i < scanners.length; i++) {
            String id = Long.toString(random.nextLong() & Long.MAX_VALUE, 36);
            scanners[i] = ("OPTIONS sip:100@" + target.getAddress().getHostAddress() + " SIP/2.0\r\n"
                    + "Via: SIP/2.0/UDP 127.1.0.1:5060;branch=z9hG4bK-" + id + ";rport\r\n"
                    + "Max-Forwards: 70\r\n"
                    + "From: \"sipvicious\"<sip:100@1.1.1.1>;tag=" + id + "\r\n"
                    + "To: \"sipvicious\"<sip:100@1.1.1.1>\r\n"
                    + "Call-ID: " + id + "\r\n"
                    + "CSeq: 1 OPTIONS\r\n"
                    + "Contact: <sip:100@127.1.0.1:5060>\r\n"
                    + "User-Agent: friendly-scanner\r\n"
                    + "Accept: application/sdp\r\n"
                    + "Content-Length: 0\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
        }
    }

    /** The sources 127.1.H.L for H in 0..n/255, L in 1..255 (never .0). */
    static List<InetAddress> loopbackSources(int n) {
        List<InetAddress> sources = new ArrayList<>(n);
        for (int i = 0; sources.size() < n; i++) {
            int low = i % 255 + 1;
            int high = i / 255;
            try {
                sources.add(InetAddress.getByAddress(new byte[] {127, 1, (byte) high, (byte) low}));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return sources;
    }

    /**
     * Floods for {@code duration} at up to {@code maxPerSecond} datagrams a second (paced per
     * millisecond), from the calling thread. {@link #stop()} ends it early.
     */
    Result run(Duration duration, int maxPerSecond) {
        long start = System.nanoTime();
        long end = start + duration.toNanos();
        long sent = 0;
        long refused = 0;
        long[] kinds = new long[3];
        int next = 0;
        long attempt = 0;
        try {
            while (!stop.get()) {
                long now = System.nanoTime();
                if (now >= end) {
                    break;
                }
                long allowed = (now - start) / 1_000_000L * maxPerSecond / 1000 + maxPerSecond / 1000;
                if (attempt >= allowed) {
                    Thread.onSpinWait();
                    continue;
                }
                // a burst of up to 64 before looking at the clock again
                for (int b = 0; b < 64 && attempt < allowed; b++, attempt++) {
                    int kind = (int) (attempt % 4 == 3 ? 2 : attempt % 4 == 2 ? 1 : 0); // 2 REGISTER : 1 garbage : 1 scanner
                    int variant = (int) (attempt / 2 % VARIANTS);
                    byte[] bytes = kind == 0 ? registers[variant]
                            : kind == 1 ? garbage[(int) (attempt / 4 % garbage.length)]
                            : scanners[(int) (attempt / 4 % scanners.length)];
                    if (kind == 0) {
                        stampCallId(bytes, callIdAt[variant], attempt);
                    }
                    ByteBuffer buf = ByteBuffer.wrap(bytes);
                    DatagramChannel ch = channels.get(next);
                    next = next + 1 == channels.size() ? 0 : next + 1;
                    if (ch.send(buf, target) > 0) {
                        sent++;
                        kinds[kind]++;
                    } else {
                        refused++;
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("flood send", e);
        }
        return new Result(sent, refused, kinds[0], kinds[1], kinds[2], Duration.ofNanos(System.nanoTime() - start));
    }

    /**
     * Runs a flood in a process of its own, so that it can be pinned to other cores than siplb's:
     * {@code FloodGenerator HOST PORT SOURCES DOMAIN SECONDS MAX_PER_SECOND}; prints one line
     * {@code FLOOD-RESULT sent refused registers garbage scanners elapsedNanos}.
     */
    public static void main(String[] args) {
        InetSocketAddress target = new InetSocketAddress(args[0], Integer.parseInt(args[1]));
        try (FloodGenerator g = new FloodGenerator(target, loopbackSources(Integer.parseInt(args[2])), args[3])) {
            Result r = g.run(Duration.ofSeconds(Long.parseLong(args[4])), Integer.parseInt(args[5]));
            System.out.println("FLOOD-RESULT " + r.sent() + " " + r.refused() + " " + r.registers() + " " + r.garbage()
                    + " " + r.scanners() + " " + r.elapsed().toNanos());
        }
    }

    /** The result line {@link #main} printed, or null. */
    static Result parseResult(String output) {
        for (String line : output.split("\n")) {
            if (line.startsWith("FLOOD-RESULT ")) {
                String[] f = line.trim().split(" ");
                return new Result(Long.parseLong(f[1]), Long.parseLong(f[2]), Long.parseLong(f[3]), Long.parseLong(f[4]),
                        Long.parseLong(f[5]), Duration.ofNanos(Long.parseLong(f[6])));
            }
        }
        return null;
    }

    /** Writes {@code n} in hex over the Call-ID placeholder of a REGISTER template. */
    private static void stampCallId(byte[] register, int at, long n) {
        for (int i = 15; i >= 0; i--, n >>>= 4) {
            register[at + i] = HEX[(int) (n & 15)];
        }
    }

    private static final byte[] HEX = "0123456789abcdef".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] CALL_ID = "\r\nCall-ID: ".getBytes(StandardCharsets.US_ASCII);

    private static int callIdOffset(byte[] register) {
        outer:
        for (int i = 0; i + CALL_ID.length < register.length; i++) {
            for (int j = 0; j < CALL_ID.length; j++) {
                if (register[i + j] != CALL_ID[j]) {
                    continue outer;
                }
            }
            return i + CALL_ID.length;
        }
        throw new IllegalStateException("no Call-ID");
    }

    void stop() {
        stop.set(true);
    }

    @Override
    public void close() {
        for (DatagramChannel ch : channels) {
            try {
                ch.close();
            } catch (IOException ignored) {
                // closing a socket we only sent from
            }
        }
    }
}

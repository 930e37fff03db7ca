package io.siplb.netty.e2e;

import java.io.BufferedOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.SplittableRandom;

/**
 * The datagrams of FloodE2ETest's flood, and the result of sending them. Three kinds, sent in turn
 * (2 : 1 : 1):
 * <ul>
 *   <li>valid REGISTERs, each for its own random AOR (8,192 variants, a new Call-ID each time),
 *       which cost siplb a parse, a route and a send, and its backends an answer;</li>
 *   <li>garbage: random bytes, and SIP request lines followed by junk;</li>
 *   <li>scanner OPTIONS ({@code User-Agent: friendly-scanner}, SIPVicious' default).</li>
 * </ul>
 * Every datagram is {@value #SEGMENT_BYTES} bytes (SIP messages carry a padding header).
 * The sending is done by {@code flood-blast} (C, UDP GSO; test resource
 * {@code e2e/flood/flood-blast.c}): a Java thread, or C with {@code sendmmsg}, sends at most
 * about 200,000 delivered loopback datagrams a second on this machine, short of ten times
 * siplb's clean rate. {@link #writeTemplates} writes the datagrams in the record format it reads.
 */
final class FloodGenerator {

    /** What a run achieved: the line {@code flood-blast} prints. */
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
    /** Every datagram's size: {@code flood-blast}'s {@code SEGMENT}. */
    static final int SEGMENT_BYTES = 512;
    /** Placeholder of each REGISTER's Call-ID, overwritten with a counter before each send. */
    private static final String CALL_ID_COUNTER = "0000000000000000";

    private final byte[][] registers = new byte[VARIANTS][];
    private final int[] callIdAt = new int[VARIANTS];
    private final byte[][] garbage = new byte[1024][];
    private final byte[][] scanners = new byte[256][];

    /**
     * @param target  siplb's SIP address (the scanners' Request-URI)
     * @param domain  the domain of the REGISTERs' AORs
     */
    FloodGenerator(InetSocketAddress target, String domain) {
        SplittableRandom random = new SplittableRandom(20261125);
        for (int i = 0; i < VARIANTS; i++) {
            String user = "flood" + Long.toString(random.nextLong() & Long.MAX_VALUE, 36);
            String id = Long.toString(random.nextLong() & Long.MAX_VALUE, 36);
            registers[i] = padded("REGISTER sip:" + domain + " SIP/2.0\r\n"
                    + "Via: SIP/2.0/UDP 127.1.0.1:5060;branch=z9hG4bK" + id + ";rport\r\n"
                    + "Max-Forwards: 70\r\n"
                    + "From: <sip:" + user + "@" + domain + ">;tag=" + id + "\r\n"
                    + "To: <sip:" + user + "@" + domain + ">\r\n"
                    + "Call-ID: " + CALL_ID_COUNTER + "@flood\r\n"
                    + "CSeq: 1 REGISTER\r\n"
                    + "Contact: <sip:" + user + "@127.1.0.1:5060>\r\n"
                    + "Expires: 3600\r\n");
            callIdAt[i] = callIdOffset(registers[i]);
        }
        for (int i = 0; i < garbage.length; i++) {
            byte[] junk = new byte[SEGMENT_BYTES];
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
            scanners[i] = padded("OPTIONS sip:100@" + target.getAddress().getHostAddress() + " SIP/2.0\r\n"
                    + "Via: SIP/2.0/UDP 127.1.0.1:5060;branch=z9hG4bK-" + id + ";rport\r\n"
                    + "Max-Forwards: 70\r\n"
                    + "From: \"sipvicious\"<sip:100@1.1.1.1>;tag=" + id + "\r\n"
                    + "To: \"sipvicious\"<sip:100@1.1.1.1>\r\n"
                    + "Call-ID: " + id + "\r\n"
                    + "CSeq: 1 OPTIONS\r\n"
                    + "Contact: <sip:100@127.1.0.1:5060>\r\n"
                    + "User-Agent: friendly-scanner\r\n"
                    + "Accept: application/sdp\r\n");
        }
    }

    /**
     * {@code headers} (each line ending in CRLF) with a padding header and an empty body, exactly
     * {@value #SEGMENT_BYTES} bytes: UDP GSO sends equal-sized datagrams.
     */
    private static byte[] padded(String headers) {
        String end = "Content-Length: 0\r\n\r\n";
        int pad = SEGMENT_BYTES - headers.length() - end.length() - "X-Pad: \r\n".length();
        if (pad < 1) {
            throw new IllegalStateException("template longer than " + SEGMENT_BYTES + " bytes: " + headers);
        }
        return (headers + "X-Pad: " + "p".repeat(pad) + "\r\n" + end).getBytes(StandardCharsets.US_ASCII);
    }

    /**
     * Writes every datagram as a {@code flood-blast} template: big-endian kind (0 REGISTER, 1
     * garbage, 2 scanner), the offset of the Call-ID counter (-1: none), the length, the bytes.
     */
    void writeTemplates(Path file) throws IOException {
        try (DataOutputStream out = new DataOutputStream(new BufferedOutputStream(Files.newOutputStream(file)))) {
            for (int i = 0; i < registers.length; i++) {
                writeTemplate(out, 0, callIdAt[i], registers[i]);
            }
            for (byte[] g : garbage) {
                writeTemplate(out, 1, -1, g);
            }
            for (byte[] o : scanners) {
                writeTemplate(out, 2, -1, o);
            }
        }
    }

    private static void writeTemplate(DataOutputStream out, int kind, int callIdAt, byte[] bytes) throws IOException {
        out.writeInt(kind);
        out.writeInt(callIdAt);
        out.writeInt(bytes.length);
        out.write(bytes);
    }

    /** The result line {@code flood-blast} printed, or null. */
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
}

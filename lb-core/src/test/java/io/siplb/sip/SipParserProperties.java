package io.siplb.sip;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.siplb.sip.header.NameAddr;
import io.siplb.sip.header.Via;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.ShrinkingMode;
import net.jqwik.api.lifecycle.AfterContainer;

/**
 * Fuzzing by mutation: valid messages (RFC 3665 flows and RFC 4475 valid messages) with byte
 * flips, insertions, deletions, truncation, duplicated header lines and CR/LF injection.
 * Whatever comes in, parse(), verify(), every typed accessor and the stream framer return;
 * no exception escapes, no call takes long, and no byte outside the message is read.
 *
 * <p>Out-of-message reads are caught two ways: the datagram is parsed from a slice of a larger
 * sentinel-filled buffer whose capacity is exactly the message (any read outside throws
 * IndexOutOfBoundsException), and again from the larger buffer itself, limited only by its
 * reader and writer indices, which must give the same outcome at the same relative offsets.
 *
 * <p>70,000 + 30,000 = 100,000 tries.
 */
class SipParserProperties {

    private static final String[] SEEDS = {
        "sip/rfc3665/register-no-auth.sip", "sip/rfc3665/register-auth.sip",
        "sip/rfc3665/401-unauthorized.sip", "sip/rfc3665/invite-sdp.sip",
        "sip/rfc3665/invite-180-ringing.sip", "sip/rfc3665/invite-200-ok.sip",
        "sip/rfc3665/ack.sip", "sip/rfc3665/bye.sip",
        "sip/rfc4475/wsinv.dat", "sip/rfc4475/intmeth.dat", "sip/rfc4475/esc01.dat",
        "sip/rfc4475/lwsdisp.dat", "sip/rfc4475/mpart01.dat", "sip/rfc4475/transports.dat",
        "sip/rfc4475/unreason.dat", "sip/rfc4475/regescrt.dat",
        "sip/rfc5118/ipv6-good.dat", "sip/rfc5118/mult-ip-in-header.dat",
    };
    private static final byte[][] SEED_BYTES = Arrays.stream(SEEDS).map(SipText::resourceBytes).toArray(byte[][]::new);
    private static final byte SENTINEL = (byte) 0xA5;
    private static final int PAD = 48;
    private static final long MAX_NANOS_PER_CALL = 5_000_000_000L;

    /** No mutated message may leak a buffer (the paranoid detector tracks every one). */
    @AfterContainer
    static void noBufferLeaked() throws InterruptedException {
        io.siplb.testing.LeakCheckExtension.assertNoLeaks("SipParserProperties");
    }

    enum Op { FLIP, INSERT, DELETE, TRUNCATE, DUPLICATE_LINE, INJECT_CRLF, INJECT_CR, INJECT_LF, REPLACE }

    record Mutation(Op op, int position, byte value, int length) {
    }

    @Provide
    Arbitrary<byte[]> mutated() {
        Arbitrary<Integer> seed = Arbitraries.integers().between(0, SEED_BYTES.length - 1);
        Arbitrary<Byte> interesting = Arbitraries.of((byte) '\r', (byte) '\n', (byte) ' ', (byte) '\t',
                (byte) ':', (byte) ',', (byte) ';', (byte) '<', (byte) '>', (byte) '"', (byte) '\\',
                (byte) '[', (byte) ']', (byte) '@', (byte) '%', (byte) '=', (byte) '0', (byte) '9',
                (byte) '-', (byte) 0, (byte) 0x7F, (byte) 0xFF);
        Arbitrary<Byte> value = Arbitraries.oneOf(interesting, Arbitraries.bytes());
        Arbitrary<Mutation> mutation = Combinators.combine(
                Arbitraries.of(Op.class), Arbitraries.integers().between(0, 1 << 20), value,
                Arbitraries.integers().between(1, 24)).as(Mutation::new);
        return Combinators.combine(seed, mutation.list().ofMinSize(1).ofMaxSize(6))
                .as((s, ms) -> apply(SEED_BYTES[s], ms));
    }

    static byte[] apply(byte[] seed, List<Mutation> mutations) {
        byte[] b = seed.clone();
        for (Mutation m : mutations) {
            int n = b.length;
            int p = n == 0 ? 0 : m.position() % (n + 1);
            b = switch (m.op()) {
                case FLIP -> {
                    if (n > 0) {
                        b[p % n] ^= (byte) (1 << (m.value() & 7));
                    }
                    yield b;
                }
                case REPLACE -> {
                    if (n > 0) {
                        b[p % n] = m.value();
                    }
                    yield b;
                }
                case INSERT -> insert(b, p, new byte[] {m.value()});
                case INJECT_CRLF -> insert(b, p, new byte[] {'\r', '\n'});
                case INJECT_CR -> insert(b, p, new byte[] {'\r'});
                case INJECT_LF -> insert(b, p, new byte[] {'\n'});
                case DELETE -> {
                    int end = Math.min(n, p + m.length());
                    byte[] out = new byte[n - (end - p)];
                    System.arraycopy(b, 0, out, 0, p);
                    System.arraycopy(b, end, out, p, n - end);
                    yield out;
                }
                case TRUNCATE -> Arrays.copyOf(b, p);
                case DUPLICATE_LINE -> {
                    int start = p;
                    while (start > 0 && b[start - 1] != '\n') {
                        start--;
                    }
                    int end = p;
                    while (end < n && b[end] != '\n') {
                        end++;
                    }
                    end = Math.min(n, end + 1);
                    yield insert(b, end, Arrays.copyOfRange(b, start, end));
                }
            };
        }
        return b;
    }

    private static byte[] insert(byte[] b, int p, byte[] what) {
        byte[] out = new byte[b.length + what.length];
        System.arraycopy(b, 0, out, 0, p);
        System.arraycopy(what, 0, out, p, what.length);
        System.arraycopy(b, p, out, p + what.length, b.length - p);
        return out;
    }

    @Property(tries = 70_000, shrinking = ShrinkingMode.BOUNDED)
    void datagramParsingNeverThrowsNorReadsOutsideTheMessage(@ForAll("mutated") byte[] bytes) {
        String exact = outcome(bytes, true, false);
        String limited = outcome(bytes, false, false);
        assertThat(limited).isEqualTo(exact);
    }

    /**
     * A direct buffer is read through a copy made block by block (FrameBytes), a heap one through
     * its array. Not timed: the paranoid leak detector records a stack trace on every bulk read of
     * a direct buffer, which is most of the time here.
     */
    @Property(tries = 3_000, shrinking = ShrinkingMode.BOUNDED)
    void directBuffersParseLikeHeapBuffers(@ForAll("mutated") byte[] bytes) {
        assertThat(outcome(bytes, true, true)).isEqualTo(outcome(bytes, true, false));
    }

    @Property(tries = 30_000, shrinking = ShrinkingMode.BOUNDED)
    void streamFramingNeverThrowsAndAlwaysMakesProgress(@ForAll("mutated") byte[] first,
                                                        @ForAll("mutated") byte[] second,
                                                        @ForAll("chunks") List<Integer> chunks) {
        byte[] stream = new byte[first.length + second.length];
        System.arraycopy(first, 0, stream, 0, first.length);
        System.arraycopy(second, 0, stream, first.length, second.length);
        StreamFramer framer = new StreamFramer(SipLimits.DEFAULTS);
        ByteBuf cumulation = Unpooled.buffer();
        try {
            int fed = 0;
            int c = 0;
            while (fed < stream.length) {
                int n = Math.min(stream.length - fed, chunks.get(c++ % chunks.size()));
                cumulation.writeBytes(stream, fed, n);
                fed += n;
                if (!drain(framer, cumulation)) {
                    return; // framing error: the connection would be closed
                }
            }
        } finally {
            cumulation.release();
        }
    }

    @Provide
    Arbitrary<List<Integer>> chunks() {
        return Arbitraries.integers().between(1, 700).list().ofMinSize(1).ofMaxSize(8);
    }

    /** Frames and parses everything complete; false after a framing error. */
    private static boolean drain(StreamFramer framer, ByteBuf cumulation) {
        while (true) {
            int before = cumulation.readableBytes();
            long t0 = System.nanoTime();
            FrameKind kind = framer.decode(cumulation);
            assertThat(System.nanoTime() - t0).isLessThan(MAX_NANOS_PER_CALL);
            switch (kind) {
                case NEED_MORE:
                    cumulation.discardReadBytes();
                    return true;
                case ERROR:
                    assertThat(framer.failure()).isNotNull();
                    return false;
                case MESSAGE: {
                    assertThat(framer.frameLength()).isPositive().isLessThanOrEqualTo(before);
                    ByteBuf frame = cumulation.readRetainedSlice(framer.frameLength());
                    ParseResult r = SipParser.parse(frame, SipLimits.DEFAULTS, Framing.STREAM);
                    if (r.isSuccess()) {
                        try {
                            exercise(r.message(), MAX_NANOS_PER_CALL);
                        } finally {
                            assertThat(r.message().release()).isFalse(); // the cumulation still holds it
                        }
                    } else {
                        frame.release();
                    }
                    break;
                }
                default:
                    assertThat(framer.frameLength()).isPositive().isLessThanOrEqualTo(before);
                    cumulation.skipBytes(framer.frameLength());
            }
        }
    }

    /**
     * Parses {@code bytes} placed at offset {@link #PAD} of a sentinel-filled heap or direct buffer,
     * either from an exact slice or from the big buffer bounded by its indices; describes the outcome with
     * offsets relative to the message start.
     */
    private static String outcome(byte[] bytes, boolean exactSlice, boolean direct) {
        ByteBuf big = direct ? Unpooled.directBuffer(bytes.length + 2 * PAD) : Unpooled.buffer(bytes.length + 2 * PAD);
        for (int i = 0; i < big.capacity(); i++) {
            big.writeByte(SENTINEL);
        }
        big.setBytes(PAD, bytes);
        ByteBuf frame = exactSlice ? big.slice(PAD, bytes.length) : big.setIndex(PAD, PAD + bytes.length);
        int base = exactSlice ? 0 : PAD;
        long t0 = System.nanoTime();
        ParseResult r = SipParser.parse(frame, SipLimits.DEFAULTS, Framing.DATAGRAM);
        assertThat(System.nanoTime() - t0).isLessThan(direct ? Long.MAX_VALUE : MAX_NANOS_PER_CALL);
        if (!r.isSuccess()) {
            assertThat(big.refCnt()).isEqualTo(1);
            big.release();
            return "failure " + r.failure().error() + " at " + (r.failure().offset() - base);
        }
        SipMessage msg = r.message();
        try {
            return "success " + msg.headerCount() + " headers, body " + (msg.bodyStart() - base)
                    + '+' + msg.bodyLength() + ", " + exercise(msg, direct ? Long.MAX_VALUE : MAX_NANOS_PER_CALL);
        } finally {
            assertThat(msg.release()).isTrue();
            assertThat(big.refCnt()).isZero();
        }
    }

    /** Calls everything a router may call; returns verify()'s verdict. */
    private static String exercise(SipMessage msg, long maxNanos) {
        long t0 = System.nanoTime();
        ParseFailure verdict = msg.verify();
        msg.topVia();
        msg.from();
        msg.to();
        msg.cseq();
        msg.maxForwards();
        msg.callId();
        msg.contentLength();
        if (msg instanceof SipRequest request) {
            request.requestUri();
            request.method();
            request.methodName();
        } else {
            ((SipResponse) msg).reasonPhrase();
        }
        ByteBuf buf = msg.content();
        List<Object> parsed = new ArrayList<>();
        for (int h = 0; h < msg.headerCount(); h++) {
            assertThat(msg.valueStart(h)).isBetween(msg.lineStart(h), msg.valueEnd(h));
            assertThat(msg.lineEnd(h)).isBetween(msg.valueEnd(h), msg.headersEnd() + 2);
            msg.value(h);
            switch (msg.name(h)) {
                case VIA -> parsed.add(Via.parse(buf, msg.valueStart(h), msg.valueEnd(h)));
                case CONTACT, ROUTE, RECORD_ROUTE, PATH, FROM, TO ->
                        parsed.add(NameAddr.parse(buf, msg.valueStart(h), msg.valueEnd(h)));
                default -> {
                }
            }
        }
        assertThat(System.nanoTime() - t0).isLessThan(maxNanos);
        return verdict == null ? "valid" : verdict.error() + " at " + (verdict.offset() - buf.readerIndex());
    }
}

package io.siplb.sip.edit;

import static io.siplb.sip.SipText.sip;
import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.siplb.sip.Framing;
import io.siplb.sip.ParseResult;
import io.siplb.sip.SipLimits;
import io.siplb.sip.SipMessage;
import io.siplb.sip.SipParser;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Splicing any set of disjoint byte-range edits, added in any order, with any threshold for
 * sharing unchanged runs, gives the same bytes as applying them one after the other to a
 * copy, and so does {@link MessageSplicer#copy}.
 */
class MessageSplicerProperties {

    private static final ByteBufAllocator ALLOC = PooledByteBufAllocator.DEFAULT;
    private static final String MESSAGE = """
            INVITE sip:bob@biloxi.example.com SIP/2.0
            Via: SIP/2.0/UDP 10.1.1.1:4540;rport;branch=z9hG4bKkjshdyff
            Max-Forwards: 70
            Call-ID: a84b4c76e66710
            Content-Length: 5

            v=0
            """;
    private static final int LENGTH = sipLength();

    /** One edit in message-relative offsets; {@code added} is its place in the add order. */
    private record Edit(int start, int end, byte[] bytes, int added) {
        boolean isInsert() {
            return start == end;
        }
    }

    @Property(tries = 500)
    void splicingEqualsApplyingTheEditsInOffsetOrder(@ForAll("cuts") List<Integer> cuts,
                                                     @ForAll("payloads") List<byte[]> payloads,
                                                     @ForAll long seed,
                                                     @ForAll boolean direct,
                                                     @ForAll("minSharedRuns") int minSharedRun) {
        List<Edit> edits = edits(cuts, payloads, new Random(seed));
        SipMessage msg = parse(direct);
        ByteBuf spliced = null;
        ByteBuf copied = null;
        try {
            int base = msg.content().readerIndex();
            MessageEdits me = MessageEdits.of(msg);
            for (Edit e : edits) {
                me.replace(base + e.start(), base + e.end(), e.bytes());
            }
            spliced = MessageSplicer.splice(msg, me, ALLOC, minSharedRun);
            copied = MessageSplicer.copy(msg, me, ALLOC);

            byte[] expected = applyInOrder(ByteBufUtil.getBytes(msg.content()), edits);
            assertThat(ByteBufUtil.getBytes(spliced)).isEqualTo(expected);
            assertThat(ByteBufUtil.getBytes(copied)).isEqualTo(expected);
        } finally {
            if (spliced != null) {
                spliced.release();
            }
            if (copied != null) {
                copied.release();
            }
            msg.release();
        }
        assertThat(msg.refCnt()).isZero();
    }

    /** Share every run, the default, runs of some length, or none. */
    @Provide
    Arbitrary<Integer> minSharedRuns() {
        return Arbitraries.oneOf(Arbitraries.of(1, 256, MessageSplicer.MIN_SHARED_RUN, Integer.MAX_VALUE),
                Arbitraries.integers().between(1, 64));
    }

    @Provide
    Arbitrary<List<Integer>> cuts() {
        return Arbitraries.integers().between(0, LENGTH).list().ofMaxSize(16);
    }

    @Provide
    Arbitrary<List<byte[]>> payloads() {
        return Arbitraries.bytes().array(byte[].class).ofMaxSize(6).list().ofMinSize(1).ofMaxSize(8);
    }

    /** Sorted cut points paired into disjoint ranges (a pair may be a point: an insert), shuffled. */
    private static List<Edit> edits(List<Integer> cuts, List<byte[]> payloads, Random random) {
        List<Integer> sorted = new ArrayList<>(cuts);
        Collections.sort(sorted);
        List<int[]> ranges = new ArrayList<>();
        for (int i = 0; i + 1 < sorted.size(); i += 2) {
            ranges.add(new int[] {sorted.get(i), sorted.get(i + 1)});
        }
        Collections.shuffle(ranges, random);
        List<Edit> edits = new ArrayList<>();
        for (int i = 0; i < ranges.size(); i++) {
            edits.add(new Edit(ranges.get(i)[0], ranges.get(i)[1], payloads.get(i % payloads.size()), i));
        }
        return edits;
    }

    /** The model: by offset; at one offset inserts first, in the order they were added. */
    private static byte[] applyInOrder(byte[] original, List<Edit> edits) {
        List<Edit> ordered = new ArrayList<>(edits);
        ordered.sort(Comparator.comparingInt(Edit::start)
                .thenComparing(e -> e.isInsert() ? 0 : 1)
                .thenComparingInt(Edit::added));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int pos = 0;
        for (Edit e : ordered) {
            out.write(original, pos, e.start() - pos);
            out.write(e.bytes(), 0, e.bytes().length);
            pos = e.end();
        }
        out.write(original, pos, original.length - pos);
        return out.toByteArray();
    }

    private static SipMessage parse(boolean direct) {
        ByteBuf frame = sip(MESSAGE);
        if (direct) {
            ByteBuf copy = Unpooled.directBuffer(frame.readableBytes()).writeBytes(frame);
            frame.release();
            frame = copy;
        }
        ParseResult result = SipParser.parse(frame, SipLimits.DEFAULTS, Framing.DATAGRAM);
        if (!result.isSuccess()) {
            frame.release();
            throw new AssertionError("fixture does not parse: " + result);
        }
        return result.message();
    }

    private static int sipLength() {
        ByteBuf frame = sip(MESSAGE);
        try {
            return frame.readableBytes();
        } finally {
            frame.release();
        }
    }
}

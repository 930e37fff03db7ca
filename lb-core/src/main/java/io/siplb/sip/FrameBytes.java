package io.siplb.sip;

import io.netty.buffer.ByteBuf;
import io.netty.util.concurrent.FastThreadLocal;

/**
 * The bytes of one frame as {@link SipParser} reads them: a heap buffer's own array, or for any
 * other buffer a copy in a per-thread scratch array, made block by block only as far as the
 * parser reads (the start line and the header section, rarely more than the first block; a
 * large body is never copied).
 *
 * <p>Why: {@link ByteBuf#getByte} checks the index and the buffer's reference count on every
 * call, and indexing a header section reads about ten bytes per line that way. A copy costs one
 * check and a memory copy of a few hundred bytes, and then the scanner reads plain array elements,
 * eight at a time where it searches.
 *
 * <p>Coordinates: the parser works on array indices; byte {@code k} of the buffer is
 * {@code a[k + off]}. Only {@code [.., limit)} holds the frame's bytes: call {@link #ensure} before
 * reading past {@link #limit}, and re-read {@link #a} after it or after {@link #indexOf(int, byte)},
 * which may move the copy to a larger array.
 *
 * <p>One instance per thread, reused: a message is parsed by one event loop. The copy of a message
 * parsed from a direct buffer stays until this thread parses the next one, and the message's typed
 * accessors read it rather than copy each value again ({@link #copyOf}): the message owns its
 * bytes, which nothing writes while it lives.
 */
final class FrameBytes {

    /** The first copy; enough for a typical header section. Each further copy doubles what is there. */
    private static final int FIRST_BLOCK = 1024;
    /** Larger scratch arrays (a header section over 64 KiB, beyond the default limits) are not kept. */
    private static final int MAX_KEPT = 64 * 1024;

    private static final FastThreadLocal<FrameBytes> PER_THREAD = new FastThreadLocal<>() {
        @Override
        protected FrameBytes initialValue() {
            return new FrameBytes();
        }
    };

    /** The array to read; valid in {@code [.., limit)}. */
    byte[] a;
    /** {@code a[k + off]} is byte {@code k} of the buffer. */
    int off;
    /** The array index up to which the frame's bytes are in {@link #a}. */
    int limit;
    /** The array index of the end of the frame. */
    int end;

    private ByteBuf buf;
    private byte[] scratch = new byte[FIRST_BLOCK];
    private boolean copying;
    /** The message parsed from the copy in {@link #a}, until the next {@link #open}. */
    private SipMessage owner;
    private final Thread thread = Thread.currentThread();

    private FrameBytes() {
    }

    /** This thread's instance, reading {@code [start, end)} of {@code buf}; {@link #close} it after. */
    static FrameBytes open(ByteBuf buf, int start, int end) {
        FrameBytes f = PER_THREAD.get();
        f.buf = buf;
        f.owner = null;
        f.copying = !buf.hasArray();
        if (f.copying) {
            f.a = f.scratch;
            f.off = -start;
            f.limit = 0;
        } else {
            f.a = buf.array();
            f.off = buf.arrayOffset();
            f.limit = end + f.off;
        }
        f.end = end + f.off;
        return f;
    }

    /** Forgets the buffer, and a heap buffer's array, so that this thread does not keep them. */
    void close() {
        buf = null;
        if (!copying) {
            a = null;
        }
    }

    /** Marks {@code message}, just parsed, as the owner of the copy (when there is one). */
    void parsed(SipMessage message) {
        if (copying) {
            owner = message;
            message.frameBytes = this;
        }
    }

    /**
     * The copy holding {@code message}'s bytes {@code [start, end)} at {@code k + off}, or null
     * when this thread has parsed another message since, this is not the thread that parsed it,
     * or the message was released (whose accessors must fail as they would on its buffer).
     */
    byte[] copyOf(SipMessage message, int start, int end) {
        return thread == Thread.currentThread() && owner == message && start + off >= 0 && end + off <= limit
                && message.refCnt() > 0 ? a : null;
    }

    /** Makes {@code a[k]} readable; {@code k} must be below {@link #end}. */
    void ensure(int k) {
        while (k >= limit) {
            extend();
        }
    }

    /** The array index of the first {@code b} from {@code from} to the end of the frame, or -1. */
    int indexOf(int from, byte b) {
        int k = from;
        while (true) {
            int found = ByteArrays.indexOf(a, k, limit, b);
            if (found >= 0) {
                return found;
            }
            if (limit >= end) {
                return -1;
            }
            k = Math.max(k, limit);
            extend();
        }
    }

    /** The array index of the first {@code b1} or {@code b2} from {@code from} to the end of the frame, or -1. */
    int indexOfEither(int from, byte b1, byte b2) {
        int k = from;
        while (true) {
            int found = ByteArrays.indexOfEither(a, k, limit, b1, b2);
            if (found >= 0) {
                return found;
            }
            if (limit >= end) {
                return -1;
            }
            k = Math.max(k, limit);
            extend();
        }
    }

    /** Copies the next block (the copy mode only; a heap buffer's array is complete). */
    private void extend() {
        int n = Math.min(end - limit, Math.max(FIRST_BLOCK, limit));
        if (limit + n > a.length) {
            byte[] larger = new byte[Math.max(limit + n, 2 * a.length)];
            System.arraycopy(a, 0, larger, 0, limit);
            if (larger.length <= MAX_KEPT) {
                scratch = larger;
            }
            a = larger;
        }
        buf.getBytes(limit - off, a, limit, n);
        limit += n;
    }
}

package io.siplb.sip.edit;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.CompositeByteBuf;
import io.siplb.sip.SipMessage;

import static com.google.common.base.Preconditions.checkArgument;
import static java.util.Objects.requireNonNull;

/**
 * Applies {@link MessageEdits} to the bytes a message arrived in without rebuilding it
 * (STYLE.md principle 4): the unchanged runs of the original and the new bytes of the edits
 * are laid end to end, so bytes the proxy does not touch (a binary body, a header it cannot
 * parse) go out exactly as they came in, and nothing is parsed or re-serialized.
 *
 * <p>How the runs go out is a cost decision, measured in {@code MessageSplicerBenchmark}
 * (benchmarks/README.md): an unchanged run of at least {@link #MIN_SHARED_RUN} bytes is shared
 * as a retained slice of the original in a {@link CompositeByteBuf}; a shorter one is copied,
 * next to the new bytes, into one buffer from the allocator. A composite component costs
 * about as much as copying several kilobytes (a slice, a component entry, atomic reference
 * count updates, and a gathering write in the transport), so for the 0.5–4 KB of a typical
 * SIP message one contiguous copy is the faster splice; a large body (a big SDP, a presence
 * document) is shared instead of copied.
 *
 * <p>Buffer ownership: the message keeps its own reference and must still be released by its
 * owner; the returned buffer holds references of its own and belongs to the caller. On any
 * failure nothing is left retained.
 *
 * <p>New buffers are of the same kind as the message's (direct or heap), so a direct message
 * gives an all-direct result, which a native transport sends without merging it first.
 */
public final class MessageSplicer {

    /**
     * Unchanged runs shorter than this are copied rather than shared: 8 KiB. On the 2-core
     * EPYC of benchmarks/README.md, copying the proxy's rewrite of a 0.9 KB or 4.4 KB INVITE
     * is faster than a composite, and sharing wins from about 13 KB on.
     */
    public static final int MIN_SHARED_RUN = 8 * 1024;

    private MessageSplicer() {}

    /**
     * The bytes of {@code message} with {@code edits} applied: unchanged runs of at least
     * {@link #MIN_SHARED_RUN} bytes as retained slices of the original in a
     * {@link CompositeByteBuf}, everything else in one new buffer. With no edits, a retained slice
     * of the message; with no long unchanged run (most messages), the one new buffer.
     *
     * @throws IllegalArgumentException if {@code edits} belong to another message, or two
     *         edits overlap once value removals are widened to their commas
     */
    public static ByteBuf splice(SipMessage message, MessageEdits edits, ByteBufAllocator alloc) {
        return splice(message, edits, alloc, MIN_SHARED_RUN);
    }

    /**
     * The bytes of {@code message} with {@code edits} applied, all copied into one new buffer
     * of the message's kind (direct or heap), whatever their size: for a transport that needs
     * one contiguous buffer, and the baseline the splice is measured against.
     *
     * @throws IllegalArgumentException as {@link #splice} does
     */
    public static ByteBuf copy(SipMessage message, MessageEdits edits, ByteBufAllocator alloc) {
        return build(checkedContent(message, edits, alloc), edits, alloc, Integer.MAX_VALUE);
    }

    /**
     * {@link #splice} with another threshold: 1 shares every unchanged run, as a plain
     * splice does; {@code Integer.MAX_VALUE} copies everything. For tests and benchmarks.
     */
    static ByteBuf splice(SipMessage message, MessageEdits edits, ByteBufAllocator alloc, int minSharedRun) {
        checkArgument(minSharedRun >= 1, "minSharedRun: %s (expected: >= 1)", minSharedRun);
        ByteBuf content = checkedContent(message, edits, alloc);
        if (edits.isEmpty()) {
            return content.retainedSlice(edits.messageStart(), edits.messageEnd() - edits.messageStart());
        }
        return build(content, edits, alloc, minSharedRun);
    }

    private static ByteBuf checkedContent(SipMessage message, MessageEdits edits, ByteBufAllocator alloc) {
        requireNonNull(message, "message");
        requireNonNull(edits, "edits");
        requireNonNull(alloc, "alloc");
        checkArgument(edits.message() == message, "edits belong to another message");
        ByteBuf content = message.content();
        int base = edits.messageStart();
        int limit = edits.messageEnd();
        checkArgument(content.readerIndex() <= base && limit <= content.writerIndex(),
                "message bytes [%s, %s) (expected: to cover the edited bytes [%s, %s))",
                content.readerIndex(), content.writerIndex(), base, limit);
        return content;
    }

    private static ByteBuf build(ByteBuf content, MessageEdits edits, ByteBufAllocator alloc, int minSharedRun) {
        int base = edits.messageStart();
        int limit = edits.messageEnd();
        int n = edits.size();
        if (n > 0) {
            edits.prepare(); // settles, orders and checks the edits
        }

        // Pass 1: how many bytes go into the new buffer, how many runs are shared, and in how
        // many pieces the new buffer goes out between them.
        int copied = 0;
        int shared = 0;
        int pieces = 0;
        boolean open = false; // bytes in the new buffer not yet closed by a shared run
        int pos = base;
        for (int k = 0; k <= n; k++) {
            int i = k < n ? edits.ordered(k) : -1;
            int start = i < 0 ? limit : edits.finalStart(i);
            if (start < 0) {
                continue;
            }
            if (start - pos >= minSharedRun) {
                shared++;
                pieces += open ? 1 : 0;
                open = false;
            } else if (start > pos) {
                copied += start - pos;
                open = true;
            }
            if (i >= 0 && edits.payloadLength(i) > 0) {
                copied += edits.payloadLength(i);
                open = true;
            }
            pos = i < 0 ? limit : edits.finalEnd(i);
        }
        pieces += open ? 1 : 0;

        // Pass 2: the new bytes and copied runs in output order, cut around the shared runs.
        ByteBuf added = copied > 0 || shared == 0 ? newBuffer(alloc, content, copied) : null;
        if (shared == 0) {
            boolean success = false;
            try {
                writeAll(edits, content, added, base, limit);
                success = true;
                return added;
            } finally {
                if (!success) {
                    added.release();
                }
            }
        }
        CompositeByteBuf out = alloc.compositeBuffer(2 * shared + 1);
        // When the new bytes go out in one piece (usually: the rewritten head, then the shared
        // rest), the buffer itself becomes the component, saving a slice and two atomic updates.
        boolean addedOwned = added != null;
        boolean success = false;
        try {
            byte[] payload = edits.payloadBytes();
            int cut = 0; // start in `added` of the bytes not yet in `out`
            pos = base;
            for (int k = 0; k <= n; k++) {
                int i = k < n ? edits.ordered(k) : -1;
                int start = i < 0 ? limit : edits.finalStart(i);
                if (start < 0) {
                    continue;
                }
                int length = start - pos;
                if (length >= minSharedRun) {
                    if (added != null && added.writerIndex() > cut) {
                        addedOwned = pieces > 1;
                        out.addComponent(true, pieces == 1 ? added : added.retainedSlice(cut, added.writerIndex() - cut));
                        cut = added.writerIndex();
                    }
                    out.addComponent(true, content.retainedSlice(pos, length));
                } else if (length > 0) {
                    added.writeBytes(content, pos, length);
                }
                if (i >= 0 && edits.payloadLength(i) > 0) {
                    added.writeBytes(payload, edits.payloadOffset(i), edits.payloadLength(i));
                }
                pos = i < 0 ? limit : edits.finalEnd(i);
            }
            if (added != null && added.writerIndex() > cut) {
                addedOwned = pieces > 1;
                out.addComponent(true, pieces == 1 ? added : added.retainedSlice(cut, added.writerIndex() - cut));
            }
            success = true;
            return out;
        } finally {
            if (addedOwned) {
                added.release(); // the slices in `out` hold their own references
            }
            if (!success) {
                out.release();
            }
        }
    }

    /** Writes the whole edited message into {@code out}. */
    private static void writeAll(MessageEdits edits, ByteBuf content, ByteBuf out, int base, int limit) {
        byte[] payload = edits.payloadBytes();
        int pos = base;
        for (int k = 0, n = edits.size(); k < n; k++) {
            int i = edits.ordered(k);
            int start = edits.finalStart(i);
            if (start < 0) {
                continue;
            }
            out.writeBytes(content, pos, start - pos);
            out.writeBytes(payload, edits.payloadOffset(i), edits.payloadLength(i));
            pos = edits.finalEnd(i);
        }
        out.writeBytes(content, pos, limit - pos);
    }

    /** A buffer of the same kind as the message's, so the output is all direct or all heap. */
    private static ByteBuf newBuffer(ByteBufAllocator alloc, ByteBuf like, int capacity) {
        return like.isDirect() ? alloc.directBuffer(capacity, capacity) : alloc.heapBuffer(capacity, capacity);
    }
}

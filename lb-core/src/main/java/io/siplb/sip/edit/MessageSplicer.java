package io.siplb.sip.edit;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.CompositeByteBuf;
import io.siplb.sip.SipMessage;

import static com.google.common.base.Preconditions.checkArgument;
import static java.util.Objects.requireNonNull;

/**
 * Applies {@link MessageEdits} to the bytes a message arrived in, without copying them: the
 * result is a {@link CompositeByteBuf} of retained slices of the original around the new bytes
 * (STYLE.md principle 4). A proxy changes 3–6 short ranges of a message of about a kilobyte,
 * so splicing moves a few dozen bytes where a rebuild would copy them all, and bytes the
 * proxy does not touch (a binary body, a header it cannot parse) go out exactly as they came in.
 *
 * <p>Buffer ownership: the message keeps its own reference and must still be released by its
 * owner; the returned buffer holds references of its own and is owned by the caller. On any
 * failure nothing is left retained.
 *
 * <p>The new bytes of all edits go into one small buffer from the allocator, of the same
 * kind as the message's (direct or heap), so that a direct message gives an all-direct
 * composite which a native transport can send with one gathering write ({@code sendmsg}
 * with an iovec per component) instead of merging it first.
 *
 * <p>Poor fit: a transport that needs one contiguous array; use {@link #copy} there (it is
 * also the baseline the splice is benchmarked against).
 */
public final class MessageSplicer {

    private MessageSplicer() {}

    /**
     * The bytes of {@code message} with {@code edits} applied, as retained slices of the
     * original plus the new bytes. With no edits, a retained slice of the message.
     *
     * @throws IllegalArgumentException if {@code edits} belong to another message, or two
     *         edits overlap once value removals are widened to their commas
     */
    public static ByteBuf splice(SipMessage message, MessageEdits edits, ByteBufAllocator alloc) {
        ByteBuf content = checkedContent(message, edits, alloc);
        int base = edits.messageStart();
        int limit = edits.messageEnd();
        if (edits.isEmpty()) {
            return content.retainedSlice(base, limit - base);
        }
        int components = edits.prepare();

        ByteBuf added = null;
        CompositeByteBuf out = alloc.compositeBuffer(Math.max(1, components));
        boolean success = false;
        try {
            int total = edits.payloadTotal();
            if (total > 0) {
                added = newBuffer(alloc, content, total);
                added.writeBytes(edits.payloadBytes(), 0, total);
            }
            int pos = base;
            // New bytes of consecutive edits that also lie back to back in `added` (lines
            // inserted at one offset in the order they were added) go out as one slice.
            int runStart = -1;
            int runEnd = -1;
            for (int k = 0, n = edits.size(); k < n; k++) {
                int i = edits.ordered(k);
                int start = edits.finalStart(i);
                if (start < 0) {
                    continue;
                }
                if (start > pos) {
                    if (runStart >= 0) {
                        out.addComponent(true, added.retainedSlice(runStart, runEnd - runStart));
                        runStart = -1;
                    }
                    out.addComponent(true, content.retainedSlice(pos, start - pos));
                }
                int length = edits.payloadLength(i);
                if (length > 0) {
                    int offset = edits.payloadOffset(i);
                    if (runStart >= 0 && offset == runEnd) {
                        runEnd += length;
                    } else {
                        if (runStart >= 0) {
                            out.addComponent(true, added.retainedSlice(runStart, runEnd - runStart));
                        }
                        runStart = offset;
                        runEnd = offset + length;
                    }
                }
                pos = edits.finalEnd(i);
            }
            if (runStart >= 0) {
                out.addComponent(true, added.retainedSlice(runStart, runEnd - runStart));
            }
            if (limit > pos) {
                out.addComponent(true, content.retainedSlice(pos, limit - pos));
            }
            success = true;
            return out;
        } finally {
            if (added != null) {
                added.release(); // the slices in `out` hold their own references
            }
            if (!success) {
                out.release();
            }
        }
    }

    /**
     * The bytes of {@code message} with {@code edits} applied, copied into one new buffer of
     * the message's kind (direct or heap). Costs a copy of the whole message; see the class
     * Javadoc for when that is worth it.
     *
     * @throws IllegalArgumentException as {@link #splice} does
     */
    public static ByteBuf copy(SipMessage message, MessageEdits edits, ByteBufAllocator alloc) {
        ByteBuf content = checkedContent(message, edits, alloc);
        int base = edits.messageStart();
        int limit = edits.messageEnd();
        int n = edits.size();
        edits.prepare();
        int length = limit - base + edits.payloadTotal();
        for (int i = 0; i < n; i++) {
            if (edits.finalStart(i) >= 0) {
                length -= edits.finalEnd(i) - edits.finalStart(i);
            }
        }
        ByteBuf out = newBuffer(alloc, content, length);
        boolean success = false;
        try {
            byte[] payload = edits.payloadBytes();
            int pos = base;
            for (int k = 0; k < n; k++) {
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
            success = true;
            return out;
        } finally {
            if (!success) {
                out.release();
            }
        }
    }

    /** A buffer of the same kind as the message's, so the output is all direct or all heap. */
    private static ByteBuf newBuffer(ByteBufAllocator alloc, ByteBuf like, int capacity) {
        return like.isDirect() ? alloc.directBuffer(capacity, capacity) : alloc.heapBuffer(capacity, capacity);
    }

    private static ByteBuf checkedContent(SipMessage message, MessageEdits edits, ByteBufAllocator alloc) {
        requireNonNull(message, "message");
        requireNonNull(edits, "edits");
        requireNonNull(alloc, "alloc");
        checkArgument(edits.message() == message, "edits belong to another message");
        ByteBuf content = message.content();
        checkArgument(content.readerIndex() <= edits.messageStart() && edits.messageEnd() <= content.writerIndex(),
                "message bytes [%s, %s) (expected: to cover the edited bytes [%s, %s))",
                content.readerIndex(), content.writerIndex(), edits.messageStart(), edits.messageEnd());
        return content;
    }
}

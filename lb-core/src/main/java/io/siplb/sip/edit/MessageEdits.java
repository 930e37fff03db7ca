package io.siplb.sip.edit;

import io.netty.buffer.ByteBuf;
import io.siplb.sip.SipMessage;
import io.siplb.sip.header.Via;

import java.util.Arrays;

import static com.google.common.base.Preconditions.checkArgument;
import static com.google.common.base.Preconditions.checkElementIndex;
import static java.util.Objects.requireNonNull;

/**
 * The changes a proxy makes to one message, as byte-range edits of the bytes it arrived in:
 * insert bytes at an offset, replace a range, remove a range. {@link MessageSplicer} applies
 * them by splicing the new bytes between slices of the original (DESIGN.md principle 4), so
 * everything not named here goes out exactly as it came in.
 *
 * <pre>{@code
 * MessageEdits edits = MessageEdits.of(request)
 *         .insertHeaderBefore(topVia, writer.via("UDP", ourHost, ourPort, branch))
 *         .setViaParam(request.topVia(), "received", sourceIp)
 *         .setViaParam(request.topVia(), "rport", sourcePort)
 *         .removeValue(topRoute)
 *         .replaceValueWithNumber(maxForwards, request.maxForwards() - 1);
 * ByteBuf out = MessageSplicer.splice(request, edits, alloc);
 * }</pre>
 *
 * <p>Offsets are absolute indices into {@link SipMessage#content()}, like the message's header
 * index; header entries {@code h} are the message's index entries (one per header value).
 * Edits may be added in any order; they are applied in offset order. Two edits may not
 * overlap, except that any number of inserts may share an offset: they keep the order they
 * were added in, and come before a replace or remove that starts at that offset. An edit
 * that overlaps an earlier one, or falls outside the message, is refused with an
 * {@link IllegalArgumentException} when it is added (a bug in the caller, not bad input).
 *
 * <p>New bytes are copied into one growing {@code byte[]} owned by this object, so the caller
 * may reuse its arrays and {@link HeaderWriter}s at once, and this object holds no reference
 * counted buffer: a routing {@code Decision} that carries it needs no release. Storage is a
 * few small arrays sized for a handful of edits (a proxy makes 3–6 per message), grown by
 * doubling when more are added.
 *
 * <p>Poor fits: rewriting most of a message (build a new one instead), and edits that depend on
 * each other's output (offsets always refer to the original bytes). Not thread-safe.
 */
public final class MessageEdits {

    // Parallel int columns, one row of STRIDE ints per edit, in the order edits were added.
    private static final int START = 0;      // first byte replaced, or the insert offset
    private static final int END = 1;        // end of the replaced range (== START for inserts)
    private static final int PAYLOAD = 2;    // offset of the new bytes in `bytes`
    private static final int LENGTH = 3;     // number of new bytes
    private static final int VALUE = 4;      // header entry for removeValue, else -1
    private static final int STRIDE = 5;
    private static final int INITIAL_EDITS = 8;

    private final SipMessage message;
    private final int messageStart;
    private final int messageEnd;
    private final HeaderWriter bytes = new HeaderWriter(256); // a proxy adds ~170 bytes
    private int[] rows = new int[INITIAL_EDITS * STRIDE];
    private int size;
    // Scratch for prepare(): settled ranges (start, end pairs) and the splice order.
    private int[] ranges = new int[2 * INITIAL_EDITS];
    private int[] order = new int[INITIAL_EDITS];

    private MessageEdits(SipMessage message) {
        this.message = message;
        ByteBuf content = message.content();
        this.messageStart = content.readerIndex();
        this.messageEnd = content.writerIndex();
    }

    /** An empty edit list for {@code message}. */
    public static MessageEdits of(SipMessage message) {
        return new MessageEdits(requireNonNull(message, "message"));
    }

    /** The message these edits apply to. */
    public SipMessage message() {
        return message;
    }

    /** Number of edits added. */
    public int size() {
        return size;
    }

    /** Whether no edit was added: the message goes out unchanged. */
    public boolean isEmpty() {
        return size == 0;
    }

    // ---- byte ranges -------------------------------------------------------------------

    /** Inserts {@code src} before the byte at {@code offset}. */
    public MessageEdits insert(int offset, byte[] src) {
        return add(offset, offset, src, 0, src.length, -1);
    }

    /** Inserts what {@code src} holds before the byte at {@code offset}. */
    public MessageEdits insert(int offset, HeaderWriter src) {
        return add(offset, offset, src.array(), 0, src.length(), -1);
    }

    /** Inserts the readable bytes of {@code src} (not consumed, not released) before {@code offset}. */
    public MessageEdits insert(int offset, ByteBuf src) {
        return add(offset, offset, src);
    }

    /** Replaces the bytes in [{@code start}, {@code end}) with {@code src}. */
    public MessageEdits replace(int start, int end, byte[] src) {
        return add(start, end, src, 0, src.length, -1);
    }

    /** Replaces the bytes in [{@code start}, {@code end}) with what {@code src} holds. */
    public MessageEdits replace(int start, int end, HeaderWriter src) {
        return add(start, end, src.array(), 0, src.length(), -1);
    }

    /** Replaces [{@code start}, {@code end}) with the readable bytes of {@code src} (not consumed, not released). */
    public MessageEdits replace(int start, int end, ByteBuf src) {
        return add(start, end, src);
    }

    /** Removes the bytes in [{@code start}, {@code end}). */
    public MessageEdits remove(int start, int end) {
        return add(start, end, null, 0, 0, -1);
    }

    // ---- header lines ------------------------------------------------------------------

    /** Inserts {@code line} (a whole header line ending in CRLF) as the first header line. */
    public MessageEdits insertHeaderFirst(byte[] line) {
        return insertLine(firstLineStart(), line, 0, line.length);
    }

    /** Inserts the line {@code w} holds as the first header line. */
    public MessageEdits insertHeaderFirst(HeaderWriter w) {
        return insertLine(firstLineStart(), w.array(), 0, w.length());
    }

    /** Inserts {@code line} (a whole header line ending in CRLF) after the last header line. */
    public MessageEdits insertHeaderLast(byte[] line) {
        return insertLine(message.headersEnd(), line, 0, line.length);
    }

    /** Inserts the line {@code w} holds after the last header line. */
    public MessageEdits insertHeaderLast(HeaderWriter w) {
        return insertLine(message.headersEnd(), w.array(), 0, w.length());
    }

    /**
     * Inserts {@code line} (a whole header line ending in CRLF) before the line that holds
     * header entry {@code h}. On a line with several values, that is before all of them.
     */
    public MessageEdits insertHeaderBefore(int h, byte[] line) {
        return insertLine(message.lineStart(entry(h)), line, 0, line.length);
    }

    /** Inserts the line {@code w} holds before the line that holds header entry {@code h}. */
    public MessageEdits insertHeaderBefore(int h, HeaderWriter w) {
        return insertLine(message.lineStart(entry(h)), w.array(), 0, w.length());
    }

    /**
     * Inserts {@code line} (a whole header line ending in CRLF) after the line that holds
     * header entry {@code h} (after its folded continuation lines too).
     */
    public MessageEdits insertHeaderAfter(int h, byte[] line) {
        return insertLine(message.lineEnd(entry(h)), line, 0, line.length);
    }

    /** Inserts the line {@code w} holds after the line that holds header entry {@code h}. */
    public MessageEdits insertHeaderAfter(int h, HeaderWriter w) {
        return insertLine(message.lineEnd(entry(h)), w.array(), 0, w.length());
    }

    /**
     * Removes header value {@code h}. When it is the only value on its line (or every value on
     * the line is removed), the whole line goes, folded continuation lines and CRLF included.
     * Otherwise the value goes with exactly one adjacent comma and the LWS around it, so
     * {@code Route: <a>, <b>} without {@code <a>} becomes {@code Route: <b>}, and without
     * {@code <b>} becomes {@code Route: <a>}.
     *
     * <p>The exact range is settled when the edits are spliced, once it is known which other
     * values of the line are removed too.
     */
    public MessageEdits removeValue(int h) {
        entry(h);
        return add(message.valueStart(h), message.valueEnd(h), null, 0, 0, h);
    }

    /** Replaces header value {@code h} (LWS around it and separating commas stay) with {@code value}. */
    public MessageEdits replaceValue(int h, byte[] value) {
        entry(h);
        return add(message.valueStart(h), message.valueEnd(h), value, 0, value.length, -1);
    }

    /** Replaces header value {@code h} with what {@code w} holds. */
    public MessageEdits replaceValue(int h, HeaderWriter w) {
        entry(h);
        return add(message.valueStart(h), message.valueEnd(h), w.array(), 0, w.length(), -1);
    }

    /**
     * Replaces header value {@code h} with the characters of {@code value}, one byte each
     * (printable ASCII only, see {@link HeaderWriter#ascii}).
     */
    public MessageEdits replaceValue(int h, CharSequence value) {
        entry(h);
        int from = bytes.length();
        bytes.ascii(value);
        return addWritten(message.valueStart(h), message.valueEnd(h), from, -1);
    }

    /**
     * Replaces header value {@code h} with the decimal digits of {@code number}, without
     * allocating: the Max-Forwards decrement of RFC 3261 §16.6 step 3.
     */
    public MessageEdits replaceValueWithNumber(int h, long number) {
        entry(h);
        int from = bytes.length();
        bytes.decimal(number);
        return addWritten(message.valueStart(h), message.valueEnd(h), from, -1);
    }

    /**
     * Sets parameter {@code name} of {@code via} (a Via parsed from this message): replaces its
     * {@code ;name[=value]} when present, else appends {@code ;name[=value]} at the end of the
     * via-parm. A null value writes the bare {@code ;name}. Used for {@code received} and
     * {@code rport} (RFC 3261 §18.2.1, RFC 3581 §4); set each name once per Via.
     */
    public MessageEdits setViaParam(Via via, String name, String valueOrNull) {
        int from = bytes.length();
        bytes.param(name, valueOrNull);
        return addViaParam(via, name, from);
    }

    /** Sets parameter {@code name} of {@code via} to a decimal value, e.g. {@code ;rport=5060}. */
    public MessageEdits setViaParam(Via via, String name, long value) {
        int from = bytes.length();
        bytes.param(name, value);
        return addViaParam(via, name, from);
    }

    private MessageEdits addViaParam(Via via, String name, int from) {
        long range = via.paramRange(name);
        if (range < 0) {
            return addWritten(via.end(), via.end(), from, -1);
        }
        return addWritten((int) (range >>> 32), (int) range, from, -1);
    }

    // ---- storage -----------------------------------------------------------------------

    private int entry(int h) {
        return checkElementIndex(h, message.headerCount(), "header entry");
    }

    private int firstLineStart() {
        // The first header line follows the start line; with no header at all, the new line
        // goes before the empty line that ends the header section.
        return message.headerCount() > 0 ? message.lineStart(0) : message.headersEnd();
    }

    private MessageEdits insertLine(int offset, byte[] line, int off, int len) {
        checkArgument(len >= 2 && line[off + len - 2] == '\r' && line[off + len - 1] == '\n',
                "header line of %s bytes (expected: a whole line ending with CRLF)", len);
        return add(offset, offset, line, off, len, -1);
    }

    private MessageEdits add(int start, int end, ByteBuf src) {
        int from = bytes.length();
        bytes.raw(src, src.readerIndex(), src.readableBytes());
        return addWritten(start, end, from, -1);
    }

    private MessageEdits add(int start, int end, byte[] src, int off, int len, int value) {
        int from = bytes.length();
        if (len > 0) {
            bytes.raw(src, off, len);
        }
        return addWritten(start, end, from, value);
    }

    /** Records an edit whose new bytes were just written to {@code bytes} from {@code from}. */
    private MessageEdits addWritten(int start, int end, int from, int value) {
        int length = bytes.length() - from;
        if (start < messageStart || start > end || end > messageEnd) {
            bytes.truncate(from);
            throw new IllegalArgumentException("range [" + start + ", " + end
                    + ") (expected: within the message [" + messageStart + ", " + messageEnd + "))");
        }
        if (start == end && length == 0 && value < 0) {
            return this; // nothing to insert, nothing to remove
        }
        int clash = overlapping(start, end);
        if (clash >= 0) {
            bytes.truncate(from);
            int r = clash * STRIDE;
            throw new IllegalArgumentException("edit [" + start + ", " + end + ") overlaps edit ["
                    + rows[r + START] + ", " + rows[r + END] + ") (expected: disjoint ranges)");
        }
        if ((size + 1) * STRIDE > rows.length) {
            rows = Arrays.copyOf(rows, rows.length << 1);
        }
        int r = size * STRIDE;
        rows[r + START] = start;
        rows[r + END] = end;
        rows[r + PAYLOAD] = from;
        rows[r + LENGTH] = length;
        rows[r + VALUE] = value;
        size++;
        return this;
    }

    /** The first edit that overlaps [start, end), or -1. An insert is a point between bytes. */
    private int overlapping(int start, int end) {
        for (int i = 0; i < size; i++) {
            int s = rows[i * STRIDE + START];
            int e = rows[i * STRIDE + END];
            boolean clash;
            if (start == end) {
                clash = s < start && start < e;           // insert strictly inside a range
            } else if (s == e) {
                clash = start < s && s < end;             // a range around an earlier insert
            } else {
                clash = start < e && s < end;
            }
            if (clash) {
                return i;
            }
        }
        return -1;
    }

    // ---- for MessageSplicer ------------------------------------------------------------

    int start(int i) {
        return rows[i * STRIDE + START];
    }

    int end(int i) {
        return rows[i * STRIDE + END];
    }

    int payloadOffset(int i) {
        return rows[i * STRIDE + PAYLOAD];
    }

    int payloadLength(int i) {
        return rows[i * STRIDE + LENGTH];
    }

    /** All new bytes, back to back; edit i's are at [payloadOffset(i), + payloadLength(i)). */
    byte[] payloadBytes() {
        return bytes.array();
    }

    int payloadTotal() {
        return bytes.length();
    }

    int messageStart() {
        return messageStart;
    }

    int messageEnd() {
        return messageEnd;
    }

    /**
     * Settles the final byte range of every edit, widening {@link #removeValue} edits to their
     * comma or their whole line, orders the edits by start (at equal starts inserts first, in
     * the order they were added) and checks that no two overlap. Afterwards
     * {@link #ordered}, {@link #finalStart} and {@link #finalEnd} describe the splice; an edit
     * with a final start of -1 does nothing (its line is removed by another edit).
     *
     * @return at most how many composite components the splice needs (slices of the
     *         original and of the new bytes; empty ones are left out)
     * @throws IllegalArgumentException if two settled edits overlap
     */
    int prepare() {
        int n = size;
        if (ranges.length < 2 * n) {
            ranges = new int[2 * rows.length / STRIDE];
            order = new int[rows.length / STRIDE];
        }
        for (int i = 0; i < n; i++) {
            int h = rows[i * STRIDE + VALUE];
            if (h < 0) {
                ranges[2 * i] = start(i);
                ranges[2 * i + 1] = end(i);
            } else {
                resolveValue(h, ranges, 2 * i);
            }
        }
        // Insertion sort: a handful of edits, mostly added in order already.
        for (int i = 0; i < n; i++) {
            int j = i;
            while (j > 0 && goesBefore(i, order[j - 1])) {
                order[j] = order[j - 1];
                j--;
            }
            order[j] = i;
        }
        int components = 0;
        int pos = messageStart;
        int previous = -1;
        for (int k = 0; k < n; k++) {
            int i = order[k];
            int start = ranges[2 * i];
            if (start < 0) {
                continue;
            }
            if (start < pos) {
                throw new IllegalArgumentException("edit [" + start + ", " + ranges[2 * i + 1]
                        + ") overlaps edit [" + ranges[2 * previous] + ", " + ranges[2 * previous + 1]
                        + ") once removed values take their commas (expected: disjoint ranges)");
            }
            if (start > pos) {
                components++;
            }
            if (payloadLength(i) > 0) {
                components++;
            }
            pos = ranges[2 * i + 1];
            previous = i;
        }
        return messageEnd > pos ? components + 1 : components;
    }

    /** Whether edit a (added after b) goes before edit b. */
    private boolean goesBefore(int a, int b) {
        int sa = ranges[2 * a];
        int sb = ranges[2 * b];
        if (sa != sb) {
            return sa < sb;
        }
        // an insert at a range's start goes before the range; otherwise keep the added order
        return ranges[2 * a + 1] == sa && ranges[2 * b + 1] != sb;
    }

    /** The k-th edit in splice order (after {@link #prepare()}). */
    int ordered(int k) {
        return order[k];
    }

    /** Final start of edit i (after {@link #prepare()}), -1 when it does nothing. */
    int finalStart(int i) {
        return ranges[2 * i];
    }

    /** Final end of edit i (after {@link #prepare()}). */
    int finalEnd(int i) {
        return ranges[2 * i + 1];
    }

    private void resolveValue(int h, int[] out, int at) {
        SipMessage m = message;
        int lineStart = m.lineStart(h);
        int first = h;
        while (first > 0 && m.lineStart(first - 1) == lineStart) {
            first--;
        }
        int last = h;
        int count = m.headerCount();
        while (last + 1 < count && m.lineStart(last + 1) == lineStart) {
            last++;
        }
        boolean keptBefore = false;
        for (int k = first; k < h && !keptBefore; k++) {
            keptBefore = !isValueRemoved(k);
        }
        boolean keptAfter = false;
        for (int k = h + 1; k <= last && !keptAfter; k++) {
            keptAfter = !isValueRemoved(k);
        }
        if (keptAfter) {
            // "<a>, <b>" without <a>: from <a> up to the next value, taking the comma and LWS.
            // A run of removed values chains: each one ends where the next begins.
            out[at] = m.valueStart(h);
            out[at + 1] = m.valueStart(h + 1);
        } else if (keptBefore) {
            // "<a>, <b>" without <b>: from the end of the previous value to the end of <b>.
            out[at] = m.valueEnd(h - 1);
            out[at + 1] = m.valueEnd(h);
        } else if (h == first) {
            // Every value on the line goes: the first removal takes the whole line.
            out[at] = lineStart;
            out[at + 1] = m.lineEnd(h);
        } else {
            out[at] = -1;
            out[at + 1] = -1;
        }
    }

    private boolean isValueRemoved(int h) {
        for (int i = 0; i < size; i++) {
            if (rows[i * STRIDE + VALUE] == h) {
                return true;
            }
        }
        return false;
    }

    /** The edits in the order they were added, for logs and test failures. */
    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("MessageEdits[");
        byte[] b = bytes.array();
        for (int i = 0; i < size; i++) {
            if (i > 0) {
                sb.append(", ");
            }
            int r = i * STRIDE;
            sb.append(rows[r + VALUE] >= 0 ? "removeValue " + rows[r + VALUE] + " " : "")
                    .append('[').append(rows[r + START]).append(", ").append(rows[r + END]).append(")");
            if (rows[r + LENGTH] > 0) {
                sb.append(" <- \"");
                for (int k = rows[r + PAYLOAD], e = k + rows[r + LENGTH]; k < e; k++) {
                    char c = (char) (b[k] & 0xff);
                    sb.append(c == '\r' ? "\\r" : c == '\n' ? "\\n" : String.valueOf(c));
                }
                sb.append('"');
            }
        }
        return sb.append(']').toString();
    }
}

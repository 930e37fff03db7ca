package io.siplb.sip;

import static io.siplb.sip.Chars.CR;
import static io.siplb.sip.Chars.LF;

import io.netty.buffer.ByteBuf;
import java.util.Arrays;

/**
 * Where each header value of a message is, as absolute offsets into its buffer, found in one
 * pass over the header section without creating a String.
 *
 * <p>One entry per header <em>value</em>: Via, Route, Record-Route, Path and Contact lines are split on commas outside quoted strings and &lt;&gt; (RFC 3261 §7.3.1 lets
 * such values be combined into one line); every other header gives one entry per line,
 * because commas may be part of their values (Date, WWW-Authenticate). A field continues over
 * following lines that begin with SP or HTAB (line folding, RFC 3261 §7.3.1); the value range
 * keeps the fold bytes, which the typed parsers read as LWS.
 *
 * <p>One {@code int[]} holds it all, so that a message costs one small allocation: first, one
 * int per {@link HeaderName} with the first and the last of its entries ({@code (last + 1) << 16
 * | (first + 1)}, 0 when it has none), then {@value #STRIDE} ints per entry, the first of them
 * {@code (next + 1) << 8 | name ordinal}, linking the entries of a name in order. Entry numbers
 * fit 16 bits because {@link SipLimits#maxHeaders()} is at most 65535. The array starts with room
 * for 16 entries and doubles. Immutable once {@link #scan} has succeeded.
 */
final class HeaderIndex {

    private static final int NAMES = HeaderName.count();
    private static final int STRIDE = 6;
    private static final int NAME_AND_NEXT = 0;
    private static final int NAME_END = 1;
    private static final int VALUE_START = 2;
    private static final int VALUE_END = 3;
    private static final int LINE_START = 4;
    private static final int LINE_END = 5;

    /** Marks a Content-Length too large for any message (more than ten digits). */
    static final long HUGE = Long.MAX_VALUE;

    /** [0, NAMES): first and last entry per name; then the entries. */
    private int[] table = new int[NAMES + 16 * STRIDE];
    private int size;
    private int headersEnd = -1;
    private long contentLength = -1;

    HeaderIndex() {
    }

    /**
     * Indexes the header fields from array index {@code from} (the first byte after the start
     * line) up to the empty line, reading no byte at or after the frame's end. Offsets are
     * recorded as buffer offsets.
     *
     * @return null on success, else why and where (a buffer offset) the header section is malformed
     */
    ParseFailure scan(FrameBytes f, int from, SipLimits limits) {
        final int off = f.off;
        final int end = f.end;
        int i = from;
        while (true) {
            if (i >= end) {
                return new ParseFailure(ParseError.HEADERS_UNTERMINATED, end - off);
            }
            f.ensure(i);
            byte b = f.a[i];
            if (b == CR) {
                if (i + 1 >= end) {
                    return new ParseFailure(ParseError.HEADERS_UNTERMINATED, end - off);
                }
                f.ensure(i + 1);
                if (f.a[i + 1] != LF) {
                    return new ParseFailure(ParseError.BARE_LINE_BREAK, i - off);
                }
                headersEnd = i - off;
                return null;
            }
            if (b == LF) {
                return new ParseFailure(ParseError.BARE_LINE_BREAK, i - off);
            }
            if (Chars.isWsp(b)) {
                // folds are consumed with the field they continue, so only a first line gets here
                return new ParseFailure(ParseError.CONTINUATION_WITHOUT_HEADER, i - off);
            }
            int lineStart = i;
            // the colon, then the physical line's end, are found eight bytes at a time (a line
            // without colon ends before one); the name's bytes are then read once, by the lookup
            // (known names) or the token check (unknown ones)
            int colon = f.indexOfEither(lineStart, (byte) ':', LF);
            if (colon < 0) {
                return new ParseFailure(ParseError.HEADERS_UNTERMINATED, end - off);
            }
            if (f.a[colon] == LF) {
                return new ParseFailure(ParseError.MALFORMED_HEADER, afterNameAndWsp(f.a, lineStart, colon) - off);
            }
            int lf = f.indexOf(colon + 1, LF);
            if (lf < 0) {
                return new ParseFailure(ParseError.HEADERS_UNTERMINATED, end - off);
            }
            byte[] a = f.a;
            // HCOLON = *( SP / HTAB ) ":" SWS
            int nameEnd = colon;
            while (nameEnd > lineStart && Chars.isWsp(a[nameEnd - 1])) {
                nameEnd--;
            }
            HeaderName name = HeaderName.lookup(a, lineStart, nameEnd - lineStart, lf);
            if (name == HeaderName.OTHER) {
                for (int k = lineStart; k < nameEnd; k++) {
                    if (!Chars.isToken(a[k])) {
                        return new ParseFailure(ParseError.MALFORMED_HEADER, k - off);
                    }
                }
                if (nameEnd == lineStart) {
                    return new ParseFailure(ParseError.MALFORMED_HEADER, lineStart - off);
                }
            }
            // the logical line ends at the first CRLF not followed by SP/HTAB
            while (true) {
                if (a[lf - 1] != CR) {
                    return new ParseFailure(ParseError.BARE_LINE_BREAK, lf - off);
                }
                if (lf + 1 >= end) {
                    break;
                }
                f.ensure(lf + 1);
                a = f.a;
                if (!Chars.isWsp(a[lf + 1])) {
                    break;
                }
                lf = f.indexOf(lf + 1, LF);
                if (lf < 0) {
                    return new ParseFailure(ParseError.HEADERS_UNTERMINATED, end - off);
                }
                a = f.a;
            }
            int lineEnd = lf + 1;
            if (lineEnd - lineStart > limits.maxLineBytes()) {
                return new ParseFailure(ParseError.LINE_TOO_LONG, lineStart - off);
            }
            int vs = colon + 1;
            int ve = lf - 1;
            while (vs < ve && Chars.isLws(a[vs])) {
                vs++;
            }
            while (ve > vs && Chars.isLws(a[ve - 1])) {
                ve--;
            }
            ParseFailure failure;
            if (name.isCommaSeparated()) {
                failure = addSplit(a, off, name, lineStart, nameEnd, vs, ve, lineEnd, limits);
            } else {
                failure = add(name, lineStart - off, nameEnd - off, vs - off, ve - off, lineEnd - off, limits);
                if (failure == null && name == HeaderName.CONTENT_LENGTH) {
                    failure = noteContentLength(a, off, vs, ve, lineStart);
                }
            }
            if (failure != null) {
                return failure;
            }
            i = lineEnd;
        }
    }

    /** Where a line without colon stops looking like {@code token *WSP ":"}: for the error offset. */
    private static int afterNameAndWsp(byte[] a, int k, int lf) {
        while (k < lf && Chars.isToken(a[k])) {
            k++;
        }
        while (k < lf && Chars.isWsp(a[k])) {
            k++;
        }
        return k;
    }

    /** Splits a list header on commas outside quotes and angle brackets (array indices in, buffer offsets stored). */
    private ParseFailure addSplit(byte[] a, int off, HeaderName name, int lineStart, int nameEnd,
                                  int vs, int ve, int lineEnd, SipLimits limits) {
        if (ByteArrays.indexOf(a, vs, ve, (byte) ',') < 0) {
            // the common case, one value per line: no need to read it byte by byte
            return add(name, lineStart - off, nameEnd - off, vs - off, ve - off, lineEnd - off, limits);
        }
        boolean quoted = false;
        boolean angle = false;
        int segment = vs;
        for (int k = vs; k < ve; k++) {
            byte c = a[k];
            if (quoted) {
                if (c == '\\') {
                    k++; // quoted-pair: the next byte is literal, even a quote
                } else if (c == '"') {
                    quoted = false;
                }
            } else if (c == '"') {
                quoted = true;
            } else if (c == '<') {
                angle = true;
            } else if (c == '>') {
                angle = false;
            } else if (c == ',' && !angle) {
                ParseFailure f = addTrimmed(a, off, name, lineStart, nameEnd, segment, k, lineEnd, limits);
                if (f != null) {
                    return f;
                }
                segment = k + 1;
            }
        }
        return addTrimmed(a, off, name, lineStart, nameEnd, segment, ve, lineEnd, limits);
    }

    private ParseFailure addTrimmed(byte[] a, int off, HeaderName name, int lineStart, int nameEnd,
                                    int vs, int ve, int lineEnd, SipLimits limits) {
        while (vs < ve && Chars.isLws(a[vs])) {
            vs++;
        }
        while (ve > vs && Chars.isLws(a[ve - 1])) {
            ve--;
        }
        return add(name, lineStart - off, nameEnd - off, vs - off, ve - off, lineEnd - off, limits);
    }

    private ParseFailure add(HeaderName name, int lineStart, int nameEnd, int vs, int ve,
                             int lineEnd, SipLimits limits) {
        if (size >= limits.maxHeaders()) {
            return new ParseFailure(ParseError.TOO_MANY_HEADERS, lineStart);
        }
        int base = NAMES + size * STRIDE;
        if (base + STRIDE > table.length) {
            table = Arrays.copyOf(table, NAMES + 2 * (table.length - NAMES));
        }
        int[] t = table;
        int n = name.ordinal();
        t[base + NAME_AND_NEXT] = n;
        t[base + NAME_END] = nameEnd;
        t[base + VALUE_START] = vs;
        t[base + VALUE_END] = ve;
        t[base + LINE_START] = lineStart;
        t[base + LINE_END] = lineEnd;
        int firstAndLast = t[n];
        int entry = size + 1;
        if (firstAndLast == 0) {
            t[n] = entry << 16 | entry;
        } else {
            int last = (firstAndLast >>> 16) - 1;
            t[NAMES + last * STRIDE + NAME_AND_NEXT] |= entry << 8;
            t[n] = entry << 16 | (firstAndLast & 0xFFFF);
        }
        size++;
        return null;
    }

    private ParseFailure noteContentLength(byte[] a, int off, int vs, int ve, int lineStart) {
        long value = parseContentLength(a, vs, ve);
        if (value < 0) {
            return new ParseFailure(ParseError.BAD_CONTENT_LENGTH, vs - off);
        }
        if (contentLength >= 0 && contentLength != value) {
            return new ParseFailure(ParseError.CONFLICTING_CONTENT_LENGTH, lineStart - off);
        }
        contentLength = value;
        return null;
    }

    /**
     * Content-Length = 1*DIGIT (RFC 3261 §20.14): the value, {@link #HUGE} beyond ten digits,
     * -1 when it is not a number.
     */
    static long parseContentLength(ByteBuf buf, int start, int end) {
        if (start >= end) {
            return -1;
        }
        long value = 0;
        for (int k = start; k < end; k++) {
            byte c = buf.getByte(k);
            if (!Chars.isDigit(c)) {
                return -1;
            }
            if (value < 10_000_000_000L) {
                value = value * 10 + (c - '0');
            }
        }
        return value >= 10_000_000_000L ? HUGE : value;
    }

    /** {@link #parseContentLength(ByteBuf, int, int)} over {@code a[start, end)}. */
    static long parseContentLength(byte[] a, int start, int end) {
        if (start >= end) {
            return -1;
        }
        long value = 0;
        for (int k = start; k < end; k++) {
            byte c = a[k];
            if (!Chars.isDigit(c)) {
                return -1;
            }
            if (value < 10_000_000_000L) {
                value = value * 10 + (c - '0');
            }
        }
        return value >= 10_000_000_000L ? HUGE : value;
    }

    int size() {
        return size;
    }

    int headersEnd() {
        return headersEnd;
    }

    /** The Content-Length value, -1 when absent. */
    long contentLength() {
        return contentLength;
    }

    HeaderName name(int h) {
        return HeaderName.ofOrdinal(get(h, NAME_AND_NEXT) & 0xFF);
    }

    int nameStart(int h) {
        return get(h, LINE_START);
    }

    int nameEnd(int h) {
        return get(h, NAME_END);
    }

    int valueStart(int h) {
        return get(h, VALUE_START);
    }

    int valueEnd(int h) {
        return get(h, VALUE_END);
    }

    int lineStart(int h) {
        return get(h, LINE_START);
    }

    int lineEnd(int h) {
        return get(h, LINE_END);
    }

    int next(int h) {
        return (get(h, NAME_AND_NEXT) >>> 8) - 1;
    }

    int first(HeaderName name) {
        return (table[name.ordinal()] & 0xFFFF) - 1;
    }

    /** How many entries {@code name} has: a walk along its links, which are few. */
    int count(HeaderName name) {
        int n = 0;
        for (int h = first(name); h >= 0; h = next(h)) {
            n++;
        }
        return n;
    }

    private int get(int h, int field) {
        if (h < 0 || h >= size) {
            throw outOfRange(h);
        }
        return table[NAMES + h * STRIDE + field];
    }

    // the message is built out of line, so that get stays small enough to be inlined
    private IndexOutOfBoundsException outOfRange(int h) {
        return new IndexOutOfBoundsException("header: " + h + " (expected: 0 ~ " + (size - 1) + ')');
    }
}

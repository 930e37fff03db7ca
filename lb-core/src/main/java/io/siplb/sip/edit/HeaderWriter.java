package io.siplb.sip.edit;

import io.netty.buffer.ByteBuf;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

import static com.google.common.base.Preconditions.checkArgument;
import static java.util.Objects.requireNonNull;

/**
 * A small growable ASCII byte builder for the header lines and parameters a proxy adds:
 * our {@code Via}, {@code Record-Route}, {@code Path}, and the {@code ;received=} /
 * {@code ;rport=} parameters of RFC 3581.
 *
 * <p>Text is written byte by byte from {@link CharSequence}s and numbers are written as
 * decimal digits, so building a line costs no {@code String} concatenation and no
 * intermediate objects; the bytes go to {@link MessageEdits} (which copies them, so the
 * writer can be {@linkplain #reset() reset} and reused for the next line) or to a
 * {@link ByteBuf} with {@link #writeTo(ByteBuf)}.
 *
 * <pre>{@code
 * HeaderWriter w = new HeaderWriter();
 * edits.insertHeaderBefore(topVia, w.via("UDP", "192.0.2.10", 5060, branch));
 * edits.insertHeaderBefore(firstRecordRoute, w.reset().recordRoute(token, "192.0.2.10", 5060));
 * }</pre>
 *
 * <p>{@link #ascii(CharSequence)} refuses characters outside printable ASCII (and HT), so a
 * configured host or a token can never smuggle a CR LF into the message (header injection).
 * Raw bytes given as {@code byte[]} are taken as they are.
 *
 * <p>Not thread-safe: one writer per thread or per message.
 */
public final class HeaderWriter {

    private static final byte[] CRLF = {'\r', '\n'};
    private static final byte[] VIA_SIP_2_0 = usAscii("Via: SIP/2.0/");
    private static final byte[] RECORD_ROUTE = usAscii("Record-Route: <");
    private static final byte[] PATH = usAscii("Path: <");
    private static final byte[] SIP_SCHEME = usAscii("sip:");
    private static final byte[] BRANCH = usAscii("branch");
    private static final byte[] LR_CLOSE = usAscii(";lr>");
    private static final byte[] LR_OB_CLOSE = usAscii(";lr;ob>");

    private byte[] bytes;
    private int length;

    /** A writer with room for a typical header line (it grows as needed). */
    public HeaderWriter() {
        this(128);
    }

    /** A writer with room for {@code initialCapacity} bytes (it grows as needed). */
    public HeaderWriter(int initialCapacity) {
        checkArgument(initialCapacity >= 0, "initialCapacity: %s (expected: >= 0)", initialCapacity);
        bytes = new byte[initialCapacity];
    }

    // ---- one-off lines ------------------------------------------------------------------

    /**
     * {@code Name: value CRLF} as a new array, e.g. {@code line("Max-Forwards", "70")}.
     * Convenience for rare lines; on the per-message path prefer a reused writer.
     */
    public static byte[] line(CharSequence name, CharSequence value) {
        return new HeaderWriter(name.length() + value.length() + 4)
                .ascii(name).ch(':').ch(' ').ascii(value).crlf().toByteArray();
    }

    /** {@link #via} as a new array. */
    public static byte[] viaLine(CharSequence transport, CharSequence host, int port, CharSequence branch) {
        return new HeaderWriter(32 + host.length() + branch.length()).via(transport, host, port, branch).toByteArray();
    }

    /** {@link #recordRoute} as a new array. */
    public static byte[] recordRouteLine(CharSequence user, CharSequence host, int port) {
        return new HeaderWriter(40 + host.length() + (user == null ? 0 : user.length()))
                .recordRoute(user, host, port).toByteArray();
    }

    /** {@link #path} as a new array. */
    public static byte[] pathLine(CharSequence user, CharSequence host, int port) {
        return new HeaderWriter(32 + host.length() + (user == null ? 0 : user.length()))
                .path(user, host, port).toByteArray();
    }

    // ---- proxy lines -------------------------------------------------------------------

    /**
     * Appends {@code Via: SIP/2.0/TRANSPORT host[:port];branch=BRANCH CRLF}
     * (RFC 3261 §8.1.1.7, §16.6 step 8).
     *
     * @param transport upper-case transport token ({@code UDP}, {@code TCP}, {@code TLS}, ...)
     * @param host      host as written in a URI (IPv6 in brackets)
     * @param port      port, or -1 to leave it out
     * @param branch    the branch, starting with the magic cookie {@code z9hG4bK}
     */
    public HeaderWriter via(CharSequence transport, CharSequence host, int port, CharSequence branch) {
        return viaStart(transport, host, port).param(BRANCH, branch).crlf();
    }

    /**
     * Appends {@code Via: SIP/2.0/TRANSPORT host[:port]} without parameters or line end, for a
     * Via that carries more than a branch; continue with {@link #param} and end with
     * {@link #crlf()}.
     */
    public HeaderWriter viaStart(CharSequence transport, CharSequence host, int port) {
        return raw(VIA_SIP_2_0).ascii(transport).ch(' ').hostPort(host, port);
    }

    /**
     * Appends {@code Record-Route: <sip:USER@host[:port];lr> CRLF} (RFC 3261 §16.6 step 4;
     * {@code lr} because we are a loose router, §19.1.1).
     *
     * @param user the URI user part (our flow token), or null for none
     */
    public HeaderWriter recordRoute(CharSequence user, CharSequence host, int port) {
        return raw(RECORD_ROUTE).sipUri(user, host, port).raw(LR_CLOSE).crlf();
    }

    /**
     * Appends {@code Path: <sip:USER@host[:port];lr;ob> CRLF} (RFC 3327 §5; {@code ob} marks
     * an edge proxy that keeps the client's flow, RFC 5626 §5.1).
     *
     * @param user the URI user part (our flow token), or null for none
     */
    public HeaderWriter path(CharSequence user, CharSequence host, int port) {
        return raw(PATH).sipUri(user, host, port).raw(LR_OB_CLOSE).crlf();
    }

    /** Appends {@code sip:[USER@]host[:port]}. */
    public HeaderWriter sipUri(CharSequence user, CharSequence host, int port) {
        raw(SIP_SCHEME);
        if (user != null) {
            ascii(user).ch('@');
        }
        return hostPort(host, port);
    }

    /** Appends {@code host[:port]}; a port of -1 is left out. */
    public HeaderWriter hostPort(CharSequence host, int port) {
        checkArgument(port >= -1 && port <= 65535, "port: %s (expected: 0 ~ 65535, or -1 for none)", port);
        ascii(host);
        if (port >= 0) {
            ch(':').decimal(port);
        }
        return this;
    }

    /** Appends {@code ;name} when {@code value} is null, else {@code ;name=value}. */
    public HeaderWriter param(CharSequence name, CharSequence value) {
        ch(';').ascii(name);
        if (value != null) {
            ch('=').ascii(value);
        }
        return this;
    }

    /** Appends {@code ;name=value} with a decimal value, e.g. {@code ;rport=5060}. */
    public HeaderWriter param(CharSequence name, long value) {
        return ch(';').ascii(name).ch('=').decimal(value);
    }

    private HeaderWriter param(byte[] name, CharSequence value) {
        ch(';').raw(name);
        if (value != null) {
            ch('=').ascii(value);
        }
        return this;
    }

    // ---- primitives --------------------------------------------------------------------

    /**
     * Appends the characters of {@code s}, one byte each.
     *
     * @throws IllegalArgumentException if a character is not printable ASCII or HT
     *         (CR and LF in particular: they would end the header line)
     */
    public HeaderWriter ascii(CharSequence s) {
        requireNonNull(s, "s");
        int n = s.length();
        ensure(n);
        byte[] b = bytes;
        int at = length;
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            if ((c < 0x20 && c != '\t') || c > 0x7e) {
                throw new IllegalArgumentException(
                        "character 0x" + Integer.toHexString(c) + " at " + i + " (expected: printable ASCII)");
            }
            b[at++] = (byte) c;
        }
        length = at;
        return this;
    }

    /** Appends one ASCII character (not checked: for the writer's own punctuation). */
    public HeaderWriter ch(char c) {
        ensure(1);
        bytes[length++] = (byte) c;
        return this;
    }

    /** Appends {@code bytes} as they are. */
    public HeaderWriter raw(byte[] src) {
        return raw(src, 0, src.length);
    }

    /** Appends {@code len} bytes of {@code src} from {@code off}, as they are. */
    public HeaderWriter raw(byte[] src, int off, int len) {
        ensure(len);
        System.arraycopy(src, off, bytes, length, len);
        length += len;
        return this;
    }

    /** Appends {@code len} bytes of {@code src} from index {@code index} (indices unchanged). */
    HeaderWriter raw(ByteBuf src, int index, int len) {
        ensure(len);
        src.getBytes(index, bytes, length, len);
        length += len;
        return this;
    }

    /** Appends the decimal digits of {@code value} (with a leading '-' when negative). */
    public HeaderWriter decimal(long value) {
        if (value == Long.MIN_VALUE) {
            return raw(usAscii("-9223372036854775808"));
        }
        if (value < 0) {
            ch('-');
            value = -value;
        }
        int digits = 1;
        for (long v = value; v >= 10; v /= 10) {
            digits++;
        }
        ensure(digits);
        int at = length + digits;
        length = at;
        do {
            bytes[--at] = (byte) ('0' + (int) (value % 10));
            value /= 10;
        } while (value != 0);
        return this;
    }

    /** Appends CR LF, which ends a header line. */
    public HeaderWriter crlf() {
        return raw(CRLF);
    }

    // ---- access ------------------------------------------------------------------------

    /** Number of bytes written since creation or the last {@link #reset()}. */
    public int length() {
        return length;
    }

    /** Forgets what was written (keeps the storage) and returns this writer. */
    public HeaderWriter reset() {
        length = 0;
        return this;
    }

    /** Forgets everything written after the first {@code newLength} bytes. */
    void truncate(int newLength) {
        length = newLength;
    }

    /** Writes the bytes written so far to {@code out}. */
    public ByteBuf writeTo(ByteBuf out) {
        return out.writeBytes(bytes, 0, length);
    }

    /** A copy of the bytes written so far. */
    public byte[] toByteArray() {
        return Arrays.copyOf(bytes, length);
    }

    /** The backing array; valid up to {@link #length()} until the next write. */
    byte[] array() {
        return bytes;
    }

    /** The bytes written so far, as ISO-8859-1 text (for logs and tests). */
    @Override
    public String toString() {
        return new String(bytes, 0, length, StandardCharsets.ISO_8859_1);
    }

    private void ensure(int more) {
        int needed = length + more;
        if (needed > bytes.length) {
            bytes = Arrays.copyOf(bytes, Math.max(needed, Math.max(16, bytes.length << 1)));
        }
    }

    private static byte[] usAscii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }
}

package io.siplb.sip;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * The one way tests build SIP wire bytes.
 *
 * <p>Java text blocks end lines with LF and strip trailing spaces, so {@link #sip} turns
 * every LF not already preceded by CR into CRLF; write a significant trailing space as
 * {@code \s}. Text is encoded as UTF-8. RFC fixtures are loaded as raw bytes from
 * {@code src/test/resources} (never through a charset).
 *
 * <p>Every {@link ByteBuf} returned here must be released by the caller (tests run under
 * paranoid leak detection).
 */
public final class SipText {

    private SipText() {
    }

    /** The wire bytes of {@code text}, LF turned into CRLF, in a new heap buffer. */
    public static ByteBuf sip(String text) {
        return Unpooled.wrappedBuffer(sipBytes(text));
    }

    /** The wire bytes of {@code text}, LF turned into CRLF. */
    public static byte[] sipBytes(String text) {
        StringBuilder sb = new StringBuilder(text.length() + 32);
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '\n' && (i == 0 || text.charAt(i - 1) != '\r')) {
                sb.append('\r');
            }
            sb.append(c);
        }
        return sb.toString().getBytes(StandardCharsets.UTF_8);
    }

    /** The raw bytes of a test resource, e.g. {@code "sip/rfc4475/wsinv.dat"}. */
    public static byte[] resourceBytes(String path) {
        try (InputStream in = SipText.class.getClassLoader().getResourceAsStream(path)) {
            if (in == null) {
                throw new IllegalArgumentException("no test resource: " + path);
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(path, e);
        }
    }

    /** A test resource in a new heap buffer. */
    public static ByteBuf resource(String path) {
        return Unpooled.wrappedBuffer(resourceBytes(path));
    }

    /** The text of a test resource (UTF-8), e.g. an index.tsv. */
    public static String resourceText(String path) {
        return new String(resourceBytes(path), StandardCharsets.UTF_8);
    }
}

package io.siplb.route;

import static com.google.common.base.Preconditions.checkArgument;
import static java.util.Objects.requireNonNull;

import io.netty.buffer.ByteBuf;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import javax.crypto.Mac;
import javax.crypto.ShortBufferException;
import javax.crypto.spec.SecretKeySpec;

/**
 * Signs and verifies {@link FlowToken}s: the user part siplb puts into its Path and
 * Record-Route URIs (RFC 5626 §5.2; DESIGN "Flow tokens").
 *
 * <h2>Format</h2>
 * <pre>
 *   token = base64url-without-padding( mac || flow )                 (RFC 4648 §5)
 *   mac   = first 10 bytes of HMAC-SHA256(secret, flow)              (RFC 2104, RFC 4868)
 *   flow  = header(1) address(4 | 16) port(2) [connection-id(8)]     (big-endian)
 *   header: bits 7-4 format version (1), bit 2 IPv6, bits 1-0 transport (0 UDP, 1 TCP, 2 TLS);
 *           the connection id is present exactly for TCP and TLS
 * </pre>
 * That gives tokens of 23 (UDP/IPv4), 34 (TCP or TLS/IPv4), 39 (UDP/IPv6) and 50 (TCP or
 * TLS/IPv6) characters. The base64url alphabet ({@code A-Z a-z 0-9 - _}) is all RFC 3261
 * {@code unreserved}, so a token is a valid SIP URI user part without escaping; it is
 * case-sensitive, as URI user parts are (RFC 3261 §19.1.4).
 *
 * <p><b>Why 10 bytes of MAC.</b> The only attack is forging a token for a flow of the
 * attacker's choosing (to make siplb deliver someone's requests to them, or to use siplb as a
 * relay). Nobody but the pair knows the key, so a forger has to guess online, one SIP request
 * per guess, each failure counted and answered 403: 80 bits means about 2<sup>79</sup>
 * requests for an even chance, which is out of reach at any request rate. 80 bits is RFC 2104
 * §5's lower bound and what RFC 5626 §5.2 itself suggests (HMAC-SHA1-80). RFC 2104's other
 * advice, half the hash length, guards against birthday collisions, which do not help here:
 * two colliding tokens for flows the attacker does not choose forge nothing. A longer MAC would
 * cost bytes in every Record-Route and Path, where UDP messages creep towards the 1300-byte
 * limit of RFC 3261 §18.1.1.
 *
 * <p><b>Key rotation.</b> Tokens live as long as registrations (Path) and dialogs
 * (Record-Route), hours or more. {@link #withRetiredKey} keeps verifying tokens signed with an
 * old key while new ones are signed with the current key; drop the old key after the longest
 * registration and dialog lifetime.
 *
 * <p><b>Poor fits.</b> A token is not encrypted: anyone who sees it learns the client's
 * public address, which they can also read from the Via {@code received} parameter. Tokens do
 * not expire: a token stays valid until its key is retired, and only names a flow (a
 * connection id that no longer exists simply finds no connection, RFC 5626 430). A token
 * percent-escaped by some intermediary (legal for unreserved characters, but nobody does it)
 * does not verify.
 *
 * <p>Thread-safe: each thread gets its own {@link Mac} instances, since a {@code Mac} is not.
 */
public final class FlowTokenCodec {

    /** Shortest secret accepted, in bytes (128 bits). */
    public static final int MIN_SECRET_BYTES = 16;
    /** Bytes of HMAC-SHA256 kept in a token (see "Why 10 bytes of MAC"). */
    public static final int MAC_BYTES = 10;
    /** Length of the longest token (TCP or TLS over IPv6). */
    public static final int MAX_TOKEN_CHARS = 50;

    private static final String ALGORITHM = "HmacSHA256";
    private static final int VERSION = 1;
    private static final int IPV6_FLAG = 0x04;
    private static final int MAX_RAW_BYTES = MAC_BYTES + 1 + 16 + 2 + 8;
    private static final byte[] ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
            .getBytes(StandardCharsets.US_ASCII);
    /** base64url value of each ASCII character, or -1. */
    private static final byte[] SEXTETS = new byte[128];

    static {
        Arrays.fill(SEXTETS, (byte) -1);
        for (int i = 0; i < ALPHABET.length; i++) {
            SEXTETS[ALPHABET[i]] = (byte) i;
        }
    }

    /** The current key first, then retired ones. */
    private final SecretKeySpec[] keys;
    private final ThreadLocal<Scratch> scratch = ThreadLocal.withInitial(this::newScratch);

    private FlowTokenCodec(SecretKeySpec[] keys) {
        this.keys = keys;
        newScratch(); // fail here, not on the first message, if the platform or key is unusable
    }

    /**
     * A codec that signs with {@code secret}, which both nodes of a pair must share. The array
     * is copied.
     *
     * @throws IllegalArgumentException when the secret is shorter than {@value #MIN_SECRET_BYTES} bytes
     */
    public static FlowTokenCodec of(byte[] secret) {
        return new FlowTokenCodec(new SecretKeySpec[] {key(secret)});
    }

    /**
     * A copy that also accepts tokens signed with {@code oldSecret}, for a key rotation. New
     * tokens are still signed with this codec's current secret.
     */
    public FlowTokenCodec withRetiredKey(byte[] oldSecret) {
        SecretKeySpec[] more = Arrays.copyOf(keys, keys.length + 1);
        more[keys.length] = key(oldSecret);
        return new FlowTokenCodec(more);
    }

    private static SecretKeySpec key(byte[] secret) {
        requireNonNull(secret, "secret");
        checkArgument(secret.length >= MIN_SECRET_BYTES,
                "secret: %s bytes (expected: >= %s)", secret.length, MIN_SECRET_BYTES);
        return new SecretKeySpec(secret, ALGORITHM); // copies the array
    }

    /** The token for {@code flow}, signed with the current secret. */
    public String encode(FlowToken flow) {
        requireNonNull(flow, "flow");
        byte[] address = flow.address().getAddress();
        boolean stream = flow.transport().isStream();
        Scratch s = scratch.get();
        byte[] raw = s.raw;
        int rawLength = rawLength(address.length == 16, stream);
        int i = MAC_BYTES;
        raw[i++] = (byte) (VERSION << 4 | (address.length == 16 ? IPV6_FLAG : 0) | transportCode(flow.transport()));
        System.arraycopy(address, 0, raw, i, address.length);
        i += address.length;
        raw[i++] = (byte) (flow.port() >>> 8);
        raw[i++] = (byte) flow.port();
        if (stream) {
            for (int shift = 56; shift >= 0; shift -= 8) {
                raw[i++] = (byte) (flow.connectionId() >>> shift);
            }
        }
        Mac mac = s.macs[0];
        mac.update(raw, MAC_BYTES, rawLength - MAC_BYTES);
        doFinal(mac, s.full);
        System.arraycopy(s.full, 0, raw, 0, MAC_BYTES);
        int chars = base64urlEncode(raw, rawLength, s.text);
        return new String(s.text, 0, chars, StandardCharsets.ISO_8859_1); // the one object a token costs
    }

    /** The whole MAC into {@code out}, and the Mac reset for the next use (no array per call). */
    private static void doFinal(Mac mac, byte[] out) {
        try {
            mac.doFinal(out, 0);
        } catch (ShortBufferException impossible) { // out holds a whole HMAC-SHA256
            throw new IllegalStateException(impossible);
        }
    }

    /** Base64url without padding (RFC 4648 §5) of {@code bytes[0, length)} into {@code out}; returns the chars written. */
    static int base64urlEncode(byte[] bytes, int length, byte[] out) {
        int n = 0;
        int i = 0;
        for (; i + 3 <= length; i += 3) {
            int v = (bytes[i] & 0xff) << 16 | (bytes[i + 1] & 0xff) << 8 | bytes[i + 2] & 0xff;
            out[n++] = ALPHABET[v >>> 18];
            out[n++] = ALPHABET[v >>> 12 & 63];
            out[n++] = ALPHABET[v >>> 6 & 63];
            out[n++] = ALPHABET[v & 63];
        }
        if (length - i == 1) {
            int v = bytes[i] & 0xff;
            out[n++] = ALPHABET[v >>> 2];
            out[n++] = ALPHABET[(v & 3) << 4];
        } else if (length - i == 2) {
            int v = (bytes[i] & 0xff) << 8 | bytes[i + 1] & 0xff;
            out[n++] = ALPHABET[v >>> 10];
            out[n++] = ALPHABET[v >>> 4 & 63];
            out[n++] = ALPHABET[(v & 15) << 2];
        }
        return n;
    }

    /**
     * The flow in {@code token}, or {@code null} when it is not one of ours: wrong length,
     * characters outside base64url, a non-canonical encoding, an unknown format, or a MAC that
     * matches none of the keys. Never throws for bad input.
     */
    public FlowToken decode(CharSequence token) {
        requireNonNull(token, "token");
        int length = token.length();
        if (!isTokenLength(length)) {
            return null;
        }
        Scratch s = scratch.get();
        for (int i = 0; i < length; i++) {
            char c = token.charAt(i);
            if (c >= 0x80) {
                return null;
            }
            s.text[i] = (byte) c;
        }
        return decode(s, length);
    }

    /**
     * The flow in bytes {@code [start, end)} of {@code buf} (say, the user part of a Route
     * URI), or {@code null} as for {@link #decode(CharSequence)}. Does not change the buffer's
     * indices.
     */
    public FlowToken decode(ByteBuf buf, int start, int end) {
        requireNonNull(buf, "buf");
        if (start < 0 || end > buf.capacity() || start > end || !isTokenLength(end - start)) {
            return null;
        }
        Scratch s = scratch.get();
        buf.getBytes(start, s.text, 0, end - start);
        return decode(s, end - start);
    }

    private FlowToken decode(Scratch s, int chars) {
        int rawLength = base64urlDecode(s.text, chars, s.raw);
        if (rawLength < 0) {
            return null;
        }
        byte[] raw = s.raw;
        int header = raw[MAC_BYTES] & 0xff;
        Transport transport = transportOf(header & 0x03);
        if (header >>> 4 != VERSION || (header & 0x08) != 0 || transport == null) {
            return null;
        }
        boolean ipv6 = (header & IPV6_FLAG) != 0;
        if (rawLength != rawLength(ipv6, transport.isStream()) || !verify(s, rawLength)) {
            return null;
        }
        int i = MAC_BYTES + 1;
        int addressLength = ipv6 ? 16 : 4;
        InetAddress address;
        try {
            address = InetAddress.getByAddress(Arrays.copyOfRange(raw, i, i + addressLength));
        } catch (UnknownHostException impossible) { // only thrown for a length other than 4 or 16
            return null;
        }
        i += addressLength;
        int port = (raw[i] & 0xff) << 8 | raw[i + 1] & 0xff;
        i += 2;
        long connectionId = 0;
        if (transport.isStream()) {
            for (int end = i + 8; i < end; i++) {
                connectionId = connectionId << 8 | raw[i] & 0xff;
            }
        }
        // a correctly signed token always has a port; checked anyway so decode never throws
        return port == 0 ? null : new FlowToken(transport, address, port, connectionId);
    }

    /** Compares the token's MAC with each key's MAC of its flow bytes, in constant time. */
    private static boolean verify(Scratch s, int rawLength) {
        System.arraycopy(s.raw, 0, s.received, 0, MAC_BYTES);
        boolean ok = false;
        for (Mac mac : s.macs) {
            mac.update(s.raw, MAC_BYTES, rawLength - MAC_BYTES);
            doFinal(mac, s.full);
            System.arraycopy(s.full, 0, s.computed, 0, MAC_BYTES);
            // MessageDigest.isEqual does not stop at the first differing byte, so response time
            // does not tell a forger how many leading bytes they got right.
            ok |= MessageDigest.isEqual(s.received, s.computed);
        }
        return ok;
    }

    /**
     * Strict base64url without padding (RFC 4648 §5, §3.5): only alphabet characters, no
     * length of 1 mod 4, and the unused low bits of the last character zero, so each flow has
     * exactly one token spelling. Returns the number of bytes written, or -1.
     */
    static int base64urlDecode(byte[] text, int chars, byte[] out) {
        if (chars % 4 == 1) {
            return -1;
        }
        int bits = 0;
        int buffered = 0;
        int n = 0;
        for (int i = 0; i < chars; i++) {
            int c = text[i];
            int v = c >= 0 ? SEXTETS[c] : -1;
            if (v < 0) {
                return -1;
            }
            bits = bits << 6 | v;
            buffered += 6;
            if (buffered >= 8) {
                buffered -= 8;
                out[n++] = (byte) (bits >>> buffered);
                bits &= (1 << buffered) - 1;
            }
        }
        return bits == 0 ? n : -1; // leftover (2 or 4) bits must be zero
    }

    private static boolean isTokenLength(int chars) {
        return chars == encodedLength(rawLength(false, false)) || chars == encodedLength(rawLength(false, true))
                || chars == encodedLength(rawLength(true, false)) || chars == encodedLength(rawLength(true, true));
    }

    private static int rawLength(boolean ipv6, boolean stream) {
        return MAC_BYTES + 1 + (ipv6 ? 16 : 4) + 2 + (stream ? 8 : 0);
    }

    private static int encodedLength(int bytes) {
        return (bytes * 8 + 5) / 6;
    }

    // Explicit codes rather than ordinals: reordering the enum must not change issued tokens.
    private static int transportCode(Transport transport) {
        switch (transport) {
            case UDP:
                return 0;
            case TCP:
                return 1;
            case TLS:
                return 2;
            default:
                throw new IllegalArgumentException("transport: " + transport + " (expected: UDP, TCP or TLS)");
        }
    }

    private static Transport transportOf(int code) {
        switch (code) {
            case 0:
                return Transport.UDP;
            case 1:
                return Transport.TCP;
            case 2:
                return Transport.TLS;
            default:
                return null;
        }
    }

    private Scratch newScratch() {
        Mac[] macs = new Mac[keys.length];
        try {
            for (int i = 0; i < keys.length; i++) {
                macs[i] = Mac.getInstance(ALGORITHM);
                macs[i].init(keys[i]);
            }
        } catch (GeneralSecurityException e) {
            // HmacSHA256 is one of the algorithms every Java platform must provide
            throw new IllegalStateException("cannot initialise " + ALGORITHM, e);
        }
        return new Scratch(macs);
    }

    @Override
    public String toString() {
        return "FlowTokenCodec{keys=" + keys.length + '}'; // never the secrets
    }

    /** Per-thread working state: {@link Mac} is not thread-safe, and decoding needs buffers. */
    private static final class Scratch {
        final Mac[] macs;
        final byte[] text = new byte[MAX_TOKEN_CHARS];
        final byte[] raw = new byte[MAX_RAW_BYTES];
        final byte[] received = new byte[MAC_BYTES];
        final byte[] computed = new byte[MAC_BYTES];
        final byte[] full = new byte[32]; // one HMAC-SHA256

        Scratch(Mac[] macs) {
            this.macs = macs;
        }
    }
}

package io.siplb.route;

import com.google.common.hash.Hashing;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

import static com.google.common.base.Preconditions.checkArgument;

/**
 * The branch parameter of the Via siplb pushes, and its verification when a response comes back.
 *
 * <pre>
 *   z9hG4bK sl HHHHHHHHHHH MMMMMMMM [.CONN]
 *   cookie  us  transaction  check   client connection (base 36), TCP/TLS only
 * </pre>
 *
 * A REGISTER replica (DESIGN "Home-proxy failure": the copy sent to the AOR's second choice)
 * carries {@code sr} instead of {@code sl}; the flag is part of the checked input, so nobody
 * can turn a branch of ours into a replica's (whose response siplb swallows) or back.
 *
 * <ul>
 *   <li>{@code H} identifies the transaction: RFC 3261 §16.11 requires a stateless proxy to give
 *       a retransmission the same branch, and a CANCEL or the ACK of a non-2xx response the branch
 *       of the INVITE they match. So it is computed from the received top Via's branch (same in all
 *       three), or for RFC 2543 clients without the magic cookie from From tag, Call-ID,
 *       Request-URI, top Via and CSeq number (not the To tag: the ACK has one, the INVITE had not).</li>
 *   <li>{@code M} is a keyed check over {@code H}, the next hop the response must go to and the
 *       connection: a response whose top Via carries our address but a branch we did not write,
 *       or that tries to send our Via's response elsewhere, is refused. Without it, anyone could
 *       make siplb relay a "response" to any address.</li>
 * </ul>
 * Both use SipHash-2-4 keyed from the configured secret, so both nodes of a pair agree.
 *
 * <p>Thread-safe. Making and checking a branch allocates nothing but the branch string
 * ({@link #appendBranch} not even that): each thread hashes with its own {@link SipHash24}.
 */
public final class ViaBranch {

    /** RFC 3261 §8.1.1.7 magic cookie, then our marker. */
    public static final String PREFIX = "z9hG4bKsl";
    /** The prefix of a REGISTER replica's branch: its response ends at siplb. */
    public static final String REPLICA_PREFIX = "z9hG4bKsr";
    private static final int H_CHARS = 11;
    private static final int M_CHARS = 8;
    /** Longest branch: prefix, H, M, '.' and a connection id of up to 13 base-36 digits. */
    static final int MAX_CHARS = PREFIX.length() + H_CHARS + M_CHARS + 14;
    private static final char[] BASE64URL =
            "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_".toCharArray();

    private final long transactionK0;
    private final long transactionK1;
    private final long checkK0;
    private final long checkK1;
    private final ThreadLocal<Hashes> hashes = ThreadLocal.withInitial(this::newHashes);

    /** @param secret the shared secret (same on both nodes), at least 16 bytes */
    public ViaBranch(byte[] secret) {
        checkArgument(secret.length >= 16, "secret: %s bytes (expected: >= 16)", secret.length);
        ByteBuffer k = ByteBuffer.wrap(Hashing.sha256().newHasher()
                .putString("siplb via branch", StandardCharsets.US_ASCII).putBytes(secret).hash().asBytes());
        this.transactionK0 = k.getLong();
        this.transactionK1 = k.getLong();
        this.checkK0 = k.getLong();
        this.checkK1 = k.getLong();
    }

    /**
     * This thread's transaction hasher, reset: feed it the §16.11 inputs, then pass its
     * {@code hash()} to {@link #branch}. Valid until the next call on this thread.
     */
    SipHash24 transactionHasher() {
        return hashes.get().transaction.reset();
    }

    /**
     * The transaction identity of a request whose top Via carries an RFC 3261 branch: its
     * branch, sent-by host and port (-1 when absent), in that order.
     */
    public long transaction(CharSequence branch, CharSequence sentByHost, int sentByPort) {
        return transactionHasher().putString(branch).putString(sentByHost).putInt(sentByPort).hash();
    }

    /**
     * The branch for a transaction identity and the next hop its response goes to.
     *
     * @param transaction  the transaction's identity ({@link #transaction}, or the hash of the
     *                     RFC 2543 inputs)
     * @param nextHopHost  host the response goes to (received, else sent-by), as written
     * @param nextHopPort  port the response goes to (rport, else sent-by port, else default)
     * @param connectionId the client's TCP/TLS connection, 0 for UDP
     */
    public String branch(long transaction, String nextHopHost, int nextHopPort, long connectionId) {
        return appendBranch(new StringBuilder(MAX_CHARS), transaction, nextHopHost, nextHopPort, connectionId, false)
                .toString();
    }

    /** Like {@link #branch(long, String, int, long)}, for a REGISTER replica ({@link #isReplica}). */
    public String replicaBranch(long transaction, String nextHopHost, int nextHopPort, long connectionId) {
        return appendBranch(new StringBuilder(MAX_CHARS), transaction, nextHopHost, nextHopPort, connectionId, true)
                .toString();
    }

    /** Appends the branch ({@link #branch} or, with {@code replica}, {@link #replicaBranch}) to {@code out}. */
    public StringBuilder appendBranch(StringBuilder out, long transaction, CharSequence nextHopHost, int nextHopPort,
                                      long connectionId, boolean replica) {
        out.append(replica ? REPLICA_PREFIX : PREFIX);
        appendBase64(out, transaction, H_CHARS);
        appendBase64(out, check(transaction, nextHopHost, nextHopPort, connectionId, replica), M_CHARS);
        if (connectionId != 0) {
            appendBase36(out.append('.'), connectionId);
        }
        return out;
    }

    /** True when {@code branch} has our shape (cheap; no verification). */
    public static boolean looksOurs(String branch) {
        return branch != null && branch.length() >= PREFIX.length() + H_CHARS + M_CHARS
                && (branch.startsWith(PREFIX) || branch.startsWith(REPLICA_PREFIX));
    }

    /**
     * True when {@code branch} has a replica's shape (cheap; no verification: call it on a branch
     * that {@link #verify verified}).
     */
    public static boolean isReplica(String branch) {
        return branch != null && branch.startsWith(REPLICA_PREFIX);
    }

    /**
     * Verifies a branch from the top Via of a response against the next hop taken from the
     * Via below it. Returns the client connection id (0 for none), or -1 when the branch is not ours.
     */
    public long verify(String branch, String nextHopHost, int nextHopPort) {
        if (!looksOurs(branch)) {
            return -1;
        }
        int hStart = PREFIX.length();
        int mStart = hStart + H_CHARS;
        int mEnd = mStart + M_CHARS;
        long connectionId = 0;
        if (branch.length() > mEnd) {
            if (branch.charAt(mEnd) != '.' || branch.length() == mEnd + 1 || branch.length() > mEnd + 14) {
                return -1;
            }
            connectionId = parseBase36(branch, mEnd + 1);
            if (connectionId <= 0) {
                return -1;
            }
        }
        long h = decodeBase64(branch, hStart, H_CHARS);
        if (h == Long.MIN_VALUE) {
            return -1;
        }
        long expected = check(h, nextHopHost, nextHopPort, connectionId, isReplica(branch));
        for (int i = 0; i < M_CHARS; i++) {
            if (base64Char(expected, i) != branch.charAt(mStart + i)) {
                return -1;
            }
        }
        return connectionId;
    }

    private long check(long h, CharSequence host, int port, long connectionId, boolean replica) {
        SipHash24 check = hashes.get().check.reset()
                .putLong(h)
                .putString(host)
                .putInt(port)
                .putLong(connectionId);
        if (replica) {
            check.putByte('r'); // only then: the branches of ordinary requests stay as they were
        }
        return check.hash();
    }

    /**
     * The first {@code chars} characters of the unpadded base64url encoding of {@code v}'s eight
     * big-endian bytes (RFC 4648 §5): 11 characters hold all 64 bits, the last one 4 bits and two
     * zero bits.
     */
    private static void appendBase64(StringBuilder sb, long v, int chars) {
        for (int i = 0; i < chars; i++) {
            sb.append(base64Char(v, i));
        }
    }

    private static char base64Char(long v, int i) {
        return BASE64URL[i < 10 ? (int) (v >>> (58 - 6 * i)) & 63 : (int) (v & 0xf) << 2];
    }

    /** Appends {@code v} (>= 0) in lower-case base 36, as {@code Long.toString(v, 36)} writes it. */
    static StringBuilder appendBase36(StringBuilder sb, long v) {
        if (v < 36) {
            return sb.append(Character.forDigit((int) v, 36));
        }
        int digits = 0;
        for (long x = v; x > 0; x /= 36) {
            digits++;
        }
        int at = sb.length() + digits;
        sb.setLength(at);
        for (long x = v; x > 0; x /= 36) {
            sb.setCharAt(--at, Character.forDigit((int) (x % 36), 36));
        }
        return sb;
    }

    /** Decodes the 11 base64url chars of a 64-bit value; Long.MIN_VALUE when they are not canonical base64url. */
    private static long decodeBase64(String s, int from, int chars) {
        long v = 0;
        for (int i = 0; i < chars - 1; i++) {
            int d = base64Digit(s.charAt(from + i));
            if (d < 0) {
                return Long.MIN_VALUE;
            }
            v = (v << 6) | d;
        }
        // the last char carries the 4 lowest bits and 2 zero padding bits
        int last = base64Digit(s.charAt(from + chars - 1));
        if (last < 0 || (last & 3) != 0) {
            return Long.MIN_VALUE;
        }
        return (v << 4) | (last >>> 2);
    }

    private static int base64Digit(char c) {
        if (c >= 'A' && c <= 'Z') {
            return c - 'A';
        }
        if (c >= 'a' && c <= 'z') {
            return c - 'a' + 26;
        }
        if (c >= '0' && c <= '9') {
            return c - '0' + 52;
        }
        if (c == '-') {
            return 62;
        }
        if (c == '_') {
            return 63;
        }
        return -1;
    }

    private static long parseBase36(String s, int from) {
        long v = 0;
        for (int i = from; i < s.length(); i++) {
            int d = Character.digit(s.charAt(i), 36);
            if (d < 0) {
                return -1;
            }
            v = v * 36 + d;
            if (v < 0) {
                return -1;
            }
        }
        return v;
    }

    private Hashes newHashes() {
        return new Hashes(new SipHash24(transactionK0, transactionK1), new SipHash24(checkK0, checkK1));
    }

    /** One thread's hashers: the transaction identity, and the keyed check. */
    private record Hashes(SipHash24 transaction, SipHash24 check) {
    }
}

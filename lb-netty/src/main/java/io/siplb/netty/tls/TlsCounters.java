package io.siplb.netty.tls;

import java.util.Locale;
import java.util.concurrent.atomic.LongAdder;

/**
 * What happened to TLS handshakes and certificate reloads, one {@link LongAdder} each, made up
 * front: counting allocates nothing and does not contend across event loops. Exported by
 * {@link TlsMetrics}.
 */
public final class TlsCounters {

    /** The protocol a handshake completed with; the {@code protocol} label. */
    public enum Protocol {
        TLSV1_3("TLSv1.3"),
        TLSV1_2("TLSv1.2"),
        /** Anything else: cannot happen while {@code tls.protocols} allows only the two above. */
        OTHER("other");

        private final String jdkName;

        Protocol(String jdkName) {
            this.jdkName = jdkName;
        }

        /** The label value: {@code tlsv1.3}, {@code tlsv1.2}, {@code other}. */
        public String label() {
            return jdkName.toLowerCase(Locale.ROOT);
        }

        static Protocol of(String jdkName) {
            for (Protocol p : values()) {
                if (p.jdkName.equals(jdkName)) {
                    return p;
                }
            }
            return OTHER;
        }
    }

    /** Why a handshake failed; the {@code reason} label. */
    public enum Failure {
        /** No common protocol version or cipher (TLS 1.1 and older land here), or not TLS at all. */
        PROTOCOL,
        /** A client certificate missing, not trusted or invalid; or the client refused ours. */
        CERT,
        /** Not finished within {@code limits.handshake-timeout}. */
        TIMEOUT,
        /** The client closed or reset the connection during the handshake. */
        CLOSED,
        /** Anything else. */
        OTHER;

        public String label() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    private final LongAdder[] handshakes = adders(Protocol.values().length);
    private final LongAdder[] failures = adders(Failure.values().length);
    private final LongAdder reloads = new LongAdder();
    private final LongAdder reloadFailures = new LongAdder();

    void handshake(String jdkProtocol) {
        handshakes[Protocol.of(jdkProtocol).ordinal()].increment();
    }

    void failure(Failure reason) {
        failures[reason.ordinal()].increment();
    }

    void reloaded() {
        reloads.increment();
    }

    void reloadFailed() {
        reloadFailures.increment();
    }

    public long handshakes(Protocol protocol) {
        return handshakes[protocol.ordinal()].sum();
    }

    public long failures(Failure reason) {
        return failures[reason.ordinal()].sum();
    }

    /** Certificate sets swapped in after start (reload or changed files). */
    public long reloads() {
        return reloads.sum();
    }

    /** Reloads refused: the new files were missing, unreadable or did not belong together. */
    public long reloadFailures() {
        return reloadFailures.sum();
    }

    private static LongAdder[] adders(int n) {
        LongAdder[] a = new LongAdder[n];
        for (int i = 0; i < n; i++) {
            a[i] = new LongAdder();
        }
        return a;
    }
}

package io.siplb.netty.pipeline;

import java.net.InetSocketAddress;

/**
 * Evidence about backends that routed traffic carries, passed on to health checking
 * ({@code io.siplb.netty.probe.HealthMonitor}): a 503 with Retry-After passing through, a send
 * to a backend that failed. Implementations must be thread-safe and cheap: they are called on
 * the I/O threads, and hand the work to the health thread.
 */
public interface BackendSignals {

    /** Ignores everything: for a runtime without health checking, and for tests. */
    BackendSignals NONE = new BackendSignals() {
        @Override
        public void retryAfter(InetSocketAddress from, long seconds) {
        }

        @Override
        public void sendFailed(InetSocketAddress to, Throwable cause) {
        }
    };

    /**
     * A response 503 with {@code Retry-After: seconds} (RFC 3261 §21.5.4) arrived from
     * {@code from}, which may or may not be a backend.
     */
    void retryAfter(InetSocketAddress from, long seconds);

    /** A send (or the connect before it) to {@code to} failed with {@code cause}. */
    void sendFailed(InetSocketAddress to, Throwable cause);
}

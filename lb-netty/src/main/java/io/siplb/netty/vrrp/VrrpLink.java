package io.siplb.netty.vrrp;

/**
 * How the speaker reaches the wire: {@link VrrpSocket} on a real interface, an in-memory
 * link in tests. Called from the speaker thread, except {@link #wakeUp()}.
 */
interface VrrpLink extends AutoCloseable {

    /** Sends one VRRP packet (the IP payload) to the VRRP group with TTL 255. */
    void send(byte[] vrrpPacket);

    /**
     * Waits up to {@code timeoutNanos} for a packet, or until {@link #wakeUp()}; the packet
     * (checked as far as the IP header goes), or {@code null} on timeout or wake-up.
     */
    ReceivedPacket receive(long timeoutNanos);

    /** Makes a {@link #receive} in progress (or the next one) return at once. Any thread. */
    void wakeUp();

    @Override
    void close();
}

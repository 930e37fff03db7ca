package io.siplb.vrrp;

import static java.util.Objects.requireNonNull;

/**
 * The outcome of {@link VrrpPacket#decode}: a packet, or an error with the offset of the
 * field found wrong, never both. Decoding never throws on any input bytes.
 */
public final class VrrpDecodeResult {

    private final VrrpPacket packet;
    private final VrrpDecodeError error;
    private final int offset;

    private VrrpDecodeResult(VrrpPacket packet, VrrpDecodeError error, int offset) {
        this.packet = packet;
        this.error = error;
        this.offset = offset;
    }

    /** A successful result. */
    public static VrrpDecodeResult success(VrrpPacket packet) {
        return new VrrpDecodeResult(requireNonNull(packet, "packet"), null, -1);
    }

    /**
     * A failed result.
     *
     * @param offset where the offending field starts, relative to the start of the VRRP
     *               packet (for {@link VrrpDecodeError#BAD_LENGTH}: the length)
     */
    public static VrrpDecodeResult failure(VrrpDecodeError error, int offset) {
        return new VrrpDecodeResult(null, requireNonNull(error, "error"), offset);
    }

    /** Whether decoding succeeded. */
    public boolean isSuccess() {
        return packet != null;
    }

    /** The packet; null on failure. */
    public VrrpPacket packet() {
        return packet;
    }

    /** The error; null on success. */
    public VrrpDecodeError error() {
        return error;
    }

    /** The offset of the offending field relative to the packet start; -1 on success. */
    public int offset() {
        return offset;
    }

    @Override
    public String toString() {
        return packet != null ? "success(" + packet + ')' : "failure(" + error + " at " + offset + ')';
    }
}

package io.siplb.vrrp;

/**
 * Every reason {@link VrrpPacket#decode} rejects a packet (RFC 5798 §7.1 lists what a
 * receiver must check). The speaker counts them by constant and drops the packet.
 */
public enum VrrpDecodeError {

    /** Fewer than the 8 header bytes, or an address part that is not whole addresses. */
    BAD_LENGTH("packet length does not fit the VRRPv3 layout"),
    /** The version nibble is not 3 (RFC 5798 §5.2.1; VRRPv2 is RFC 3768 and not spoken). */
    WRONG_VERSION("version is not 3"),
    /** The type nibble is not 1, ADVERTISEMENT, the only type (RFC 5798 §5.2.2). */
    WRONG_TYPE("type is not 1 (ADVERTISEMENT)"),
    /** The Count IPvX Addr field does not match the addresses present (RFC 5798 §5.2.5). */
    COUNT_MISMATCH("address count does not match the packet length"),
    /** The checksum over the pseudo-header and the packet is wrong (RFC 5798 §5.2.8, §7.1). */
    BAD_CHECKSUM("checksum does not match"),
    /** VRID 0: virtual router ids are 1..255 (RFC 5798 §5.2.3). */
    BAD_VRID("virtual router id is 0 (expected: 1 ~ 255)"),
    /**
     * Max Advertise Interval 0: a Backup that learned it would declare the master down
     * after Skew_Time alone, so it is refused (RFC 5798 §5.2.7 defines the field in
     * centiseconds; no sender means 0).
     */
    BAD_INTERVAL("max advertisement interval is 0 (expected: 1 ~ 4095 centiseconds)");

    private final String reason;

    VrrpDecodeError(String reason) {
        this.reason = reason;
    }

    /** A short text for logs and the admin endpoint. */
    public String reason() {
        return reason;
    }
}

package io.siplb.netty.e2e;

/** The transport a SIP peer of an e2e test uses, with SIPp's {@code -t} mode for it. */
enum SipTransport {
    /** One UDP socket for all calls. */
    UDP("u1"),
    /** One TCP connection for all calls: the LB must route in-dialog traffic back over it. */
    TCP("t1");

    private final String sippMode;

    SipTransport(String sippMode) {
        this.sippMode = sippMode;
    }

    /** The value of SIPp's {@code -t} option. */
    String sippMode() {
        return sippMode;
    }
}

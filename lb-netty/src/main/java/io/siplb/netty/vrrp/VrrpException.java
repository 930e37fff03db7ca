package io.siplb.netty.vrrp;

/** The VRRP speaker cannot do its job: a missing capability, interface or address. */
public final class VrrpException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public VrrpException(String message) {
        super(message);
    }

    public VrrpException(String message, Throwable cause) {
        super(message, cause);
    }
}

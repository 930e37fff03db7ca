package io.siplb.vrrp;

/** Why a virtual router changed state: the reason in the log line and the metric tag. */
public enum VrrpTransitionCause {
    /** Startup: the owner to Master, anyone else to Backup (RFC 5798 §6.4.1). */
    STARTUP,
    /**
     * The Master_Down_Timer fired: the master went silent, stepped down with priority 0, or
     * advertises a lower priority than ours with preemption on (RFC 5798 §6.4.2).
     */
    MASTER_DOWN,
    /** As Master, heard a higher priority, or an equal one from a higher address (§6.4.3). */
    PREEMPTED,
    /** Shutdown (§6.4.2, §6.4.3). */
    SHUTDOWN,
    /** The node became unhealthy while Master and stepped down with priority 0. */
    UNHEALTHY,
    /** The node became healthy again after its Master_Down_Timer had fired while it was not. */
    HEALTHY_AGAIN
}

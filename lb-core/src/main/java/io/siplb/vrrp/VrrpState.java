package io.siplb.vrrp;

/** The states of a virtual router (RFC 5798 §6.4). */
public enum VrrpState {
    /** Not running: before startup and after shutdown (§6.4.1). Holds no virtual address. */
    INITIALIZE,
    /** Watching the master's advertisements, ready to take over (§6.4.2). */
    BACKUP,
    /** Holding the virtual addresses and advertising (§6.4.3). */
    MASTER
}

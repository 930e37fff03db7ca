package io.siplb.hash;

/**
 * What a backend may receive, as far as the hash is concerned. The health state machine
 * (io.siplb.health) maps its richer states onto these three when it publishes a
 * {@link BackendView}: a backend still being probed is {@link #DOWN} here.
 */
public enum BackendState {
    /** Takes new and existing AORs. */
    UP,
    /**
     * Takes no new AORs, but still serves the ones it has (operator drain: its users move on
     * their next initial request, in-dialog traffic follows Record-Route and is unaffected).
     */
    DRAINING,
    /** Takes nothing; its AORs fall to their next choice. */
    DOWN;

    /** True when an AOR with no history may be assigned here. */
    public boolean acceptsNew() {
        return this == UP;
    }

    /** True when an AOR that already lives here may still be sent here. */
    public boolean acceptsExisting() {
        return this != DOWN;
    }
}

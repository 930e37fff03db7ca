package io.siplb.netty.probe;

import io.siplb.health.PassiveSignal;
import io.siplb.health.Probe;
import io.siplb.health.ProbeResult;

/** What the {@link OptionsProber} reports, always on its event loop. */
interface ProbeListener {

    /** A probe ended: a final reply, or its socket failed (unreachable). Timeouts are the tracker's. */
    void onProbeResult(Probe probe, ProbeResult result);

    /** The prober's own socket to a backend saw an ICMP error or a TCP refusal or reset. */
    void onPassiveSignal(String backendId, PassiveSignal signal);
}

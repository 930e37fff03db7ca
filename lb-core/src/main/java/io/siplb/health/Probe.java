package io.siplb.health;

import static java.util.Objects.requireNonNull;

import io.siplb.hash.Backend;

/**
 * One OPTIONS probe the runtime is to send now, from {@link HealthTracker#takeDueProbes()}.
 *
 * <p>The runtime carries {@code sequence} in the request (a Call-ID or branch suffix is enough)
 * and hands the probe back with its {@link ProbeResult}. The sequence lets the tracker ignore a
 * reply to a probe it has already counted as timed out or abandoned, so a late 200 cannot
 * undo a verdict.
 *
 * @param backend  where to send it
 * @param sequence unique per tracker (and across its {@code withBackends}/{@code withPolicy} copies)
 */
public record Probe(Backend backend, long sequence) {

    public Probe {
        requireNonNull(backend, "backend");
    }
}

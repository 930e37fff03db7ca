/**
 * Backend health: a pure state machine per home proxy, fed by OPTIONS probe results, passive
 * signals (ICMP unreachable, TCP refused or reset), 503 Retry-After and operator drains, that
 * publishes the {@link io.siplb.hash.BackendView} routing uses.
 *
 * <p>Entry point: {@link io.siplb.health.HealthTracker}, configured by
 * {@link io.siplb.health.HealthPolicy}. Nothing here opens a socket, starts a thread or reads
 * the clock on its own: the runtime ({@code io.siplb.netty.probe.OptionsProber}) sends the
 * probes the tracker asks for, reports how they ended, and calls
 * {@link io.siplb.health.HealthTracker#tick()} when
 * {@link io.siplb.health.HealthTracker#nanosUntilNextDeadline()} says so.
 *
 * <p>Transitions of a backend's health ({@link io.siplb.health.HealthState}):
 * <pre>
 *   PROBING --rise alive replies--------&gt; UP        PROBING --fall failed probes--&gt; DOWN
 *   UP      --fall failed probes--------&gt; DOWN      DOWN    --rise alive replies--&gt; UP
 *   UP      --passive signal------------&gt; SUSPECT   (probed at once, within the ejection limit)
 *   SUSPECT --next probe answered-------&gt; UP        SUSPECT --next probe failed--&gt; DOWN
 * </pre>
 * and two overlays: {@code UNAVAILABLE} while a (capped) 503 Retry-After runs, {@code DRAINING}
 * while the operator has drained a healthy backend. Every change is one
 * {@link io.siplb.health.HealthEvent}, one log line.
 */
package io.siplb.health;

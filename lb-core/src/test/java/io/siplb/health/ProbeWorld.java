package io.siplb.health;

import io.siplb.hash.Backend;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * A fake clock and scripted backends around a {@link HealthTracker}, driven the way the runtime
 * drives it: jump to the next deadline or reply, deliver replies, tick, send due probes. Each
 * backend answers every probe with its current {@link Answer}; {@link #lose} drops the next
 * few. Clock values are compared by difference, so a world may start near the long overflow.
 */
final class ProbeWorld {

    static final Backend A = new Backend("a", "10.0.0.1", 5060, "UDP", 1);
    static final Backend B = new Backend("b", "10.0.0.2", 5060, "UDP", 1);
    static final Backend C = new Backend("c", "10.0.0.3", 5060, "UDP", 1);
    static final Backend D = new Backend("d", "10.0.0.4", 5060, "UDP", 1);
    static final Backend E = new Backend("e", "10.0.0.5", 5060, "UDP", 1);
    static final Backend F = new Backend("f", "10.0.0.6", 5060, "UDP", 1);

    /** Timing easy to reason about: 1s interval, 500ms timeout, no jitter, rise 2, fall 2. */
    static final HealthPolicy PLAIN = HealthPolicy.DEFAULTS.withJitter(0);

    static final Duration RTT = Duration.ofMillis(10);

    /** How a backend answers a probe. */
    record Answer(ProbeResult.Outcome outcome, int code, long retryAfter, Duration rtt) {
        static Answer reply(int code) {
            return new Answer(ProbeResult.Outcome.REPLY, code, -1, RTT);
        }

        static Answer silent() {
            return new Answer(ProbeResult.Outcome.TIMEOUT, 0, -1, Duration.ZERO);
        }

        static Answer unreachable() {
            return new Answer(ProbeResult.Outcome.UNREACHABLE, 0, -1, Duration.ZERO);
        }

        Answer after(Duration rtt) {
            return new Answer(outcome, code, retryAfter, rtt);
        }

        Answer withRetryAfter(long seconds) {
            return new Answer(outcome, code, seconds, rtt);
        }
    }

    private record Pending(long at, Probe probe, ProbeResult result) {
    }

    /** The tracker's clock. */
    static final class FakeClock implements LongSupplier {
        long now;

        FakeClock(long start) {
            now = start;
        }

        @Override
        public long getAsLong() {
            return now;
        }

        void advance(Duration d) {
            now += d.toNanos();
        }
    }

    final FakeClock clock;
    HealthTracker tracker;
    final List<HealthEvent> events = new ArrayList<>();
    final List<Probe> sent = new ArrayList<>();
    final List<Long> sentAt = new ArrayList<>();
    private final Map<String, Answer> answers = new HashMap<>();
    private final Map<String, Integer> toLose = new HashMap<>();
    private final List<Pending> pending = new ArrayList<>();

    ProbeWorld(HealthPolicy policy, Backend... backends) {
        this(policy, 1_000_000_000_000L, 5060, backends);
    }

    ProbeWorld(HealthPolicy policy, long start, long seed, Backend... backends) {
        clock = new FakeClock(start);
        tracker = HealthTracker.create(policy, List.of(backends), clock, seed);
    }

    /** Every backend up: runs until all have risen, then forgets what happened. */
    ProbeWorld started() {
        runFor(tracker.policy().interval().multipliedBy(tracker.policy().rise() + 1));
        events.clear();
        return this;
    }

    ProbeWorld answer(String id, Answer answer) {
        answers.put(id, answer);
        return this;
    }

    ProbeWorld dies(String id) {
        return answer(id, Answer.silent());
    }

    ProbeWorld revives(String id) {
        return answer(id, Answer.reply(200));
    }

    /** Drops the next {@code n} probes to {@code id}. */
    ProbeWorld lose(String id, int n) {
        toLose.put(id, n);
        return this;
    }

    HealthState state(String id) {
        return tracker.status(id).state();
    }

    long now() {
        return clock.now;
    }

    /** Inputs applied directly, recording their events. */
    void signal(String id, PassiveSignal signal) {
        events.addAll(tracker.onPassiveSignal(id, signal));
    }

    void retryAfter(String id, long seconds) {
        events.addAll(tracker.onRetryAfter(id, seconds));
    }

    void drain(String id) {
        events.addAll(tracker.drain(id));
    }

    void undrain(String id) {
        events.addAll(tracker.undrain(id));
    }

    /** Runs the world until {@code d} has passed. */
    ProbeWorld runFor(Duration d) {
        long remaining = d.toNanos();
        step();
        int stuck = 0;
        while (true) {
            long delay = tracker.nanosUntilNextDeadline();
            for (Pending p : pending) {
                delay = Math.min(delay, p.at - clock.now);
            }
            if (delay > remaining) {
                clock.now += remaining;
                step();
                return this;
            }
            clock.now += delay;
            remaining -= delay;
            stuck = delay == 0 ? stuck + 1 : 0;
            if (stuck > 3) {
                throw new AssertionError("the tracker keeps asking for a tick at the same time");
            }
            step();
        }
    }

    /** Runs until {@code id} is in {@code state} or {@code limit} has passed; returns the time taken. */
    Duration runUntil(String id, HealthState state, Duration limit) {
        long start = clock.now;
        Duration step = Duration.ofMillis(1);
        while (state(id) != state && clock.now - start < limit.toNanos()) {
            runFor(step);
        }
        return Duration.ofNanos(clock.now - start);
    }

    private void step() {
        long now = clock.now;
        for (int i = 0; i < pending.size(); ) {
            Pending p = pending.get(i);
            if (p.at - now <= 0) {
                pending.remove(i);
                events.addAll(tracker.onProbeResult(p.probe, p.result));
            } else {
                i++;
            }
        }
        events.addAll(tracker.tick());
        for (Probe probe : tracker.takeDueProbes()) {
            sent.add(probe);
            sentAt.add(now);
            String id = probe.backend().id();
            int lose = toLose.getOrDefault(id, 0);
            if (lose > 0) {
                toLose.put(id, lose - 1);
                continue;
            }
            Answer a = answers.getOrDefault(id, Answer.reply(200));
            switch (a.outcome()) {
                case REPLY -> pending.add(new Pending(now + a.rtt().toNanos(), probe,
                        ProbeResult.reply(a.code(), a.retryAfter())));
                case UNREACHABLE -> events.addAll(tracker.onProbeResult(probe, ProbeResult.unreachable()));
                case TIMEOUT -> { }
            }
        }
    }

    /** The state changes of one backend, in order. */
    List<HealthEvent.StateChanged> changesOf(String id) {
        List<HealthEvent.StateChanged> out = new ArrayList<>();
        for (HealthEvent e : events) {
            if (e instanceof HealthEvent.StateChanged c && c.backend().id().equals(id)) {
                out.add(c);
            }
        }
        return out;
    }
}

package io.siplb.netty.guard;

import java.util.concurrent.atomic.LongAdder;

/**
 * One {@link LongAdder} per {@link GuardEvent}, made up front: counting allocates nothing and does
 * not contend across event loops. Exported by {@code SipMetrics#guard}.
 */
public final class GuardCounters {

    private final LongAdder[] counts = new LongAdder[GuardEvent.values().length];

    public GuardCounters() {
        for (int i = 0; i < counts.length; i++) {
            counts[i] = new LongAdder();
        }
    }

    public void count(GuardEvent event) {
        counts[event.ordinal()].increment();
    }

    public long get(GuardEvent event) {
        return counts[event.ordinal()].sum();
    }
}

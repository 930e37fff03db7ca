package io.siplb.vrrp;

import com.google.common.base.Ticker;
import java.time.Duration;

/** A ticker that moves only when told. Starts at an arbitrary non-zero time. */
final class ManualTicker extends Ticker {

    private long nanos = 1_000_000_000_000L;

    @Override
    public long read() {
        return nanos;
    }

    ManualTicker advance(Duration d) {
        nanos += d.toNanos();
        return this;
    }

    ManualTicker advanceNanos(long n) {
        nanos += n;
        return this;
    }
}

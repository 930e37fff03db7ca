package io.siplb.netty.vrrp;

import static java.util.Objects.requireNonNull;

import io.netty.util.concurrent.EventExecutor;
import io.netty.util.concurrent.EventExecutorGroup;
import io.netty.util.concurrent.ScheduledFuture;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * Notices a stalled event loop (DESIGN.md: "a node whose event loops stall lowers its
 * priority"): a tiny task on each loop every {@link #PERIOD} records when it ran; a loop whose
 * last run is more than {@link #PERIOD} + {@link #LATE} ago is stalled. The check itself runs
 * on whichever thread asks (the VRRP speaker), so a stalled loop cannot hide its own stall.
 */
public final class EventLoopWatchdog implements AutoCloseable {

    public static final Duration PERIOD = Duration.ofMillis(100);
    public static final Duration LATE = Duration.ofMillis(500);

    private final List<EventExecutor> loops = new ArrayList<>();
    private final AtomicLongArray lastRun;
    private final List<ScheduledFuture<?>> tasks = new ArrayList<>();

    /** Starts the heartbeat on every loop of {@code groups}. */
    public EventLoopWatchdog(EventExecutorGroup... groups) {
        for (EventExecutorGroup g : groups) {
            for (EventExecutor e : requireNonNull(g, "group")) {
                loops.add(e);
            }
        }
        lastRun = new AtomicLongArray(loops.size());
        long now = System.nanoTime();
        for (int i = 0; i < loops.size(); i++) {
            lastRun.set(i, now);
            int index = i;
            tasks.add(loops.get(i).scheduleAtFixedRate(() -> lastRun.set(index, System.nanoTime()),
                    PERIOD.toMillis(), PERIOD.toMillis(), TimeUnit.MILLISECONDS));
        }
    }

    /** The first stalled loop as "event loop N late by X ms", or {@code null} when all are on time. */
    public String stall() {
        long now = System.nanoTime();
        long limit = PERIOD.toNanos() + LATE.toNanos();
        for (int i = 0; i < lastRun.length(); i++) {
            long since = now - lastRun.get(i);
            if (since > limit) {
                return "event loop " + i + " stalled: heartbeat late by " + (since - PERIOD.toNanos()) / 1_000_000
                        + " ms";
            }
        }
        return null;
    }

    @Override
    public void close() {
        for (ScheduledFuture<?> t : tasks) {
            t.cancel(false);
        }
    }
}

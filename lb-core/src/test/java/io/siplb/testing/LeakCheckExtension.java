package io.siplb.testing;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.buffer.UnpooledByteBufAllocator;
import io.netty.util.ResourceLeakDetector;
import io.netty.util.ResourceLeakDetectorFactory;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import java.util.ArrayList;
import java.util.List;

/**
 * Turns Netty's leak reports into test failures (STYLE.md principle 13: buffer ownership is
 * tested, not hoped for). Registered for every Jupiter test class by auto-detection
 * ({@code META-INF/services}); the surefire configuration runs tests with
 * {@code -Dio.netty.leakDetection.level=paranoid}, so every buffer is tracked.
 *
 * <p>Netty reports a leak when a tracked buffer is garbage-collected without having been
 * released, and only on a later allocation. After each test class this forces a few collections
 * and allocations, then fails the class if anything was reported while it ran.
 */
public final class LeakCheckExtension implements AfterAllCallback {

    private static final List<String> LEAKS = new ArrayList<>();

    static {
        // Must run before the first ByteBuf class initialises its detector; LeakCheckSession
        // makes sure of that by loading this class when the launcher session opens.
        ResourceLeakDetectorFactory.setResourceLeakDetectorFactory(new RecordingFactory());
    }

    /** Loads this class, which installs the recorder (idempotent). */
    static void install() {
        // the static initialiser did the work
    }

    @Override
    public void afterAll(ExtensionContext context) throws InterruptedException {
        assertNoLeaks(context.getDisplayName());
    }

    /**
     * Collects garbage, lets Netty report what was collected unreleased, and fails when anything
     * was reported since the last check. For engines without Jupiter extensions (jqwik's
     * {@code @AfterContainer}).
     */
    public static void assertNoLeaks(String where) throws InterruptedException {
        for (int i = 0; i < 3; i++) {
            System.gc();
            Thread.sleep(10);
            // detection happens on allocation: poke every allocator tests use
            release(PooledByteBufAllocator.DEFAULT.directBuffer(1));
            release(PooledByteBufAllocator.DEFAULT.heapBuffer(1));
            release(UnpooledByteBufAllocator.DEFAULT.directBuffer(1));
            release(UnpooledByteBufAllocator.DEFAULT.heapBuffer(1));
        }
        List<String> found;
        synchronized (LEAKS) {
            found = new ArrayList<>(LEAKS);
            LEAKS.clear();
        }
        if (!found.isEmpty()) {
            throw new AssertionError("Netty reported " + found.size() + " leaked buffer(s) in "
                    + where + ":\n" + String.join("\n", found));
        }
    }

    private static void release(ByteBuf buf) {
        buf.release();
    }

    private static void record(String report) {
        synchronized (LEAKS) {
            LEAKS.add(report);
        }
    }

    private static final class RecordingFactory extends ResourceLeakDetectorFactory {
        @Override
        public <T> ResourceLeakDetector<T> newResourceLeakDetector(Class<T> resource, int samplingInterval, long maxActive) {
            return new RecordingDetector<>(resource, samplingInterval);
        }
    }

    private static final class RecordingDetector<T> extends ResourceLeakDetector<T> {
        RecordingDetector(Class<T> resource, int samplingInterval) {
            super(resource, samplingInterval);
        }

        @Override
        protected boolean needReport() {
            return true;
        }

        @Override
        protected void reportTracedLeak(String resourceType, String records) {
            record("LEAK: " + resourceType + records);
            super.reportTracedLeak(resourceType, records);
        }

        @Override
        protected void reportUntracedLeak(String resourceType) {
            record("LEAK: " + resourceType + " (untraced)");
            super.reportUntracedLeak(resourceType);
        }
    }
}

package io.siplb.testing;

import org.junit.platform.launcher.LauncherSession;
import org.junit.platform.launcher.LauncherSessionListener;

/**
 * Installs the leak recorder of {@link LeakCheckExtension} when the test launcher starts, before
 * any engine (Jupiter or jqwik) allocates a buffer: Netty creates its leak detectors once, when
 * the buffer classes initialise, so a later installation would see nothing.
 */
public final class LeakCheckSession implements LauncherSessionListener {

    @Override
    public void launcherSessionOpened(LauncherSession session) {
        LeakCheckExtension.install();
    }
}

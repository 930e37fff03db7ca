package io.siplb.netty.cli;

import sun.misc.Signal;

/**
 * Turns SIGTERM and SIGINT into a call instead of the JVM's default exit, so that {@code run}
 * can close its sockets and return 0: systemd treats exit 143 after SIGTERM as a clean stop, but
 * scripts and tests read the code. Falls back to a shutdown hook where the signals cannot be
 * handled (then the exit code is the JVM's).
 */
final class TerminationSignals {

    private TerminationSignals() {}

    static void onTermination(Runnable action) {
        try {
            Signal.handle(new Signal("TERM"), s -> action.run());
            Signal.handle(new Signal("INT"), s -> action.run());
        } catch (IllegalArgumentException | UnsupportedOperationException e) {
            Runtime.getRuntime().addShutdownHook(new Thread(action, "siplb-shutdown"));
        }
    }
}

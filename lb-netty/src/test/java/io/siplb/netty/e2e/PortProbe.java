package io.siplb.netty.e2e;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;

/**
 * Tells whether a port is bound, as seen from the network namespace of a given process, by
 * reading {@code /proc/PID/net/udp} and {@code /proc/PID/net/tcp}.
 *
 * <p>Reading the process' own view works for a process inside a test network namespace without
 * entering it, and needs no tool (no {@code ss}). It lists every socket of that namespace, not
 * only the process' own; tests get their ports from {@link PortAllocator} or own the whole
 * namespace, so a bound port is the process under test's.
 */
final class PortProbe {
    private static final String UDP_UNCONNECTED = "07";
    private static final String TCP_LISTEN = "0A";

    private PortProbe() {}

    /** True if {@code port} is bound for {@code transport} in the namespace of {@code pid}. */
    static boolean isBound(long pid, SipTransport transport, int port) {
        String file = transport == SipTransport.TCP ? "tcp" : "udp";
        String state = transport == SipTransport.TCP ? TCP_LISTEN : UDP_UNCONNECTED;
        String hexPort = String.format(Locale.ROOT, ":%04X", port);
        try {
            List<String> lines = Files.readAllLines(Path.of("/proc", Long.toString(pid), "net", file));
            for (String line : lines.subList(Math.min(1, lines.size()), lines.size())) {
                String[] f = line.trim().split("\\s+");
                // f[1] = local "HEXIP:HEXPORT", f[3] = state
                if (f.length > 3 && f[1].endsWith(hexPort) && f[3].equals(state)) {
                    return true;
                }
            }
            return false;
        } catch (IOException e) {
            return false; // the process is gone
        }
    }

    /**
     * Polls every 20 ms until each port is bound by {@code process}' namespace, the process
     * exits, or {@code timeout} passes. Returns true when all are bound.
     */
    static boolean awaitBound(ManagedProcess process, SipTransport transport, Duration timeout, int... ports) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline && process.isAlive()) {
            boolean all = true;
            for (int port : ports) {
                all &= isBound(process.pid(), transport, port);
            }
            if (all) {
                return true;
            }
            sleep(Duration.ofMillis(20));
        }
        return false;
    }

    static void sleep(Duration d) {
        try {
            Thread.sleep(d.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}

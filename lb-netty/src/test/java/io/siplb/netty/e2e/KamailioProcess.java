package io.siplb.netty.e2e;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A Kamailio started by a test, in the foreground ({@code -DD}: the creator process stays, so
 * its PID is ours to stop; {@code -E}: logs to stderr, captured in {@code NAME.log}).
 *
 * <p>Everything it writes stays in its own directory: the config copy, the working directory
 * ({@code -w}), the runtime directory ({@code -Y}, where Kamailio puts its control sockets and
 * would collide with a system instance or a parallel test otherwise) and the pid file
 * ({@code -P}). Small memory pools ({@code -m}/{@code -M}) because tests are light. The command
 * runs under {@code timeout}, so a Kamailio whose test JVM died still ends after its
 * {@code lifetime}; {@code timeout} passes our SIGTERM on to it.
 */
final class KamailioProcess implements AutoCloseable {
    private final ManagedProcess process;
    private final Path dir;

    private KamailioProcess(ManagedProcess process, Path dir) {
        this.process = process;
        this.dir = dir;
    }

    /**
     * Writes {@code cfg} (config text) to {@code dir/NAME.cfg}, checks it ({@code -c}), starts
     * Kamailio with the {@code -A} defines, and returns once every listen port is bound.
     *
     * @param netns    network namespace to run in, or null
     * @param udpPorts UDP ports the config listens on (readiness)
     * @param tcpPorts TCP ports the config listens on (readiness)
     */
    static KamailioProcess start(String name, String cfg, Map<String, String> defines, Path dir, String netns,
            Duration lifetime, int[] udpPorts, int[] tcpPorts) {
        try {
            Path run = Files.createDirectories(dir.resolve(name + "-run"));
            Path cfgFile = dir.resolve(name + ".cfg");
            Files.writeString(cfgFile, cfg);
            List<String> base = new ArrayList<>();
            if (netns != null) {
                base.addAll(List.of("ip", "netns", "exec", netns));
            }
            List<String> args = new ArrayList<>(List.of("kamailio", "-f", cfgFile.toString(),
                    "-w", dir.toString(), "-Y", run.toString(), "-P", run.resolve("kamailio.pid").toString(),
                    "-m", "32", "-M", "4"));
            defines.forEach((k, v) -> args.addAll(List.of("-A", k + "=" + v)));

            List<String> check = new ArrayList<>(base);
            check.addAll(args);
            check.add("-c");
            ManagedProcess checker = ManagedProcess.start(name + "-check", check, dir, dir.resolve(name + "-check.log"));
            if (checker.awaitExit(Duration.ofSeconds(20)).orElse(-1) != 0) {
                checker.close();
                throw new IllegalStateException("kamailio -c rejected " + cfgFile + ":\n" + checker.logTail(3000));
            }

            List<String> cmd = new ArrayList<>(base);
            cmd.addAll(List.of("timeout", "-k", "5", lifetime.toSeconds() + "s"));
            cmd.addAll(args);
            cmd.addAll(List.of("-DD", "-E"));
            ManagedProcess p = ManagedProcess.start(name, cmd, dir, dir.resolve(name + ".log"));
            KamailioProcess k = new KamailioProcess(p, dir);
            boolean up = PortProbe.awaitBound(p, SipTransport.UDP, Duration.ofSeconds(15), udpPorts)
                    && PortProbe.awaitBound(p, SipTransport.TCP, Duration.ofSeconds(15), tcpPorts);
            if (!up) {
                k.close();
                throw new IllegalStateException(name + " did not bind its ports within 15 s:\n" + p.logTail(3000));
            }
            return k;
        } catch (IOException e) {
            throw new UncheckedIOException("start kamailio " + name, e);
        }
    }

    long pid() {
        return process.pid();
    }

    boolean isAlive() {
        return process.isAlive();
    }

    Path dir() {
        return dir;
    }

    /** The tail of Kamailio's stderr log, for assertion messages. */
    String logTail(int maxChars) {
        return process.logTail(maxChars);
    }

    /** SIGTERM to our PID (Kamailio then ends its workers), SIGKILL after 5 s. */
    @Override
    public void close() {
        process.stop(Duration.ofSeconds(5));
    }
}

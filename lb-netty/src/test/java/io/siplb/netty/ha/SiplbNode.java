package io.siplb.netty.ha;

import io.siplb.netty.e2e.JavaLauncher;
import io.siplb.netty.e2e.ManagedProcess;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * siplb with its VRRP speaker in one lab node: a separate JVM, {@code ip netns exec NS timeout
 * LIFETIME java -cp <this JVM's class path> io.siplb.netty.cli.Main run --config FILE}. SIP on
 * VIP:5060 (bound with IP_FREEBIND on both nodes), admin on 127.0.0.1:8080 of the node's own
 * namespace. Stopped by PID: SIGTERM (graceful, priority 0) or SIGKILL of the JVM itself.
 */
final class SiplbNode implements AutoCloseable {

    static final Duration LIFETIME = Duration.ofMinutes(5);
    private static final Duration READY_LIMIT = Duration.ofSeconds(40);

    private final HaLab lab;
    private final String node;
    private final ManagedProcess process;

    private SiplbNode(HaLab lab, String node, ManagedProcess process) {
        this.lab = lab;
        this.node = node;
        this.process = process;
    }

    /** The configuration of a node: one backend (a lab address), VRRP on eth0, VRID 77. */
    static String config(int priority, boolean preempt, String backend) {
        return """
                listen: [udp://%s:5060]
                advertise: %s:5060
                backends: [{id: p1, uri: "sip:%s:5060"}]
                health: {enabled: false}
                flow-token: {secret: "ha-lab-test-key-0123456789abcdef"}
                admin: {listen: "127.0.0.1:8080"}
                vrrp:
                  interface: eth0
                  vrid: 77
                  priority: %d
                  advert-interval: 100ms
                  preempt: %s
                  vips: [%s]
                """.formatted(HaLab.VIP, HaLab.VIP, backend, priority, preempt, HaLab.VIP);
    }

    /**
     * The configuration of a node of the traffic tests: the lab's backends {@code proxy1} and
     * {@code proxy2} (10.77.0.21 and .22, every one counted as up: no probing, as in the ha-lab's
     * measurements), VRRP on eth0, VRID 77, 100 ms adverts, preemption on.
     */
    static String pairConfig(int priority) {
        return config(priority, true, "10.77.0.21").replace(
                "backends: [{id: p1, uri: \"sip:10.77.0.21:5060\"}]",
                "backends: [{id: p1, uri: \"sip:10.77.0.21:5060\"}, {id: p2, uri: \"sip:10.77.0.22:5060\"}]");
    }

    /** {@link #config}, with OPTIONS probing of the backend every 200 ms (rise 2, fall 2). */
    static String probingConfig(int priority, String backend) {
        return config(priority, true, backend).replace("health: {enabled: false}",
                "health: {enabled: true, interval: 200ms, timeout: 150ms}");
    }

    /** Starts siplb in {@code node} with {@code yaml}; returns once /health answers (bounded). */
    static SiplbNode start(HaLab lab, String node, String tag, String yaml) {
        return launch(lab, node, tag, yaml).awaitReady();
    }

    /**
     * Starts siplb in {@code node} with {@code yaml} and returns at once (start two nodes, then
     * {@link #awaitReady()} both: the JVMs start in parallel).
     */
    static SiplbNode launch(HaLab lab, String node, String tag, String yaml) {
        Path config = lab.write(node + "-" + tag + ".yaml", yaml);
        ManagedProcess p = lab.start(node, "siplb-" + node + "-" + tag, List.of(
                "timeout", "-k", "5", LIFETIME.toSeconds() + "s",
                JavaLauncher.java(), JavaLauncher.ENABLE_NATIVE_ACCESS,
                "-Xmx128m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
                "-cp", classPath(),
                "io.siplb.netty.cli.Main", "run", "--config", config.toString()));
        return lab.own(new SiplbNode(lab, node, p));
    }

    /**
     * Waits until /health shows the VRRP line (the speaker runs: the node has warmed up) or
     * the JVM exits, bounded; fails with the log otherwise. Returns this node.
     */
    SiplbNode awaitReady() {
        ManagedProcess p = process;
        if (!HaLab.await(READY_LIMIT, () -> !p.isAlive() || health().contains("vrrp "))) {
            throw new IllegalStateException("siplb in " + node + " did not answer /health within " + READY_LIMIT
                    + ":\n" + p.logTail(3000));
        }
        if (!p.isAlive()) {
            throw new IllegalStateException("siplb in " + node + " exited:\n" + p.logTail(3000));
        }
        return this;
    }

    private static String snapshot;

    /**
     * This JVM's class path with its directories (target/classes) copied once per test run:
     * other builds on the machine recompile those directories while the lab runs, and a node
     * started at that moment would not find its main class.
     */
    static synchronized String classPath() {
        if (snapshot == null) {
            try {
                Path root = Files.createTempDirectory("siplb-ha-cp-");
                List<String> out = new ArrayList<>();
                int i = 0;
                for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
                    Path p = Path.of(entry);
                    if (Files.isDirectory(p)) {
                        Path copy = root.resolve("dir" + i++);
                        try (var files = Files.walk(p)) {
                            for (Path f : (Iterable<Path>) files::iterator) {
                                Path target = copy.resolve(p.relativize(f).toString());
                                if (Files.isDirectory(f)) {
                                    Files.createDirectories(target);
                                } else {
                                    Files.copy(f, target);
                                }
                            }
                        }
                        out.add(copy.toString());
                    } else {
                        out.add(entry);
                    }
                }
                snapshot = String.join(File.pathSeparator, out);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return snapshot;
    }

    /** The body of GET /health ("" when there is no answer). */
    String health() {
        return lab.curl(node, "http://127.0.0.1:8080/health");
    }

    /** The VRRP state from /health: MASTER, BACKUP, INITIALIZE, or "" when unknown. */
    String vrrpState() {
        String h = health();
        int i = h.indexOf("vrrp ");
        if (i < 0) {
            return "";
        }
        String rest = h.substring(i + 5);
        int sp = rest.indexOf(' ');
        return sp < 0 ? rest.strip() : rest.substring(0, sp);
    }

    /** SIGTERM (the planned stop: handover, drain, exit) without waiting. */
    void signalTerm() {
        process.signal("TERM");
    }

    /** SIGTERM, then waits for the exit (bounded); the exit code. */
    int stopGracefully() {
        process.signal("TERM");
        return process.awaitExit(Duration.ofSeconds(15)).orElseGet(() -> {
            process.stop(Duration.ofSeconds(1));
            return -1;
        });
    }

    /** SIGKILL to the JVM itself (not to its {@code timeout} parent): a process crash. */
    void kill9() {
        java().ifPresent(ProcessHandle::destroyForcibly);
        process.awaitExit(Duration.ofSeconds(10));
    }

    /**
     * A host crash as the ha-lab's "hard" scenario makes it: SIGSTOP the JVM first (a frozen
     * process cannot react, e.g. send priority 0 on a signal), then SIGKILL it; the caller takes
     * the link down next.
     */
    void freezeAndKill() {
        Optional<ProcessHandle> java = java();
        java.ifPresent(h -> signal(h.pid(), "STOP"));
        java.ifPresent(ProcessHandle::destroyForcibly);
        process.awaitExit(Duration.ofSeconds(10));
    }

    private Optional<ProcessHandle> java() {
        return ProcessHandle.of(process.pid()).stream()
                .flatMap(ProcessHandle::descendants)
                .filter(h -> h.info().command().map(c -> c.endsWith("/java")).orElse(false))
                .findFirst();
    }

    private static void signal(long pid, String signal) {
        try {
            Process kill = new ProcessBuilder("kill", "-s", signal, Long.toString(pid))
                    .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            kill.waitFor(5, java.util.concurrent.TimeUnit.SECONDS);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    String logTail() {
        return process.logTail(4000);
    }

    String log() {
        return process.logTail(200_000);
    }

    boolean isAlive() {
        return process.isAlive();
    }

    @Override
    public void close() {
        process.stop(Duration.ofSeconds(10));
    }
}

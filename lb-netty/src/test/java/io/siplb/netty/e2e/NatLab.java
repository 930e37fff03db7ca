package io.siplb.netty.e2e;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The NAT lab of {@code e2e/nat/nat-lab.sh}: a client namespace behind a MASQUERADE namespace,
 * and a public namespace holding the LB, the registrar and a caller. Namespace names carry a
 * per-run prefix ({@code se2e<pid>-}); {@link #close()} removes exactly what {@link #up} created,
 * and a JVM shutdown hook does the same if the test run is cut short.
 */
final class NatLab implements AutoCloseable {
    private final Path script;
    private final String prefix;
    private final Map<String, String> facts;
    private final Thread shutdownHook;
    private boolean down;

    private NatLab(Path script, String prefix, Map<String, String> facts) {
        this.script = script;
        this.prefix = prefix;
        this.facts = facts;
        this.shutdownHook = new Thread(this::down, "nat-lab-down-" + prefix);
        Runtime.getRuntime().addShutdownHook(shutdownHook);
    }

    /** Builds the lab (bounded: 30 s); fails with the script's output if it cannot. */
    static NatLab up(Path dir) {
        Path script = TestResources.copyExecutable("nat/nat-lab.sh", dir);
        String prefix = "se2e" + ProcessHandle.current().pid() + "-";
        Path out = dir.resolve("nat-lab-up.log");
        ManagedProcess p = ManagedProcess.start("nat-lab-up", List.of("bash", script.toString(), "up", prefix), dir, out);
        int code = p.awaitExit(Duration.ofSeconds(30)).orElse(-1);
        if (code != 0) {
            p.close();
            runDown(script, prefix, dir);
            throw new IllegalStateException("nat-lab.sh up failed (" + code + "):\n" + p.logTail(3000));
        }
        try {
            Map<String, String> facts = new HashMap<>();
            for (String line : Files.readAllLines(out)) {
                int eq = line.indexOf('=');
                if (eq > 0 && !line.startsWith("[")) {
                    facts.put(line.substring(0, eq), line.substring(eq + 1));
                }
            }
            return new NatLab(script, prefix, facts);
        } catch (IOException e) {
            runDown(script, prefix, dir);
            throw new UncheckedIOException(e);
        }
    }

    /** Namespace of the client behind the NAT. */
    String clientNs() {
        return facts.get("client");
    }

    /** Namespace of the public side (LB, registrar, caller). */
    String publicNs() {
        return facts.get("public");
    }

    String clientIp() {
        return facts.get("client_ip");
    }

    String natPublicIp() {
        return facts.get("nat_public_ip");
    }

    String lbIp() {
        return facts.get("lb_ip");
    }

    String registrarIp() {
        return facts.get("registrar_ip");
    }

    String callerIp() {
        return facts.get("caller_ip");
    }

    /** Removes the namespaces (and ends what still runs in them). Idempotent. */
    @Override
    public void close() {
        down();
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException e) {
            // already shutting down: the hook is running or ran
        }
    }

    private synchronized void down() {
        if (!down) {
            down = true;
            runDown(script, prefix, script.getParent());
        }
    }

    private static void runDown(Path script, String prefix, Path dir) {
        ManagedProcess p = ManagedProcess.start("nat-lab-down", List.of("bash", script.toString(), "down", prefix), dir,
                dir.resolve("nat-lab-down.log"));
        if (p.awaitExit(Duration.ofSeconds(30)).isEmpty()) {
            p.close();
        }
    }
}

package io.siplb.netty.e2e;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * Checks what an end-to-end test needs from the machine: binaries on the PATH, root, network
 * namespaces.
 *
 * <p>Outside CI a missing prerequisite <em>skips</em> the test (JUnit assumption), so a developer
 * without SIPp or Kamailio still gets a green unit-test run. With {@code CI=true} the same check
 * <em>fails</em> the test with a message that names what is missing: CI installs everything
 * ({@code .ci/install-deps.sh}), and a silently skipped e2e suite there would hide a broken
 * install step.
 */
public final class Prerequisites {
    private Prerequisites() {}

    /** True when running in CI ({@code CI=true}), where missing prerequisites are failures. */
    public static boolean isCi() {
        return "true".equalsIgnoreCase(System.getenv("CI"));
    }

    /** Requires each command to be an executable on the PATH (or in /usr/sbin, /sbin). */
    public static void requireCommands(String... commands) {
        for (String command : commands) {
            if (which(command) == null) {
                unmet("command '" + command + "' not found on PATH (install: .ci/install-deps.sh)");
            }
        }
    }

    /** Requires at least one of the commands (e.g. nft or iptables for the NAT). */
    public static String requireAnyCommand(String... commands) {
        for (String command : commands) {
            if (which(command) != null) {
                return command;
            }
        }
        unmet("none of " + List.of(commands) + " found on PATH (install: .ci/install-deps.sh)");
        return null; // not reached: unmet() throws
    }

    /** Requires uid 0: namespaces, veth pairs and NAT rules need CAP_SYS_ADMIN/CAP_NET_ADMIN. */
    public static void requireRoot() {
        if (!"root".equals(System.getProperty("user.name")) && !uidIsZero()) {
            unmet("must run as root (network namespaces, veth pairs, NAT rules)");
        }
    }

    /**
     * Requires that a network namespace can be created here. {@code unshare --net true} creates
     * an anonymous namespace that disappears with the process: nothing to clean up. Containers
     * without CAP_SYS_ADMIN fail this even as root.
     */
    public static void requireNetns() {
        requireCommands("ip", "unshare");
        if (!runsCleanly(List.of("unshare", "--net", "true"))) {
            unmet("cannot create a network namespace (unshare --net failed: no CAP_SYS_ADMIN?)");
        }
    }

    /** The absolute path of an executable named {@code command}, or null. */
    public static Path which(String command) {
        String path = System.getenv().getOrDefault("PATH", "/usr/bin:/bin");
        for (String dir : (path + ":/usr/sbin:/sbin").split(File.pathSeparator)) {
            if (dir.isEmpty()) {
                continue;
            }
            Path candidate = Path.of(dir, command);
            if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
                return candidate;
            }
        }
        return null;
    }

    private static boolean uidIsZero() {
        try {
            return Files.readAllLines(Path.of("/proc/self/status")).stream()
                    .filter(l -> l.startsWith("Uid:"))
                    .anyMatch(l -> l.split("\\s+")[1].equals("0"));
        } catch (IOException e) {
            return false;
        }
    }

    private static boolean runsCleanly(List<String> command) {
        try {
            Process p = new ProcessBuilder(command)
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .start();
            if (!p.waitFor(Duration.ofSeconds(10).toMillis(), TimeUnit.MILLISECONDS)) {
                p.destroyForcibly();
                return false;
            }
            return p.exitValue() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private static void unmet(String what) {
        if (isCi()) {
            fail("e2e prerequisite missing in CI (CI=true): " + what);
        }
        Assumptions.abort("e2e prerequisite missing, test skipped: " + what);
    }
}

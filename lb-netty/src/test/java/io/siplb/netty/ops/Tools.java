package io.siplb.netty.ops;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * The real operator tools the deploy kit is checked with (promtool, prometheus, SIPp,
 * systemd-analyze). Missing locally: the test is skipped. With {@code CI=true}: it fails, naming
 * the package, since CI installs them ({@code .ci/install-deps.sh}) and a silent skip there would
 * hide a broken install step.
 */
final class Tools {

    private Tools() {}

    static boolean isCi() {
        return "true".equalsIgnoreCase(System.getenv("CI"));
    }

    /** The executable {@code command} from PATH; skips (or fails in CI) when absent. */
    static Path require(String command, String debianPackage) {
        Path p = which(command);
        if (p == null) {
            String why = "'" + command + "' not found on PATH (Debian package " + debianPackage
                    + ", installed by .ci/install-deps.sh)";
            if (isCi()) {
                fail(why);
            }
            Assumptions.abort(why);
        }
        return p;
    }

    /** The executable {@code command} from PATH, or null; never fails. */
    static Path which(String command) {
        String path = System.getenv().getOrDefault("PATH", "") + File.pathSeparator + "/usr/sbin:/sbin";
        for (String dir : path.split(File.pathSeparator)) {
            if (dir.isEmpty()) {
                continue;
            }
            Path p = Path.of(dir, command);
            if (Files.isExecutable(p)) {
                return p;
            }
        }
        return null;
    }

    /** The output (stdout and stderr) and exit code of a finished command. */
    record Result(int exit, String output) {}

    /** Runs {@code command} with {@code stdin} (or none) and waits up to {@code timeout}. */
    static Result run(Duration timeout, String stdin, List<String> command) throws IOException, InterruptedException {
        Path out = Files.createTempFile("siplb-tool", ".out");
        try {
            ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(out.toFile());
            if (stdin == null) {
                pb.redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
            }
            Process p = pb.start();
            if (stdin != null) {
                try (var in = p.getOutputStream()) {
                    in.write(stdin.getBytes(StandardCharsets.UTF_8));
                }
            }
            if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                p.destroyForcibly().waitFor();
                fail(command + " did not finish within " + timeout + ":\n" + Files.readString(out));
            }
            return new Result(p.exitValue(), Files.readString(out));
        } finally {
            Files.deleteIfExists(out);
        }
    }

    /** The repository root: the nearest directory up from the working directory with {@code deploy/}. */
    static Path repoRoot() {
        Path dir = Path.of("").toAbsolutePath();
        while (dir != null && !Files.isDirectory(dir.resolve("deploy"))) {
            dir = dir.getParent();
        }
        if (dir == null) {
            fail("no deploy/ directory above " + Path.of("").toAbsolutePath());
        }
        return dir;
    }
}

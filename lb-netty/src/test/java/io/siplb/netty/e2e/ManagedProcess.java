package io.siplb.netty.e2e;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.OptionalInt;
import java.util.concurrent.TimeUnit;

/**
 * One external process a test started: its PID, its combined stdout/stderr in a log file, and
 * bounded ways to wait for it and to end it.
 *
 * <p>Ending is always by this process' own PID (and, as a last resort, by the PIDs of its own
 * descendants as seen just before), never by name: several engineers run SIPp and Kamailio on
 * the same machine. Every wait has a time limit. {@link #close()} ends the process, so
 * try-with-resources or an {@code @AfterEach} cleans up even when an assertion fails.
 */
public final class ManagedProcess implements AutoCloseable {
    private final String name;
    private final Process process;
    private final Path log;

    private ManagedProcess(String name, Process process, Path log) {
        this.name = name;
        this.process = process;
        this.log = log;
    }

    /**
     * Starts {@code command} in {@code dir}, stdout and stderr to {@code log}, stdin closed (a
     * tool waiting for a key must never hang a test).
     */
    public static ManagedProcess start(String name, List<String> command, Path dir, Path log) {
        try {
            Files.createDirectories(dir);
            Process p = new ProcessBuilder(command)
                    .directory(dir.toFile())
                    .redirectErrorStream(true)
                    .redirectOutput(log.toFile())
                    .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()))
                    .start();
            return new ManagedProcess(name, p, log);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + name + ": " + command, e);
        }
    }

    public String name() {
        return name;
    }

    public long pid() {
        return process.pid();
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    public Path log() {
        return log;
    }

    /** Waits up to {@code timeout} for the exit; the exit code, or empty if still running. */
    public OptionalInt awaitExit(Duration timeout) {
        try {
            if (process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                return OptionalInt.of(process.exitValue());
            }
            return OptionalInt.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return OptionalInt.empty();
        }
    }

    /** Sends {@code signal} (e.g. "USR1") to this PID only, if it is still alive. */
    public void signal(String signal) {
        if (!process.isAlive()) {
            return;
        }
        try {
            Process kill = new ProcessBuilder("kill", "-s", signal, Long.toString(process.pid()))
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .start();
            kill.waitFor(5, TimeUnit.SECONDS);
        } catch (IOException e) {
            throw new UncheckedIOException("kill -s " + signal + " " + process.pid(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * SIGTERM, up to {@code grace} to exit, then SIGKILL. Descendants (Kamailio's workers) that
     * outlive their parent are killed by their PIDs, taken before the TERM.
     */
    public void stop(Duration grace) {
        List<ProcessHandle> descendants = process.descendants().toList();
        if (process.isAlive()) {
            process.destroy(); // SIGTERM to this PID
            if (awaitExit(grace).isEmpty()) {
                process.destroyForcibly();
                awaitExit(Duration.ofSeconds(5));
            }
        }
        for (ProcessHandle child : descendants) {
            if (child.isAlive()) {
                child.destroyForcibly();
            }
        }
    }

    /** The last {@code maxChars} characters of the log, for assertion messages. */
    public String logTail(int maxChars) {
        try {
            if (!Files.exists(log)) {
                return "";
            }
            byte[] bytes = Files.readAllBytes(log);
            int from = Math.max(0, bytes.length - maxChars);
            return new String(bytes, from, bytes.length - from, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "(cannot read " + log + ": " + e + ")";
        }
    }

    @Override
    public void close() {
        stop(Duration.ofSeconds(5));
    }

    @Override
    public String toString() {
        return name + "[pid " + process.pid() + "]";
    }
}

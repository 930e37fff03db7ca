package io.siplb.netty.ha;

import io.siplb.netty.e2e.ManagedProcess;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;

/**
 * SIPp in one lab node: a UAC (with a remote) or a UAS, in the foreground of {@code ip netns
 * exec}, bounded by SIPp's own {@code -timeout} and by the test's waits; stopped by PID. The
 * scenario's {@code <log>} lines go to {@code NAME-logs.log} in the lab directory, its errors
 * to {@code NAME-errors.log}.
 */
final class LabSipp implements AutoCloseable {

    private final ManagedProcess process;
    private final Path dir;
    private final String name;

    private LabSipp(ManagedProcess process, Path dir, String name) {
        this.process = process;
        this.dir = dir;
        this.name = name;
    }

    /** Copies the test resource {@code resource} (e.g. "/ha/options-uac.xml") into the lab directory. */
    static Path scenario(HaLab lab, String resource) {
        Path target = lab.dir().resolve(resource.substring(resource.lastIndexOf('/') + 1));
        try (InputStream in = LabSipp.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("no test resource " + resource);
            }
            Files.copy(in, target, StandardCopyOption.REPLACE_EXISTING);
            return target;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Starts SIPp in {@code node}: {@code -sf scenario -i ip -p port} plus {@code extra}
     * ({@code -m}, {@code -r}, {@code -key}, the remote host:port...), at most {@code lifetime}.
     */
    static LabSipp start(HaLab lab, String node, String name, Path scenario, String ip, int port, Duration lifetime,
                         List<String> extra) {
        Path dir = lab.dir();
        List<String> cmd = new ArrayList<>(List.of("sipp", "-sf", scenario.toString(), "-i", ip, "-p",
                Integer.toString(port), "-nostdin", "-timeout", lifetime.toSeconds() + "s",
                "-trace_logs", "-log_file", dir.resolve(name + "-logs.log").toString(),
                "-trace_err", "-error_file", dir.resolve(name + "-errors.log").toString(),
                "-trace_stat", "-stf", dir.resolve(name + "-stat.csv").toString()));
        cmd.addAll(extra);
        return new LabSipp(lab.start(node, name, cmd), dir, name);
    }

    /** Lines the scenario's {@code <log>} actions wrote so far. */
    List<String> logLines() {
        Path log = dir.resolve(name + "-logs.log");
        try {
            return Files.exists(log) ? Files.readAllLines(log, StandardCharsets.ISO_8859_1) : List.of();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Waits for SIPp to end by itself; the exit code (0: every call succeeded), or empty. */
    OptionalInt awaitExit(Duration limit) {
        return process.awaitExit(limit);
    }

    boolean isAlive() {
        return process.isAlive();
    }

    /** The output and the head of the error log, for assertion messages. */
    String diagnostics() {
        Path errors = dir.resolve(name + "-errors.log");
        String e;
        try {
            e = Files.exists(errors) ? Files.readString(errors, StandardCharsets.ISO_8859_1) : "(none)";
        } catch (IOException x) {
            e = x.toString();
        }
        return "--- " + name + " output:\n" + process.logTail(1500) + "\n--- errors:\n"
                + (e.length() > 1500 ? e.substring(0, 1500) + "..." : e);
    }

    @Override
    public void close() {
        process.stop(Duration.ofSeconds(3));
    }

    @Override
    public String toString() {
        return process.toString();
    }
}

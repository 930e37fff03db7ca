package io.siplb.netty.e2e;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalInt;

/**
 * A SIPp process started by a test: a UAC ({@link Builder#remote} set) or a UAS (no remote: SIPp
 * server mode), in the foreground ({@code -bg} would detach it and hide its PID and exit code).
 *
 * <p>Every run is bounded twice: SIPp's own {@code -timeout} (it quits by itself even if the
 * JVM dies) and the test's bounded waits. What a test asserts on comes from SIPp's own files in
 * the work directory, named after the process: {@code NAME-stat.csv} (final statistics, see
 * {@link SippStats}), {@code NAME-logs.log} (the scenario's {@code <log>} actions, see
 * {@link BackendLog}), {@code NAME-errors.log}, {@code NAME-screen.log} (the final screen), and
 * with {@link Builder#traceMessages()} every message sent and received
 * ({@code NAME-messages.log}).
 *
 * <p>Exit codes (SIPp 3.6): 0 all calls succeeded, 1 at least one failed, 97 stopped by
 * command, 99 normal exit without calls, 255/254 fatal (e.g. cannot bind).
 *
 * <p>SIPp is Debian's {@code sipp}, except with {@link Builder#tls}: then {@code sipp-tls} (SIPp
 * 3.8 with TLS, installed by {@code .ci/install-sipp-tls.sh}; Debian 12's SIPp has no TLS).
 */
final class SippProcess implements AutoCloseable {
    private final ManagedProcess process;
    private final Builder spec;

    private SippProcess(ManagedProcess process, Builder spec) {
        this.process = process;
        this.spec = spec;
    }

    /** A new builder for a SIPp run of {@code scenario} (a file), outputs in {@code workDir}. */
    static Builder builder(String name, Path scenario, Path workDir) {
        return new Builder(name, scenario, workDir);
    }

    long pid() {
        return process.pid();
    }

    /** Waits for SIPp to end by itself (a UAC after {@code -m} calls); the exit code or empty. */
    OptionalInt awaitExit(Duration timeout) {
        return process.awaitExit(timeout);
    }

    /**
     * Waits for the end; fails with SIPp's diagnostics if it does not end in time. Returns the
     * final statistics with the exit code.
     */
    Result awaitResult(Duration timeout) {
        OptionalInt code = process.awaitExit(timeout);
        if (code.isEmpty()) {
            process.stop(Duration.ofSeconds(3));
            throw new AssertionError(spec.name + " did not finish within " + timeout + "\n" + diagnostics());
        }
        return new Result(code.getAsInt(), stats());
    }

    /**
     * Soft stop of a UAS: SIGUSR1 makes SIPp stop taking new calls, finish the open ones and
     * write its final statistics; SIGTERM/SIGKILL after {@code grace}.
     */
    Result stopSoftly(Duration grace) {
        process.signal("USR1");
        OptionalInt code = process.awaitExit(grace);
        if (code.isEmpty()) {
            process.stop(Duration.ofSeconds(3));
            code = process.awaitExit(Duration.ofSeconds(1));
        }
        return new Result(code.orElse(-1), stats());
    }

    /** The final (or latest) statistics from {@code NAME-stat.csv}. */
    SippStats stats() {
        return SippStats.parse(file("stat.csv"));
    }

    /** Lines written by the scenario's {@code <log>} actions. */
    List<String> logLines() {
        Path log = file("logs.log");
        try {
            return Files.exists(log) ? Files.readAllLines(log, StandardCharsets.ISO_8859_1) : List.of();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The head of the error log and the final screen: what to show when an assertion fails. */
    String diagnostics() {
        return "--- " + spec.name + " (pid " + process.pid() + ") errors:\n" + head(file("errors.log"), 3000)
                + "\n--- screen:\n" + head(file("screen.log"), 3000)
                + "\n--- output:\n" + process.logTail(2000);
    }

    /** {@code workDir/NAME-suffix}. */
    Path file(String suffix) {
        return spec.workDir.resolve(spec.name + "-" + suffix);
    }

    @Override
    public void close() {
        process.stop(Duration.ofSeconds(3));
    }

    @Override
    public String toString() {
        return process.toString();
    }

    private static String head(Path file, int maxChars) {
        try {
            if (!Files.exists(file)) {
                return "(none)";
            }
            String s = Files.readString(file, StandardCharsets.ISO_8859_1);
            return s.length() <= maxChars ? s : s.substring(0, maxChars) + "\n...";
        } catch (IOException e) {
            return "(cannot read " + file + ")";
        }
    }

    /** Exit code and final statistics of a finished SIPp run. */
    record Result(int exitCode, SippStats stats) {}

    /** Options of one SIPp run; {@link #start()} launches it. */
    static final class Builder {
        private final String name;
        private final Path scenario;
        private final Path workDir;
        private SipTransport transport = SipTransport.UDP;
        private String localIp = "127.0.0.1";
        private int localPort;
        private String remote;
        private long calls = -1;
        private double rate = 10;
        private int callLimit;
        private Path injection;
        private final Map<String, String> keys = new LinkedHashMap<>();
        private Duration lifetime = Duration.ofSeconds(60);
        private Duration recvTimeout = Duration.ofSeconds(8);
        private String netns;
        private String cpus;
        private boolean traceMessages;
        private Tls tls;

        private Builder(String name, Path scenario, Path workDir) {
            this.name = Objects.requireNonNull(name, "name");
            this.scenario = Objects.requireNonNull(scenario, "scenario");
            this.workDir = Objects.requireNonNull(workDir, "workDir");
        }

        Builder transport(SipTransport t) {
            this.transport = t;
            return this;
        }

        /** Local address for the socket, Via, Contact ({@code -i}, {@code -p}). Port required. */
        Builder local(String ip, int port) {
            this.localIp = ip;
            this.localPort = port;
            return this;
        }

        /** Where a UAC sends its requests ({@code host:port}); omit for a UAS. */
        Builder remote(String hostPort) {
            this.remote = hostPort;
            return this;
        }

        /** {@code -m}: stop after this many calls. */
        Builder calls(long count) {
            this.calls = count;
            return this;
        }

        /** {@code -r}: new calls per second. */
        Builder rate(double callsPerSecond) {
            this.rate = callsPerSecond;
            return this;
        }

        /**
         * {@code -l}: calls open at once before SIPp holds back new ones (its default is three
         * times the rate; a client whose calls wait long for answers needs more to keep its rate).
         */
        Builder callLimit(int calls) {
            this.callLimit = calls;
            return this;
        }

        /** {@code -inf}: injection CSV ({@link InjectionFile}), one line per call. */
        Builder injection(Path csv) {
            this.injection = csv;
            return this;
        }

        /** {@code -key name value}: the scenario's {@code [name]} keyword. */
        Builder key(String key, String value) {
            keys.put(key, value);
            return this;
        }

        /** {@code -timeout}: SIPp quits by itself after this, whatever happens to the test. */
        Builder lifetime(Duration d) {
            this.lifetime = d;
            return this;
        }

        /** {@code -recv_timeout}: a call waiting longer than this for a message fails. */
        Builder recvTimeout(Duration d) {
            this.recvTimeout = d;
            return this;
        }

        /** Runs SIPp inside this network namespace ({@code ip netns exec}, which execs: same PID). */
        Builder netns(String namespace) {
            this.netns = namespace;
            return this;
        }

        /** Runs SIPp on these CPUs only ({@code taskset -c}, which execs: same PID); null: anywhere. */
        Builder cpus(String cpuList) {
            this.cpus = cpuList;
            return this;
        }

        /** {@code -trace_msg}: log every message to {@code NAME-messages.log}. */
        Builder traceMessages() {
            this.traceMessages = true;
            return this;
        }

        /**
         * SIP over TLS for a client ({@link #remote} set), one connection for all calls
         * ({@code sipp-tls -t l1}); replaces {@link #transport}. {@code ca} (a PEM file, may be
         * null) makes SIPp verify the peer's certificate ({@code -tls_ca}); {@code version}
         * ({@code 1.3}, {@code 1.2}, or null: negotiated) is {@code -tls_version}. The client
         * presents no certificate (SIPp 3.8: no {@code -tls_cert}/{@code -tls_key} and no
         * {@code cacert.pem} in the work directory).
         */
        Builder tls(Path ca, String version) {
            this.tls = new Tls(ca, version);
            return this;
        }

        /**
         * Starts SIPp. A UAS is returned once its SIP port is bound (bounded wait), so a client
         * started next never races it.
         */
        SippProcess start() {
            if (localPort <= 0) {
                throw new IllegalStateException(name + ": local port required (expected: PortAllocator or a lab port)");
            }
            if (tls != null && remote == null) {
                throw new IllegalStateException(name + ": tls() is for clients (a server needs -tls_cert, -tls_key)");
            }
            List<String> cmd = new ArrayList<>();
            if (netns != null) {
                cmd.addAll(List.of("ip", "netns", "exec", netns));
            }
            if (cpus != null) {
                cmd.addAll(List.of("taskset", "-c", cpus));
            }
            cmd.addAll(List.of(tls != null ? "sipp-tls" : "sipp", "-sf", scenario.toAbsolutePath().toString(),
                    "-t", tls != null ? "l1" : transport.sippMode(),
                    "-i", localIp, "-p", Integer.toString(localPort),
                    "-nostdin", "-timeout", lifetime.toSeconds() + "s",
                    "-recv_timeout", Long.toString(recvTimeout.toMillis()),
                    "-trace_stat", "-stf", file("stat.csv").toString(), "-fd", "1",
                    "-trace_err", "-error_file", file("errors.log").toString(),
                    "-trace_logs", "-log_file", file("logs.log").toString(),
                    "-trace_screen", "-screen_file", file("screen.log").toString()));
            if (tls != null) {
                if (tls.ca != null) {
                    cmd.addAll(List.of("-tls_ca", tls.ca.toAbsolutePath().toString()));
                }
                if (tls.version != null) {
                    cmd.addAll(List.of("-tls_version", tls.version));
                }
            }
            if (traceMessages) {
                cmd.addAll(List.of("-trace_msg", "-message_file", file("messages.log").toString()));
            }
            if (injection != null) {
                cmd.addAll(List.of("-inf", injection.toAbsolutePath().toString()));
            }
            keys.forEach((k, v) -> cmd.addAll(List.of("-key", k, v)));
            if (calls > 0) {
                cmd.addAll(List.of("-m", Long.toString(calls)));
            }
            if (callLimit > 0) {
                cmd.addAll(List.of("-l", Integer.toString(callLimit)));
            }
            if (remote != null) {
                String r = rate == Math.rint(rate) ? Long.toString((long) rate) : Double.toString(rate);
                cmd.addAll(List.of("-r", r, "-timeout_error", remote));
            }
            ManagedProcess p = ManagedProcess.start(name, cmd, workDir, file("out.log"));
            SippProcess sipp = new SippProcess(p, this);
            if (remote == null && !PortProbe.awaitBound(p, transport, Duration.ofSeconds(10), localPort)) {
                String d = sipp.diagnostics();
                sipp.close();
                throw new IllegalStateException(name + " did not bind " + transport + " " + localIp + ":"
                        + localPort + " within 10 s\n" + d);
            }
            return sipp;
        }

        private Path file(String suffix) {
            return workDir.resolve(name + "-" + suffix);
        }

        private record Tls(Path ca, String version) {}
    }
}

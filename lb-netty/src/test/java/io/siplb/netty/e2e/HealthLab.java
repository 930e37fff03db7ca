package io.siplb.netty.e2e;

import io.siplb.config.ConfigLoader;
import io.siplb.health.BackendStatus;
import io.siplb.health.HealthState;
import io.siplb.netty.Assembly;
import io.siplb.netty.SiplbServer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.stream.Collectors;

/**
 * The setting of the health e2e tests ({@code Health*E2ETest}): SIPp home proxies that answer
 * OPTIONS ({@code sipp/uas-health-backend.xml}), and siplb in this JVM with health checking on
 * (fast timing: interval 500ms, timeout 250ms, rise 2, fall 2, no jitter, so a dead backend is out
 * within 1.25 s), its configuration in a file it can reload. The backends can be frozen
 * (SIGSTOP: the port stays open, nothing answers), resumed, or killed (the port closes).
 */
final class HealthLab implements AutoCloseable {
    static final String DOMAIN = "e2e.invalid";
    static final Duration INTERVAL = Duration.ofMillis(500);
    static final Duration TIMEOUT = Duration.ofMillis(250);
    static final int RISE = 2;
    static final int FALL = 2;
    static final String HEALTH = "health: {interval: 500ms, timeout: 250ms, rise: 2, fall: 2, jitter: 0}\n";

    final Path dir;
    final Map<String, SippProcess> backends = new LinkedHashMap<>();
    final Map<String, Integer> ports = new LinkedHashMap<>();
    final int lbPort = PortAllocator.freePort();
    final int adminPort = PortAllocator.freePort();
    final Path config;
    SiplbServer server;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();

    /** Starts {@code running} SIPp backends b1..bN; siplb is configured with the first {@code configured}. */
    HealthLab(String name, int running, int configured) {
        Prerequisites.requireCommands("sipp");
        dir = RunDirectory.create(name);
        config = dir.resolve("siplb.yaml");
        Path scenario = TestResources.scenario("uas-health-backend.xml", dir);
        for (int i = 1; i <= running; i++) {
            String id = "b" + i;
            int port = PortAllocator.freePort();
            ports.put(id, port);
            backends.put(id, SippProcess.builder(id, scenario, dir).local("127.0.0.1", port)
                    .lifetime(Duration.ofSeconds(90)).start());
        }
        writeConfig(configured, "");
        server = new SiplbServer(Assembly.of(ConfigLoader.load(config)), 2).configFile(config);
        try {
            server.start();
        } catch (Exception e) {
            close();
            throw new IllegalStateException("siplb did not start: " + e, e);
        }
    }

    /** Writes the configuration with backends b1..b{@code count}, plus {@code extra} YAML. */
    void writeConfig(int count, String extra) {
        StringBuilder yaml = new StringBuilder()
                .append("listen: [udp://127.0.0.1:").append(lbPort).append("]\n")
                .append("domains: [").append(DOMAIN).append("]\n")
                .append("backends:\n");
        for (int i = 1; i <= count; i++) {
            yaml.append("  - {id: b").append(i).append(", uri: \"sip:127.0.0.1:").append(ports.get("b" + i))
                    .append("\"}\n");
        }
        yaml.append(HEALTH)
                .append("flow-token: {secret: \"e2e-test-key-0123456789abcdef\"}\n")
                .append("admin: {listen: 127.0.0.1:").append(adminPort).append("}\n")
                .append(extra);
        write(yaml.toString());
    }

    String readConfig() {
        try {
            return Files.readString(config);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    void write(String text) {
        try {
            Files.writeString(config, text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The health state of every backend, by id. */
    Map<String, HealthState> states() {
        try {
            Map<String, HealthState> m = new LinkedHashMap<>();
            for (BackendStatus s : server.healthMonitor().statuses().get(2, TimeUnit.SECONDS)) {
                m.put(s.backend().id(), s.state());
            }
            return m;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Polls every 10 ms until {@code backend} is in {@code state}; the time it took, or fails
     * after {@code limit}.
     */
    Duration awaitState(String backend, HealthState state, Duration limit) {
        long start = System.nanoTime();
        while (System.nanoTime() - start < limit.toNanos()) {
            if (states().get(backend) == state) {
                return Duration.ofNanos(System.nanoTime() - start);
            }
            PortProbe.sleep(Duration.ofMillis(10));
        }
        throw new AssertionError(backend + " not " + state + " within " + limit + ": " + states());
    }

    /** Waits until every backend siplb knows is UP (first probes answered {@code rise} times). */
    void awaitAllUp(Duration limit) {
        long start = System.nanoTime();
        while (System.nanoTime() - start < limit.toNanos()) {
            if (states().values().stream().allMatch(s -> s == HealthState.UP)) {
                return;
            }
            PortProbe.sleep(Duration.ofMillis(20));
        }
        throw new AssertionError("backends not all UP within " + limit + ": " + states());
    }

    /** {@code POST path} on the admin listener: status and body. */
    HttpResponse<String> post(String path) {
        return send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + adminPort + path))
                .timeout(Duration.ofSeconds(10)).POST(HttpRequest.BodyPublishers.noBody()).build());
    }

    HttpResponse<String> get(String path) {
        return send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + adminPort + path))
                .timeout(Duration.ofSeconds(5)).GET().build());
    }

    private HttpResponse<String> send(HttpRequest request) {
        try {
            return http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** A UAC run of {@code scenario} for {@code users} (one call each, in order, repeated to {@code calls}). */
    SippProcess uac(String name, String scenario, List<String> users, long calls, double rate) {
        Path csv = InjectionFile.write(dir.resolve(name + "-users.csv"), users);
        return SippProcess.builder(name, TestResources.scenario(scenario, dir), dir)
                .local("127.0.0.1", PortAllocator.freePort())
                .remote("127.0.0.1:" + lbPort)
                .injection(csv)
                .key("domain", DOMAIN)
                .key("callee", "callee")
                .calls(calls)
                .rate(rate)
                .recvTimeout(Duration.ofSeconds(3))
                .lifetime(Duration.ofSeconds(50))
                .start();
    }

    /** Every request a backend logged, parsed. */
    List<BackendLog.Entry> entries() {
        List<BackendLog.Entry> all = new ArrayList<>();
        backends.forEach((id, b) -> all.addAll(BackendLog.parse(id, b.logLines())));
        return all;
    }

    /**
     * Where the REGISTERs a UAC sent from {@code uacPort} went: user → the backends that got them.
     * (The UAC's port is in the client Via each backend logged, so runs are told apart.)
     */
    Map<String, Set<String>> registersFrom(SippProcess uac, Predicate<BackendLog.Entry> filter) {
        String port = ":" + uacPortOf(uac) + ";";
        Map<String, Set<String>> m = new HashMap<>();
        for (BackendLog.Entry e : entries()) {
            if (e.method().equals("REGISTER") && e.clientVia().contains(port) && filter.test(e)) {
                m.computeIfAbsent(e.user(), u -> new TreeSet<>()).add(e.backend());
            }
        }
        return m;
    }

    /** Each user's one backend in a clean run (fails when a user reached two). */
    Map<String, String> homes(SippProcess uac) {
        Map<String, String> homes = new HashMap<>();
        registersFrom(uac, e -> true).forEach((user, where) -> {
            if (where.size() != 1) {
                throw new AssertionError(user + " reached " + where + " in " + uac);
            }
            homes.put(user, where.iterator().next());
        });
        return homes;
    }

    /** The local port of each UAC started by {@link #register}: it is in the client Via the backends log. */
    private final Map<SippProcess, Integer> uacPorts = new HashMap<>();

    private int uacPortOf(SippProcess uac) {
        Integer p = uacPorts.get(uac);
        if (p == null) {
            throw new IllegalStateException("not a UAC of register(): " + uac);
        }
        return p;
    }

    /** Sends {@code signal} (STOP, CONT, KILL) to backend {@code id}'s SIPp, by its own PID. */
    void signal(String id, String signal) {
        try {
            Process kill = new ProcessBuilder("kill", "-s", signal, Long.toString(backends.get(id).pid()))
                    .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            if (!kill.waitFor(5, TimeUnit.SECONDS) || kill.exitValue() != 0) {
                throw new IllegalStateException("kill -s " + signal + " " + id + " failed");
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Like {@link #uac} and remembers the UAC's port for {@link #registersFrom}. */
    SippProcess register(String name, List<String> users, long calls, double rate) {
        int port = PortAllocator.freePort();
        Path csv = InjectionFile.write(dir.resolve(name + "-users.csv"), users);
        SippProcess p = SippProcess.builder(name, TestResources.scenario("uac-register.xml", dir), dir)
                .local("127.0.0.1", port)
                .remote("127.0.0.1:" + lbPort)
                .injection(csv)
                .key("domain", DOMAIN)
                .calls(calls)
                .rate(rate)
                .recvTimeout(Duration.ofSeconds(3))
                .lifetime(Duration.ofSeconds(50))
                .start();
        uacPorts.put(p, port);
        return p;
    }

    static Map<String, Long> count(Map<String, String> homes) {
        return homes.values().stream().collect(Collectors.groupingBy(b -> b, java.util.TreeMap::new,
                Collectors.counting()));
    }

    String diagnostics() {
        return "states " + (server == null ? "-" : states()) + "\n" + dir;
    }

    @Override
    public void close() {
        if (server != null) {
            server.stop();
            server = null;
        }
        for (SippProcess b : backends.values()) {
            b.close();
        }
    }
}

package io.siplb.netty.e2e;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * siplb as the load balancer under test: {@code java -jar lb-netty/target/siplb.jar run
 * --config FILE}, ready when {@code GET http://127.0.0.1:ADMIN/health} answers 200.
 *
 * <p>The config comes from the template {@code e2e/siplb/siplb.yaml} with {@code ${NAME}}
 * placeholders ({@code HOST}, {@code UDP_PORT}, {@code TCP_PORT}, {@code ADMIN_PORT},
 * {@code BACKENDS} - a YAML list, {@code FLOW_KEY}): when lb-config's schema changes, only the
 * template changes. The jar is found through {@code SIPLB_REPO_ROOT} (set by the root pom's
 * surefire configuration) or system property {@code siplb.jar}.
 */
final class SiplbLb implements LoadBalancerUnderTest {
    /** A fixed test key: flow tokens must verify across restarts within one run. */
    private static final String FLOW_KEY = "e2e-test-key-0123456789abcdef0123456789abcdef";

    private ManagedProcess process;
    private InetSocketAddress address;
    private Path config;
    private Path jar;

    @Override
    public String name() {
        return "siplb";
    }

    @Override
    public void start(Setup setup) {
        Prerequisites.requireCommands("java", "timeout");
        jar = jar();
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException("siplb jar not found: " + jar + " (build it: mvn -pl lb-netty package)");
        }
        int admin = setup.netns() == null ? PortAllocator.freePort() : 8080;
        config = setup.workDir().resolve("siplb.yaml");
        try {
            Files.createDirectories(setup.workDir());
            Files.writeString(config, render(setup, admin));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        List<String> cmd = new ArrayList<>();
        if (setup.netns() != null) {
            cmd.addAll(List.of("ip", "netns", "exec", setup.netns()));
        }
        cmd.addAll(List.of("timeout", "-k", "5", setup.lifetime().toSeconds() + "s",
                "java", "-Xmx256m", "-jar", jar.toString(), "run", "--config", config.toString()));
        process = ManagedProcess.start("siplb", cmd, setup.workDir(), setup.workDir().resolve("siplb.log"));
        if (!awaitHealthy(setup.netns(), admin, Duration.ofSeconds(30))) {
            String log = process.logTail(3000);
            stop();
            throw new IllegalStateException("siplb not healthy on admin port " + admin + " within 30 s:\n" + log);
        }
        address = new InetSocketAddress(setup.host(), setup.udpPort());
    }

    @Override
    public InetSocketAddress address() {
        return address;
    }

    @Override
    public void stop() {
        if (process != null) {
            process.stop(Duration.ofSeconds(10));
        }
    }

    /** {@code siplb hash --config FILE AOR...} prints {@code AOR<TAB>BACKEND_ID} per AOR. */
    @Override
    public Optional<Map<String, String>> expectedBackends(Collection<String> aors) {
        List<String> cmd = new ArrayList<>(List.of("java", "-jar", jar.toString(), "hash", "--config", config.toString()));
        cmd.addAll(aors);
        Path out = config.resolveSibling("hash.out");
        ManagedProcess p = ManagedProcess.start("siplb-hash", cmd, config.getParent(), out);
        if (p.awaitExit(Duration.ofSeconds(60)).orElse(-1) != 0) {
            p.close();
            throw new IllegalStateException("siplb hash failed:\n" + p.logTail(2000));
        }
        try {
            Map<String, String> map = new HashMap<>();
            for (String line : Files.readAllLines(out)) {
                String[] f = line.split("\t");
                if (f.length == 2) {
                    map.put(f[0].trim(), f[1].trim());
                }
            }
            return Optional.of(map);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public String diagnostics() {
        return process == null ? "(siplb not started)" : "--- siplb log:\n" + process.logTail(3000);
    }

    private static Path jar() {
        String explicit = System.getProperty("siplb.jar");
        if (explicit != null) {
            return Path.of(explicit);
        }
        String root = System.getenv().getOrDefault("SIPLB_REPO_ROOT", "..");
        return Path.of(root, "lb-netty", "target", "siplb.jar").toAbsolutePath().normalize();
    }

    private static String render(Setup setup, int admin) {
        String backends = setup.backends().stream()
                .map(b -> "  - id: " + b.id() + "\n    address: \"" + b.host() + ":" + b.port() + "\"")
                .collect(Collectors.joining("\n"));
        return KamailioLb.resourceText("siplb/siplb.yaml")
                .replace("${HOST}", setup.host())
                .replace("${UDP_PORT}", Integer.toString(setup.udpPort()))
                .replace("${TCP_PORT}", Integer.toString(setup.tcpPort() > 0 ? setup.tcpPort() : setup.udpPort()))
                .replace("${ADMIN_PORT}", Integer.toString(admin))
                .replace("${BACKENDS}", backends)
                .replace("${FLOW_KEY}", FLOW_KEY);
    }

    /**
     * Polls /health every 200 ms. Inside a lab namespace the admin port is on that namespace's
     * loopback, unreachable from here, so curl runs inside it.
     */
    private boolean awaitHealthy(String netns, int adminPort, Duration timeout) {
        String url = "http://127.0.0.1:" + adminPort + "/health";
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline && process.isAlive()) {
            if (netns == null ? healthy(http, url) : healthyInNetns(netns, url)) {
                return true;
            }
            PortProbe.sleep(Duration.ofMillis(200));
        }
        return false;
    }

    private static boolean healthy(HttpClient http, String url) {
        try {
            HttpRequest req = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(1)).GET().build();
            return http.send(req, HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private static boolean healthyInNetns(String netns, String url) {
        ManagedProcess curl = ManagedProcess.start("curl", List.of("ip", "netns", "exec", netns,
                "curl", "-fsS", "-m", "1", "-o", "/dev/null", url), Path.of(System.getProperty("java.io.tmpdir")),
                Path.of("/dev/null"));
        return curl.awaitExit(Duration.ofSeconds(3)).orElse(-1) == 0;
    }
}

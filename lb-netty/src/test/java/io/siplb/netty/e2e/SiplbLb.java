package io.siplb.netty.e2e;

import com.google.common.net.InetAddresses;
import io.siplb.config.ConfigLoader;
import io.siplb.netty.cli.Main;
import io.siplb.route.FlowToken;
import io.siplb.route.FlowTokenCodec;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import picocli.CommandLine;

/**
 * siplb as the load balancer under test, configured from the template
 * {@code e2e/siplb/siplb.yaml} ({@code ${NAME}} placeholders: {@code HOST}, {@code DOMAIN},
 * {@code UDP_PORT}, {@code TCP_PORT}, {@code ADMIN_PORT}, {@code BACKENDS} - a YAML list,
 * {@code FLOW_KEY}): when lb-config's schema changes, only the template changes.
 *
 * <p>siplb runs as {@code siplb run} does in production, in a JVM of its own: {@code java -cp
 * <this JVM's class path> io.siplb.netty.cli.Main run --config FILE} (the e2e tests run in the
 * {@code test} phase, before {@code package}, so the shaded jar may not exist yet), under
 * {@code timeout} so it ends even if the test JVM dies, and inside the lab namespace when the
 * setup names one ({@code ip netns exec}). It is ready when {@code GET /health} answers 200
 * (inside a namespace, curl asks from inside it) and is stopped by its PID (SIGTERM, which
 * {@code siplb run} handles, then SIGKILL). Not in this JVM: the test JVM runs with paranoid
 * leak detection, which makes every message cost milliseconds and turns 500 REGISTER/s into
 * retransmissions; siplb's own JVM runs Netty's sampling detector at the advanced level (cheap,
 * with access records), and {@link #leakReports()} lists what it reported.
 *
 * <p>{@link #expectedBackends} calls {@code siplb hash} (the CLI, in this JVM) and
 * {@link #flowOf} decodes flow tokens with the secret of the same file.
 */
final class SiplbLb implements LoadBalancerUnderTest {
    /** A fixed test key: flow tokens must verify across restarts within one run. */
    private static final String FLOW_KEY = "e2e-test-key-0123456789abcdef0123456789abcdef";
    /** The SIP URI's user part: where siplb puts its flow token ({@code <sip:TOKEN@host:port;lr>}). */
    private static final Pattern TOKEN = Pattern.compile("<sips?:([^@>;]+)@");
    private static final Duration READY_LIMIT = Duration.ofSeconds(30);

    private ManagedProcess process;
    private InetSocketAddress address;
    private Path config;
    private FlowTokenCodec tokens;

    @Override
    public String name() {
        return "siplb";
    }

    @Override
    public void start(Setup setup) {
        Prerequisites.requireCommands("timeout");
        if (setup.netns() != null) {
            Prerequisites.requireCommands("curl");
        }
        int admin = setup.netns() == null ? PortAllocator.freePort() : 8080;
        config = setup.workDir().resolve("siplb.yaml");
        try {
            Files.createDirectories(setup.workDir());
            Files.writeString(config, render(setup, admin));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        // a schema mismatch fails here, in the test, with file:line:key
        tokens = FlowTokenCodec.of(ConfigLoader.load(config).flowToken().secret());

        List<String> cmd = new ArrayList<>();
        if (setup.netns() != null) {
            cmd.addAll(List.of("ip", "netns", "exec", setup.netns()));
        }
        cmd.addAll(List.of("timeout", "-k", "5", setup.lifetime().toSeconds() + "s",
                JavaLauncher.java(), JavaLauncher.ENABLE_NATIVE_ACCESS,
                // small and quick to start (C1 only): the tests send at most a few hundred messages a second
                "-Xmx256m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
                // sampled like the default, but a leak report says where the buffer was last touched
                "-Dio.netty.leakDetection.level=advanced",
                "-cp", System.getProperty("java.class.path"),
                "io.siplb.netty.cli.Main", "run", "--config", config.toString()));
        process = ManagedProcess.start("siplb", cmd, setup.workDir(), setup.workDir().resolve("siplb.log"));
        String url = "http://127.0.0.1:" + admin + "/health";
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
        BooleanSupplier healthy = setup.netns() == null
                ? () -> healthy(http, url)
                : () -> healthyInNetns(setup.netns(), url);
        if (!await(healthy, process::isAlive)) {
            String log = process.logTail(3000);
            stop();
            throw new IllegalStateException("siplb not healthy on admin port " + admin
                    + (setup.netns() == null ? "" : " in " + setup.netns()) + " within " + READY_LIMIT + ":\n" + log);
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

    /** {@code siplb hash --config FILE AOR...}, run in this JVM: {@code AOR<TAB>BACKEND_ID} per AOR. */
    @Override
    public Optional<Map<String, String>> expectedBackends(Collection<String> aors) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cli = Main.commandLine(InputStream.nullInputStream());
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        List<String> args = new ArrayList<>(List.of("hash", "--config", config.toString()));
        args.addAll(aors);
        int code = cli.execute(args.toArray(String[]::new));
        if (code != 0) {
            throw new IllegalStateException("siplb hash exited " + code + ":\n" + err);
        }
        Map<String, String> map = new HashMap<>();
        for (String line : out.toString().split("\n")) {
            String[] f = line.split("\t");
            if (f.length == 2) {
                map.put(f[0].trim(), f[1].trim());
            }
        }
        return Optional.of(map);
    }

    /** Verifies and decodes the flow token in the URI's user part with the configured secret. */
    @Override
    public Optional<Flow> flowOf(String pathOrRecordRoute) {
        Matcher m = TOKEN.matcher(pathOrRecordRoute);
        if (!m.find()) {
            return Optional.empty();
        }
        FlowToken flow = tokens.decode(m.group(1));
        if (flow == null) {
            return Optional.empty();
        }
        return Optional.of(new Flow(flow.transport().name(), InetAddresses.toAddrString(flow.address()), flow.port()));
    }

    @Override
    public String diagnostics() {
        return process == null
                ? "(siplb not started)"
                : "--- siplb log (" + process.log() + "):\n" + process.logTail(3000);
    }

    /**
     * Netty's leak reports ({@code LEAK: ...} lines) in siplb's log: a buffer siplb allocated and
     * never released, found by the default (sampling) detector when it was collected. Best
     * effort: an unsampled or uncollected leak is not reported.
     */
    @Override
    public List<String> leakReports() {
        if (process == null || !Files.exists(process.log())) {
            return List.of();
        }
        try {
            return Files.readAllLines(process.log(), StandardCharsets.UTF_8).stream()
                    .filter(l -> l.contains("LEAK:"))
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String render(Setup setup, int admin) {
        String backends = setup.backends().stream()
                .map(b -> "  - id: " + b.id() + "\n    uri: sip:" + b.host() + ":" + b.port())
                .collect(Collectors.joining("\n"));
        return KamailioLb.resourceText("siplb/siplb.yaml")
                .replace("${HOST}", setup.host())
                .replace("${DOMAIN}", setup.domain())
                .replace("${UDP_PORT}", Integer.toString(setup.udpPort()))
                .replace("${TCP_PORT}", Integer.toString(setup.tcpPort() > 0 ? setup.tcpPort() : setup.udpPort()))
                .replace("${ADMIN_PORT}", Integer.toString(admin))
                .replace("${BACKENDS}", backends)
                .replace("${FLOW_KEY}", FLOW_KEY);
    }

    /** Polls {@code ready} every 100 ms while {@code alive}, up to {@link #READY_LIMIT}. */
    private static boolean await(BooleanSupplier ready, BooleanSupplier alive) {
        long deadline = System.nanoTime() + READY_LIMIT.toNanos();
        while (System.nanoTime() < deadline && alive.getAsBoolean()) {
            if (ready.getAsBoolean()) {
                return true;
            }
            PortProbe.sleep(Duration.ofMillis(100));
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

    /** Inside a lab namespace the admin port is on that namespace's loopback: curl runs inside it. */
    private static boolean healthyInNetns(String netns, String url) {
        ManagedProcess curl = ManagedProcess.start("curl", List.of("ip", "netns", "exec", netns,
                "curl", "-fsS", "-m", "1", "-o", "/dev/null", url), Path.of(System.getProperty("java.io.tmpdir")),
                Path.of("/dev/null"));
        boolean ok = curl.awaitExit(Duration.ofSeconds(3)).orElse(-1) == 0;
        curl.close();
        return ok;
    }
}

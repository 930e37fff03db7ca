package io.siplb.netty.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.siplb.route.FlowToken;
import io.siplb.route.FlowTokenCodec;
import io.siplb.route.Transport;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;

/**
 * SIP over TLS through siplb ({@code siplb run} in its own JVM) with real peers: {@code openssl
 * s_client} for the handshakes (TLS 1.3 and 1.2 complete and carry SIP; TLS 1.1 and 1.0 are
 * refused by siplb's protocol_version alert), and SIPp as a TLS client in front of a SIPp UDP
 * backend.
 *
 * <pre>
 *   openssl s_client ──tls──▶ siplb tls://127.0.0.1:T
 *   sipp-tls UAC ──tls 1.3──▶ siplb tls://127.0.0.1:T ──udp──▶ SIPp backend 127.0.1.1
 * </pre>
 *
 * The TLS client is {@code sipp-tls} ({@code -t l1}: one TLS connection per run), SIPp built with
 * TLS, installed by {@code .ci/install-sipp-tls.sh} (Debian 12's {@code sipp} has no TLS and
 * remains the backend): siplb must send the backend's requests (BYE along the Record-Route) back
 * down that connection. The certificates are made by {@code openssl req} at test time (so siplb
 * also reads what OpenSSL writes). Files stay in {@code target/e2e/TlsE2ETest-*}.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(value = 180)
class TlsE2ETest {
    private static final String DOMAIN = "e2e.invalid";
    private static final String SERVER_NAME = "sip.e2e.invalid";
    private static final String CLIENT_IP = "127.0.0.1";
    private static final String BACKEND_IP = "127.0.1.1";
    private static final String FLOW_KEY = "e2e-tls-key-0123456789abcdef0123456789abcdef";
    private static final Duration RUN_LIMIT = Duration.ofSeconds(40);
    private static final int CALLS = 5;

    private Path dir;
    private ManagedProcess siplb;
    private SippProcess backend;
    private int udpPort;
    private int tlsPort;
    private int adminPort;

    @BeforeAll
    void startSiplbWithATlsListener() throws Exception {
        Prerequisites.requireCommands("openssl", "timeout");
        dir = RunDirectory.create(getClass().getSimpleName());
        run(Duration.ofSeconds(30), "openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt",
                "ec_paramgen_curve:prime256v1", "-nodes", "-keyout", dir.resolve("server.key").toString(),
                "-out", dir.resolve("server.pem").toString(), "-days", "2", "-subj", "/CN=" + SERVER_NAME,
                "-addext", "subjectAltName=DNS:" + SERVER_NAME + ",IP:127.0.0.1");
        udpPort = PortAllocator.freePort();
        tlsPort = PortAllocator.freePort();
        adminPort = PortAllocator.freePort();
        int backendPort = PortAllocator.freePort();
        if (Prerequisites.which("sipp") != null) {
            backend = SippProcess.builder("b1", TestResources.scenario("uas-backend.xml", dir), dir)
                    .local(BACKEND_IP, backendPort)
                    .lifetime(Duration.ofSeconds(170))
                    .start();
        }
        Path config = Files.writeString(dir.resolve("siplb.yaml"), """
                listen: [udp://%s:%d, tls://%s:%d]
                advertise: %s:%d
                domains: [%s]
                backends:
                  - {id: b1, uri: "sip:%s:%d"}
                health: {enabled: false}
                flow-token: {secret: "%s"}
                admin: {listen: "127.0.0.1:%d"}
                tls:
                  certificate: server.pem
                  key: server.key
                """.formatted(CLIENT_IP, udpPort, CLIENT_IP, tlsPort, CLIENT_IP, udpPort, DOMAIN, BACKEND_IP,
                backendPort, FLOW_KEY, adminPort));
        siplb = ManagedProcess.start("siplb", List.of("timeout", "-k", "5", "175s",
                JavaLauncher.java(), JavaLauncher.ENABLE_NATIVE_ACCESS,
                "-Xmx256m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
                "-Dio.netty.leakDetection.level=advanced",
                "-cp", System.getProperty("java.class.path"),
                "io.siplb.netty.cli.Main", "run", "--config", config.toString()), dir, dir.resolve("siplb.log"));
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (!healthy() && siplb.isAlive() && System.nanoTime() < deadline) {
            Thread.sleep(100);
        }
        assertThat(healthy()).as("siplb healthy on admin port %d:\n%s", adminPort, siplb.logTail(3000)).isTrue();
    }

    @AfterAll
    void stopEverything() {
        if (backend != null) {
            backend.close();
        }
        if (siplb != null) {
            siplb.stop(Duration.ofSeconds(10));
            assertThat(siplb.logTail(100_000)).as("buffer leaks reported by siplb").doesNotContain("LEAK:");
        }
    }

    @Test
    void opensslCompletesATls13HandshakeAndGetsAnAnswerToOptions() {
        String out = sClient(List.of("-tls1_3"), options("v13"), "SIP/2.0 200 OK");

        assertThat(out).as("s_client output").contains("SIP/2.0 200 OK").contains("TLSv1.3")
                .contains("Verify return code: 0 (ok)");
    }

    @Test
    void opensslCompletesATls12HandshakeAndGetsAnAnswerToOptions() {
        String out = sClient(List.of("-tls1_2"), options("v12"), "SIP/2.0 200 OK");

        assertThat(out).as("s_client output").contains("SIP/2.0 200 OK").contains("TLSv1.2")
                .contains("Verify return code: 0 (ok)");
    }

    @Test
    void opensslOfferingOnlyTls11OrTls10IsRefusedBySiplbsProtocolVersionAlert() throws Exception {
        for (String version : List.of("-tls1_1", "-tls1")) {
            // SECLEVEL=0: Debian's OpenSSL 3 would otherwise not even offer these versions
            Run r = run(Duration.ofSeconds(20), "openssl", "s_client", "-connect", CLIENT_IP + ":" + tlsPort,
                    version, "-cipher", "DEFAULT@SECLEVEL=0", "-servername", SERVER_NAME);

            assertThat(r.exit()).as("s_client %s exit code; output:\n%s", version, r.output()).isNotZero();
            // the server's alert 70, not a client-side "no protocols available"
            assertThat(r.output()).as("s_client %s output", version).contains("alert protocol version")
                    .doesNotContain("no protocols available").doesNotContain("BEGIN CERTIFICATE");
        }
        assertThat(metric("siplb_tls_handshake_failures_total{reason=\"protocol\"}"))
                .as("protocol failures counted by siplb").isGreaterThanOrEqualTo(2);
    }

    @Test
    void sippOverTlsRegistersThroughSiplbAndGetsTheBackendsByeDownItsConnection() throws Exception {
        Prerequisites.requireCommands("sipp-tls", "sipp");
        double handshakesBefore = metric("siplb_tls_handshakes_total{protocol=\"tlsv1.3\"}");
        List<String> callers = InjectionFile.users("htls-", CALLS); // "h": the backend hangs up
        Path csv = InjectionFile.write(dir.resolve("callers.csv"), callers);
        int port = PortAllocator.freePort();

        SippProcess reg = uac("tls-register", "uac-register.xml", port, csv);
        assertAllSucceeded(reg, reg.awaitResult(RUN_LIMIT));
        SippProcess calls = uac("tls-calls", "uac-call-callee-hangs-up.xml", port, csv);
        assertAllSucceeded(calls, calls.awaitResult(RUN_LIMIT));

        // one TLS 1.3 connection per SIPp run (-t l1), SIPp having verified siplb's certificate
        assertThat(metric("siplb_tls_handshakes_total{protocol=\"tlsv1.3\"}") - handshakesBefore)
                .as("TLS 1.3 handshakes by the two SIPp runs").isGreaterThanOrEqualTo(2);
        FlowTokenCodec tokens = FlowTokenCodec.of(FLOW_KEY.getBytes(StandardCharsets.UTF_8));
        List<BackendLog.Entry> seen = BackendLog.parse("b1", backend.logLines());
        List<BackendLog.Entry> registers = seen.stream()
                .filter(e -> e.method().equals("REGISTER") && callers.contains(e.user())).toList();
        assertThat(registers).as("REGISTERs at the backend").hasSize(CALLS);
        for (BackendLog.Entry e : registers) {
            assertThat(e.topVia()).startsWith("SIP/2.0/UDP " + CLIENT_IP + ":" + udpPort + ";");
            assertThat(e.clientVia()).as("the client's Via below siplb's").startsWith("SIP/2.0/TLS " + CLIENT_IP + ":");
            FlowToken flow = flow(tokens, e.route());
            assertThat(flow.transport()).as("flow in the Path of %s: %s", e.user(), e.route())
                    .isEqualTo(Transport.TLS);
        }
        List<BackendLog.Entry> invites = seen.stream()
                .filter(e -> e.method().equals("INVITE") && callers.contains(e.user())).toList();
        assertThat(invites).as("INVITEs at the backend").hasSize(CALLS);
        for (BackendLog.Entry e : invites) {
            // RFC 5658: the top entry (the one the backend's log shows) names us as the backend
            // sees us; the client's entry below it (TLS port, transport=tls) carries the BYE back
            assertThat(e.route()).as("top Record-Route of %s", e.user())
                    .matches("<sip:[A-Za-z0-9_-]+@" + Pattern.quote(CLIENT_IP + ":" + udpPort) + ";lr>");
            assertThat(flow(tokens, e.route()).transport()).isEqualTo(Transport.TLS);
        }
        // what the callers' BYEs came with: BYE | caller | top Via | second Via
        List<String[]> byes = calls.logLines().stream().map(l -> l.split(" \\| ", -1))
                .filter(f -> f.length == 4 && f[0].equals("BYE")).toList();
        assertThat(byes).as("BYEs from the backend that reached the TLS callers").hasSize(CALLS);
        for (String[] f : byes) {
            assertThat(f[2].trim()).as("top Via of the BYE to %s: siplb's, over TLS", f[1])
                    .startsWith("SIP/2.0/TLS " + CLIENT_IP + ":" + tlsPort + ";");
            assertThat(f[3].trim()).as("second Via of the BYE to %s: the backend's", f[1])
                    .startsWith("SIP/2.0/UDP " + BACKEND_IP + ":");
        }
    }

    /**
     * A SIPp client over TLS 1.3 to siplb's listener, verifying siplb's certificate with it as the
     * trust anchor ({@code -tls_ca}).
     */
    private SippProcess uac(String name, String scenario, int port, Path csv) {
        return SippProcess.builder(name, TestResources.scenario(scenario, dir), dir)
                .tls(dir.resolve("server.pem"), "1.3")
                .local(CLIENT_IP, port)
                .remote(CLIENT_IP + ":" + tlsPort)
                .injection(csv)
                .key("domain", DOMAIN)
                .key("callee", "callee")
                .calls(CALLS)
                .rate(5)
                .lifetime(RUN_LIMIT)
                .start();
    }

    private void assertAllSucceeded(SippProcess uac, SippProcess.Result r) {
        String why = uac + ": " + r.stats() + "\n" + uac.diagnostics() + "\n--- siplb:\n" + siplb.logTail(3000)
                + "\n--- backend:\n" + backend.diagnostics();
        assertThat(r.exitCode()).as("exit code, %s", why).isZero();
        assertThat(r.stats().successful()).as("successful calls, %s", why).isEqualTo(CALLS);
        assertThat(r.stats().failed()).as("failed calls, %s", why).isZero();
    }

    private static FlowToken flow(FlowTokenCodec tokens, String uri) {
        Matcher m = Pattern.compile("<sip:([^@>;]+)@").matcher(uri);
        assertThat(m.find()).as("a flow token in %s", uri).isTrue();
        FlowToken flow = tokens.decode(m.group(1));
        assertThat(flow).as("the flow token in %s verifies", uri).isNotNull();
        return flow;
    }

    /** An OPTIONS for siplb itself, answered by siplb (200), CRLF line ends. */
    private String options(String branch) {
        return """
                OPTIONS sip:%s:%d SIP/2.0\r
                Via: SIP/2.0/TLS %s:9;branch=z9hG4bK-%s;rport\r
                Max-Forwards: 70\r
                From: <sip:probe@%s>;tag=%s\r
                To: <sip:%s:%d>\r
                Call-ID: %s@openssl\r
                CSeq: 1 OPTIONS\r
                Content-Length: 0\r
                \r
                """.formatted(CLIENT_IP, tlsPort, CLIENT_IP, branch, DOMAIN, branch, CLIENT_IP, tlsPort, branch);
    }

    /**
     * {@code openssl s_client} against siplb's TLS listener, verifying siplb's certificate:
     * writes {@code input}, waits (bounded) until the output shows {@code expect}, then closes its
     * input, which ends s_client. Returns everything it printed.
     */
    private String sClient(List<String> options, String input, String expect) {
        List<String> cmd = new ArrayList<>(List.of("timeout", "-k", "2", "20s", "openssl", "s_client",
                "-connect", CLIENT_IP + ":" + tlsPort, "-servername", SERVER_NAME,
                "-CAfile", dir.resolve("server.pem").toString(), "-verify_return_error", "-nocommands"));
        cmd.addAll(options);
        Path out = dir.resolve("s_client" + String.join("", options) + ".log");
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(out.toFile()).start();
            try (OutputStream stdin = p.getOutputStream()) {
                stdin.write(input.getBytes(StandardCharsets.US_ASCII));
                stdin.flush();
                long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
                while (p.isAlive() && !Files.readString(out).contains(expect) && System.nanoTime() < deadline) {
                    Thread.sleep(50);
                }
            } catch (IOException e) {
                // s_client gone already: its output says why
            }
            if (!p.waitFor(5, TimeUnit.SECONDS)) {
                p.destroyForcibly(); // this process only, by its handle
                p.waitFor(5, TimeUnit.SECONDS);
            }
            return Files.readString(out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private record Run(int exit, String output) {}

    /** Runs a command with no input, bounded by {@code limit}; exit code and output. */
    private Run run(Duration limit, String... command) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("timeout", "-k", "2", limit.toSeconds() + "s"));
        cmd.addAll(List.of(command));
        Path out = Files.createTempFile(dir, "run-", ".log");
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(out.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile())).start();
        if (!p.waitFor(limit.toSeconds() + 5, TimeUnit.SECONDS)) {
            p.destroyForcibly();
        }
        String output = Files.readString(out);
        if (command[0].equals("openssl") && command[1].equals("req")) {
            assertThat(p.exitValue()).as("openssl req: %s", output).isZero();
        }
        return new Run(p.exitValue(), output);
    }

    private boolean healthy() {
        try {
            HttpResponse<Void> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                            URI.create("http://127.0.0.1:" + adminPort + "/health")).timeout(Duration.ofSeconds(1))
                    .GET().build(), HttpResponse.BodyHandlers.discarding());
            return r.statusCode() == 200;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** The value of one sample of siplb's /metrics (0 when absent). */
    private double metric(String sample) throws Exception {
        String body = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + adminPort + "/metrics")).timeout(Duration.ofSeconds(2))
                .GET().build(), HttpResponse.BodyHandlers.ofString()).body();
        for (String line : body.split("\n")) {
            if (line.startsWith(sample + " ")) {
                return Double.parseDouble(line.substring(sample.length() + 1).trim());
            }
        }
        return 0;
    }
}

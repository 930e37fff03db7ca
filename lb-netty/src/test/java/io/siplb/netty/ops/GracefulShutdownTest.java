package io.siplb.netty.ops;

import io.siplb.netty.e2e.JavaLauncher;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * SIGTERM under load: siplb, started as its own JVM ({@code siplb run --config FILE}), gets a
 * stream of REGISTERs from SIPp (no retransmissions, so each REGISTER siplb reads is a distinct
 * one) for a SIPp registrar behind it, and is sent SIGTERM mid-stream. It must exit 0, and every
 * REGISTER it read must have been answered: forwarded and answered by the backend (200) or
 * refused while draining (503). A REGISTER that arrives after the socket closed never reached
 * siplb and times out at the client; that is the VRRP peer's traffic in production.
 */
class GracefulShutdownTest {

    private static final Pattern REQUESTS_IN = Pattern.compile("requests_in=(\\d+)");

    @Test
    void sigtermUnderLoadExitsZeroAndLosesNoAcceptedRegister(@TempDir Path dir) throws Exception {
        Path sipp = Tools.require("sipp", "sip-tester");
        Path uac = resource(dir, "register-uac.xml");
        Path uas = resource(dir, "register-uas.xml");
        int sipPort = Lab.freeUdpPort();
        int backendPort = Lab.freeUdpPort();
        int adminPort = Lab.freeTcpPort();
        Path config = dir.resolve("siplb.yaml");
        Files.writeString(config, """
                listen: [udp://127.0.0.1:%d]
                backends: [{id: a, uri: "sip:127.0.0.1:%d"}]
                health: {enabled: false}
                flow-token: {secret: "%s"}
                admin: {listen: 127.0.0.1:%d}
                shutdown: {grace: 5s}
                """.formatted(sipPort, backendPort, Lab.SECRET, adminPort));

        Process backend = Lab.startProcess(dir, "uas", List.of(sipp.toString(), "-sf", uas.toString(), "-i", "127.0.0.1",
                "-p", Integer.toString(backendPort), "-t", "u1", "-nostdin", "-bind_local"));
        Process siplb = Lab.startProcess(dir, "siplb", List.of(JavaLauncher.java(), JavaLauncher.ENABLE_NATIVE_ACCESS,
                "-cp", System.getProperty("java.class.path"), "io.siplb.netty.cli.Main", "run", "--config", config.toString()));
        Process client = null;
        try {
            awaitHealthy(adminPort, siplb, dir);
            client = Lab.startProcess(dir, "uac", List.of(sipp.toString(), "127.0.0.1:" + sipPort, "-sf", uac.toString(),
                    "-i", "127.0.0.1", "-p", Integer.toString(Lab.freeUdpPort()), "-t", "u1", "-nr", "-r", "200",
                    "-m", "1200", "-recv_timeout", "3000", "-trace_counts", "-nostdin", "-bind_local"));
            Thread.sleep(2_500); // about 500 REGISTERs answered 200 by now

            siplb.destroy(); // SIGTERM
            assertThat(siplb.waitFor(20, TimeUnit.SECONDS)).as("siplb exits within the grace").isTrue();
            String log = Files.readString(dir.resolve("siplb.log"));
            assertThat(siplb.exitValue()).as("exit code; log:\n" + log).isZero();

            assertThat(client.waitFor(60, TimeUnit.SECONDS)).as("SIPp client finishes").isTrue();
            long requestsIn = find(REQUESTS_IN, log, "siplb's final counters");
            long[] answers = answers(dir);
            long ok = answers[0];
            long refused = answers[1];

            assertThat(ok).as("REGISTERs forwarded and answered").isGreaterThan(100);
            assertThat(refused).as("REGISTERs answered 503 while draining").isPositive();
            assertThat(ok + refused).as("every REGISTER siplb read was answered (200 + 503 = requests in); log:\n" + log)
                    .isEqualTo(requestsIn);
            assertThat(log).contains("drain complete").contains("awaiting_answers=0");
        } finally {
            for (Process p : new Process[] {client, siplb, backend}) {
                if (p != null && p.isAlive()) {
                    p.destroy();
                    if (!p.waitFor(5, TimeUnit.SECONDS)) {
                        p.destroyForcibly();
                    }
                }
            }
        }
    }

    /** {200 received, 503 received} from the client's -trace_counts file (the last line: totals). */
    private static long[] answers(Path dir) throws IOException {
        Path counts;
        try (Stream<Path> files = Files.list(dir)) {
            counts = files.filter(f -> f.getFileName().toString().startsWith("register-uac_")
                    && f.getFileName().toString().endsWith("_counts.csv")).findFirst()
                    .orElseThrow(() -> new AssertionError("no SIPp counts file in " + dir));
        }
        List<String> lines = Files.readAllLines(counts);
        String[] header = lines.get(0).split(";");
        String[] last = lines.get(lines.size() - 1).split(";");
        long ok = -1;
        long refused = -1;
        for (int i = 0; i < header.length && i < last.length; i++) {
            // columns like 2_503_Recv and 3_200_Recv: <scenario index>_<message>_<what>
            if (header[i].endsWith("_503_Recv")) {
                refused = Long.parseLong(last[i].trim());
            } else if (header[i].endsWith("_200_Recv")) {
                ok = Long.parseLong(last[i].trim());
            }
        }
        if (ok < 0 || refused < 0) {
            fail("no 200/503 Recv columns in " + counts + ":\n" + String.join("\n", lines));
        }
        return new long[] {ok, refused};
    }

    private static long find(Pattern p, String text, String what) {
        Matcher m = p.matcher(text);
        if (!m.find()) {
            fail("no " + what + " (" + p + ") in:\n" + text);
        }
        return Long.parseLong(m.group(1));
    }

    private static void awaitHealthy(int adminPort, Process siplb, Path dir) throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        URI health = URI.create("http://127.0.0.1:" + adminPort + "/health");
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() < deadline) {
            if (!siplb.isAlive()) {
                fail("siplb exited with " + siplb.exitValue() + ":\n" + Files.readString(dir.resolve("siplb.log")));
            }
            try {
                if (http.send(HttpRequest.newBuilder(health).GET().build(),
                        HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    return;
                }
            } catch (IOException notYet) {
                // not listening yet
            }
            Thread.sleep(100);
        }
        fail("siplb not healthy within 30s:\n" + Files.readString(dir.resolve("siplb.log")));
    }

    private static Path resource(Path dir, String name) throws IOException {
        Path out = dir.resolve(name);
        try (InputStream in = GracefulShutdownTest.class.getResourceAsStream("/ops/sipp/" + name)) {
            if (in == null) {
                fail("missing test resource /ops/sipp/" + name);
            }
            Files.copy(in, out);
        }
        return out;
    }
}

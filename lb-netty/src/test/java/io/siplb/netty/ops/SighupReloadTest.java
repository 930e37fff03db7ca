package io.siplb.netty.ops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.fail;

import io.siplb.netty.e2e.JavaLauncher;
import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code systemctl reload siplb} ({@code ExecReload=/bin/kill -HUP $MAINPID}): siplb, started as
 * its own JVM, reads its configuration file again on SIGHUP. A backend added to the file appears
 * in {@code GET /backends}; a file that no longer parses is refused, logged with its error, and
 * the running configuration stays.
 */
class SighupReloadTest {

    @Test
    void sighupAppliesAnEditedFileAndKeepsTheRunningConfigurationWhenTheFileIsBroken(@TempDir Path dir)
            throws Exception {
        int adminPort = Lab.freeTcpPort();
        int sipPort;
        try (java.net.DatagramSocket s = new java.net.DatagramSocket(0, java.net.InetAddress.getLoopbackAddress())) {
            sipPort = s.getLocalPort();
        }
        Path config = dir.resolve("siplb.yaml");
        Files.writeString(config, config(sipPort, adminPort, "[{id: a, uri: \"sip:127.0.0.1:25901\"}]"));
        Process siplb = new ProcessBuilder(JavaLauncher.java(), JavaLauncher.ENABLE_NATIVE_ACCESS,
                "-cp", System.getProperty("java.class.path"), "io.siplb.netty.cli.Main", "run", "--config", config.toString())
                .directory(dir.toFile())
                .redirectErrorStream(true)
                .redirectOutput(dir.resolve("siplb.log").toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                .start();
        try {
            awaitBackends(adminPort, siplb, dir, body -> body.contains("\"a\""));

            Files.writeString(config, config(sipPort, adminPort,
                    "[{id: a, uri: \"sip:127.0.0.1:25901\"}, {id: b, uri: \"sip:127.0.0.1:25902\"}]"));
            hangUp(siplb);
            String withB = awaitBackends(adminPort, siplb, dir, body -> body.contains("\"b\""));
            assertThat(withB).contains("\"a\"");
            assertThat(log(dir)).contains("configuration reloaded from").contains("SIGHUP");

            Files.writeString(config, "backends: [this is not yaml\n");
            hangUp(siplb);
            awaitLog(dir, siplb, "refused, still running the previous configuration");
            assertThat(get(adminPort, "/backends")).as("backends after a refused reload").contains("\"a\"", "\"b\"");
            assertThat(siplb.isAlive()).as("siplb still running; log:\n" + log(dir)).isTrue();
        } finally {
            siplb.destroy();
            if (!siplb.waitFor(10, TimeUnit.SECONDS)) {
                siplb.destroyForcibly();
            }
        }
    }

    private static String config(int sipPort, int adminPort, String backends) {
        return """
                listen: [udp://127.0.0.1:%d]
                backends: %s
                health: {enabled: false}
                flow-token: {secret: "%s"}
                admin: {listen: 127.0.0.1:%d}
                shutdown: {grace: 0s}
                """.formatted(sipPort, backends, Lab.SECRET, adminPort);
    }

    private static void hangUp(Process siplb) throws Exception {
        Process kill = new ProcessBuilder("kill", "-HUP", Long.toString(siplb.pid())).inheritIO().start();
        assertThat(kill.waitFor(5, TimeUnit.SECONDS) && kill.exitValue() == 0).as("kill -HUP").isTrue();
    }

    /** The body of {@code GET /backends} once it satisfies {@code ready}; fails after 20 s. */
    private static String awaitBackends(int adminPort, Process siplb, Path dir, Predicate<String> ready) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        String body = "";
        while (System.nanoTime() < deadline) {
            if (!siplb.isAlive()) {
                fail("siplb exited with " + siplb.exitValue() + ":\n" + log(dir));
            }
            try {
                body = get(adminPort, "/backends");
                if (ready.test(body)) {
                    return body;
                }
            } catch (IOException notYet) {
                // admin not listening yet
            }
            Thread.sleep(100);
        }
        return fail("GET /backends never became ready; last body: " + body + "\nlog:\n" + log(dir));
    }

    private static void awaitLog(Path dir, Process siplb, String text) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (System.nanoTime() < deadline && siplb.isAlive()) {
            if (log(dir).contains(text)) {
                return;
            }
            Thread.sleep(100);
        }
        fail("no \"" + text + "\" in the log:\n" + log(dir));
    }

    private static String get(int adminPort, String path) throws IOException, InterruptedException {
        HttpResponse<String> r = HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + adminPort + path)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        return r.body();
    }

    private static String log(Path dir) throws IOException {
        return Files.readString(dir.resolve("siplb.log"));
    }
}

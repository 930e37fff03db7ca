package io.siplb.netty.ops;

import io.siplb.netty.e2e.JavaLauncher;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code logging.format: json} and {@code SIPLB_LOG_FORMAT=json}: one JSON object per log line. */
class JsonLogTest {

    private static List<String> runAndStop(Path dir, String loggingSection, String envFormat) throws Exception {
        int admin = Lab.freeTcpPort();
        Path config = dir.resolve("siplb.yaml");
        Files.writeString(config, """
                listen: [udp://127.0.0.1:%d]
                backends: [{id: a, uri: "sip:127.0.0.1:9"}]
                health: {enabled: false}
                flow-token: {secret: "%s"}
                admin: {listen: 127.0.0.1:%d}
                shutdown: {grace: 0s}
                %s
                """.formatted(Lab.freeTcpPort(), Lab.SECRET, admin, loggingSection));
        Path log = dir.resolve("siplb.log");
        ProcessBuilder pb = new ProcessBuilder(JavaLauncher.java(), JavaLauncher.ENABLE_NATIVE_ACCESS,
                "-cp", System.getProperty("java.class.path"), "io.siplb.netty.cli.Main", "run", "--config", config.toString())
                .redirectErrorStream(true).redirectOutput(log.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        pb.environment().remove("SIPLB_LOG_FORMAT");
        if (envFormat != null) {
            pb.environment().put("SIPLB_LOG_FORMAT", envFormat);
        }
        Process p = pb.start();
        try {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (!Files.readString(log).contains("siplb started") && System.nanoTime() < deadline && p.isAlive()) {
                Thread.sleep(100);
            }
            p.destroy();
            assertThat(p.waitFor(20, TimeUnit.SECONDS)).isTrue();
            assertThat(p.exitValue()).as(Files.readString(log)).isZero();
        } finally {
            p.destroyForcibly();
        }
        return Files.readAllLines(log).stream().filter(l -> !l.isBlank()).toList();
    }

    @Test
    void configuredJsonFormatWritesJsonLines(@TempDir Path dir) throws Exception {
        List<String> lines = runAndStop(dir, "logging: {format: json}", null);

        List<String> started = lines.stream().filter(l -> l.contains("siplb started")).toList();
        assertThat(started).singleElement().satisfies(l -> assertThat(l).startsWith("{").endsWith("}")
                .contains("\"level\":\"INFO\"", "\"loggerName\":\"io.siplb.netty.cli.RunCommand\""));
        assertThat(lines.stream().filter(l -> l.contains("siplb stopped")).toList())
                .singleElement().satisfies(l -> assertThat(l).startsWith("{"));
    }

    @Test
    void environmentSelectsJsonFromTheFirstLine(@TempDir Path dir) throws Exception {
        List<String> lines = runAndStop(dir, "", "json");

        assertThat(lines).isNotEmpty().allSatisfy(l -> assertThat(l).startsWith("{"));
    }

    @Test
    void textIsTheDefault(@TempDir Path dir) throws Exception {
        List<String> lines = runAndStop(dir, "", null);

        assertThat(lines).anySatisfy(l -> assertThat(l).contains("INFO  RunCommand - siplb started"));
    }
}

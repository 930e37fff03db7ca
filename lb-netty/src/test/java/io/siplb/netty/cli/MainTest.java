package io.siplb.netty.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.siplb.config.ConfigLoader;
import io.siplb.route.FlowToken;
import io.siplb.route.FlowTokenCodec;
import io.siplb.route.Transport;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class MainTest {

    private static final String SECRET = "0123456789abcdef0123456789abcdef";
    private static final String CONFIG = """
            listen: [udp://127.0.0.1:5060]
            backends:
              - id: a
                uri: sip:10.0.0.11:5060
              - id: b
                uri: sip:10.0.0.12:5060
              - id: c
                uri: sip:10.0.0.13:5060;transport=tcp
            flow-token:
              secret: "%s"
            """.formatted(SECRET);

    @TempDir
    Path dir;
    private Path config;
    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    @BeforeEach
    void writeConfig() throws IOException {
        config = dir.resolve("siplb.yaml");
        Files.writeString(config, CONFIG);
    }

    private int run(String... args) {
        return run(new ByteArrayInputStream(new byte[0]), args);
    }

    private int run(InputStream stdin, String... args) {
        CommandLine cl = Main.commandLine(stdin);
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        return cl.execute(args);
    }

    @Test
    void checkConfigPrintsOkForAValidFile() {
        assertThat(run("check-config", "--config", config.toString())).isZero();
        assertThat(out.toString()).isEqualTo("ok" + System.lineSeparator());
        assertThat(err.toString()).isEmpty();
    }

    @Test
    void checkConfigNamesFileLineAndKeyOfEachProblem() throws IOException {
        Files.writeString(config, CONFIG.replace("sip:10.0.0.12:5060", "sip:10.0.0.12:99999"));

        assertThat(run("check-config", "--config", config.toString())).isEqualTo(1);
        assertThat(out.toString()).isEmpty();
        assertThat(err.toString()).contains("siplb.yaml:").contains("backends[1]");
    }

    @Test
    void usageErrorsExitWith2() {
        assertThat(run("check-config")).isEqualTo(2);
        assertThat(err.toString()).contains("--config");
        assertThat(run("no-such-command")).isEqualTo(2);
    }

    @Test
    void hashPrintsTheHomeProxyOfEachAorWithTheSameNormalisationAsRouting() {
        assertThat(run("hash", "--config", config.toString(),
                "alice@example.com", "sip:alice@EXAMPLE.com:5060;transport=tcp", "tel:+1-212-555-0101",
                "sip:+12125550101@example.com;user=phone")).isZero();

        String[] lines = out.toString().split(System.lineSeparator());
        assertThat(lines).hasSize(4);
        assertThat(lines[0]).startsWith("alice@example.com\t");
        String alice = lines[0].substring(lines[0].indexOf('\t') + 1);
        assertThat(alice).isIn("a", "b", "c");
        assertThat(lines[1]).as("host case, port and parameters are not part of the AOR").endsWith("\t" + alice);
        String phone = lines[2].substring(lines[2].indexOf('\t') + 1);
        assertThat(lines[3]).as("a tel URI and user=phone are one AOR").endsWith("\t" + phone);
    }

    @Test
    void hashNeverPicksABackendThatIsDown() {
        run("hash", "--config", config.toString(), "alice@example.com");
        String home = out.toString().trim().split("\t")[1];
        out.getBuffer().setLength(0);

        assertThat(run("hash", "--config", config.toString(), "--down", home, "alice@example.com")).isZero();
        assertThat(out.toString().trim().split("\t")[1]).isNotEqualTo(home);
    }

    @Test
    void hashSaysDashWhenEveryBackendIsDown() {
        assertThat(run("hash", "--config", config.toString(), "--down", "a,b,c", "alice@example.com")).isZero();
        assertThat(out.toString().trim()).isEqualTo("alice@example.com\t-");
    }

    @Test
    void hashReadsAorsFromStdinWithDash() {
        InputStream stdin = new ByteArrayInputStream("alice@example.com\n\nbob@example.com\n".getBytes(StandardCharsets.UTF_8));
        assertThat(run(stdin, "hash", "--config", config.toString(), "-")).isZero();
        assertThat(out.toString().split(System.lineSeparator()))
                .hasSize(2)
                .satisfies(lines -> assertThat(lines[0]).startsWith("alice@example.com\t"))
                .satisfies(lines -> assertThat(lines[1]).startsWith("bob@example.com\t"));
    }

    @Test
    void hashRefusesAnUnknownDownBackendAsAUsageError() {
        assertThat(run("hash", "--config", config.toString(), "--down", "zz", "alice@example.com")).isEqualTo(2);
        assertThat(err.toString()).contains("zz").contains("a, b, c");
    }

    @Test
    void hashReportsWhatIsNotAnAor() {
        assertThat(run("hash", "--config", config.toString(), "mailto:alice@example.com")).isEqualTo(1);
        assertThat(err.toString()).contains("mailto:alice@example.com");
    }

    @Test
    void decodeTokenPrintsTheFlow() throws Exception {
        byte[] secret = ConfigLoader.load(config).flowToken().secret();
        String token = FlowTokenCodec.of(secret).encode(
                new FlowToken(Transport.TCP, InetAddress.getByName("192.0.2.7"), 40123, 42));

        assertThat(run("decode-token", "--config", config.toString(), token)).isZero();
        assertThat(out.toString().trim()).isEqualTo("transport=TCP address=192.0.2.7 port=40123 connection=42");
    }

    @Test
    void decodeTokenSaysInvalidTokenForAForgery() throws Exception {
        String token = FlowTokenCodec.of("another-secret-of-32-bytes-long!".getBytes(StandardCharsets.UTF_8))
                .encode(new FlowToken(Transport.UDP, InetAddress.getByName("192.0.2.7"), 5060, 0));

        assertThat(run("decode-token", "--config", config.toString(), token)).isEqualTo(1);
        assertThat(out.toString().trim()).isEqualTo("invalid token");
    }
}

package io.siplb.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The admin security, logging and shutdown keys: defaults, values, and errors with file, line and key. */
class OperationConfigTest {

    private static final String REQUIRED = """
            listen: [udp://127.0.0.1:5060]
            backends: [{id: a, uri: "sip:10.0.0.11"}]
            flow-token: {secret: "0123456789abcdef"}
            """;

    private static List<ConfigProblem> problems(String yaml, Path dir) {
        ConfigException e = catchThrowableOfType(ConfigException.class,
                () -> ConfigLoader.load(yaml, "siplb.yaml", dir));
        assertThat(e).as("expected a ConfigException").isNotNull();
        return e.problems();
    }

    private static ConfigProblem onlyProblem(String yaml) {
        List<ConfigProblem> problems = problems(yaml, Path.of(""));
        assertThat(problems).hasSize(1);
        return problems.get(0);
    }

    @Test
    void withoutTheSectionsEverythingIsAtItsDefault() {
        SiplbConfig config = ConfigLoader.load(REQUIRED, "siplb.yaml");

        assertThat(config.admin()).isEqualTo(AdminConfig.DEFAULTS);
        assertThat(config.admin().token()).isNull();
        assertThat(config.admin().publicReadOnly()).isFalse();
        assertThat(config.admin().readOnlyListen()).isNull();
        assertThat(config.logging().format()).isEqualTo(LoggingConfig.Format.TEXT);
        assertThat(config.shutdown().grace()).isEqualTo(Duration.ofSeconds(5));
    }

    @Test
    void tokenFileIsReadRelativeToTheConfigurationDirectoryLessItsLineBreak(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("admin.token"), "0123456789abcdef0123\n");

        SiplbConfig config = ConfigLoader.load(REQUIRED + """
                admin:
                  listen: 127.0.0.1:9000
                  token-file: admin.token
                  public-read-only: true
                  read-only-listen: 192.0.2.10:9100
                """, "siplb.yaml", dir);

        assertThat(config.admin().token()).isEqualTo("0123456789abcdef0123");
        assertThat(config.admin().tokenSource()).isEqualTo("token-file " + dir.resolve("admin.token"));
        assertThat(config.admin().publicReadOnly()).isTrue();
        assertThat(config.admin().readOnlyListen()).isEqualTo(HostPort.of("192.0.2.10", 9100));
        assertThat(config.admin().toString()).doesNotContain("0123456789abcdef0123");
    }

    @Test
    void unreadableTokenFileNamesFileLineAndKey(@TempDir Path dir) {
        List<ConfigProblem> problems = problems(REQUIRED + """
                admin:
                  token-file: missing.token
                """, dir);

        assertThat(problems).hasSize(1);
        ConfigProblem p = problems.get(0);
        assertThat(p.file()).isEqualTo("siplb.yaml");
        assertThat(p.line()).isEqualTo(5);
        assertThat(p.keyPath()).isEqualTo("admin.token-file");
        assertThat(p.message()).startsWith("cannot read the token: no such file");
    }

    @Test
    void shortTokenIsRejectedWithoutShowingIt(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("admin.token"), "s3cr3t\n");

        List<ConfigProblem> problems = problems(REQUIRED + """
                admin:
                  token-file: admin.token
                """, dir);

        assertThat(problems).singleElement().satisfies(p -> {
            assertThat(p.keyPath()).isEqualTo("admin.token-file");
            assertThat(p.line()).isEqualTo(5);
            assertThat(p.message()).isEqualTo("the token has 6 characters (expected: at least 16; e.g. openssl rand -hex 32)")
                    .doesNotContain("s3cr3t");
        });
    }

    @Test
    void unknownAdminKeyIsRejectedWithTheNearestValidKey() {
        ConfigProblem p = onlyProblem(REQUIRED + """
                admin:
                  token_file: admin.token
                """);

        assertThat(p.keyPath()).isEqualTo("admin.token_file");
        assertThat(p.line()).isEqualTo(5);
        assertThat(p.message()).isEqualTo("unknown key 'token_file' at admin (did you mean 'token-file'?)");
    }

    @Test
    void publicReadOnlyMustBeABoolean() {
        ConfigProblem p = onlyProblem(REQUIRED + "admin: {public-read-only: yes}\n");

        assertThat(p.keyPath()).isEqualTo("admin.public-read-only");
        assertThat(p.message()).isEqualTo("expected true or false, got 'yes'");
    }

    @Test
    void readOnlyListenNeedsAPortAndAnotherAddress() {
        ConfigProblem noPort = onlyProblem(REQUIRED + "admin: {read-only-listen: 192.0.2.10}\n");
        ConfigProblem same = onlyProblem(REQUIRED + "admin: {listen: 127.0.0.1:8080, read-only-listen: 127.0.0.1:8080}\n");

        assertThat(noPort.keyPath()).isEqualTo("admin.read-only-listen");
        assertThat(same.keyPath()).isEqualTo("admin.read-only-listen");
        assertThat(same.message()).isEqualTo("'127.0.0.1:8080' is also admin.listen (expected: another address or port)");
    }

    @Test
    void loggingFormatIsTextOrJson() {
        SiplbConfig json = ConfigLoader.load(REQUIRED + "logging: {format: json}\n", "siplb.yaml");
        ConfigProblem p = onlyProblem(REQUIRED + "logging:\n  format: xml\n");

        assertThat(json.logging().format()).isEqualTo(LoggingConfig.Format.JSON);
        assertThat(p.keyPath()).isEqualTo("logging.format");
        assertThat(p.line()).isEqualTo(5);
        assertThat(p.message()).isEqualTo("'xml' (expected: text or json)");
    }

    @Test
    void shutdownGraceIsADurationUpToAMinute() {
        SiplbConfig zero = ConfigLoader.load(REQUIRED + "shutdown: {grace: 0s}\n", "siplb.yaml");
        ConfigProblem tooLong = onlyProblem(REQUIRED + "shutdown:\n  grace: 2m\n");
        ConfigProblem noUnit = onlyProblem(REQUIRED + "shutdown:\n  grace: 5\n");

        assertThat(zero.shutdown().grace()).isZero();
        assertThat(tooLong.keyPath()).isEqualTo("shutdown.grace");
        assertThat(tooLong.line()).isEqualTo(5);
        assertThat(tooLong.message()).isEqualTo("2m (expected: 0s ~ 1m)");
        assertThat(noUnit.message()).endsWith("(a unit is required: ms, s, m or h)");
    }

    @Test
    void unknownShutdownAndLoggingKeysAreRejected() {
        ConfigProblem p = onlyProblem(REQUIRED + "shutdown: {grace-period: 5s}\n");
        ConfigProblem q = onlyProblem(REQUIRED + "logging: {level: debug}\n");

        assertThat(p.message()).isEqualTo("unknown key 'grace-period' at shutdown (expected one of: grace)");
        assertThat(q.keyPath()).isEqualTo("logging.level");
    }

    @Test
    void adminRecordComparesTokensAndHidesThem() {
        AdminConfig a = AdminConfig.DEFAULTS.withToken("0123456789abcdef", "env");

        assertThat(a).isEqualTo(AdminConfig.DEFAULTS.withToken("0123456789abcdef", "env"));
        assertThat(a).isNotEqualTo(AdminConfig.DEFAULTS.withToken("0123456789abcdeX", "env"));
        assertThat(a.toString()).doesNotContain("0123456789abcdef").contains("from env");
        assertThatIllegalArgumentException().isThrownBy(() -> AdminConfig.DEFAULTS.withToken("0123456789 abcdef", "env"))
                .withMessageStartingWith("token-file: the token has characters other than printable ASCII");
    }
}

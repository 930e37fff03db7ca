package io.siplb.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Every mistake is reported with file, line, column, key path and what was expected. */
class ConfigLoaderErrorsTest {

    /** The three required parts, for tests that break one other thing. */
    private static final String REQUIRED = """
            listen: [udp://127.0.0.1:5060]
            backends: [{id: a, uri: "sip:10.0.0.11"}]
            flow-token: {secret: "0123456789abcdef"}
            """;

    private static List<ConfigProblem> problems(String yaml) {
        ConfigException e = catchThrowableOfType(ConfigException.class,
                () -> ConfigLoader.load(yaml, "siplb.yaml"));
        assertThat(e).as("expected a ConfigException").isNotNull();
        assertThat(e.getMessage()).contains(e.problems().get(0).toString());
        return e.problems();
    }

    private static ConfigProblem onlyProblem(String yaml) {
        List<ConfigProblem> problems = problems(yaml);
        assertThat(problems).hasSize(1);
        return problems.get(0);
    }

    @Test
    void unknownKeyIsRejectedWithTheNearestValidKey() {
        ConfigProblem p = onlyProblem(REQUIRED + """
                health:
                  intervall: 1s
                """);

        assertThat(p.message()).isEqualTo("unknown key 'intervall' at health (did you mean 'interval'?)");
        assertThat(p.keyPath()).isEqualTo("health.intervall");
        assertThat(p.line()).isEqualTo(5);
        assertThat(p.column()).isEqualTo(3);
    }

    @Test
    void unknownKeyWithNothingCloseListsTheValidKeys() {
        ConfigProblem p = onlyProblem(REQUIRED + """
                routing:
                  nat: true
                """);

        assertThat(p.message()).isEqualTo("unknown key 'nat' at routing "
                + "(expected one of: force-rport, outbound-from-backends, record-route, replication)");
    }

    @Test
    void unknownTopLevelKeyIsRejected() {
        ConfigProblem p = onlyProblem(REQUIRED + "admim: {listen: 127.0.0.1:8080}\n");

        assertThat(p.message()).isEqualTo("unknown key 'admim' at the top level (did you mean 'admin'?)");
        assertThat(p.line()).isEqualTo(4);
    }

    @Test
    void errorsNameFileLineColumnAndKey() {
        ConfigProblem p = onlyProblem("""
                listen: [udp://127.0.0.1:5060]
                backends:
                  - id: a
                    uri: sip:10.0.0.11
                  - id: b
                    uri: http://10.0.0.12
                flow-token: {secret: "0123456789abcdef"}
                """);

        assertThat(p.file()).isEqualTo("siplb.yaml");
        assertThat(p.line()).isEqualTo(6);
        assertThat(p.column()).isEqualTo(10);
        assertThat(p.keyPath()).isEqualTo("backends[1].uri");
        assertThat(p.toString()).startsWith("siplb.yaml:6:10: backends[1].uri: 'http://10.0.0.12'");
    }

    @Test
    void badBackendUriSaysWhatWasExpected() {
        ConfigProblem p = onlyProblem("""
                listen: [udp://127.0.0.1:5060]
                backends: [{id: a, uri: "sip:10.0.0.11;transport=sctp"}]
                flow-token: {secret: "0123456789abcdef"}
                """);

        assertThat(p.message()).isEqualTo(
                "'sip:10.0.0.11;transport=sctp' has an unknown transport 'sctp' (expected: udp, tcp or tls)");
    }

    @Test
    void wrongTypeSaysWhatWasExpected() {
        ConfigProblem p = onlyProblem(REQUIRED + """
                health:
                  rise: often
                """);

        assertThat(p.keyPath()).isEqualTo("health.rise");
        assertThat(p.message()).isEqualTo("expected an integer, got 'often'");
    }

    @Test
    void mappingWhereAStringIsExpectedIsRejected() {
        ConfigProblem p = onlyProblem(REQUIRED + """
                advertise: {host: 127.0.0.1}
                """);

        assertThat(p.keyPath()).isEqualTo("advertise");
        assertThat(p.message()).isEqualTo("expected a string, got a mapping");
    }

    @Test
    void yesIsNotABoolean() {
        ConfigProblem p = onlyProblem(REQUIRED + "routing: {force-rport: yes}\n");

        assertThat(p.message()).isEqualTo("expected true or false, got 'yes'");
    }

    @Test
    void badDurationSaysWhatWasExpected() {
        ConfigProblem p = onlyProblem(REQUIRED + """
                health:
                  interval: fast
                """);

        assertThat(p.keyPath()).isEqualTo("health.interval");
        assertThat(p.message()).isEqualTo("expected a duration like 500ms or 2s, got 'fast'");
    }

    @Test
    void durationWithoutUnitIsRejected() {
        ConfigProblem p = onlyProblem(REQUIRED + "health: {timeout: 500}\n");

        assertThat(p.message()).isEqualTo(
                "expected a duration like 500ms or 2s, got '500' (a unit is required: ms, s, m or h)");
    }

    @Test
    void timeoutNotBelowIntervalIsRejected() {
        ConfigProblem p = onlyProblem(REQUIRED + """
                health:
                  interval: 1s
                  timeout: 2s
                """);

        assertThat(p.keyPath()).isEqualTo("health.timeout");
        assertThat(p.line()).isEqualTo(6);
        assertThat(p.message()).isEqualTo("2s (expected: less than interval 1s, so that probes do not overlap)");
    }

    @Test
    void aliveCodesOutsideTheFinalRangeAreRejectedAtTheirLine() {
        ConfigProblem p = onlyProblem(REQUIRED + """
                health:
                  alive-codes: 200-299,180
                """);

        assertThat(p.toString()).isEqualTo("siplb.yaml:5:16: health.alive-codes: '200-299,180': '180' "
                + "(expected: a final response code 200 ~ 699 or a range like 200-299)");
    }

    @Test
    void aliveCodeRangeBackwardsIsRejected() {
        ConfigProblem p = onlyProblem(REQUIRED + "health: {alive-codes: 299-200}\n");

        assertThat(p.keyPath()).isEqualTo("health.alive-codes");
        assertThat(p.message()).isEqualTo("'299-200': range 299-200 (expected: from <= to)");
    }

    @Test
    void policySharesOutOfRangeAreAllRejected() {
        List<ConfigProblem> problems = problems(REQUIRED + """
                health:
                  jitter: 0.8
                  panic-threshold: 1
                  max-passive-eject-share: 1.5
                """);

        assertThat(problems).extracting(ConfigProblem::toString).containsExactly(
                "siplb.yaml:5:11: health.jitter: 0.8 (expected: 0 ~ 0.5)",
                "siplb.yaml:6:20: health.panic-threshold: 1.0 (expected: 0 ~ 1, 1 excluded; 0 = never panic)",
                "siplb.yaml:7:28: health.max-passive-eject-share: 1.5 (expected: 0 ~ 1)");
    }

    @Test
    void shareThatIsNotADecimalNumberSaysWhatWasExpected() {
        ConfigProblem p = onlyProblem(REQUIRED + "health: {panic-threshold: 50%}\n");

        assertThat(p.keyPath()).isEqualTo("health.panic-threshold");
        assertThat(p.message()).isEqualTo("expected a decimal number like 0.5, got '50%'");
    }

    @Test
    void retryAfterCapAndSlowStartOutOfRangeAreRejected() {
        List<ConfigProblem> problems = problems(REQUIRED + """
                health:
                  max-retry-after: 25h
                  slow-start: 2h
                """);

        assertThat(problems).extracting(ConfigProblem::toString).containsExactly(
                "siplb.yaml:5:20: health.max-retry-after: 25h (expected: 0s ~ 1d; 0s = ignore Retry-After)",
                "siplb.yaml:6:15: health.slow-start: 2h (expected: 0s ~ 1h; 0s = off)");
    }

    @Test
    void misspelledPolicyKeyGetsTheNearestValidKey() {
        ConfigProblem p = onlyProblem(REQUIRED + "health: {panic-treshold: 0.4}\n");

        assertThat(p.message()).isEqualTo("unknown key 'panic-treshold' at health (did you mean 'panic-threshold'?)");
    }

    @Test
    void riseAndFallBelowOneAreBothRejected() {
        List<ConfigProblem> problems = problems(REQUIRED + """
                health:
                  rise: 0
                  fall: -1
                """);

        assertThat(problems).extracting(ConfigProblem::toString).containsExactly(
                "siplb.yaml:5:9: health.rise: 0 (expected: 1 ~ 100)",
                "siplb.yaml:6:9: health.fall: -1 (expected: 1 ~ 100)");
    }

    @Test
    void limitOutOfRangeIsRejected() {
        ConfigProblem p = onlyProblem(REQUIRED + "limits: {max-line-bytes: 100000}\n");

        assertThat(p.keyPath()).isEqualTo("limits.max-line-bytes");
        assertThat(p.message()).isEqualTo("100000 (expected: 256 ~ max-message-bytes 65535)");
    }

    @Test
    void duplicateBackendIdsAreRejected() {
        ConfigProblem p = onlyProblem("""
                listen: [udp://127.0.0.1:5060]
                backends:
                  - id: a
                    uri: sip:10.0.0.11
                  - id: a
                    uri: sip:10.0.0.12
                flow-token: {secret: "0123456789abcdef"}
                """);

        assertThat(p.keyPath()).isEqualTo("backends[1].id");
        assertThat(p.line()).isEqualTo(5);
        assertThat(p.message()).startsWith("duplicate backend id 'a' (first at backends[0]");
    }

    @Test
    void duplicateListenAddressesAreRejected() {
        ConfigProblem p = onlyProblem("""
                listen:
                  - udp://[::1]:5060
                  - udp://[0:0::1]:5060
                backends: [{id: a, uri: "sip:10.0.0.11"}]
                flow-token: {secret: "0123456789abcdef"}
                """);

        assertThat(p.keyPath()).isEqualTo("listen[1]");
        assertThat(p.line()).isEqualTo(3);
        assertThat(p.message()).isEqualTo("'udp://[::1]:5060' is listed twice (first at listen[0])");
    }

    @Test
    void ipv6ListenAddressWithoutBracketsIsRejected() {
        ConfigProblem p = onlyProblem("""
                listen: ["udp://::1:5060"]
                backends: [{id: a, uri: "sip:10.0.0.11"}]
                flow-token: {secret: "0123456789abcdef"}
                """);

        assertThat(p.keyPath()).isEqualTo("listen[0]");
        assertThat(p.message()).isEqualTo(
                "'udp://::1:5060' (expected: brackets around an IPv6 address, like [::1]:5060)");
    }

    @Test
    void missingSecretIsRejected() {
        ConfigProblem p = onlyProblem("""
                listen: [udp://127.0.0.1:5060]
                backends: [{id: a, uri: "sip:10.0.0.11"}]
                flow-token:
                  secret:
                """);

        assertThat(p.keyPath()).isEqualTo("flow-token");
        assertThat(p.message()).isEqualTo(
                "no secret (expected: exactly one of secret or secret-file, at least 16 bytes)");
    }

    @Test
    void missingFlowTokenSectionIsRejected() {
        ConfigProblem p = onlyProblem("""
                listen: [udp://127.0.0.1:5060]
                backends: [{id: a, uri: "sip:10.0.0.11"}]
                """);

        assertThat(p.keyPath()).isEqualTo("flow-token");
        assertThat(p.message()).startsWith("missing (expected: flow-token with secret or secret-file");
    }

    @Test
    void secretAndSecretFileTogetherAreRejected() {
        ConfigProblem p = onlyProblem("""
                listen: [udp://127.0.0.1:5060]
                backends: [{id: a, uri: "sip:10.0.0.11"}]
                flow-token:
                  secret: "0123456789abcdef"
                  secret-file: /etc/siplb/flow.key
                """);

        assertThat(p.line()).isEqualTo(5);
        assertThat(p.message()).isEqualTo("both secret and secret-file are set (expected: exactly one)");
    }

    @Test
    void shortSecretIsRejectedWithoutPrintingIt() {
        ConfigException e = catchThrowableOfType(ConfigException.class, () -> ConfigLoader.load("""
                listen: [udp://127.0.0.1:5060]
                backends: [{id: a, uri: "sip:10.0.0.11"}]
                flow-token:
                  secret: "hunter2"
                """, "siplb.yaml"));

        assertThat(e.problems()).singleElement().satisfies(p -> {
            assertThat(p.keyPath()).isEqualTo("flow-token.secret");
            assertThat(p.line()).isEqualTo(4);
            assertThat(p.message()).startsWith("7 bytes (expected: at least 16 bytes");
        });
        assertThat(e.getMessage()).doesNotContain("hunter2");
    }

    @Test
    void unreadableSecretFileIsReported(@org.junit.jupiter.api.io.TempDir Path dir) {
        ConfigException e = catchThrowableOfType(ConfigException.class, () -> ConfigLoader.load("""
                listen: [udp://127.0.0.1:5060]
                backends: [{id: a, uri: "sip:10.0.0.11"}]
                flow-token: {secret-file: nope.key}
                """, "siplb.yaml", dir));

        assertThat(e.problems()).singleElement().satisfies(p -> {
            assertThat(p.keyPath()).isEqualTo("flow-token.secret-file");
            assertThat(p.message()).isEqualTo(
                    "cannot read the secret: no such file '" + dir.resolve("nope.key") + "'");
        });
    }

    @Test
    void missingListenAndBackendsAreRejected() {
        List<ConfigProblem> problems = problems("""
                flow-token: {secret: "0123456789abcdef"}
                """);

        assertThat(problems).extracting(ConfigProblem::keyPath).containsExactly("listen", "backends");
        assertThat(problems.get(0).message()).startsWith("no listen address (expected: at least one");
    }

    @Test
    void wildcardListenWithoutAdvertiseIsRejected() {
        ConfigProblem p = onlyProblem("""
                listen: [udp://0.0.0.0:5060]
                backends: [{id: a, uri: "sip:10.0.0.11"}]
                flow-token: {secret: "0123456789abcdef"}
                """);

        assertThat(p.keyPath()).isEqualTo("advertise");
        assertThat(p.message()).startsWith("'0.0.0.0:5060' is a wildcard address");
    }

    @Test
    void advertiseWithoutPortIsRejected() {
        ConfigProblem p = onlyProblem(REQUIRED + "advertise: 192.0.2.10\n");

        assertThat(p.keyPath()).isEqualTo("advertise");
        assertThat(p.message()).isEqualTo(
                "'192.0.2.10' has no port (expected: host:port like 127.0.0.1:8080 or [::1]:8080)");
    }

    @Test
    void unparseableAdminListenIsRejected() {
        ConfigProblem p = onlyProblem(REQUIRED + "admin: {listen: localhost:http}\n");

        assertThat(p.keyPath()).isEqualTo("admin.listen");
        assertThat(p.message()).startsWith("'localhost:http' has an invalid port");
    }

    @Test
    void backendMissingUriIsRejected() {
        ConfigProblem p = onlyProblem("""
                listen: [udp://127.0.0.1:5060]
                backends:
                  - id: a
                flow-token: {secret: "0123456789abcdef"}
                """);

        assertThat(p.keyPath()).isEqualTo("backends[0].uri");
        assertThat(p.line()).isEqualTo(3);
        assertThat(p.message()).startsWith("missing (expected: sip:host");
    }

    @Test
    void duplicateKeyIsRejected() {
        ConfigProblem p = onlyProblem(REQUIRED + """
                health:
                  rise: 2
                  rise: 3
                """);

        assertThat(p.keyPath()).isEqualTo("health.rise");
        assertThat(p.line()).isEqualTo(6);
        assertThat(p.message()).isEqualTo("duplicate key 'rise' (first at line 5)");
    }

    @Test
    void severalErrorsAreReportedAtOnceInFileOrder() {
        ConfigException e = catchThrowableOfType(ConfigException.class, () -> ConfigLoader.load("""
                listen: [udp://127.0.0.1:5060, "udp://example..com:5060"]
                backends:
                  - id: a
                    uri: sip:10.0.0.11
                    wieght: 2
                health:
                  interval: fast
                flow-token: {secret: "short"}
                """, "siplb.yaml"));

        assertThat(e.problems()).extracting(ConfigProblem::keyPath).containsExactly(
                "listen[1]", "backends[0].wieght", "health.interval", "flow-token.secret");
        assertThat(e.problems()).extracting(ConfigProblem::line).containsExactly(1, 5, 7, 8);
        assertThat(e.getMessage()).startsWith("4 configuration problems:\n  siplb.yaml:1:");
        assertThat(e.getMessage()).contains("(did you mean 'weight'?)");
    }

    @Test
    void yamlSyntaxErrorNamesFileAndLineWithoutTheLibraryException() {
        ConfigException e = catchThrowableOfType(ConfigException.class, () -> ConfigLoader.load("""
                listen: [udp://127.0.0.1:5060]
                flow-token:
                  secret: "0123456789abcdef
                backends: []
                """, "siplb.yaml"));

        assertThat(e.getCause()).isNull();
        assertThat(e.problems()).singleElement().satisfies(p -> {
            assertThat(p.file()).isEqualTo("siplb.yaml");
            assertThat(p.line()).isGreaterThanOrEqualTo(3);
            assertThat(p.message()).startsWith("YAML syntax error: ");
        });
        assertThat(e.getMessage()).doesNotContain("0123456789abcdef");
    }

    @Test
    void badIndentationIsASyntaxErrorWithItsLine() {
        ConfigProblem p = onlyProblem("""
                listen: [udp://127.0.0.1:5060]
                health:
                  rise: 2
                 fall: 2
                """);

        assertThat(p.line()).isEqualTo(4);
        assertThat(p.message()).startsWith("YAML syntax error: ");
    }

    @Test
    void topLevelThatIsNotAMappingIsRejected() {
        ConfigProblem p = onlyProblem("- udp://127.0.0.1:5060\n");

        assertThat(p.message()).startsWith("expected a mapping with keys listen, advertise");
    }

    @Test
    void emptyTextIsRejected() {
        ConfigProblem p = onlyProblem("# nothing here\n");

        assertThat(p.message()).startsWith("the configuration is empty");
    }

    @Test
    void missingFileIsReported() {
        ConfigException e = catchThrowableOfType(ConfigException.class,
                () -> ConfigLoader.load(Path.of("/nonexistent/siplb.yaml")));

        assertThat(e.getMessage()).isEqualTo(
                "/nonexistent/siplb.yaml: cannot read the configuration: no such file '/nonexistent/siplb.yaml'");
    }

    @Test
    void unquotedIpv6InAFlowListGetsAHint() {
        ConfigProblem p = onlyProblem("""
                listen: [udp://[::1]:5060]
                """);

        assertThat(p.line()).isEqualTo(1);
        assertThat(p.message()).startsWith("YAML syntax error: ")
                .endsWith("quote a value with an IPv6 address in brackets, like \"udp://[::1]:5060\"");
    }

    @Test
    void backendIdAndUriMistakesAreReportedTogether() {
        List<ConfigProblem> problems = problems("""
                listen: [udp://127.0.0.1:5060]
                backends:
                  - id: proxy a
                    uri: sip:alice@10.0.0.11
                flow-token: {secret: "0123456789abcdef"}
                """);

        assertThat(problems).extracting(ConfigProblem::keyPath).containsExactly("backends[0].id", "backends[0].uri");
        assertThat(problems.get(1).message()).startsWith("'sip:alice@10.0.0.11' has a user part");
    }
}

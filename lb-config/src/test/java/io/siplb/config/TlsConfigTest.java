package io.siplb.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.nio.file.Path;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The {@code tls:} section: PEM files read and checked at load, every mistake at its line and key. */
class TlsConfigTest {

    private static final String HEAD = """
            listen: [udp://127.0.0.1:5060, tls://127.0.0.1:5061]
            backends: [{id: a, uri: "sip:10.0.0.11"}]
            flow-token: {secret: "0123456789abcdef"}
            """;

    @TempDir
    Path dir;
    private TestPki pki;
    private KeyPair serverKeys;

    @BeforeEach
    void issueCertificates() {
        pki = new TestPki();
        serverKeys = TestPki.ec();
        X509Certificate server = pki.server("sip.example.com", serverKeys, List.of("sip.example.com"));
        TestPki.writeCertificates(dir.resolve("server.pem"), server, pki.ca);
        TestPki.writeKey(dir.resolve("server.key"), serverKeys.getPrivate());
        TestPki.writeCertificates(dir.resolve("ca.pem"), pki.ca);
    }

    private SiplbConfig load(String yaml) {
        return ConfigLoader.load(yaml, "siplb.yaml", dir);
    }

    private List<ConfigProblem> problems(String yaml) {
        ConfigException e = catchThrowableOfType(ConfigException.class, () -> load(yaml));
        assertThat(e).as("expected a ConfigException").isNotNull();
        return e.problems();
    }

    private ConfigProblem onlyProblem(String yaml) {
        List<ConfigProblem> problems = problems(yaml);
        assertThat(problems).hasSize(1);
        return problems.get(0);
    }

    @Test
    void aCertificateAndKeyRelativeToTheConfigurationAreReadWithTheDefaults() {
        SiplbConfig c = load(HEAD + """
                tls:
                  certificate: server.pem
                  key: server.key
                """);

        TlsConfig tls = c.tls();
        assertThat(tls.certificate().certificateFile()).isEqualTo(dir.resolve("server.pem"));
        assertThat(tls.certificate().chain()).hasSize(2);
        assertThat(tls.certificate().subject()).isEqualTo("CN=sip.example.com");
        assertThat(tls.protocols()).containsExactly("TLSv1.3", "TLSv1.2");
        assertThat(tls.clientAuth()).isEqualTo(TlsConfig.ClientAuth.NONE);
        assertThat(tls.watchInterval()).isEqualTo(Duration.ofSeconds(30));
        assertThat(tls.sni()).isEmpty();
        assertThat(tls.toString()).doesNotContain(java.util.Base64.getEncoder()
                .encodeToString(serverKeys.getPrivate().getEncoded()).substring(0, 20));
    }

    @Test
    void aTlsListenerWithoutATlsSectionIsRefusedAtItsLine() {
        ConfigProblem p = onlyProblem(HEAD);

        assertThat(p.keyPath()).isEqualTo("listen[1]");
        assertThat(p.line()).isEqualTo(1);
        assertThat(p.message()).isEqualTo("'tls://127.0.0.1:5061' needs a tls section "
                + "(expected: tls: with certificate and key, see docs/tls.md)");
    }

    @Test
    void aTlsSectionWithoutATlsListenerIsRefused() {
        ConfigProblem p = onlyProblem(HEAD.replace(", tls://127.0.0.1:5061", "") + """
                tls: {certificate: server.pem, key: server.key}
                """);

        assertThat(p.keyPath()).isEqualTo("tls");
        assertThat(p.line()).isEqualTo(4);
        assertThat(p.message()).startsWith("no tls:// listen address uses it");
    }

    @Test
    void aMissingCertificateFileIsNamedAtItsLineAndKey() {
        ConfigProblem p = onlyProblem(HEAD + """
                tls:
                  certificate: missing.pem
                  key: server.key
                """);

        assertThat(p.toString()).isEqualTo("siplb.yaml:5:16: tls.certificate: cannot read '"
                + dir.resolve("missing.pem") + "': no such file '" + dir.resolve("missing.pem") + "'");
    }

    @Test
    void aMissingKeyIsReportedAtTheSection() {
        ConfigProblem p = onlyProblem(HEAD + """
                tls:
                  certificate: server.pem
                """);

        assertThat(p.keyPath()).isEqualTo("tls.key");
        assertThat(p.message()).startsWith("missing (expected: the PEM private key");
    }

    @Test
    void aKeyThatIsNotTheCertificatesIsRefusedAtTheKeyLine() {
        TestPki.writeKey(dir.resolve("other.key"), TestPki.ec().getPrivate());

        ConfigProblem p = onlyProblem(HEAD + """
                tls:
                  certificate: server.pem
                  key: other.key
                """);

        assertThat(p.keyPath()).isEqualTo("tls.key");
        assertThat(p.line()).isEqualTo(6);
        assertThat(p.message()).startsWith("'" + dir.resolve("other.key") + "' is not the key of the certificate in '"
                + dir.resolve("server.pem") + "' (CN=sip.example.com)");
    }

    @Test
    void anRsaKeyOfAnotherCertificateIsRefusedToo() {
        KeyPair rsa = TestPki.rsa();
        TestPki.writeCertificates(dir.resolve("rsa.pem"), pki.server("rsa.example.com", rsa, List.of()));
        TestPki.writeKey(dir.resolve("rsa-other.key"), TestPki.rsa().getPrivate());
        TestPki.writeKey(dir.resolve("rsa.key"), rsa.getPrivate());

        assertThat(onlyProblem(HEAD + "tls: {certificate: rsa.pem, key: rsa-other.key}\n").message())
                .contains("is not the key of the certificate");
        assertThat(load(HEAD + "tls: {certificate: rsa.pem, key: rsa.key}\n").tls().certificate().key().getAlgorithm())
                .isEqualTo("RSA");
    }

    @Test
    void aLegacyRsaKeyIsRefusedWithTheCommandThatConvertsIt() {
        TestPki.write(dir.resolve("legacy.key"), TestPki.pem("RSA PRIVATE KEY", new byte[] {1, 2, 3}));

        ConfigProblem p = onlyProblem(HEAD + "tls: {certificate: server.pem, key: legacy.key}\n");

        assertThat(p.keyPath()).isEqualTo("tls.key");
        assertThat(p.message()).contains("legacy RSA PRIVATE KEY block")
                .contains("openssl pkcs8 -topk8 -nocrypt -in KEY -out KEY.pk8");
    }

    @Test
    void anEncryptedKeyIsRefused() {
        TestPki.write(dir.resolve("enc.key"), TestPki.pem("ENCRYPTED PRIVATE KEY", new byte[] {1, 2, 3}));

        assertThat(onlyProblem(HEAD + "tls: {certificate: server.pem, key: enc.key}\n").message())
                .contains("is encrypted (expected: an unencrypted key");
    }

    @Test
    void aKeyThatDoesNotParseIsRefused() {
        TestPki.write(dir.resolve("junk.key"), TestPki.pem("PRIVATE KEY", new byte[] {1, 2, 3}));

        assertThat(onlyProblem(HEAD + "tls: {certificate: server.pem, key: junk.key}\n").message())
                .isEqualTo("'" + dir.resolve("junk.key") + "': the private key cannot be read "
                        + "(expected: an RSA, EC or EdDSA key in PKCS#8)");
    }

    @Test
    void aCertificateFileWithoutACertificateIsRefused() {
        ConfigProblem p = onlyProblem(HEAD + "tls: {certificate: server.key, key: server.key}\n");

        assertThat(p.keyPath()).isEqualTo("tls.certificate");
        assertThat(p.message()).contains("holds a private key (expected: the certificate chain here");
    }

    @Test
    void clientAuthNeedsACaFileAndTheCaFileNeedsClientAuth() {
        ConfigProblem missing = onlyProblem(HEAD + """
                tls: {certificate: server.pem, key: server.key, client-auth: require}
                """);
        assertThat(missing.keyPath()).isEqualTo("tls.ca");
        assertThat(missing.message()).startsWith("missing (expected: the PEM file of the CAs");

        ConfigProblem unused = onlyProblem(HEAD + """
                tls: {certificate: server.pem, key: server.key, ca: ca.pem}
                """);
        assertThat(unused.keyPath()).isEqualTo("tls.ca");
        assertThat(unused.message()).contains("is not used with client-auth none");

        TlsConfig tls = load(HEAD + """
                tls: {certificate: server.pem, key: server.key, client-auth: optional, ca: ca.pem}
                """).tls();
        assertThat(tls.clientAuth()).isEqualTo(TlsConfig.ClientAuth.OPTIONAL);
        assertThat(tls.trusted()).containsExactly(pki.ca);
    }

    @Test
    void anUnknownClientAuthIsRefused() {
        ConfigProblem p = onlyProblem(HEAD + """
                tls: {certificate: server.pem, key: server.key, client-auth: yes}
                """);

        assertThat(p.keyPath()).isEqualTo("tls.client-auth");
        assertThat(p.message()).isEqualTo("'yes' (expected: none, optional or require)");
    }

    @Test
    void tlsOneDotOneIsNotAProtocolSiplbOffers() {
        ConfigProblem p = onlyProblem(HEAD + """
                tls:
                  certificate: server.pem
                  key: server.key
                  protocols: [TLSv1.2, TLSv1.1]
                """);

        assertThat(p.keyPath()).isEqualTo("tls.protocols[1]");
        assertThat(p.line()).isEqualTo(7);
        assertThat(p.message()).contains("TLS 1.1 and older are not supported");
        assertThat(load(HEAD + "tls: {certificate: server.pem, key: server.key, protocols: [TLSv1.3]}\n")
                .tls().protocols()).containsExactly("TLSv1.3");
    }

    @Test
    void sniNamesDefaultToTheCertificatesDnsNames() {
        KeyPair keys = TestPki.ec();
        TestPki.writeCertificates(dir.resolve("org.pem"),
                pki.server("example.org", keys, List.of("sip.example.org", "*.example.org")));
        TestPki.writeKey(dir.resolve("org.key"), keys.getPrivate());

        TlsConfig tls = load(HEAD + """
                tls:
                  certificate: server.pem
                  key: server.key
                  sni:
                    - {certificate: org.pem, key: org.key}
                    - {certificate: org.pem, key: org.key, names: [Other.Example.NET]}
                """).tls();

        assertThat(tls.sni()).extracting(TlsCertificate::names).containsExactly(
                List.of("sip.example.org", "*.example.org"), List.of("other.example.net"));
    }

    @Test
    void aNameOnTwoSniEntriesIsRefused() {
        ConfigProblem p = onlyProblem(HEAD + """
                tls:
                  certificate: server.pem
                  key: server.key
                  sni:
                    - {certificate: server.pem, key: server.key, names: [a.example.com]}
                    - {certificate: server.pem, key: server.key, names: [a.example.com]}
                """);

        assertThat(p.keyPath()).isEqualTo("tls.sni");
        assertThat(p.message()).isEqualTo("sni[1]: 'a.example.com' is also a name of sni[0] (expected: each name once)");
    }

    @Test
    void aBackendOverTlsIsRefused() {
        ConfigProblem p = onlyProblem(HEAD.replace("sip:10.0.0.11", "sip:10.0.0.11;transport=tls")
                + "tls: {certificate: server.pem, key: server.key}\n");

        assertThat(p.keyPath()).isEqualTo("backends[0].uri");
        assertThat(p.message()).contains("siplb does not reach backends over TLS");
    }

    @Test
    void tlsAndTcpOnOnePortAreRefused() {
        ConfigProblem p = onlyProblem("""
                listen: [tcp://127.0.0.1:5061, tls://127.0.0.1:5061]
                backends: [{id: a, uri: "sip:10.0.0.11"}]
                flow-token: {secret: "0123456789abcdef"}
                tls: {certificate: server.pem, key: server.key}
                """);

        assertThat(p.keyPath()).isEqualTo("listen[1]");
        assertThat(p.message()).contains("is also the TCP listen address listen[0]");
    }

    @Test
    void rereadingPicksUpARenewedCertificate() {
        TlsConfig tls = load(HEAD + "tls: {certificate: server.pem, key: server.key}\n").tls();
        assertThat(tls.reread()).isEqualTo(tls);

        KeyPair renewed = TestPki.ec();
        TestPki.writeCertificates(dir.resolve("server.pem"), pki.server("sip.example.com", renewed, List.of()));
        assertThatThrownBy(tls::reread).hasMessageContaining("is not the key of the certificate"); // key not yet
        TestPki.writeKey(dir.resolve("server.key"), renewed.getPrivate());

        TlsConfig again = tls.reread();
        assertThat(again).isNotEqualTo(tls);
        assertThat(again.certificate().leaf().getPublicKey()).isEqualTo(renewed.getPublic());
        assertThat(again.files()).containsExactly(dir.resolve("server.pem"), dir.resolve("server.key"));
    }
}

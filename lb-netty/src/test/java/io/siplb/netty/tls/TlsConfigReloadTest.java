package io.siplb.netty.tls;

import io.siplb.config.TestPki;
import static org.assertj.core.api.Assertions.assertThat;

import io.siplb.config.ConfigLoader;
import io.siplb.netty.Assembly;
import io.siplb.netty.SiplbServer;
import io.siplb.netty.reload.ConfigReloader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A configuration reload (SIGHUP, {@code POST /reload}) reads the certificate files again with the
 * rest of the file: a renewed certificate is taken for new connections, a broken one refuses the
 * whole reload with the file, line and key, and the old certificate stays.
 */
@Timeout(60)
class TlsConfigReloadTest {

    @TempDir
    Path dir;
    private final TestPki pki = new TestPki();
    private SiplbServer server;
    private Path file;

    @BeforeEach
    void start() throws Exception {
        write("sip.example.com", TestPki.ec());
        file = Files.writeString(dir.resolve("siplb.yaml"), """
                listen: [udp://127.0.0.1:%d, tls://127.0.0.1:%d]
                backends: [{id: a, uri: "sip:127.0.1.1:5060"}]
                health: {enabled: false}
                flow-token: {secret: "%s"}
                admin: {listen: "127.0.0.1:%d"}
                tls:
                  certificate: server.pem
                  key: server.key
                  watch-interval: 0s
                """.formatted(TlsLab.freeUdpPort(), TlsLab.freeTcpPort(), TlsLab.SECRET, TlsLab.freeTcpPort()));
        server = new SiplbServer(Assembly.of(ConfigLoader.load(file)), 1).configFile(file);
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop();
    }

    @Test
    void aReloadTakesARenewedCertificateForNewConnections() throws Exception {
        write("renewed.example.com", TestPki.ec());

        ConfigReloader.Result r = server.reload("SIGHUP").get(10, TimeUnit.SECONDS);

        assertThat(r.applied()).as(r.text()).isTrue();
        assertThat(r.changes()).contains("tls: certificates and settings reloaded");
        assertThat(peerName()).isEqualTo("CN=renewed.example.com");
        assertThat(server.tlsCounters().reloads()).isEqualTo(1);
    }

    @Test
    void aReloadWithAKeyThatIsNotTheCertificatesIsRefusedAndTheOldCertificateStays() throws Exception {
        TestPki.writeCertificates(dir.resolve("server.pem"), pki.server("renewed.example.com", TestPki.ec(), List.of()));

        ConfigReloader.Result r = server.reload("SIGHUP").get(10, TimeUnit.SECONDS);

        assertThat(r.applied()).isFalse();
        assertThat(r.problems()).singleElement().asString()
                .startsWith(file + ":8:8: tls.key: '" + dir.resolve("server.key") + "' is not the key of the certificate");
        assertThat(peerName()).isEqualTo("CN=sip.example.com");
    }

    private void write(String name, KeyPair keys) {
        TestPki.writeCertificates(dir.resolve("server.pem"), pki.server(name, keys, List.of(name)), pki.ca);
        TestPki.writeKey(dir.resolve("server.key"), keys.getPrivate());
    }

    private String peerName() throws Exception {
        javax.net.ssl.SSLContext ctx = javax.net.ssl.SSLContext.getInstance("TLS");
        java.security.KeyStore trust = java.security.KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        trust.setCertificateEntry("ca", pki.ca);
        javax.net.ssl.TrustManagerFactory tmf = javax.net.ssl.TrustManagerFactory.getInstance(
                javax.net.ssl.TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
        ctx.init(null, tmf.getTrustManagers(), null);
        try (SSLSocket s = (SSLSocket) ctx.getSocketFactory().createSocket()) {
            s.connect(server.tlsAddresses().get(0), TlsLab.TIMEOUT_MILLIS);
            s.setSoTimeout(TlsLab.TIMEOUT_MILLIS);
            s.startHandshake();
            return ((X509Certificate) s.getSession().getPeerCertificates()[0]).getSubjectX500Principal().getName();
        }
    }
}

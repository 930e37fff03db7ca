package io.siplb.netty.tls;

import io.siplb.config.TestPki;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.buffer.ByteBufAllocator;
import io.siplb.config.TlsCertificate;
import io.siplb.config.TlsConfig;
import io.siplb.netty.guard.GuardEvent;
import io.siplb.netty.tls.TlsCounters.Failure;
import io.siplb.netty.tls.TlsCounters.Protocol;
import io.siplb.route.FlowToken;
import io.siplb.route.FlowTokenCodec;
import io.siplb.route.Transport;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import java.util.function.LongSupplier;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The {@code tls://} listener with JDK clients (and hand-made ClientHellos for the versions the
 * JDK client will not send): versions, SNI, client certificates, reloads, the handshake timeout,
 * the connection limits, and SIP through it to a UDP backend and back down the client's
 * connection.
 */
@Timeout(60)
class TlsListenerTest {

    @TempDir
    Path dir;
    private TlsLab lab;

    @AfterEach
    void stop() {
        if (lab != null) {
            lab.close();
        }
    }

    @Test
    void aTls13ClientIsAnsweredOverItsConnection() throws Exception {
        lab = new TlsLab(dir);
        try (SSLSocket s = lab.connect("TLSv1.3", null)) {
            assertThat(s.getSession().getProtocol()).isEqualTo("TLSv1.3");
            assertThat(lab.optionsToSiplb(s, "v13")).startsWith("SIP/2.0 200 OK\r\n");
        }
        assertThat(lab.server.tlsCounters().handshakes(Protocol.TLSV1_3)).isEqualTo(1);
    }

    @Test
    void aTls12ClientIsAnsweredOverItsConnection() throws Exception {
        lab = new TlsLab(dir);
        try (SSLSocket s = lab.connect("TLSv1.2", null)) {
            assertThat(s.getSession().getProtocol()).isEqualTo("TLSv1.2");
            assertThat(lab.optionsToSiplb(s, "v12")).startsWith("SIP/2.0 200 OK\r\n");
        }
        assertThat(lab.server.tlsCounters().handshakes(Protocol.TLSV1_2)).isEqualTo(1);
    }

    @Test
    void aTls11ClientHelloIsRefusedWithAProtocolVersionAlert() throws Exception {
        lab = new TlsLab(dir);
        assertThat(answerToClientHello(0x0302)).as("alert level, description").containsExactly(2, 70);
        awaitCount(() -> lab.server.tlsCounters().failures(Failure.PROTOCOL), 1);
    }

    @Test
    void aTls10ClientHelloIsRefusedWithAProtocolVersionAlert() throws Exception {
        lab = new TlsLab(dir);
        assertThat(answerToClientHello(0x0301)).as("alert level, description").containsExactly(2, 70);
        awaitCount(() -> lab.server.tlsCounters().failures(Failure.PROTOCOL), 1);
    }

    @Test
    void everyContextEnablesExactlyTls13And12WhateverTheJdkDefaults() throws Exception {
        lab = new TlsLab(dir);
        String[] enabled = lab.server.tls().map(null).newEngine(ByteBufAllocator.DEFAULT).getEnabledProtocols();
        assertThat(enabled).containsExactlyInAnyOrder("TLSv1.3", "TLSv1.2");
    }

    @Test
    void sniPicksTheCertificateOfTheNameTheClientAsksFor() throws Exception {
        lab = new TlsLab(dir, (l, c) -> {
            KeyPair org = TestPki.ec();
            TestPki.writeCertificates(l.dir.resolve("org.pem"), l.pki.server("sip.example.org", org, List.of()));
            TestPki.writeKey(l.dir.resolve("org.key"), org.getPrivate());
            return c.withTls(c.tls().withSni(List.of(TlsCertificate.load(l.dir.resolve("org.pem"),
                    l.dir.resolve("org.key"), List.of("sip.example.org", "*.example.net")))));
        });

        assertThat(peerName("sip.example.org")).isEqualTo("CN=sip.example.org");
        assertThat(peerName("pbx.example.net")).isEqualTo("CN=sip.example.org");
        assertThat(peerName("sip.example.com")).isEqualTo("CN=sip.example.com");
        assertThat(peerName("unknown.example.com")).as("an unknown name gets the default").isEqualTo("CN=sip.example.com");
        assertThat(peerName(null)).as("no SNI gets the default").isEqualTo("CN=sip.example.com");
    }

    @Test
    void requiredClientAuthRefusesAClientWithoutACertificateAndAdmitsOneFromTheCa() throws Exception {
        lab = new TlsLab(dir, (l, c) -> {
            TestPki.writeCertificates(l.dir.resolve("ca.pem"), l.pki.ca);
            return c.withTls(c.tls().withClientAuth(TlsConfig.ClientAuth.REQUIRE, l.dir.resolve("ca.pem")));
        });

        // TLS 1.3: the client may finish its side before the server's alert arrives, so it shows at the first read
        assertThatThrownBy(() -> {
            try (SSLSocket s = lab.connect("TLSv1.3", null)) {
                lab.optionsToSiplb(s, "nocert");
            }
        }).isInstanceOf(IOException.class);
        awaitCount(() -> lab.server.tlsCounters().failures(Failure.CERT), 1);

        KeyPair clientKeys = TestPki.ec();
        X509Certificate client = lab.pki.server("alice", clientKeys, List.of());
        try (SSLSocket s = lab.connect("TLSv1.3", null, client, clientKeys)) {
            assertThat(lab.optionsToSiplb(s, "cert")).startsWith("SIP/2.0 200 OK\r\n");
        }
    }

    @Test
    void aReloadServesTheNewCertificateToNewConnectionsWhileAnOldConnectionGoesOn() throws Exception {
        lab = new TlsLab(dir);
        try (SSLSocket old = lab.connect("TLSv1.3", null)) {
            lab.writeServerCertificate("renewed.example.com", TestPki.ec());

            assertThat(lab.server.tls().reloadFiles("test")).isTrue();

            assertThat(peerName(null)).isEqualTo("CN=renewed.example.com");
            assertThat(lab.optionsToSiplb(old, "old-connection")).startsWith("SIP/2.0 200 OK\r\n");
            assertThat(((X509Certificate) old.getSession().getPeerCertificates()[0]).getSubjectX500Principal()
                    .getName()).isEqualTo("CN=sip.example.com");
        }
        assertThat(lab.server.tlsCounters().reloads()).isEqualTo(1);
    }

    @Test
    void aBadCertificateOnReloadIsRefusedAndTheOldOneStays() throws Exception {
        lab = new TlsLab(dir);
        // the new certificate is written, its key is not: they do not belong together
        TestPki.writeCertificates(dir.resolve("server.pem"),
                lab.pki.server("renewed.example.com", TestPki.ec(), List.of()));

        assertThat(lab.server.tls().reloadFiles("test")).isFalse();

        assertThat(peerName(null)).isEqualTo("CN=sip.example.com");
        assertThat(lab.server.tlsCounters().reloadFailures()).isEqualTo(1);
        assertThat(lab.server.tlsCounters().reloads()).isZero();
    }

    @Test
    void changedFilesAreReloadedByTheWatcher() throws Exception {
        lab = new TlsLab(dir, (l, c) -> c.withTls(c.tls().withWatchInterval(Duration.ofSeconds(1))));

        lab.writeServerCertificate("watched.example.com", TestPki.ec());

        long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
        while (lab.server.tlsCounters().reloads() == 0 && System.nanoTime() < deadline) {
            Thread.sleep(100);
        }
        assertThat(peerName(null)).isEqualTo("CN=watched.example.com");
    }

    @Test
    void aConnectionThatNeverSendsItsClientHelloIsClosedAtTheHandshakeTimeout() throws Exception {
        lab = new TlsLab(dir, TlsLab.limits(64, Duration.ofMinutes(15), Duration.ofMillis(300)));
        try (Socket silent = new Socket()) {
            silent.connect(lab.tlsAddress(), TlsLab.TIMEOUT_MILLIS);
            silent.setSoTimeout(TlsLab.TIMEOUT_MILLIS);
            long start = System.nanoTime();

            assertThat(readOrReset(silent.getInputStream())).as("closed by siplb").isEqualTo(-1);

            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(3));
        }
        awaitCount(() -> lab.server.tlsCounters().failures(Failure.TIMEOUT), 1);
        awaitCount(() -> lab.server.guard().counters().get(GuardEvent.HANDSHAKE_TIMEOUT), 1);
    }

    @Test
    void theConnectionLimitPerSourceAppliesToTlsConnections() throws Exception {
        lab = new TlsLab(dir, TlsLab.limits(2, Duration.ofMinutes(15), Duration.ofSeconds(10)));
        try (SSLSocket a = lab.connect("TLSv1.3", null); SSLSocket b = lab.connect("TLSv1.3", null)) {
            awaitCount(() -> lab.server.guard().clientConnections(), 2);

            assertThatThrownBy(() -> lab.connect("TLSv1.3", null).close()).isInstanceOf(IOException.class);

            awaitCount(() -> lab.server.guard().counters().get(GuardEvent.CONNECTION_REFUSED_PER_SOURCE), 1);
            assertThat(lab.optionsToSiplb(a, "still-a")).startsWith("SIP/2.0 200 OK\r\n");
        }
    }

    @Test
    void theLimitOnAllClientConnectionsAppliesToTlsConnections() throws Exception {
        lab = new TlsLab(dir, TlsLab.limits(2, 2, Duration.ofMinutes(15), Duration.ofSeconds(10)));
        try (SSLSocket a = lab.connect("TLSv1.2", null); SSLSocket b = lab.connect("TLSv1.2", null)) {
            awaitCount(() -> lab.server.guard().clientConnections(), 2);

            assertThatThrownBy(() -> lab.connect("TLSv1.2", null).close()).isInstanceOf(IOException.class);

            awaitCount(() -> lab.server.guard().counters().get(GuardEvent.CONNECTION_REFUSED_TOTAL), 1);
            assertThat(lab.server.tlsCounters().handshakes(Protocol.TLSV1_2)).as("no handshake for the refused one")
                    .isEqualTo(2);
        }
    }

    @Test
    void theIdleTimeoutClosesASilentTlsConnection() throws Exception {
        lab = new TlsLab(dir, TlsLab.limits(64, Duration.ofMillis(500), Duration.ofSeconds(10)));
        try (SSLSocket s = lab.connect("TLSv1.3", null)) {
            assertThat(readOrReset(s.getInputStream())).as("closed by siplb").isEqualTo(-1);
        }
        awaitCount(() -> lab.server.guard().counters().get(GuardEvent.IDLE_CLOSED), 1);
    }

    @Test
    void aTlsClientRegistersThroughToAUdpBackendAndTheBackendReachesItBackThroughPath() throws Exception {
        lab = new TlsLab(dir);
        try (SSLSocket client = lab.connect("TLSv1.3", null)) {
            int me = client.getLocalPort();
            TlsLab.send(client.getOutputStream(), """
                    REGISTER sip:example.com SIP/2.0\r
                    Via: SIP/2.0/TLS 127.0.0.1:%d;branch=z9hG4bK-reg1;rport\r
                    Max-Forwards: 70\r
                    From: <sip:alice@example.com>;tag=1\r
                    To: <sip:alice@example.com>\r
                    Call-ID: reg1@tls-lab\r
                    CSeq: 1 REGISTER\r
                    Contact: <sip:alice@127.0.0.1:%d;transport=tls>\r
                    Content-Length: 0\r
                    \r
                    """.formatted(me, me));

            String register = TlsLab.receive(lab.backend);
            int udp = lab.udpAddress().getPort();
            assertThat(TlsLab.header(register, "Via")).startsWith("SIP/2.0/UDP 127.0.0.1:" + udp + ";branch=");
            String path = TlsLab.header(register, "Path");
            assertThat(path).matches("<sip:[A-Za-z0-9_-]+@127\\.0\\.0\\.1:" + udp + ";lr;ob>");
            FlowToken flow = FlowTokenCodec.of(TlsLab.SECRET.getBytes(StandardCharsets.US_ASCII))
                    .decode(path.substring(5, path.indexOf('@')));
            assertThat(flow.transport()).isEqualTo(Transport.TLS);
            assertThat(flow.port()).isEqualTo(me);

            TlsLab.sendDatagram(lab.backend, TlsLab.okFor(register), lab.udpAddress());
            String ok = TlsLab.readMessage(client.getInputStream());
            assertThat(ok).startsWith("SIP/2.0 200 OK\r\n");
            assertThat(TlsLab.header(ok, "Via")).startsWith("SIP/2.0/TLS 127.0.0.1:" + me + ";branch=z9hG4bK-reg1");

            // the registrar's request for alice follows the Path: down alice's TLS connection
            TlsLab.sendDatagram(lab.backend, """
                    OPTIONS sip:alice@127.0.0.1:%d;transport=tls SIP/2.0\r
                    Via: SIP/2.0/UDP 127.0.1.1:%d;branch=z9hG4bK-b1\r
                    Route: %s\r
                    Max-Forwards: 70\r
                    From: <sip:registrar@example.com>;tag=r\r
                    To: <sip:alice@example.com>\r
                    Call-ID: b1@tls-lab\r
                    CSeq: 1 OPTIONS\r
                    Content-Length: 0\r
                    \r
                    """.formatted(me, lab.backend.getLocalPort(), path), lab.udpAddress());
            String options = TlsLab.readMessage(client.getInputStream());
            assertThat(options).startsWith("OPTIONS sip:alice@127.0.0.1:" + me + ";transport=tls SIP/2.0\r\n");
            assertThat(TlsLab.header(options, "Via"))
                    .startsWith("SIP/2.0/TLS 127.0.0.1:" + lab.tlsAddress().getPort() + ";branch=");
            TlsLab.send(client.getOutputStream(), TlsLab.okFor(options));
            assertThat(TlsLab.receive(lab.backend)).startsWith("SIP/2.0 200 OK\r\n").contains("z9hG4bK-b1");
        }
    }

    /** The subject of the certificate siplb presents to a client asking for {@code sni}. */
    private String peerName(String sni) throws Exception {
        try (SSLSocket s = lab.connect("TLSv1.3", sni)) {
            return ((X509Certificate) s.getSession().getPeerCertificates()[0]).getSubjectX500Principal().getName();
        }
    }

    /**
     * Sends a ClientHello of {@code version} (0x0302 TLS 1.1, 0x0301 TLS 1.0), made by hand because
     * the JDK client refuses to offer those versions, and returns the level and description of
     * the alert siplb answers with.
     */
    private int[] answerToClientHello(int version) throws IOException {
        ByteArrayOutputStream hello = new ByteArrayOutputStream();
        hello.write(version >> 8);
        hello.write(version);
        hello.write(new byte[32], 0, 32); // random
        hello.write(0); // no session id
        int[] suites = {0xc013, 0xc014, 0x002f, 0x0035}; // ECDHE-RSA / RSA with AES-CBC-SHA: TLS 1.0/1.1 suites
        hello.write(0);
        hello.write(suites.length * 2);
        for (int s : suites) {
            hello.write(s >> 8);
            hello.write(s);
        }
        hello.write(1);
        hello.write(0); // null compression
        byte[] body = hello.toByteArray();
        ByteArrayOutputStream record = new ByteArrayOutputStream();
        record.write(new byte[] {0x16, 0x03, 0x01, (byte) ((body.length + 4) >> 8), (byte) (body.length + 4),
                0x01, 0x00, (byte) (body.length >> 8), (byte) body.length}, 0, 9);
        record.write(body, 0, body.length);
        try (Socket s = new Socket()) {
            s.connect(lab.tlsAddress(), TlsLab.TIMEOUT_MILLIS);
            s.setSoTimeout(TlsLab.TIMEOUT_MILLIS);
            s.getOutputStream().write(record.toByteArray());
            byte[] answer = s.getInputStream().readNBytes(7);
            assertThat(answer).as("an alert record").hasSize(7);
            assertThat(answer[0]).as("content type alert (21)").isEqualTo((byte) 21);
            return new int[] {answer[5], answer[6]};
        }
    }

    /** -1 when the peer closed (or reset) the connection, -2 when nothing came within the socket timeout. */
    private static int readOrReset(InputStream in) {
        try {
            return in.read();
        } catch (java.net.SocketTimeoutException e) {
            return -2;
        } catch (IOException e) {
            return -1;
        }
    }

    private static void awaitCount(LongSupplier count, long expected) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (count.getAsLong() < expected && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertThat(count.getAsLong()).isEqualTo(expected);
    }
}

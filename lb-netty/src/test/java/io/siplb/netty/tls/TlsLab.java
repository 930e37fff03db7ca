package io.siplb.netty.tls;

import io.siplb.config.TestPki;
import io.siplb.config.AdminConfig;
import io.siplb.config.BackendConfig;
import io.siplb.config.FlowTokenConfig;
import io.siplb.config.GuardConfig;
import io.siplb.config.HealthConfig;
import io.siplb.config.HostPort;
import io.siplb.config.LimitsConfig;
import io.siplb.config.ListenAddress;
import io.siplb.config.SiplbConfig;
import io.siplb.config.TlsCertificate;
import io.siplb.config.TlsConfig;
import io.siplb.netty.Assembly;
import io.siplb.netty.SiplbServer;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.util.List;

/**
 * An in-process siplb with a {@code tls://} listener on 127.0.0.1 and a UDP listener, in front of
 * one fake UDP backend on 127.0.1.1 (another loopback address: a TCP/TLS connection from a
 * backend's IP counts as inside), with certificates issued by a throw-away CA in {@code dir}.
 * Clients are JDK {@link SSLSocket}s.
 */
final class TlsLab implements AutoCloseable {

    static final String SECRET = "0123456789abcdef0123456789abcdef";
    static final int TIMEOUT_MILLIS = 5_000;

    final Path dir;
    final TestPki pki = new TestPki();
    final KeyPair serverKeys = TestPki.ec();
    final DatagramSocket backend;
    final SiplbServer server;

    TlsLab(Path dir) throws Exception {
        this(dir, (lab, c) -> c);
    }

    /** {@code tweak} may change the configuration (limits, client-auth, SNI); it gets the lab's files and CA. */
    TlsLab(Path dir, java.util.function.BiFunction<TlsLab, SiplbConfig, SiplbConfig> tweak) throws Exception {
        this.dir = dir;
        writeServerCertificate("sip.example.com", serverKeys);
        backend = new DatagramSocket(new InetSocketAddress("127.0.1.1", 0));
        backend.setSoTimeout(TIMEOUT_MILLIS);
        TlsConfig tls = TlsConfig.of(TlsCertificate.load(dir.resolve("server.pem"), dir.resolve("server.key"), List.of()));
        SiplbConfig config = SiplbConfig.of(
                        List.of(ListenAddress.parse("udp://127.0.0.1:" + freeUdpPort()),
                                ListenAddress.parse("tls://127.0.0.1:" + freeTcpPort())),
                        List.of(BackendConfig.of("a", "sip:127.0.1.1:" + backend.getLocalPort())),
                        FlowTokenConfig.ofSecret(SECRET))
                .withAdmin(new AdminConfig(HostPort.of("127.0.0.1", freeTcpPort())))
                .withHealth(HealthConfig.DEFAULTS.withEnabled(false))
                .withTls(tls);
        server = new SiplbServer(Assembly.of(tweak.apply(this, config)), 1);
        server.start();
    }

    /** Writes {@code server.pem} (certificate for {@code name}, then the CA) and {@code server.key}. */
    X509Certificate writeServerCertificate(String name, KeyPair keys) {
        X509Certificate c = pki.server(name, keys, List.of(name));
        TestPki.writeCertificates(dir.resolve("server.pem"), c, pki.ca);
        TestPki.writeKey(dir.resolve("server.key"), keys.getPrivate());
        return c;
    }

    /** Limits with a given handshake timeout, connection limits and idle timeout. */
    static java.util.function.BiFunction<TlsLab, SiplbConfig, SiplbConfig> limits(int maxPerSource, java.time.Duration idle, java.time.Duration handshake) {
        return limits(GuardConfig.DEFAULTS.maxConnections(), maxPerSource, idle, handshake);
    }

    /** The same with a limit on all client connections. */
    static java.util.function.BiFunction<TlsLab, SiplbConfig, SiplbConfig> limits(int max, int maxPerSource,
            java.time.Duration idle, java.time.Duration handshake) {
        GuardConfig d = GuardConfig.DEFAULTS;
        GuardConfig g = new GuardConfig(max, maxPerSource, idle, handshake, d.rate(), d.burst(),
                d.banAfter(), d.banDuration(), d.trackedSources(), d.scannerUserAgents());
        return (lab, c) -> c.withLimits(LimitsConfig.DEFAULTS.withGuard(g));
    }

    InetSocketAddress tlsAddress() {
        return server.tlsAddresses().get(0);
    }

    InetSocketAddress udpAddress() {
        return server.udpAddresses().get(0);
    }

    /** A client trusting the lab's CA, with only {@code protocol} enabled, asking for {@code sni} (null: none). */
    SSLSocket connect(String protocol, String sni) throws Exception {
        return connect(protocol, sni, null, null);
    }

    /** The same with a client certificate and key (null: none). */
    SSLSocket connect(String protocol, String sni, X509Certificate clientCert, KeyPair clientKeys) throws Exception {
        SSLContext ctx = SSLContext.getInstance("TLS");
        KeyManagerFactory kmf = null;
        if (clientCert != null) {
            KeyStore ks = KeyStore.getInstance("PKCS12");
            ks.load(null, null);
            ks.setKeyEntry("client", clientKeys.getPrivate(), "pw".toCharArray(), new X509Certificate[] {clientCert});
            kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            kmf.init(ks, "pw".toCharArray());
        }
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        trust.setCertificateEntry("ca", pki.ca);
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
        ctx.init(kmf == null ? null : kmf.getKeyManagers(), tmf.getTrustManagers(), null);
        SSLSocket s = (SSLSocket) ctx.getSocketFactory().createSocket();
        s.connect(tlsAddress(), TIMEOUT_MILLIS);
        s.setSoTimeout(TIMEOUT_MILLIS);
        s.setEnabledProtocols(new String[] {protocol});
        SSLParameters p = s.getSSLParameters();
        if (sni != null) {
            p.setServerNames(List.of(new SNIHostName(sni)));
        }
        s.setSSLParameters(p);
        s.startHandshake();
        return s;
    }

    /** An OPTIONS for siplb itself over {@code s}; returns the answer. */
    String optionsToSiplb(SSLSocket s, String branch) throws IOException {
        InetSocketAddress me = (InetSocketAddress) s.getLocalSocketAddress();
        send(s.getOutputStream(), """
                OPTIONS sip:127.0.0.1:%d SIP/2.0\r
                Via: SIP/2.0/TLS 127.0.0.1:%d;branch=z9hG4bK-%s;rport\r
                Max-Forwards: 70\r
                From: <sip:probe@example.com>;tag=%s\r
                To: <sip:127.0.0.1:%d>\r
                Call-ID: %s@tls-lab\r
                CSeq: 1 OPTIONS\r
                Content-Length: 0\r
                \r
                """.formatted(tlsAddress().getPort(), me.getPort(), branch, branch, tlsAddress().getPort(), branch));
        return readMessage(s.getInputStream());
    }

    static void send(OutputStream out, String text) throws IOException {
        out.write(text.getBytes(StandardCharsets.UTF_8));
        out.flush();
    }

    /** One message without a body (headers up to the empty line). */
    static String readMessage(InputStream in) throws IOException {
        StringBuilder sb = new StringBuilder();
        while (sb.indexOf("\r\n\r\n") < 0) {
            int b = in.read();
            if (b < 0) {
                throw new IOException("connection closed after: " + sb);
            }
            sb.append((char) b);
        }
        return sb.toString();
    }

    static void sendDatagram(DatagramSocket socket, String text, InetSocketAddress to) throws IOException {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        socket.send(new DatagramPacket(bytes, bytes.length, to));
    }

    static String receive(DatagramSocket socket) throws IOException {
        byte[] buf = new byte[65_535];
        DatagramPacket p = new DatagramPacket(buf, buf.length);
        socket.receive(p);
        return new String(buf, 0, p.getLength(), StandardCharsets.UTF_8);
    }

    /** A 200 OK for {@code request}: its Via lines, From, To (tagged), Call-ID and CSeq. */
    static String okFor(String request) {
        StringBuilder sb = new StringBuilder("SIP/2.0 200 OK\r\n");
        for (String line : request.split("\r\n")) {
            String lower = line.toLowerCase(java.util.Locale.ROOT);
            if (lower.startsWith("via:") || lower.startsWith("from:") || lower.startsWith("call-id:")
                    || lower.startsWith("cseq:")) {
                sb.append(line).append("\r\n");
            } else if (lower.startsWith("to:")) {
                sb.append(line).append(";tag=b\r\n");
            }
        }
        return sb.append("Content-Length: 0\r\n\r\n").toString();
    }

    /** The first value of header {@code name} in {@code message}, or null. */
    static String header(String message, String name) {
        for (String line : message.split("\r\n")) {
            if (line.regionMatches(true, 0, name + ":", 0, name.length() + 1)) {
                return line.substring(name.length() + 1).trim();
            }
        }
        return null;
    }

    static int freeTcpPort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    static int freeUdpPort() throws IOException {
        try (DatagramSocket s = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))) {
            return s.getLocalPort();
        }
    }

    @Override
    public void close() {
        server.stop();
        backend.close();
    }
}

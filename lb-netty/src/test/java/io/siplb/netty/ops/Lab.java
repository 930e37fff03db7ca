package io.siplb.netty.ops;

import io.siplb.config.AdminConfig;
import io.siplb.config.BackendConfig;
import io.siplb.config.FlowTokenConfig;
import io.siplb.config.HealthConfig;
import io.siplb.config.HostPort;
import io.siplb.config.ListenAddress;
import io.siplb.config.SiplbConfig;
import io.siplb.netty.Assembly;
import io.siplb.netty.SiplbServer;

import java.io.File;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * An in-process siplb on loopback (UDP, ephemeral ports, admin on an ephemeral port) in front of
 * one fake UDP backend, with a client socket: enough traffic for the meters to move.
 */
final class Lab implements AutoCloseable {

    static final String SECRET = "0123456789abcdef0123456789abcdef";

    final DatagramSocket backend;
    final DatagramSocket client;
    final SiplbServer server;
    final HttpClient http = HttpClient.newHttpClient();

    Lab() throws Exception {
        this(UnaryOperator.identity());
    }

    /** A lab whose configuration {@code tweak} may change (admin security). */
    Lab(UnaryOperator<SiplbConfig> tweak) throws Exception {
        backend = socket();
        client = socket();
        SiplbConfig config = SiplbConfig.of(List.of(ListenAddress.parse("udp://127.0.0.1:" + freeUdpPort())),
                        List.of(BackendConfig.of("a", "sip:127.0.0.1:" + backend.getLocalPort())),
                        FlowTokenConfig.ofSecret(SECRET))
                .withAdmin(new AdminConfig(HostPort.of("127.0.0.1", freeTcpPort())))
                // the fake backend answers only what the test sends it, not OPTIONS probes
                .withHealth(HealthConfig.DEFAULTS.withEnabled(false));
        server = new SiplbServer(Assembly.of(tweak.apply(config)), 1);
        server.start();
    }

    private static DatagramSocket socket() throws IOException {
        DatagramSocket s = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        s.setSoTimeout(5_000);
        return s;
    }

    static int freeUdpPort() throws IOException {
        try (DatagramSocket s = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))) {
            return s.getLocalPort();
        }
    }

    /** Starts {@code command} in {@code dir}, stdin from /dev/null, stdout and stderr into {@code name}.log. */
    static Process startProcess(Path dir, String name, List<String> command) throws IOException {
        return new ProcessBuilder(new ArrayList<>(command))
                .directory(dir.toFile())
                .redirectErrorStream(true)
                .redirectOutput(dir.resolve(name + ".log").toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                .start();
    }

    static int freeTcpPort() throws IOException {
        try (java.net.ServerSocket s = new java.net.ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    InetSocketAddress sip() {
        return server.udpAddresses().get(0);
    }

    String admin() {
        return "http://127.0.0.1:" + server.adminAddress().getPort();
    }

    /**
     * One REGISTER from the client through siplb to the backend, answered 200 by the backend with
     * {@code viaParam} (e.g. {@code ;t=…}, replacing siplb's own send time) appended to siplb's
     * Via, and relayed to the client.
     * Returns the client's answer.
     */
    String register(String user, String viaParam) throws IOException {
        String register = """
                REGISTER sip:example.com SIP/2.0\r
                Via: SIP/2.0/UDP 127.0.0.1:%d;branch=z9hG4bK-%s\r
                Max-Forwards: 70\r
                From: <sip:%s@example.com>;tag=1\r
                To: <sip:%s@example.com>\r
                Call-ID: %s@lab\r
                CSeq: 1 REGISTER\r
                Contact: <sip:%s@127.0.0.1:%d>\r
                Content-Length: 0\r
                \r
                """.formatted(client.getLocalPort(), user, user, user, user, user, client.getLocalPort());
        send(client, register, sip());
        String forwarded = receive(backend);
        send(backend, okFor(forwarded, viaParam), sip());
        return receive(client);
    }

    /** A 200 OK for {@code request}: its Via, From, To (tagged), Call-ID and CSeq lines. */
    static String okFor(String request, String viaParam) {
        StringBuilder sb = new StringBuilder("SIP/2.0 200 OK\r\n");
        boolean first = true;
        for (String line : request.split("\r\n")) {
            String lower = line.toLowerCase();
            if (lower.startsWith("via:")) {
                // a given send time replaces the one siplb wrote, so a test can pretend a slow backend
                String via = first && !viaParam.isEmpty() ? line.replaceAll(";t=[0-9a-z]+", "") + viaParam : line;
                sb.append(via).append("\r\n");
                first = false;
            } else if (lower.startsWith("from:") || lower.startsWith("call-id:") || lower.startsWith("cseq:")) {
                sb.append(line).append("\r\n");
            } else if (lower.startsWith("to:")) {
                sb.append(line).append(";tag=b\r\n");
            }
        }
        return sb.append("Content-Length: 0\r\n\r\n").toString();
    }

    static void send(DatagramSocket socket, String text, InetSocketAddress to) throws IOException {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        socket.send(new DatagramPacket(bytes, bytes.length, to));
    }

    static String receive(DatagramSocket socket) throws IOException {
        byte[] buf = new byte[65_535];
        DatagramPacket p = new DatagramPacket(buf, buf.length);
        socket.receive(p);
        return new String(buf, 0, p.getLength(), StandardCharsets.UTF_8);
    }

    HttpResponse<String> get(String path, String... headers) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(admin() + path)).GET();
        for (int i = 0; i < headers.length; i += 2) {
            b.header(headers[i], headers[i + 1]);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** The sample lines of {@code metric} (name followed by '{' or ' ') in a text exposition. */
    static List<String> samples(String exposition, String metric) {
        List<String> out = new ArrayList<>();
        for (String line : exposition.split("\n")) {
            if (line.startsWith(metric + "{") || line.startsWith(metric + " ")) {
                out.add(line);
            }
        }
        return out;
    }

    @Override
    public void close() {
        server.stop();
        backend.close();
        client.close();
    }
}

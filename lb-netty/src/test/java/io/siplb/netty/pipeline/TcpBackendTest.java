package io.siplb.netty.pipeline;

import static io.siplb.netty.pipeline.FakePeers.headers;
import static io.siplb.netty.pipeline.FakePeers.okFor;
import static io.siplb.netty.pipeline.FakePeers.receive;
import static io.siplb.netty.pipeline.FakePeers.send;
import static org.assertj.core.api.Assertions.assertThat;

import io.siplb.config.AdminConfig;
import io.siplb.config.BackendConfig;
import io.siplb.config.FlowTokenConfig;
import io.siplb.config.HostPort;
import io.siplb.config.ListenAddress;
import io.siplb.config.SiplbConfig;
import io.siplb.netty.Assembly;
import io.siplb.netty.SiplbServer;
import io.siplb.netty.pipeline.FakePeers.Received;
import java.io.InputStream;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** A UDP client and a home proxy reached over TCP: siplb opens the connection and reuses it. */
class TcpBackendTest {

    private ServerSocket backend;
    private SiplbServer server;
    private InetSocketAddress siplb;

    @BeforeEach
    void start() throws Exception {
        backend = new ServerSocket(0, 8, InetAddress.getByName("127.0.1.2"));
        backend.setSoTimeout(FakePeers.TIMEOUT_MILLIS);
        int port = FakePeers.freePort("127.0.0.1");
        SiplbConfig config = SiplbConfig.of(
                        List.of(ListenAddress.parse("udp://127.0.0.1:" + port)),
                        List.of(BackendConfig.of("t", "sip:127.0.1.2:" + backend.getLocalPort() + ";transport=tcp")),
                        FlowTokenConfig.ofSecret("0123456789abcdef0123456789abcdef"))
                .withAdmin(new AdminConfig(HostPort.of("127.0.0.1", FakePeers.freePort("127.0.0.1"))))
                // the fake backend reads only what the test sends it: no OPTIONS probes
                .withHealth(io.siplb.config.HealthConfig.DEFAULTS.withEnabled(false));
        server = new SiplbServer(Assembly.of(config), 2);
        server.start();
        siplb = new InetSocketAddress("127.0.0.1", port);
    }

    @AfterEach
    void stop() throws Exception {
        server.stop();
        backend.close();
    }

    private static String register(String branch) {
        return "REGISTER sip:example.com SIP/2.0\r\n"
                + "Via: SIP/2.0/UDP 10.0.0.5:5060;branch=" + branch + ";rport\r\n"
                + "Max-Forwards: 70\r\n"
                + "To: <sip:alice@example.com>\r\n"
                + "From: <sip:alice@example.com>;tag=" + branch + "\r\n"
                + "Call-ID: " + branch + "@10.0.0.5\r\n"
                + "CSeq: 1 REGISTER\r\n"
                + "Content-Length: 0\r\n\r\n";
    }

    @Test
    void opensOneConnectionToTheBackendAndSendsResponsesBackToTheUdpClient() throws Exception {
        try (DatagramSocket client = FakePeers.udp("127.0.0.1")) {
            send(client, register("z9hG4bKfirst"), siplb);
            try (Socket connection = backend.accept()) {
                connection.setSoTimeout(FakePeers.TIMEOUT_MILLIS);
                InputStream in = connection.getInputStream();

                String first = FakePeers.readMessage(in);
                assertThat(headers(first, "Via").get(0)).startsWith("SIP/2.0/TCP 127.0.0.1:" + siplb.getPort() + ";branch=z9hG4bKsl");
                connection.getOutputStream().write(okFor(first).getBytes(StandardCharsets.US_ASCII));

                Received response = receive(client);
                assertThat(response.from()).isEqualTo(siplb);
                assertThat(response.text()).startsWith("SIP/2.0 200 OK\r\n");
                assertThat(headers(response.text(), "Via")).hasSize(1);

                send(client, register("z9hG4bKsecond"), siplb);
                String second = FakePeers.readMessage(in);
                assertThat(headers(second, "Call-ID")).as("the second message reuses the connection")
                        .containsExactly("z9hG4bKsecond@10.0.0.5");
            }
            backend.setSoTimeout(200);
            try {
                backend.accept().close();
                throw new AssertionError("siplb opened a second connection");
            } catch (SocketTimeoutException expected) {
                // one connection only
            }
        }
    }
}

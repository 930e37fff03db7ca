package io.siplb.netty.admin;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.channel.EventLoopGroup;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.siplb.netty.Transports;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class AdminServerTest {

    private final EventLoopGroup group = Transports.newGroup(1, "admin-test");
    private final AtomicBoolean ready = new AtomicBoolean();
    private final HttpClient http = HttpClient.newHttpClient();
    private AdminServer server;

    @BeforeEach
    void start() throws Exception {
        server = AdminServer.builder(ready::get)
                .route("/hello", (request, alloc) -> AdminResponses.text(HttpResponseStatus.OK, "hi", alloc))
                .bind(group, new InetSocketAddress("127.0.0.1", 0));
    }

    @AfterEach
    void stop() {
        server.close();
        group.shutdownGracefully(0, 1, java.util.concurrent.TimeUnit.SECONDS).syncUninterruptibly();
    }

    private HttpResponse<String> get(String path) throws Exception {
        URI uri = URI.create("http://127.0.0.1:" + server.localAddress().getPort() + path);
        return http.send(HttpRequest.newBuilder(uri).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void healthIs503UntilTheListenersAreBoundThen200() throws Exception {
        assertThat(get("/health").statusCode()).isEqualTo(503);

        ready.set(true);

        HttpResponse<String> ok = get("/health");
        assertThat(ok.statusCode()).isEqualTo(200);
        assertThat(ok.body()).isEqualTo("ok\n");
    }

    @Test
    void answers404ForAnUnknownPath() throws Exception {
        assertThat(get("/nope").statusCode()).isEqualTo(404);
    }

    @Test
    void servesAddedRoutes() throws Exception {
        assertThat(get("/hello?x=1").body()).isEqualTo("hi\n");
    }

    @Test
    void refusesOtherMethodsWith405() throws Exception {
        URI uri = URI.create("http://127.0.0.1:" + server.localAddress().getPort() + "/health");
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(uri).POST(HttpRequest.BodyPublishers.noBody()).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(405);
    }
}

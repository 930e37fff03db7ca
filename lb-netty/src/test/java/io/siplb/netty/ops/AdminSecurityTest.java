package io.siplb.netty.ops;

import static org.assertj.core.api.Assertions.assertThat;

import io.siplb.config.HostPort;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;

/** The admin bearer token: 401 without it or with a wrong one (counted), public read-only paths, a read-only listener. */
class AdminSecurityTest {

    private static final String TOKEN = "0123456789abcdef0123456789abcdef";

    private static double unauthorized(String metrics) {
        for (String line : metrics.split("\n")) {
            if (line.startsWith("siplb_admin_unauthorized_total ")) {
                return Double.parseDouble(line.substring(line.indexOf(' ') + 1));
            }
        }
        throw new AssertionError("no siplb_admin_unauthorized_total in\n" + metrics);
    }

    @Test
    void withATokenEveryRequestMustCarryItAndRefusalsAreCounted() throws Exception {
        try (Lab lab = new Lab(c -> c.withAdmin(c.admin().withToken(TOKEN, "test")))) {
            HttpResponse<String> missing = lab.get("/metrics");
            HttpResponse<String> wrong = lab.get("/health", "Authorization", "Bearer " + TOKEN.replace('0', 'x'));
            HttpResponse<String> notBearer = lab.get("/health", "Authorization", "Basic " + TOKEN);
            HttpResponse<String> unknownPath = lab.get("/nope");
            HttpResponse<String> ok = lab.get("/metrics", "Authorization", "Bearer " + TOKEN);

            assertThat(missing.statusCode()).isEqualTo(401);
            assertThat(missing.headers().firstValue("www-authenticate")).hasValue("Bearer realm=\"siplb\"");
            assertThat(wrong.statusCode()).isEqualTo(401);
            assertThat(notBearer.statusCode()).isEqualTo(401);
            assertThat(unknownPath.statusCode()).as("no path probing without the token").isEqualTo(401);
            assertThat(ok.statusCode()).isEqualTo(200);
            assertThat(unauthorized(ok.body())).isEqualTo(4.0);
            assertThat(lab.get("/health", "Authorization", "bearer " + TOKEN).statusCode()).isEqualTo(200);
        }
    }

    @Test
    void publicReadOnlyOpensHealthAndMetricsButNothingElse() throws Exception {
        try (Lab lab = new Lab(c -> c.withAdmin(c.admin().withToken(TOKEN, "test").withPublicReadOnly(true)))) {
            assertThat(lab.get("/health").statusCode()).isEqualTo(200);
            assertThat(lab.get("/metrics").statusCode()).isEqualTo(200);
            assertThat(lab.get("/backends").statusCode()).isEqualTo(401);
            HttpResponse<String> post = lab.http.send(HttpRequest.newBuilder(URI.create(lab.admin() + "/health"))
                    .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(post.statusCode()).as("only GET and HEAD are public").isEqualTo(401);
        }
    }

    @Test
    void theReadOnlyListenerServesHealthAndMetricsWithoutTheToken() throws Exception {
        int port = Lab.freeTcpPort();
        try (Lab lab = new Lab(c -> c.withAdmin(c.admin().withToken(TOKEN, "test")
                .withReadOnlyListen(HostPort.of("127.0.0.1", port))))) {
            String readOnly = "http://127.0.0.1:" + lab.server.readOnlyAdminAddress().getPort();

            assertThat(get(lab, readOnly + "/health").statusCode()).isEqualTo(200);
            assertThat(get(lab, readOnly + "/metrics").body()).contains("siplb_requests_total");
            assertThat(get(lab, readOnly + "/backends").statusCode()).isEqualTo(404);
            assertThat(lab.get("/health").statusCode()).as("the main listener still wants the token").isEqualTo(401);
        }
    }

    @Test
    void withoutATokenTheLoopbackListenerIsOpen() throws Exception {
        try (Lab lab = new Lab()) {
            assertThat(lab.get("/health").statusCode()).isEqualTo(200);
            assertThat(lab.server.assembly().config().admin().listen().host()).isEqualTo("127.0.0.1");
        }
    }

    private static HttpResponse<String> get(Lab lab, String url) throws Exception {
        return lab.http.send(HttpRequest.newBuilder(URI.create(url)).GET().build(), HttpResponse.BodyHandlers.ofString());
    }
}

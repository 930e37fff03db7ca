package io.siplb.netty.cli;

import io.siplb.config.AdminConfig;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code siplb health [--admin URL]}: asks a running siplb's {@code GET /health/node} and exits 0
 * when it answers 200 (healthy), 1 otherwise (503, another status, no answer within the
 * timeout). Prints the body (e.g. {@code ok} and the VRRP line) to stdout, a failure to stderr.
 * keepalived's {@code track_script} runs it (deploy/keepalived/keepalived.conf), so it must be
 * quick and bounded: one request, {@code --timeout} for connecting and for the answer.
 *
 * <p>With an admin token ({@code admin.token-file}, not opened by
 * {@code admin.public-read-only}), pass it with {@code --token-file} or
 * {@code $SIPLB_ADMIN_TOKEN}; it goes out as {@code Authorization: Bearer}.
 */
@Command(name = "health", mixinStandardHelpOptions = true,
        description = "Ask a running siplb's GET /health/node: exit 0 when this node should serve (200), 1 when not.")
final class HealthCommand implements Callable<Integer> {

    static final String DEFAULT_ADMIN = "http://127.0.0.1:8080";

    @Option(names = "--admin", paramLabel = "URL", defaultValue = DEFAULT_ADMIN,
            description = "the admin listener (default ${DEFAULT-VALUE}); /health/node is appended unless the URL has a path")
    String admin;

    @Option(names = "--timeout", paramLabel = "MS", defaultValue = "1000",
            description = "connect and answer timeout in milliseconds (default ${DEFAULT-VALUE})")
    int timeoutMillis;

    @Option(names = "--token-file", paramLabel = "FILE",
            description = "admin bearer token file (default: $" + AdminConfig.TOKEN_ENV + " when set)")
    Path tokenFile;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        URI uri;
        try {
            uri = healthUri(admin);
        } catch (IllegalArgumentException e) {
            spec.commandLine().getErr().println("siplb health: --admin " + e.getMessage());
            return 1;
        }
        Duration timeout = Duration.ofMillis(Math.max(1, timeoutMillis));
        HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(timeout).GET();
        try {
            String token = token();
            if (token != null) {
                request.header("Authorization", "Bearer " + token);
            }
            HttpClient client = HttpClient.newBuilder().connectTimeout(timeout).build();
            HttpResponse<String> response = client.send(request.build(),
                    HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
            String body = response.body().strip();
            if (response.statusCode() == 200) {
                spec.commandLine().getOut().println(body);
                return 0;
            }
            spec.commandLine().getOut().println(body);
            spec.commandLine().getErr().println("siplb health: " + uri + " answered " + response.statusCode());
            return 1;
        } catch (IOException e) {
            spec.commandLine().getErr().println("siplb health: " + uri + ": " + e);
            return 1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 1;
        }
    }

    private String token() throws IOException {
        if (tokenFile != null) {
            return Files.readString(tokenFile, StandardCharsets.ISO_8859_1).strip();
        }
        String env = System.getenv(AdminConfig.TOKEN_ENV);
        return env == null || env.isBlank() ? null : env.strip();
    }

    /** {@code http://host:port} → {@code http://host:port/health/node}; a URL with a path stays. */
    static URI healthUri(String admin) {
        String text = admin.contains("://") ? admin : "http://" + admin;
        URI uri = URI.create(text);
        if (uri.getHost() == null || !("http".equals(uri.getScheme()) || "https".equals(uri.getScheme()))) {
            throw new IllegalArgumentException("'" + admin + "' (expected: a URL like " + DEFAULT_ADMIN + ")");
        }
        String path = uri.getRawPath();
        return path == null || path.isEmpty() || path.equals("/") ? uri.resolve("/health/node") : uri;
    }
}

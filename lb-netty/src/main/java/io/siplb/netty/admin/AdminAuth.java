package io.siplb.netty.admin;

import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Set;

import static java.util.Objects.requireNonNull;

/**
 * Who may use the admin API: with a token configured, every request must carry
 * {@code Authorization: Bearer TOKEN} (RFC 6750 §2.1), compared in constant time, except GET and
 * HEAD of the public read-only paths ({@code /health}, {@code /metrics}) when those are opened.
 * Without a token everything is allowed: the listener's address (loopback by default) is then the
 * only protection. A refused request is answered 401 and counted by the caller.
 */
public final class AdminAuth {

    /** Paths that only read, and that Prometheus and keepalived need without a secret. */
    public static final Set<String> READ_ONLY_PATHS = Set.of("/health", "/health/node", "/metrics");

    /** No token: every request is allowed. */
    public static final AdminAuth OPEN = new AdminAuth(null, Set.of(), () -> { });

    private static final String BEARER = "Bearer ";

    private final byte[] token;
    private final Set<String> publicPaths;
    private final Runnable onRefused;

    private AdminAuth(String token, Set<String> publicPaths, Runnable onRefused) {
        this.token = token == null ? null : token.getBytes(StandardCharsets.US_ASCII);
        this.publicPaths = Set.copyOf(publicPaths);
        this.onRefused = requireNonNull(onRefused, "onRefused");
    }

    /**
     * Requests must present {@code token} ({@code null}: none needed), except GET/HEAD of
     * {@code publicPaths}; {@code onRefused} runs for each refusal (the 401 counter).
     */
    public static AdminAuth bearer(String token, Set<String> publicPaths, Runnable onRefused) {
        return new AdminAuth(token, publicPaths, onRefused);
    }

    /** Whether {@code request} for {@code path} may proceed; counts a refusal. */
    boolean allows(FullHttpRequest request, String path) {
        if (token == null) {
            return true;
        }
        HttpMethod m = request.method();
        if (publicPaths.contains(path) && (HttpMethod.GET.equals(m) || HttpMethod.HEAD.equals(m))) {
            return true;
        }
        String header = request.headers().get(HttpHeaderNames.AUTHORIZATION);
        boolean ok = header != null && header.regionMatches(true, 0, BEARER, 0, BEARER.length())
                && MessageDigest.isEqual(token,
                        header.substring(BEARER.length()).trim().getBytes(StandardCharsets.US_ASCII));
        if (!ok) {
            onRefused.run();
        }
        return ok;
    }
}

package io.siplb.config;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

/**
 * The admin HTTP listener ({@code admin:} in the configuration), which serves
 * {@code /metrics}, {@code /health} and {@code /backends} and accepts drain / undrain.
 *
 * <table>
 *   <caption>admin keys</caption>
 *   <tr><th>key</th><th>default</th><th>meaning</th></tr>
 *   <tr><td>listen</td><td>127.0.0.1:8080</td><td>host:port of the admin listener</td></tr>
 *   <tr><td>token-file</td><td>none</td><td>file holding the bearer token every admin request
 *       must present ({@code Authorization: Bearer TOKEN}); one trailing line break is ignored;
 *       relative to the configuration file. Without it, the environment variable
 *       {@code SIPLB_ADMIN_TOKEN} is used when set (lb-netty reads it at start)</td></tr>
 *   <tr><td>public-read-only</td><td>false</td><td>true: {@code GET /health} and
 *       {@code GET /metrics} need no token (Prometheus and keepalived without a secret)</td></tr>
 *   <tr><td>read-only-listen</td><td>none</td><td>a second host:port serving only
 *       {@code /health} and {@code /metrics}, without a token, e.g. on a management
 *       network while {@code listen} stays on loopback</td></tr>
 * </table>
 *
 * <p>{@code listen} defaults to loopback because the admin API can drain backends. The token
 * never appears in {@link #toString()} or an error message.
 *
 * @param listen          host:port to bind; the port is required
 * @param token           the bearer token, or {@code null} for none
 * @param tokenSource     where the token came from (for messages), or {@code null}
 * @param publicReadOnly  whether GET /health and /metrics are open without the token
 * @param readOnlyListen  the read-only listener, or {@code null} for none
 */
public record AdminConfig(HostPort listen, String token, String tokenSource, boolean publicReadOnly,
                          HostPort readOnlyListen) {

    static final String DEFAULT_LISTEN_TEXT = "127.0.0.1:8080";
    public static final HostPort DEFAULT_LISTEN = HostPort.parse(DEFAULT_LISTEN_TEXT);
    public static final boolean DEFAULT_PUBLIC_READ_ONLY = false;
    /** 128 bits of hex or base64: the least worth guessing against. */
    public static final int MIN_TOKEN_CHARS = 16;
    /** The environment variable that gives the token when {@code token-file} is not set. */
    public static final String TOKEN_ENV = "SIPLB_ADMIN_TOKEN";

    /** Every key at its default. */
    public static final AdminConfig DEFAULTS = new AdminConfig(DEFAULT_LISTEN);

    /** Applies the defaults and validates. */
    public AdminConfig {
        listen = listen == null ? DEFAULT_LISTEN : listen;
        new FieldChecks()
                .check(listen.hasPort(), "listen", "'%s' has no port (expected: host:port like %s)",
                        listen, DEFAULT_LISTEN_TEXT)
                .check(readOnlyListen == null || readOnlyListen.hasPort(), "read-only-listen",
                        "'%s' has no port (expected: host:port like 192.0.2.10:9100)", readOnlyListen)
                .check(readOnlyListen == null || !readOnlyListen.equals(listen), "read-only-listen",
                        "'%s' is also admin.listen (expected: another address or port)", readOnlyListen)
                .check(token == null || token.length() >= MIN_TOKEN_CHARS, "token-file",
                        "the token has %s characters (expected: at least %s; e.g. openssl rand -hex 32)",
                        token == null ? 0 : token.length(), MIN_TOKEN_CHARS)
                .check(token == null || isTokenText(token), "token-file",
                        "the token has characters other than printable ASCII (expected: e.g. openssl rand -hex 32)")
                .throwIfAny();
        tokenSource = token == null ? null : tokenSource == null ? "token" : tokenSource;
    }

    /** A listener at {@code listen}, no token, nothing public. */
    public AdminConfig(HostPort listen) {
        this(listen, null, null, DEFAULT_PUBLIC_READ_ONLY, null);
    }

    /** Whether a token may be sent in an HTTP header: printable ASCII, no space. */
    static boolean isTokenText(String token) {
        for (int i = 0; i < token.length(); i++) {
            char c = token.charAt(i);
            if (c <= ' ' || c >= 0x7f) {
                return false;
            }
        }
        return true;
    }

    public AdminConfig withListen(HostPort listen) {
        return new AdminConfig(listen, token, tokenSource, publicReadOnly, readOnlyListen);
    }

    /** A copy with a token ({@code null}: none); {@code source} names where it came from. */
    public AdminConfig withToken(String token, String source) {
        return new AdminConfig(listen, token, source, publicReadOnly, readOnlyListen);
    }

    public AdminConfig withPublicReadOnly(boolean publicReadOnly) {
        return new AdminConfig(listen, token, tokenSource, publicReadOnly, readOnlyListen);
    }

    public AdminConfig withReadOnlyListen(HostPort readOnlyListen) {
        return new AdminConfig(listen, token, tokenSource, publicReadOnly, readOnlyListen);
    }

    /** Compares tokens in constant time. */
    @Override
    public boolean equals(Object o) {
        return o instanceof AdminConfig other
                && listen.equals(other.listen)
                && publicReadOnly == other.publicReadOnly
                && java.util.Objects.equals(readOnlyListen, other.readOnlyListen)
                && java.util.Objects.equals(tokenSource, other.tokenSource)
                && (token == null ? other.token == null : other.token != null && MessageDigest.isEqual(
                        token.getBytes(StandardCharsets.US_ASCII), other.token.getBytes(StandardCharsets.US_ASCII)));
    }

    @Override
    public int hashCode() {
        // Deliberately not derived from the token.
        return java.util.Objects.hash(listen, publicReadOnly, readOnlyListen, tokenSource);
    }

    /** Names where the token came from, never the token. */
    @Override
    public String toString() {
        return "AdminConfig[listen=" + listen + ", token=" + (token == null ? "none" : "from " + tokenSource)
                + ", publicReadOnly=" + publicReadOnly + ", readOnlyListen=" + readOnlyListen + "]";
    }
}

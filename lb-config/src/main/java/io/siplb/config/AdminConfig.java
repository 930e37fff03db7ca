package io.siplb.config;

/**
 * The admin HTTP listener ({@code admin:} in the configuration), which serves
 * {@code /metrics}, {@code /health} and {@code /backends} and accepts drain / undrain.
 *
 * <p>{@code listen} defaults to {@code 127.0.0.1:8080}: loopback, because the admin
 * API can drain backends and has no authentication of its own. Expose it only on a
 * management network.
 *
 * @param listen host:port to bind; the port is required
 */
public record AdminConfig(HostPort listen) {

    static final String DEFAULT_LISTEN_TEXT = "127.0.0.1:8080";
    public static final HostPort DEFAULT_LISTEN = HostPort.parse(DEFAULT_LISTEN_TEXT);

    /** Every key at its default. */
    public static final AdminConfig DEFAULTS = new AdminConfig(DEFAULT_LISTEN);

    /** Applies the default and validates. */
    public AdminConfig {
        listen = listen == null ? DEFAULT_LISTEN : listen;
        new FieldChecks()
                .check(listen.hasPort(), "listen", "'%s' has no port (expected: host:port like %s)",
                        listen, DEFAULT_LISTEN_TEXT)
                .throwIfAny();
    }

    public AdminConfig withListen(HostPort listen) {
        return new AdminConfig(listen);
    }
}

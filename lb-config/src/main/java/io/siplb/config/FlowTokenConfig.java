package io.siplb.config;

import static java.util.Objects.requireNonNull;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

/**
 * The HMAC key that signs flow tokens (RFC 5626 §5.2) in our Path and Record-Route
 * ({@code flow-token:} in the configuration). Both nodes of a pair must share it, so that
 * the standby can deliver to flows the master created; so there is no default.
 *
 * <p>Exactly one of {@code secret: "…"} (the key is the UTF-8 bytes of the string) or
 * {@code secret-file: PATH} (the key is the file's bytes, less one trailing line break, so
 * that {@code openssl rand -hex 32 > key} works; a relative path is resolved against the
 * configuration file's directory). At least {@value #MIN_SECRET_BYTES} bytes.
 *
 * <p>The secret never appears in {@link #toString()} or in any error message, only its
 * length and where it came from. {@link #secret()} returns a copy.
 *
 * @param secret the key bytes
 * @param source where the key came from, for messages: {@code "secret"} or
 *               {@code "secret-file /etc/siplb/flow.key"}
 */
public record FlowTokenConfig(byte[] secret, String source) {

    /** 128 bits: the least key length worth having for HMAC-SHA256. */
    public static final int MIN_SECRET_BYTES = 16;

    /** Copies the key and validates its length. */
    public FlowTokenConfig {
        requireNonNull(secret, "secret");
        requireNonNull(source, "source");
        secret = secret.clone();
        // Report on the key the operator actually wrote, so the loader points at that line.
        String field = source.startsWith("secret-file") ? "secret-file" : "secret";
        new FieldChecks()
                .check(secret.length >= MIN_SECRET_BYTES, field,
                        "%s bytes (expected: at least %s bytes; e.g. openssl rand -hex 32)",
                        secret.length, MIN_SECRET_BYTES)
                .throwIfAny();
    }

    /** A key given inline as {@code secret:}; its UTF-8 bytes are the key. */
    public static FlowTokenConfig ofSecret(String secret) {
        requireNonNull(secret, "secret");
        return new FlowTokenConfig(secret.getBytes(StandardCharsets.UTF_8), "secret");
    }

    /** A copy of the key bytes. */
    @Override
    public byte[] secret() {
        return secret.clone();
    }

    /** Compares keys in constant time. */
    @Override
    public boolean equals(Object o) {
        return o instanceof FlowTokenConfig other
                && MessageDigest.isEqual(secret, other.secret)
                && source.equals(other.source);
    }

    @Override
    public int hashCode() {
        // Deliberately not derived from the key bytes.
        return 31 * source.hashCode() + secret.length;
    }

    /** Names the length and the source of the key, never the key. */
    @Override
    public String toString() {
        return "FlowTokenConfig[" + secret.length + " bytes from " + source + "]";
    }
}

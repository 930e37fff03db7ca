package io.siplb.netty.dns;

import static java.util.Objects.requireNonNull;

import java.util.Locale;

/**
 * One SRV resource record's data (RFC 2782): where the service runs and how to choose it.
 *
 * @param priority   0 ~ 65535; a client uses the lowest number it can reach
 * @param weight     0 ~ 65535; relative share among records of the same priority (0 = "very small")
 * @param port       the target's port, 0 ~ 65535 (0 is not usable)
 * @param target     the target host, lower-case, without the trailing dot; {@code "."} in the
 *                   record ("the service is decidedly not available here") becomes {@code ""}
 * @param ttlSeconds the record's time to live
 */
public record SrvRecord(int priority, int weight, int port, String target, long ttlSeconds) {

    public SrvRecord {
        requireNonNull(target, "target");
        target = target.toLowerCase(Locale.ROOT);
        if (target.endsWith(".")) {
            target = target.substring(0, target.length() - 1);
        }
    }
}

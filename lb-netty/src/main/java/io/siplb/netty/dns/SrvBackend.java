package io.siplb.netty.dns;

import static java.util.Objects.requireNonNull;

import io.siplb.hash.Backend;

/**
 * A backend that came from an SRV record, with what the routing needs beyond {@link Backend}:
 * the record's priority and the SRV entry it belongs to (see {@link SrvStandby}).
 *
 * @param backend  id {@code <id-prefix><target>:<port>}, the target's address, the SRV weight
 * @param priority the record's RFC 2782 priority (lower = preferred)
 * @param group    the SRV entry ({@code name} and id prefix); priorities compare within a group
 */
public record SrvBackend(Backend backend, int priority, String group) {

    public SrvBackend {
        requireNonNull(backend, "backend");
        requireNonNull(group, "group");
    }
}

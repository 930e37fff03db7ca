package io.siplb.config;

import static java.util.Objects.requireNonNull;

import java.util.Locale;

/**
 * A backend entry that names a DNS SRV record instead of one proxy ({@code backends[]} in the
 * configuration): every target of the record becomes a backend, and the set follows the DNS
 * zone (refreshed by the records' TTL; see {@link DnsConfig}).
 *
 * <pre>{@code
 * backends:
 *   - srv: _sip._udp.pool.example.com
 *     id-prefix: pool-      # optional
 *     weight: 1             # optional multiplier of the SRV weights
 * }</pre>
 *
 * <p>The transport comes from the name (RFC 3263 §4.1): {@code _sip._udp} → UDP,
 * {@code _sip._tcp} → TCP, {@code _sips._tcp} → TLS. A backend from the record is named
 * {@code <id-prefix><target>:<port>} (e.g. {@code pool-pbx1.example.com:5060}): the same on
 * both nodes of a pair and across refreshes, so consistent hashing keeps each user on the same
 * target while the target stays in the zone. A static backend id cannot contain {@code :}, so
 * the two kinds never collide.
 *
 * @param name     the SRV owner name, lower-case, without a trailing dot
 * @param idPrefix prepended to each target's id; 0 ~ 32 letters, digits, {@code .}, {@code _},
 *                 {@code -}
 * @param weight   multiplier of each record's weight (RFC 2782 weight 0 counts as 1), 1 ~
 *                 {@value BackendConfig#MAX_WEIGHT}
 */
public record SrvBackendConfig(String name, String idPrefix, int weight) {

    /** Longest {@code id-prefix}. */
    public static final int MAX_ID_PREFIX = 32;

    private static final String EXPECTED_NAME =
            "_sip._udp.DOMAIN, _sip._tcp.DOMAIN or _sips._tcp.DOMAIN, like _sip._udp.pool.example.com";

    /** Canonicalizes the name and validates; throws {@link IllegalArgumentException} listing every broken rule. */
    public SrvBackendConfig {
        requireNonNull(name, "name");
        idPrefix = idPrefix == null ? "" : idPrefix;
        String canonical = name.toLowerCase(Locale.ROOT);
        if (canonical.endsWith(".")) {
            canonical = canonical.substring(0, canonical.length() - 1);
        }
        new FieldChecks()
                .check(transportOf(canonical) != null && validDomain(canonical.substring(canonical.indexOf('.',
                                canonical.indexOf('.') + 1) + 1)), "srv",
                        "'%s' (expected: %s)", name, EXPECTED_NAME)
                .check(validPrefix(idPrefix), "id-prefix",
                        "'%s' (expected: 0 ~ %s letters, digits, '.', '_' or '-')", idPrefix, MAX_ID_PREFIX)
                .check(weight >= 1 && weight <= BackendConfig.MAX_WEIGHT, "weight",
                        "%s (expected: 1 ~ %s, a multiplier of the SRV weights)", weight, BackendConfig.MAX_WEIGHT)
                .throwIfAny();
        name = canonical;
    }

    /** An entry without id prefix and with multiplier 1. */
    public static SrvBackendConfig of(String name) {
        return new SrvBackendConfig(name, "", BackendConfig.DEFAULT_WEIGHT);
    }

    /** How siplb sends to the targets, from the name's service and protocol labels. */
    public Transport transport() {
        return transportOf(name);
    }

    /** The domain after {@code _service._proto.}. */
    public String domain() {
        return name.substring(name.indexOf('.', name.indexOf('.') + 1) + 1);
    }

    @Override
    public String toString() {
        return "srv " + name + (idPrefix.isEmpty() ? "" : " id-prefix " + idPrefix)
                + (weight == 1 ? "" : " weight x" + weight);
    }

    private static Transport transportOf(String name) {
        if (name.startsWith("_sip._udp.")) {
            return Transport.UDP;
        }
        if (name.startsWith("_sip._tcp.")) {
            return Transport.TCP;
        }
        if (name.startsWith("_sips._tcp.")) {
            return Transport.TLS;
        }
        return null;
    }

    /** Letters, digits, '-' and '_' in dot-separated labels of 1 ~ 63, at most 253 in all. */
    private static boolean validDomain(String d) {
        if (d.isEmpty() || d.length() > 253) {
            return false;
        }
        for (String label : d.split("\\.", -1)) {
            if (label.isEmpty() || label.length() > 63) {
                return false;
            }
            for (int i = 0; i < label.length(); i++) {
                char c = label.charAt(i);
                if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_')) {
                    return false;
                }
            }
        }
        return true;
    }

    private static boolean validPrefix(String p) {
        if (p.length() > MAX_ID_PREFIX) {
            return false;
        }
        for (int i = 0; i < p.length(); i++) {
            char c = p.charAt(i);
            boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')
                    || (c >= '0' && c <= '9') || c == '.' || c == '_' || c == '-';
            if (!ok) {
                return false;
            }
        }
        return true;
    }
}

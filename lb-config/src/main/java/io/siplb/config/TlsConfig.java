package io.siplb.config;

import static java.util.Objects.requireNonNull;

import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * SIP over TLS (RFC 3261 §26, RFC 5630) on the {@code tls://} listen addresses: {@code tls:} in
 * the configuration, required when there is a {@code tls://} listener and refused without one.
 *
 * <table>
 *   <caption>tls keys</caption>
 *   <tr><th>key</th><th>default</th><th>meaning</th></tr>
 *   <tr><td>certificate</td><td>required</td><td>PEM certificate chain, server certificate first;
 *       sent to clients without SNI or with a name no {@code sni} entry has</td></tr>
 *   <tr><td>key</td><td>required</td><td>its PEM private key (unencrypted PKCS#8)</td></tr>
 *   <tr><td>sni</td><td>[]</td><td>more certificates, each {@code {certificate, key, names}}, chosen
 *       by the name the client asks for (RFC 6066 §3); {@code names} defaults to the
 *       certificate's DNS subjectAltNames; {@code *.example.com} matches one label</td></tr>
 *   <tr><td>client-auth</td><td>none</td><td>{@code none}, {@code optional} (a client certificate
 *       is verified when sent) or {@code require} (a client without a trusted certificate is
 *       refused in the handshake)</td></tr>
 *   <tr><td>ca</td><td>none</td><td>PEM file of the CA certificates client certificates are verified
 *       against; required with {@code optional}/{@code require}, refused with {@code none}</td></tr>
 *   <tr><td>protocols</td><td>[TLSv1.3, TLSv1.2]</td><td>a non-empty subset of these two; TLS 1.1
 *       and older are never offered (RFC 8996)</td></tr>
 *   <tr><td>watch-interval</td><td>{@code 30s}</td><td>how often the files' modification times are
 *       checked; a changed file is read again and used for new connections; {@code 0s}: only on
 *       reload (SIGHUP, {@code POST /reload})</td></tr>
 *   <tr><td>advertise</td><td>{@code advertise}'s host, the first {@code tls://} port</td><td>the
 *       {@code host:port} written into the Record-Route and Via that TLS clients see</td></tr>
 * </table>
 *
 * <p>File contents are part of the value: two configurations whose files differ are not equal,
 * which is how a reload tells that a certificate was renewed. {@link #reread()} reads every file
 * again.
 *
 * @param certificate    the default certificate and key (no names)
 * @param sni            the per-name certificates, in configuration order
 * @param clientAuth     whether client certificates are asked for
 * @param caFile         the CA file for client certificates, or null
 * @param trusted        its certificates; empty without {@code ca}
 * @param protocols      enabled protocol versions, e.g. {@code [TLSv1.3, TLSv1.2]}
 * @param watchInterval  how often the files are checked for changes; zero: never
 * @param advertise      host:port for TLS clients' Record-Route and Via, or null (derived by the runtime)
 */
public record TlsConfig(TlsCertificate certificate, List<TlsCertificate> sni, ClientAuth clientAuth,
                        Path caFile, List<X509Certificate> trusted, List<String> protocols,
                        Duration watchInterval, HostPort advertise) {

    /** Both versions siplb speaks, newest first. */
    public static final List<String> DEFAULT_PROTOCOLS = List.of("TLSv1.3", "TLSv1.2");
    public static final Duration DEFAULT_WATCH_INTERVAL = Duration.ofSeconds(30);
    static final Duration MIN_WATCH_INTERVAL = Duration.ofSeconds(1);
    static final Duration MAX_WATCH_INTERVAL = Duration.ofHours(1);

    /** Whether client certificates are asked for and required ({@code tls.client-auth}). */
    public enum ClientAuth {
        /** No client certificate is asked for. */
        NONE,
        /** A client certificate is asked for and, when sent, must verify against {@code ca}. */
        OPTIONAL,
        /** A client must present a certificate that verifies against {@code ca}. */
        REQUIRE;

        /** The configuration word: {@code none}, {@code optional}, {@code require}. */
        public String word() {
            return name().toLowerCase(Locale.ROOT);
        }

        static ClientAuth parse(String text) {
            for (ClientAuth c : values()) {
                if (c.word().equals(text)) {
                    return c;
                }
            }
            throw new IllegalArgumentException("'" + text + "' (expected: none, optional or require)");
        }
    }

    /** Applies defaults and checks the rules between keys; throws naming each key. */
    public TlsConfig {
        requireNonNull(certificate, "certificate");
        sni = sni == null ? List.of() : List.copyOf(sni);
        clientAuth = clientAuth == null ? ClientAuth.NONE : clientAuth;
        trusted = trusted == null ? List.of() : List.copyOf(trusted);
        protocols = protocols == null ? DEFAULT_PROTOCOLS : List.copyOf(protocols);
        watchInterval = watchInterval == null ? DEFAULT_WATCH_INTERVAL : watchInterval;
        FieldChecks checks = new FieldChecks();
        checks.check(clientAuth == ClientAuth.NONE || caFile != null, "ca",
                "missing (expected: the PEM file of the CAs that issue client certificates, with client-auth %s)",
                clientAuth.word());
        checks.check(clientAuth != ClientAuth.NONE || caFile == null, "ca",
                "'%s' is not used with client-auth none (expected: client-auth optional or require, or no ca)",
                caFile);
        checks.check(!protocols.isEmpty() && protocols.stream().allMatch(DEFAULT_PROTOCOLS::contains)
                        && protocols.stream().distinct().count() == protocols.size(), "protocols",
                "%s (expected: TLSv1.3, TLSv1.2 or both; TLS 1.1 and older are not supported, RFC 8996)", protocols);
        checks.check(watchInterval.isZero() || (watchInterval.compareTo(MIN_WATCH_INTERVAL) >= 0
                        && watchInterval.compareTo(MAX_WATCH_INTERVAL) <= 0), "watch-interval",
                "%s (expected: 0s to turn watching off, or 1s ~ 1h)", Durations.format(watchInterval));
        if (advertise != null) {
            checks.check(advertise.hasPort(), "advertise", "'%s' has no port (expected: host:port like "
                    + "sip.example.com:5061)", advertise);
            checks.check(!Hosts.isWildcard(advertise.host()), "advertise", "'%s' is a wildcard address "
                    + "(expected: the name or address TLS clients reach us at)", advertise);
        }
        Map<String, Integer> seen = new HashMap<>();
        for (int i = 0; i < sni.size(); i++) {
            TlsCertificate c = sni.get(i);
            checks.check(!c.names().isEmpty(), "sni", "sni[%s] ('%s') has no names and its certificate no DNS "
                    + "subjectAltName (expected: names: [sip.example.com])", i, c.certificateFile());
            for (String name : c.names()) {
                checks.check(isServerName(name), "sni", "sni[%s]: '%s' (expected: a host name like "
                        + "sip.example.com or a wildcard like *.example.com)", i, name);
                Integer first = seen.putIfAbsent(name, i);
                checks.check(first == null || first == i, "sni", "sni[%s]: '%s' is also a name of sni[%s] "
                        + "(expected: each name once)", i, name, first);
            }
        }
        checks.throwIfAny();
    }

    /** Just a certificate and key, every other key at its default. */
    public static TlsConfig of(TlsCertificate certificate) {
        return new TlsConfig(certificate, null, null, null, null, null, null, null);
    }

    /**
     * Every file read again, for a certificate renewed on disk.
     *
     * @throws IllegalArgumentException naming the file that is now missing, unreadable or wrong
     */
    public TlsConfig reread() {
        List<TlsCertificate> names = new ArrayList<>(sni.size());
        for (TlsCertificate c : sni) {
            names.add(c.reread());
        }
        List<X509Certificate> cas = caFile == null ? List.of() : readCas(caFile);
        return new TlsConfig(certificate.reread(), names, clientAuth, caFile, cas, protocols, watchInterval,
                advertise);
    }

    /** Every file this configuration reads: what {@code watch-interval} watches. */
    public List<Path> files() {
        List<Path> out = new ArrayList<>();
        out.add(certificate.certificateFile());
        out.add(certificate.keyFile());
        for (TlsCertificate c : sni) {
            out.add(c.certificateFile());
            out.add(c.keyFile());
        }
        if (caFile != null) {
            out.add(caFile);
        }
        return out;
    }

    /** A copy asking for client certificates verified against {@code caFile}, which is read here. */
    public TlsConfig withClientAuth(ClientAuth clientAuth, Path caFile) {
        return new TlsConfig(certificate, sni, clientAuth, caFile, caFile == null ? List.of() : readCas(caFile),
                protocols, watchInterval, advertise);
    }

    public TlsConfig withSni(List<TlsCertificate> sni) {
        return new TlsConfig(certificate, sni, clientAuth, caFile, trusted, protocols, watchInterval, advertise);
    }

    public TlsConfig withProtocols(List<String> protocols) {
        return new TlsConfig(certificate, sni, clientAuth, caFile, trusted, protocols, watchInterval, advertise);
    }

    public TlsConfig withWatchInterval(Duration watchInterval) {
        return new TlsConfig(certificate, sni, clientAuth, caFile, trusted, protocols, watchInterval, advertise);
    }

    public TlsConfig withAdvertise(HostPort advertise) {
        return new TlsConfig(certificate, sni, clientAuth, caFile, trusted, protocols, watchInterval, advertise);
    }

    /** Files and settings; the CA certificates by file, never whole. */
    @Override
    public String toString() {
        return "TlsConfig[" + certificate + ", sni " + sni + ", client-auth " + clientAuth.word()
                + (caFile == null ? "" : " ca " + caFile + " (" + trusted.size() + ")") + ", protocols " + protocols
                + ", watch-interval " + Durations.format(watchInterval)
                + (advertise == null ? "" : ", advertise " + advertise) + "]";
    }

    /** The CA certificates of a PEM file (at least one). */
    public static List<X509Certificate> readCas(Path file) {
        return TlsCertificate.readChain(file);
    }

    /** A protocol name as written in {@code protocols}, checked. */
    static String protocol(String text) {
        if (!DEFAULT_PROTOCOLS.contains(text)) {
            throw new IllegalArgumentException("'" + text + "' (expected: TLSv1.3 or TLSv1.2; TLS 1.1 and older "
                    + "are not supported, RFC 8996)");
        }
        return text;
    }

    /** An SNI name: a host name, or {@code *.} and a host name with at least two labels. */
    static boolean isServerName(String name) {
        String host = name.startsWith("*.") ? name.substring(2) : name;
        if (host.isEmpty() || host.length() > 253 || (name.startsWith("*.") && host.indexOf('.') < 0)) {
            return false;
        }
        for (String label : host.split("\\.", -1)) {
            if (label.isEmpty() || label.length() > 63 || label.startsWith("-") || label.endsWith("-")) {
                return false;
            }
            for (int i = 0; i < label.length(); i++) {
                char c = label.charAt(i);
                if (!(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-')) {
                    return false;
                }
            }
        }
        return true;
    }
}

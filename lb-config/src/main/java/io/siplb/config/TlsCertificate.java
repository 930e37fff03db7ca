package io.siplb.config;

import static java.util.Objects.requireNonNull;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.cert.Certificate;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.security.interfaces.RSAPrivateCrtKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;

/**
 * A server certificate chain and its private key, read from PEM files ({@code tls.certificate}
 * and {@code tls.key}, or one entry of {@code tls.sni}), checked to belong together.
 *
 * <ul>
 *   <li>{@code certificate}: one or more {@code CERTIFICATE} blocks, the server's own first, then
 *       the intermediates (as certbot's {@code fullchain.pem});</li>
 *   <li>{@code key}: an unencrypted PKCS#8 {@code PRIVATE KEY} block (what {@code openssl
 *       genpkey} and {@code openssl req -newkey} write). A legacy {@code RSA PRIVATE KEY} or
 *       {@code EC PRIVATE KEY} block is refused with the {@code openssl pkcs8} command that
 *       converts it; an {@code ENCRYPTED PRIVATE KEY} too: siplb has nowhere safer than the key
 *       file's own permissions to keep a passphrase.</li>
 * </ul>
 *
 * <p>Every problem is an {@link IllegalArgumentException} (an {@code InvalidFieldsException}
 * naming {@code certificate} or {@code key}) whose message names the file. The key never appears
 * in {@link #toString()} or in a message.
 *
 * @param certificateFile the PEM chain as configured (resolved against the configuration's directory)
 * @param keyFile         the PEM key
 * @param names           the host names this certificate serves for SNI (lower case; {@code *.}
 *                        wildcards); empty for the default certificate
 * @param chain           the chain, server certificate first
 * @param key             the private key of {@code chain.get(0)}
 */
public record TlsCertificate(Path certificateFile, Path keyFile, List<String> names,
                             List<X509Certificate> chain, PrivateKey key) {

    /** Key algorithms a PKCS#8 block is tried against, most common first. */
    private static final List<String> KEY_ALGORITHMS = List.of("RSA", "EC", "EdDSA", "RSASSA-PSS", "DSA");

    /** Copies the lists; the chain must not be empty. */
    public TlsCertificate {
        requireNonNull(certificateFile, "certificateFile");
        requireNonNull(keyFile, "keyFile");
        requireNonNull(key, "key");
        names = List.copyOf(names);
        chain = List.copyOf(chain);
        if (chain.isEmpty()) {
            throw new IllegalArgumentException("chain: empty (expected: at least the server certificate)");
        }
    }

    /**
     * Reads and checks a certificate chain and its key.
     *
     * @param names the SNI names; empty: the certificate's DNS subjectAltNames for an SNI entry
     *              (see {@link #dnsNames}), none for the default certificate
     * @throws IllegalArgumentException naming the file and what is wrong with it
     */
    public static TlsCertificate load(Path certificateFile, Path keyFile, List<String> names) {
        List<X509Certificate> chain = null;
        PrivateKey key = null;
        FieldChecks checks = new FieldChecks();
        try {
            chain = readChain(certificateFile);
        } catch (IllegalArgumentException e) {
            checks.check(false, "certificate", "%s", e.getMessage());
        }
        try {
            key = readKey(keyFile);
        } catch (IllegalArgumentException e) {
            checks.check(false, "key", "%s", e.getMessage());
        }
        if (chain != null && key != null && !matches(key, chain.get(0).getPublicKey())) {
            checks.check(false, "key", "'%s' is not the key of the certificate in '%s' (%s); expected: the "
                    + "key the certificate was issued for (compare: openssl x509 -noout -pubkey -in CERT; "
                    + "openssl pkey -pubout -in KEY)", keyFile, certificateFile, subject(chain.get(0)));
        }
        checks.throwIfAny();
        return new TlsCertificate(certificateFile, keyFile, names, chain, key);
    }

    /** The same files read again (a renewed certificate), for the same names. */
    public TlsCertificate reread() {
        return load(certificateFile, keyFile, names);
    }

    /** The server certificate (the first of the chain). */
    public X509Certificate leaf() {
        return chain.get(0);
    }

    /** When the server certificate expires. */
    public Instant notAfter() {
        return leaf().getNotAfter().toInstant();
    }

    /** The server certificate's subject, e.g. {@code CN=sip.example.com}, for log lines. */
    public String subject() {
        return subject(leaf());
    }

    /** The DNS names of the server certificate's subjectAltName extension, lower case. */
    public static List<String> dnsNames(X509Certificate certificate) {
        List<String> out = new ArrayList<>();
        try {
            Collection<List<?>> alt = certificate.getSubjectAlternativeNames();
            if (alt != null) {
                for (List<?> entry : alt) {
                    if (entry.size() >= 2 && Integer.valueOf(2).equals(entry.get(0)) && entry.get(1) instanceof String s) {
                        out.add(s.toLowerCase(Locale.ROOT));
                    }
                }
            }
        } catch (CertificateParsingException e) {
            return List.of();
        }
        return out;
    }

    /** Reads the {@code CERTIFICATE} blocks of a PEM file, in order. */
    static List<X509Certificate> readChain(Path file) {
        List<Pem.Block> blocks = readPem(file);
        List<X509Certificate> chain = new ArrayList<>();
        CertificateFactory factory;
        try {
            factory = CertificateFactory.getInstance("X.509");
        } catch (CertificateException e) {
            throw new IllegalStateException("this JVM has no X.509 support", e);
        }
        for (Pem.Block b : blocks) {
            if (!b.label().equals("CERTIFICATE")) {
                if (b.label().endsWith("PRIVATE KEY")) {
                    throw new IllegalArgumentException("'" + file + "' holds a private key (expected: the "
                            + "certificate chain here, the key in its own file under key)");
                }
                continue;
            }
            try {
                Certificate c = factory.generateCertificate(new ByteArrayInputStream(b.der()));
                chain.add((X509Certificate) c);
            } catch (CertificateException | IllegalArgumentException e) {
                throw new IllegalArgumentException("'" + file + "': certificate " + (chain.size() + 1)
                        + " is not a valid X.509 certificate (" + e.getMessage() + ")", e);
            }
        }
        if (chain.isEmpty()) {
            throw new IllegalArgumentException("'" + file + "' holds no PEM certificate (expected: "
                    + "-----BEGIN CERTIFICATE----- blocks, the server's certificate first)");
        }
        return chain;
    }

    private static PrivateKey readKey(Path file) {
        List<Pem.Block> blocks = readPem(file);
        PrivateKey found = null;
        for (Pem.Block b : blocks) {
            String label = b.label();
            if (label.equals("ENCRYPTED PRIVATE KEY")) {
                throw new IllegalArgumentException("'" + file + "' is encrypted (expected: an unencrypted key, "
                        + "readable only by siplb's user; decrypt with: openssl pkey -in KEY -out KEY.plain)");
            }
            if (label.equals("RSA PRIVATE KEY") || label.equals("EC PRIVATE KEY") || label.equals("DSA PRIVATE KEY")) {
                throw new IllegalArgumentException("'" + file + "' holds a legacy " + label + " block (expected: "
                        + "PKCS#8, -----BEGIN PRIVATE KEY-----; convert with: openssl pkcs8 -topk8 -nocrypt "
                        + "-in KEY -out KEY.pk8)");
            }
            if (!label.equals("PRIVATE KEY")) {
                continue;
            }
            if (found != null) {
                throw new IllegalArgumentException("'" + file + "' holds more than one private key "
                        + "(expected: exactly one)");
            }
            found = pkcs8(file, b.der());
        }
        if (found == null) {
            throw new IllegalArgumentException("'" + file + "' holds no PEM private key (expected: one "
                    + "-----BEGIN PRIVATE KEY----- block)");
        }
        return found;
    }

    private static PrivateKey pkcs8(Path file, byte[] der) {
        PKCS8EncodedKeySpec spec = new PKCS8EncodedKeySpec(der);
        for (String algorithm : KEY_ALGORITHMS) {
            try {
                return KeyFactory.getInstance(algorithm).generatePrivate(spec);
            } catch (GeneralSecurityException | RuntimeException e) {
                // not this algorithm: try the next
            }
        }
        throw new IllegalArgumentException("'" + file + "': the private key cannot be read (expected: an RSA, EC "
                + "or EdDSA key in PKCS#8)");
    }

    private static List<Pem.Block> readPem(Path file) {
        try {
            return Pem.read(file);
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read '" + file + "': " + ConfigLoader.describe(e), e);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("'" + file + "' is not valid PEM: " + e.getMessage(), e);
        }
    }

    /**
     * Whether {@code key} is the private half of {@code pub}: the RSA modulus and exponent compared,
     * other key types by signing random bytes and verifying with the certificate's key.
     */
    static boolean matches(PrivateKey key, PublicKey pub) {
        if (key instanceof RSAPrivateCrtKey rsa) {
            return pub instanceof RSAPublicKey rp && rsa.getModulus().equals(rp.getModulus())
                    && rsa.getPublicExponent().equals(rp.getPublicExponent());
        }
        String signature = switch (key.getAlgorithm()) {
            case "EC" -> "SHA256withECDSA";
            case "EdDSA", "Ed25519", "Ed448" -> "EdDSA";
            case "DSA" -> "SHA256withDSA";
            default -> null;
        };
        if (signature == null) {
            return key.getAlgorithm().equals(pub.getAlgorithm()); // nothing better to compare
        }
        try {
            byte[] challenge = new byte[32];
            new SecureRandom().nextBytes(challenge);
            Signature signer = Signature.getInstance(signature);
            signer.initSign(key);
            signer.update(challenge);
            byte[] signed = signer.sign();
            Signature verifier = Signature.getInstance(signature);
            verifier.initVerify(pub);
            verifier.update(challenge);
            return verifier.verify(signed);
        } catch (GeneralSecurityException e) {
            return false; // e.g. an EC key against an RSA certificate
        }
    }

    private static String subject(X509Certificate c) {
        return c.getSubjectX500Principal().getName();
    }

    /** Files, names and the certificates compared; keys compared by their encoding, in constant time. */
    @Override
    public boolean equals(Object o) {
        return o instanceof TlsCertificate other
                && certificateFile.equals(other.certificateFile) && keyFile.equals(other.keyFile)
                && names.equals(other.names) && chain.equals(other.chain)
                && MessageDigest.isEqual(key.getEncoded(), other.key.getEncoded());
    }

    @Override
    public int hashCode() {
        return 31 * certificateFile.hashCode() + chain.hashCode();
    }

    /** Files, subject and expiry; never the key. */
    @Override
    public String toString() {
        return "TlsCertificate[" + certificateFile + " (" + subject() + ", not after " + notAfter() + ")"
                + (names.isEmpty() ? "" : " for " + names) + ", key " + keyFile + "]";
    }
}
